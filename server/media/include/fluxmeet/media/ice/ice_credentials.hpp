#pragma once
// Local ICE credentials (RFC 8445 section 5.3): the ufrag and password a WebRtcTransport puts in
// its SDP answer (a=ice-ufrag / a=ice-pwd). The password keys MESSAGE-INTEGRITY of every
// connectivity check (RFC 8489 section 9.1.1), so it comes from libsodium's CSPRNG.
#include <cstddef>
#include <string>
#include <string_view>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::media::ice {

// RFC 8445 section 5.3: ufrag at least 4 characters, password at least 22 (128 bits of
// randomness at 6 bits per character needs 22); we use 8 and 24.
inline constexpr size_t kUfragLength = 8;
inline constexpr size_t kPasswordLength = 24;
inline constexpr size_t kMinUfragLength = 4;
inline constexpr size_t kMinPasswordLength = 22;
inline constexpr size_t kMaxCredentialLength = 256;  // RFC 8839 section 5.4 (ice-ufrag/ice-pwd)

struct IceCredentials {
  std::string ufrag;
  std::string password;

  // Fresh random credentials; fails only if libsodium cannot be initialised.
  static Result<IceCredentials> generate();

  friend bool operator==(const IceCredentials&, const IceCredentials&) = default;
};

// RFC 8445 section 5.3: ice-char = ALPHA / DIGIT / "+" / "/".
bool isIceChar(char c);
// True when `text` is `minLength`..256 ice-chars (RFC 8839 section 5.4 grammar).
bool isValidIceString(std::string_view text, size_t minLength);

}  // namespace fluxmeet::media::ice
