#include "fluxmeet/auth/jwt.hpp"

#include <sodium.h>

#include <array>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "fluxmeet/common/encoding.hpp"

namespace fluxmeet::auth {
namespace {

using nlohmann::json;

// The only header we issue or accept (RFC 7515 section 4.1.1 "alg", 4.1.9 "typ").
constexpr std::string_view kHeaderJson = R"({"alg":"HS256","typ":"JWT"})";
constexpr size_t kSha256Bytes = 32;

Error unauthorized(std::string message) {
  return makeError(ErrorCode::Unauthorized, std::move(message));
}

// Parses a base64url segment as a JSON object; nullopt on any failure (never throws).
std::optional<json> decodeJsonObject(std::string_view segment) {
  const auto bytes = base64UrlDecode(segment);
  if (!bytes) return std::nullopt;
  json value = json::parse(bytes->begin(), bytes->end(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object()) return std::nullopt;
  return value;
}

// RFC 7519 section 2 "NumericDate": we accept integers only (we never issue fractions).
std::optional<int64_t> readNumericDate(const json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_number_integer()) return std::nullopt;
  if (it->is_number_unsigned()) {
    const auto value = it->get<uint64_t>();
    if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(value);
  }
  return it->get<int64_t>();
}

// A string claim; `present` tells a missing claim apart from a wrongly typed one.
std::optional<std::string> readString(const json& object, const char* name, bool& present) {
  const auto it = object.find(name);
  present = it != object.end();
  if (!present || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// RFC 7515 section 5.2 step 2-4 / RFC 7519 section 7.2 step 8: only the header we issue.
bool headerAcceptable(const json& header) {
  for (const auto& [key, value] : header.items()) {
    if (key == "alg") {
      if (!value.is_string() || value.get_ref<const std::string&>() != "HS256") return false;
    } else if (key == "typ") {
      if (!value.is_string() || value.get_ref<const std::string&>() != "JWT") return false;
    } else {
      // Unknown members, including "crit" (RFC 7515 section 4.1.11), are refused rather than
      // ignored: nothing we issue carries them.
      return false;
    }
  }
  return header.contains("alg");
}

Result<AccessClaims> readClaims(const json& payload) {
  AccessClaims claims;
  bool present = false;
  auto sub = readString(payload, "sub", present);
  if (!sub || sub->empty()) return unauthorized("token has no valid subject");
  claims.subject = std::move(*sub);
  auto sid = readString(payload, "sid", present);
  if (!sid || sid->empty()) return unauthorized("token has no valid session");
  claims.sessionId = std::move(*sid);
  auto kind = readString(payload, "kind", present);
  if (!kind || (*kind != "user" && *kind != "guest" && *kind != "media")) {
    return unauthorized("token has no valid kind");
  }
  claims.kind = std::move(*kind);
  auto mtg = readString(payload, "mtg", present);
  if (present && !mtg) return unauthorized("token has an invalid meeting claim");
  if (mtg) claims.meetingCode = std::move(*mtg);
  if (claims.kind == "guest" && claims.meetingCode.empty()) {
    return unauthorized("guest token has no meeting");
  }
  auto name = readString(payload, "name", present);
  if (present && !name) return unauthorized("token has an invalid name claim");
  if (name) claims.displayName = std::move(*name);
  auto jti = readString(payload, "jti", present);
  if (!jti || jti->empty()) return unauthorized("token has no valid id");
  claims.jwtId = std::move(*jti);

  const auto iat = readNumericDate(payload, "iat");
  if (!iat) return unauthorized("token has no valid issue time");
  claims.issuedAt = *iat;
  const auto exp = readNumericDate(payload, "exp");
  if (!exp) return unauthorized("token has no valid expiry");
  claims.expiresAt = *exp;
  if (payload.contains("nbf")) {
    const auto nbf = readNumericDate(payload, "nbf");
    if (!nbf) return unauthorized("token has an invalid not-before time");
    claims.notBefore = *nbf;
  }
  return claims;
}

}  // namespace

struct JwtCodec::KeyedHmac {
  crypto_auth_hmacsha256_state state;
  ~KeyedHmac() { sodium_memzero(&state, sizeof state); }
};

JwtCodec::JwtCodec(std::string secret) {
  if (secret.size() < kMinJwtSecretBytes) {
    sodium_memzero(secret.data(), secret.size());
    throw std::invalid_argument("JWT secret must be at least 32 bytes");
  }
  auto keyed = std::make_shared<KeyedHmac>();
  // RFC 2104 with a key of any length (longer than a block it is hashed first, as HMAC requires).
  crypto_auth_hmacsha256_init(&keyed->state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  sodium_memzero(secret.data(), secret.size());
  keyed_ = std::move(keyed);
}

std::string JwtCodec::hmac(std::string_view signingInput) const {
  // RFC 7518 section 3.2: HMAC SHA-256 over the ASCII signing input. The keyed state is copied, never
  // changed, so one codec serves every thread.
  crypto_auth_hmacsha256_state state = keyed_->state;
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(signingInput.data()),
                                signingInput.size());
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  static_assert(crypto_auth_hmacsha256_BYTES == kSha256Bytes);
  return std::string(reinterpret_cast<const char*>(mac.data()), mac.size());
}

std::string JwtCodec::sign(const AccessClaims& claims) const {
  json payload = json::object();
  payload["sub"] = claims.subject;
  payload["sid"] = claims.sessionId;
  payload["kind"] = claims.kind;
  if (!claims.meetingCode.empty()) payload["mtg"] = claims.meetingCode;
  if (!claims.displayName.empty()) payload["name"] = claims.displayName;
  payload["iat"] = claims.issuedAt;
  payload["exp"] = claims.expiresAt;
  if (claims.notBefore) payload["nbf"] = *claims.notBefore;
  payload["jti"] = claims.jwtId;
  // error_handler_t::replace: a display name with invalid UTF-8 must not throw here
  // (callers validate it first; this is the backstop).
  const std::string payloadJson = payload.dump(-1, ' ', false, json::error_handler_t::replace);
  // RFC 7515 section 7.1: BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature).
  std::string token = base64UrlEncode(kHeaderJson);
  token += '.';
  token += base64UrlEncode(payloadJson);
  const std::string mac = hmac(token);
  token += '.';
  token += base64UrlEncode(mac);
  return token;
}

Result<AccessClaims> JwtCodec::verify(std::string_view token, int64_t now) const {
  if (token.empty()) return unauthorized("missing token");
  if (token.size() > kMaxTokenLength) return unauthorized("token too long");
  const size_t firstDot = token.find('.');
  if (firstDot == std::string_view::npos) return unauthorized("malformed token");
  const size_t secondDot = token.find('.', firstDot + 1);
  if (secondDot == std::string_view::npos || token.find('.', secondDot + 1) != std::string_view::npos) {
    return unauthorized("malformed token");
  }
  const std::string_view headerSegment = token.substr(0, firstDot);
  const std::string_view payloadSegment = token.substr(firstDot + 1, secondDot - firstDot - 1);
  const std::string_view signatureSegment = token.substr(secondDot + 1);
  if (headerSegment.empty() || payloadSegment.empty() || signatureSegment.empty()) {
    return unauthorized("malformed token");
  }

  const auto header = decodeJsonObject(headerSegment);
  if (!header) return unauthorized("malformed token header");
  if (!headerAcceptable(*header)) return unauthorized("unsupported token algorithm");

  // Check the MAC before looking at the claims (RFC 7515 section 5.2 step 8), comparing in
  // constant time so the comparison leaks nothing about the expected MAC.
  const auto signature = base64UrlDecode(signatureSegment);
  if (!signature || signature->size() != kSha256Bytes) return unauthorized("bad signature");
  const std::string expected = hmac(token.substr(0, secondDot));
  const std::string_view given(reinterpret_cast<const char*>(signature->data()), signature->size());
  if (!constantTimeEquals(expected, given)) return unauthorized("bad signature");

  const auto payload = decodeJsonObject(payloadSegment);
  if (!payload) return unauthorized("malformed token payload");
  auto claims = readClaims(*payload);
  if (!claims) return claims;
  // RFC 7519 section 4.1.4: reject on or after "exp"; 4.1.5: reject before "nbf".
  if (now >= claims->expiresAt) return unauthorized("token expired");
  if (claims->notBefore && now < *claims->notBefore) return unauthorized("token not yet valid");
  return claims;
}

std::string newJwtId() { return randomToken(16); }

}  // namespace fluxmeet::auth
