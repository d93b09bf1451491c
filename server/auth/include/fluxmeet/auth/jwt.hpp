#pragma once
// JwtCodec: signs and verifies the access tokens of Flux Meet, JSON Web Tokens (RFC 7519) in
// JWS compact serialization (RFC 7515 section 7.1) with HMAC-SHA256 ("HS256", RFC 7518
// section 3.2). Only HS256 is accepted: the algorithm is fixed by the server, never chosen by
// the token ("alg":"none" and algorithm-confusion attacks are rejected up front).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::auth {

struct AccessClaims {
  std::string subject;      // "sub": user id as a decimal string, or "guest:<random>"
  std::string sessionId;    // "sid": the refresh session this token belongs to
  std::string kind;         // "kind": "user", "guest", or "media" (the recordings cookie only)
  std::string meetingCode;  // "mtg": guests only, the one meeting they may join
  std::string displayName;  // "name": guests only
  int64_t issuedAt = 0;     // "iat" (Unix seconds)
  int64_t expiresAt = 0;    // "exp" (Unix seconds)
  std::optional<int64_t> notBefore;  // "nbf" (Unix seconds)
  std::string jwtId;        // "jti"
};

// Tokens longer than this are rejected before any parsing.
inline constexpr size_t kMaxTokenLength = 4096;
// RFC 7518 section 3.2: the HS256 key must be at least as long as the hash output.
inline constexpr size_t kMinJwtSecretBytes = 32;

class JwtCodec {
 public:
  // Throws std::invalid_argument if the secret is shorter than kMinJwtSecretBytes: this runs at
  // start-up, where configuration errors are reported by exception.
  explicit JwtCodec(std::string secret);
  JwtCodec(const JwtCodec&) = default;
  JwtCodec& operator=(const JwtCodec&) = default;

  std::string sign(const AccessClaims& claims) const;

  // Verifies signature, header and claims at time `now` (Unix seconds). Every failure is
  // ErrorCode::Unauthorized with a short reason ("token expired", "bad signature", ...) that
  // is safe to show to the client and never contains the token.
  Result<AccessClaims> verify(std::string_view token, int64_t now) const;

 private:
  std::string hmac(std::string_view signingInput) const;  // raw 32-byte MAC

  // The HMAC state after absorbing the key, computed once: every token (signed or verified, once per
  // authenticated request) then costs two SHA-256 runs over the token and no key setup or allocation.
  struct KeyedHmac;
  std::shared_ptr<const KeyedHmac> keyed_;
};

// A fresh random "jti": 16 random bytes, base64url (22 characters).
std::string newJwtId();

}  // namespace fluxmeet::auth
