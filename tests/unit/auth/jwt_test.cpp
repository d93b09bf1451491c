#include "fluxmeet/auth/jwt.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "fluxmeet/common/encoding.hpp"

namespace fluxmeet::auth {
namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef-test-secret";
constexpr int64_t kNow = 1795600800;  // 2026-11-25T10:00:00Z

AccessClaims userClaims() {
  AccessClaims claims;
  claims.subject = "42";
  claims.sessionId = "sess-1";
  claims.kind = "user";
  claims.issuedAt = kNow;
  claims.expiresAt = kNow + 900;
  claims.jwtId = "jti-1";
  return claims;
}

// Builds a token from raw header/payload JSON, signed with HMAC-SHA256 under `secret`, so
// tests can present headers and payloads JwtCodec::sign would never produce.
std::string craftToken(std::string_view headerJson, std::string_view payloadJson,
                       const std::string& secret = kSecret) {
  std::string input = base64UrlEncode(headerJson) + "." + base64UrlEncode(payloadJson);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length);
  return input + "." + base64UrlEncode(std::span<const uint8_t>(mac, length));
}

constexpr std::string_view kGoodHeader = R"({"alg":"HS256","typ":"JWT"})";
constexpr std::string_view kGoodPayload =
    R"({"sub":"42","sid":"s","kind":"user","iat":1795600800,"exp":1795601700,"jti":"j"})";

void expectRejected(const Result<AccessClaims>& result, std::string_view message) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::Unauthorized);
  EXPECT_EQ(result.error().message, message);
}

TEST(JwtTest, RoundTripsUserClaims) {
  const JwtCodec codec(kSecret);
  const std::string token = codec.sign(userClaims());
  // Compact serialization: three base64url segments, and our fixed header.
  EXPECT_EQ(token.rfind(base64UrlEncode(kGoodHeader) + ".", 0), 0u);
  const auto verified = codec.verify(token, kNow);
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_EQ(verified->subject, "42");
  EXPECT_EQ(verified->sessionId, "sess-1");
  EXPECT_EQ(verified->kind, "user");
  EXPECT_EQ(verified->meetingCode, "");
  EXPECT_EQ(verified->displayName, "");
  EXPECT_EQ(verified->issuedAt, kNow);
  EXPECT_EQ(verified->expiresAt, kNow + 900);
  EXPECT_FALSE(verified->notBefore);
  EXPECT_EQ(verified->jwtId, "jti-1");
}

TEST(JwtTest, RoundTripsGuestClaims) {
  const JwtCodec codec(kSecret);
  AccessClaims claims = userClaims();
  claims.subject = "guest:abc";
  claims.kind = "guest";
  claims.meetingCode = "abc-defg-hij";
  claims.displayName = "Zoë \"the guest\"";
  claims.notBefore = kNow - 5;
  claims.jwtId = newJwtId();
  const auto verified = codec.verify(codec.sign(claims), kNow);
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_EQ(verified->subject, "guest:abc");
  EXPECT_EQ(verified->kind, "guest");
  EXPECT_EQ(verified->meetingCode, "abc-defg-hij");
  EXPECT_EQ(verified->displayName, "Zoë \"the guest\"");
  EXPECT_EQ(verified->notBefore, kNow - 5);
  EXPECT_EQ(verified->jwtId, claims.jwtId);
}

