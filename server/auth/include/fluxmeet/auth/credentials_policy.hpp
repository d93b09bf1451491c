#pragma once
// Rules for what users may choose as username, email and password. Every failure is
// ErrorCode::ValidationFailed with Error::field set ("username", "email", "password") and a
// message fit to show next to the form field.
#include <string>
#include <string_view>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::auth {

inline constexpr size_t kUsernameMinChars = 2;
inline constexpr size_t kUsernameMaxChars = 32;
inline constexpr size_t kEmailMaxChars = 254;  // RFC 5321 section 4.5.3.1.3 path limit minus <>
inline constexpr size_t kPasswordMinChars = 8;
inline constexpr size_t kPasswordMaxChars = 256;

// Removes leading and trailing ASCII whitespace (space, tab, CR, LF, VT, FF).
std::string_view trimWhitespace(std::string_view text);

// 2-32 characters (Unicode code points) after trimming, valid UTF-8, no control characters
// (C0, DEL, C1) and no Unicode line/paragraph separators or bidirectional overrides that
// could disguise a name. The caller stores trimWhitespace(username).
Result<void> checkUsername(std::string_view username);

// Trimmed and lower-cased email address, or an error. Accepts a practical subset of
// RFC 5322 section 3.4.1 addr-spec: dot-atom local part (<= 64 characters, RFC 5321
// section 4.5.3.1.1) '@' a DNS domain with at least one dot (labels of letters, digits and
// inner hyphens, <= 63 characters each). ASCII only; no quoted local parts, comments or IP
// literals; total <= 254 characters.
Result<std::string> normalizeEmail(std::string_view email);

// 8-256 characters (code points), valid UTF-8, and not one of ~100 most common passwords
// (compared case-insensitively). Not trimmed: spaces are legitimate password characters.
Result<void> checkPassword(std::string_view password);

}  // namespace fluxmeet::auth
