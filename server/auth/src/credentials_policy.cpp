#include "fluxmeet/auth/credentials_policy.hpp"

#include <cstdint>

#include "common_passwords.hpp"
#include "fluxmeet/common/encoding.hpp"

namespace fluxmeet::auth {
namespace {

bool isAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

char asciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string asciiLowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = asciiLower(c);
  return out;
}

// Decodes the next code point of text already checked with isValidUtf8().
char32_t nextCodePoint(std::string_view text, size_t& pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  size_t length = 1;
  char32_t cp = lead;
  if (lead >= 0xf0) {
    length = 4;
    cp = lead & 0x07;
  } else if (lead >= 0xe0) {
    length = 3;
    cp = lead & 0x0f;
  } else if (lead >= 0xc0) {
    length = 2;
    cp = lead & 0x1f;
  }
  for (size_t i = 1; i < length; ++i) {
    cp = (cp << 6) | (static_cast<unsigned char>(text[pos + i]) & 0x3f);
  }
  pos += length;
  return cp;
}

size_t countCodePoints(std::string_view validUtf8) {
  size_t count = 0;
  for (const char c : validUtf8) {
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++count;  // not a continuation byte
  }
  return count;
}

// Characters that have no place in a name shown to others: controls (C0, DEL, C1), line and
// paragraph separators, and the bidirectional controls used to make one name look like
// another (Unicode TR 9; CVE-2021-42574 "Trojan Source").
bool isForbiddenInName(char32_t cp) {
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return true;
  if (cp == 0x2028 || cp == 0x2029) return true;
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return true;
  if (cp == 0x200e || cp == 0x200f || cp == 0x061c) return true;
  return false;
}

bool isAtext(char c) {
  // RFC 5322 section 3.2.3 atext.
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return kSpecials.find(c) != std::string_view::npos;
}

bool isValidLocalPart(std::string_view local) {
  // RFC 5322 dot-atom-text: atext runs separated by single dots, none at either end.
  if (local.empty() || local.size() > 64) return false;
  if (local.front() == '.' || local.back() == '.') return false;
  char previous = '\0';
  for (const char c : local) {
    if (c == '.') {
      if (previous == '.') return false;
    } else if (!isAtext(c)) {
      return false;
    }
    previous = c;
  }
  return true;
}

bool isValidDomain(std::string_view domain) {
  // RFC 1035 section 2.3.1 / RFC 5321 section 4.1.2 host names, lower-cased already.
  if (domain.empty() || domain.size() > 253 || domain.find('.') == std::string_view::npos) {
    return false;
  }
  size_t start = 0;
  while (start <= domain.size()) {
    size_t end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    const std::string_view label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (const char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    start = end + 1;
  }
  // A top-level domain is never all digits ("user@1.2.3.4" is an IP address, not a domain).
  const std::string_view tld = domain.substr(domain.rfind('.') + 1);
  return tld.find_first_not_of("0123456789") != std::string_view::npos;
}

}  // namespace

std::string_view trimWhitespace(std::string_view text) {
  while (!text.empty() && isAsciiSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isAsciiSpace(text.back())) text.remove_suffix(1);
  return text;
}

Result<void> checkUsername(std::string_view username) {
  const std::string_view trimmed = trimWhitespace(username);
  if (!isValidUtf8(trimmed)) {
    return makeError(ErrorCode::ValidationFailed, "username must be valid UTF-8 text", "username");
  }
  const size_t length = countCodePoints(trimmed);
  if (length < kUsernameMinChars || length > kUsernameMaxChars) {
    return makeError(ErrorCode::ValidationFailed, "username must be 2 to 32 characters long",
                     "username");
  }
  size_t pos = 0;
  while (pos < trimmed.size()) {
    if (isForbiddenInName(nextCodePoint(trimmed, pos))) {
      return makeError(ErrorCode::ValidationFailed,
                       "username must not contain control or direction-changing characters",
                       "username");
    }
  }
  return {};
}

Result<std::string> normalizeEmail(std::string_view email) {
  const std::string lowered = asciiLowered(trimWhitespace(email));
  if (lowered.empty()) {
    return makeError(ErrorCode::ValidationFailed, "email is required", "email");
  }
  if (lowered.size() > kEmailMaxChars) {
    return makeError(ErrorCode::ValidationFailed, "email must be at most 254 characters", "email");
  }
  const size_t at = lowered.find('@');
  if (at == std::string::npos || lowered.find('@', at + 1) != std::string::npos ||
      !isValidLocalPart(std::string_view(lowered).substr(0, at)) ||
      !isValidDomain(std::string_view(lowered).substr(at + 1))) {
    return makeError(ErrorCode::ValidationFailed,
                     "email must be a valid address like name@example.com", "email");
  }
  return lowered;
}

Result<void> checkPassword(std::string_view password) {
  if (!isValidUtf8(password)) {
    return makeError(ErrorCode::ValidationFailed, "password must be valid UTF-8 text", "password");
  }
  const size_t length = countCodePoints(password);
  if (length < kPasswordMinChars) {
    return makeError(ErrorCode::ValidationFailed, "password must be at least 8 characters long",
                     "password");
  }
  if (length > kPasswordMaxChars) {
    return makeError(ErrorCode::ValidationFailed, "password must be at most 256 characters long",
                     "password");
  }
  if (isCommonPassword(asciiLowered(password))) {
    return makeError(ErrorCode::ValidationFailed,
                     "this password is too common; choose one that is harder to guess",
                     "password");
  }
  return {};
}

}  // namespace fluxmeet::auth