// RFC 7515 appendix A.1: the published HS256 example verifies with its published key. Its
// claims are not ours, so verification gets past the signature and fails on the subject.
TEST(JwtTest, Rfc7515AppendixA1SignatureVerifies) {
  const auto key = base64UrlDecode(
      "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
  ASSERT_TRUE(key);
  const JwtCodec codec(std::string(key->begin(), key->end()));
  const std::string token =
      "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
      ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
      ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  expectRejected(codec.verify(token, 1300819379), "token has no valid subject");
  std::string tampered = token;
  tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'X' ? 'Y' : 'X';
  expectRejected(codec.verify(tampered, 1300819379), "bad signature");
}

TEST(JwtTest, RejectsTamperedPayload) {
  const JwtCodec codec(kSecret);
  const std::string token = codec.sign(userClaims());
  const size_t firstDot = token.find('.');
  const size_t secondDot = token.find('.', firstDot + 1);
  AccessClaims admin = userClaims();
  admin.subject = "1";
  const std::string other = codec.sign(admin);
  const std::string otherPayload =
      other.substr(other.find('.') + 1, other.rfind('.') - other.find('.') - 1);
  const std::string forged =
      token.substr(0, firstDot + 1) + otherPayload + token.substr(secondDot);
  expectRejected(codec.verify(forged, kNow), "bad signature");
}

TEST(JwtTest, RejectsTamperedSignature) {
  const JwtCodec codec(kSecret);
  const std::string token = codec.sign(userClaims());
  for (size_t pos : {token.rfind('.') + 1, token.size() - 5}) {
    std::string tampered = token;
    tampered[pos] = tampered[pos] == 'A' ? 'B' : 'A';
    expectRejected(codec.verify(tampered, kNow), "bad signature");
  }
  expectRejected(codec.verify(token.substr(0, token.size() - 4), kNow), "bad signature");
  expectRejected(codec.verify(token + "AAAA", kNow), "bad signature");
}

TEST(JwtTest, RejectsWrongSecret) {
  const JwtCodec signer(kSecret);
  const JwtCodec verifier("another-secret-of-at-least-32-bytes!!");
  expectRejected(verifier.verify(signer.sign(userClaims()), kNow), "bad signature");
}

TEST(JwtTest, RejectsAlgNone) {
  const JwtCodec codec(kSecret);
  const std::string unsigned_ = base64UrlEncode(std::string_view(R"({"alg":"none","typ":"JWT"})")) +
                                "." + base64UrlEncode(kGoodPayload) + ".";
  expectRejected(codec.verify(unsigned_, kNow), "malformed token");
  // Even with a signature segment attached, "none" is refused before any MAC check.
  expectRejected(codec.verify(craftToken(R"({"alg":"none","typ":"JWT"})", kGoodPayload), kNow),
                 "unsupported token algorithm");
}

TEST(JwtTest, RejectsOtherAlgorithmsAndHeaders) {
  const JwtCodec codec(kSecret);
  // Each is correctly HMAC-SHA256-signed with our secret: only the header is wrong.
  for (std::string_view header : {
           R"({"alg":"HS512","typ":"JWT"})",
           R"({"alg":"RS256","typ":"JWT"})",
           R"({"alg":"hs256","typ":"JWT"})",
           R"({"typ":"JWT"})",
           R"({"alg":null,"typ":"JWT"})",
           R"({"alg":["HS256"],"typ":"JWT"})",
           R"({"alg":"HS256","typ":"JOSE+JSON"})",
           R"({"alg":"HS256","typ":"JWT","crit":["exp"]})",
           R"({"alg":"HS256","typ":"JWT","kid":"other"})",
       }) {
    expectRejected(codec.verify(craftToken(header, kGoodPayload), kNow),
                   "unsupported token algorithm");
  }
  // The same construction with the right header is accepted, so the rejections above are
  // caused by the header alone.
  EXPECT_TRUE(codec.verify(craftToken(kGoodHeader, kGoodPayload), kNow).ok());
  EXPECT_TRUE(codec.verify(craftToken(R"({"typ":"JWT","alg":"HS256"})", kGoodPayload), kNow).ok());
  EXPECT_TRUE(codec.verify(craftToken(R"({"alg":"HS256"})", kGoodPayload), kNow).ok());
}

TEST(JwtTest, EnforcesExpiry) {
  const JwtCodec codec(kSecret);
  const std::string token = codec.sign(userClaims());
  EXPECT_TRUE(codec.verify(token, kNow + 899).ok());
  expectRejected(codec.verify(token, kNow + 900), "token expired");  // now >= exp
  expectRejected(codec.verify(token, kNow + 100000), "token expired");
}

TEST(JwtTest, EnforcesNotBefore) {
  const JwtCodec codec(kSecret);
  AccessClaims claims = userClaims();
  claims.notBefore = kNow + 60;
  const std::string token = codec.sign(claims);
  expectRejected(codec.verify(token, kNow), "token not yet valid");
  EXPECT_TRUE(codec.verify(token, kNow + 60).ok());
}

TEST(JwtTest, RejectsMalformedSegments) {
  const JwtCodec codec(kSecret);
  const std::string token = codec.sign(userClaims());
  const std::string header = token.substr(0, token.find('.'));
  for (const std::string& bad : {
           std::string(""), std::string("abc"), std::string("a.b"), std::string(".."),
           std::string("a.b.c.d"), token + ".", "." + token, token + ".extra",
           header + ".." + token.substr(token.rfind('.') + 1),
       }) {
    expectRejected(codec.verify(bad, kNow), bad.empty() ? "missing token" : "malformed token");
  }
  // Not base64url, or padded base64: the header cannot be decoded.
  expectRejected(codec.verify("eyJ+bGci." + token.substr(token.find('.') + 1), kNow),
                 "malformed token header");
  expectRejected(codec.verify(header + "=" + token.substr(token.find('.')), kNow),
                 "malformed token header");
  expectRejected(codec.verify(std::string(kMaxTokenLength + 1, 'a'), kNow), "token too long");
}

TEST(JwtTest, RejectsNonObjectJson) {
  const JwtCodec codec(kSecret);
  for (std::string_view payload : {"[1,2]", "\"string\"", "42", "null", "{", "{\"sub\":\"42\"} x",
                                   ""}) {
    expectRejected(codec.verify(craftToken(kGoodHeader, payload), kNow),
                   payload.empty() ? "malformed token" : "malformed token payload");
  }
  expectRejected(codec.verify(craftToken("[\"HS256\"]", kGoodPayload), kNow),
                 "malformed token header");
}

TEST(JwtTest, ChecksClaimTypes) {
  const JwtCodec codec(kSecret);
  const std::pair<std::string_view, std::string_view> cases[] = {
      {R"({"sid":"s","kind":"user","iat":1,"exp":1795601700,"jti":"j"})", "token has no valid subject"},
      {R"({"sub":42,"sid":"s","kind":"user","iat":1,"exp":1795601700,"jti":"j"})",
       "token has no valid subject"},
      {R"({"sub":"42","kind":"user","iat":1,"exp":1795601700,"jti":"j"})", "token has no valid session"},
      {R"({"sub":"42","sid":"s","kind":"admin","iat":1,"exp":1795601700,"jti":"j"})",
       "token has no valid kind"},
      {R"({"sub":"42","sid":"s","kind":"user","exp":1795601700,"jti":"j"})",
       "token has no valid issue time"},
      {R"({"sub":"42","sid":"s","kind":"user","iat":"1","exp":1795601700,"jti":"j"})",
       "token has no valid issue time"},
      {R"({"sub":"42","sid":"s","kind":"user","iat":1,"jti":"j"})", "token has no valid expiry"},
      {R"({"sub":"42","sid":"s","kind":"user","iat":1,"exp":"1795601700","jti":"j"})",
       "token has no valid expiry"},
      {R"({"sub":"42","sid":"s","kind":"user","iat":1,"exp":1795601700.5,"jti":"j"})",
       "token has no valid expiry"},
      {R"({"sub":"42","sid":"s","kind":"user","iat":1,"exp":18446744073709551615,"jti":"j"})",
       "token has no valid expiry"},
      {R"({"sub":"42","sid":"s","kind":"user","iat":1,"exp":1795601700,"nbf":"0","jti":"j"})",
       "token has an invalid not-before time"},
      {R"({"sub":"42","sid":"s","kind":"user","iat":1,"exp":1795601700})", "token has no valid id"},
      {R"({"sub":"g","sid":"s","kind":"guest","iat":1,"exp":1795601700,"jti":"j"})",
       "guest token has no meeting"},
      {R"({"sub":"g","sid":"s","kind":"guest","mtg":7,"iat":1,"exp":1795601700,"jti":"j"})",
       "token has an invalid meeting claim"},
      {R"({"sub":"42","sid":"s","kind":"user","name":[],"iat":1,"exp":1795601700,"jti":"j"})",
       "token has an invalid name claim"},
  };
  for (const auto& [payload, message] : cases) {
    SCOPED_TRACE(payload);
    expectRejected(codec.verify(craftToken(kGoodHeader, payload), kNow), message);
  }
}

TEST(JwtTest, RefusesShortSecret) {
  EXPECT_THROW(JwtCodec("too short"), std::invalid_argument);
  EXPECT_NO_THROW(JwtCodec(std::string(kMinJwtSecretBytes, 'k')));
}

TEST(JwtTest, NewJwtIdIsRandom) {
  const std::string a = newJwtId();
  EXPECT_EQ(a.size(), 22u);
  EXPECT_NE(a, newJwtId());
}

}  // namespace
}  // namespace fluxmeet::auth
