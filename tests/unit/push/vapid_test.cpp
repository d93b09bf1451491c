#include "fluxmeet/push/vapid.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "push_test_support.hpp"

namespace fluxmeet::push {
namespace {

using test::b64;
using test::Bytes;

// A key pair from RFC 8291 Appendix A (the application server's), as a known answer.
constexpr std::string_view kRfcPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
constexpr std::string_view kRfcPublic =
    "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
constexpr UnixTime kNow = 1'800'000'000;

TEST(VapidKeys, GeneratesKeysInTheFormsBrowsersAndStorageUse) {
  Result<VapidKeys> keys = VapidKeys::generate();
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  std::string privateKey = keys->privateKeyBase64Url();
  std::string publicKey = keys->publicKeyBase64Url();
  EXPECT_EQ(privateKey.size(), 43u);  // 32 bytes
  EXPECT_EQ(publicKey.size(), 87u);   // 65 bytes
  EXPECT_EQ(keys->publicKey()[0], 0x04);
  EXPECT_EQ(b64(publicKey), Bytes(keys->publicKey().begin(), keys->publicKey().end()));

  Result<VapidKeys> reloaded = VapidKeys::fromBase64Url(privateKey, publicKey);
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
  EXPECT_EQ(reloaded->publicKeyBase64Url(), publicKey);
  EXPECT_EQ(reloaded->privateKeyBase64Url(), privateKey);

  Result<VapidKeys> other = VapidKeys::generate();
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->publicKeyBase64Url(), publicKey);
}

TEST(VapidKeys, DerivesThePublicKeyFromThePrivateOne) {
  Result<VapidKeys> keys = VapidKeys::fromBase64Url(kRfcPrivate);
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  EXPECT_EQ(keys->publicKeyBase64Url(), kRfcPublic);
  EXPECT_EQ(keys->privateKeyBase64Url(), kRfcPrivate);
}

TEST(VapidKeys, RejectsBadOrMismatchedKeys) {
  Result<VapidKeys> generated = VapidKeys::generate();
  ASSERT_TRUE(generated.ok());
  Result<VapidKeys> mismatched = VapidKeys::fromBase64Url(kRfcPrivate, generated->publicKeyBase64Url());
  ASSERT_FALSE(mismatched.ok());
  EXPECT_EQ(mismatched.error().field, "vapidPublicKey");
  EXPECT_FALSE(VapidKeys::fromBase64Url("too-short").ok());
  EXPECT_FALSE(VapidKeys::fromBase64Url(std::string(43, 'A')).ok());  // zero is not a private key
  EXPECT_FALSE(VapidKeys::fromBase64Url(std::string(42, '_') + "w").ok());  // >= the group order
}

TEST(Vapid, EndpointOriginIsTheAudience) {
  EXPECT_EQ(*endpointOrigin("https://fcm.googleapis.com/fcm/send/abc:def"), "https://fcm.googleapis.com");
  EXPECT_EQ(*endpointOrigin("https://Updates.Push.Services.Mozilla.com/wpush/v2/gAAA"),
            "https://updates.push.services.mozilla.com");
  EXPECT_EQ(*endpointOrigin("https://web.push.apple.com:443/QGuQ"), "https://web.push.apple.com");
  EXPECT_EQ(*endpointOrigin("https://push.example.com:8443/x?y=1"), "https://push.example.com:8443");
  EXPECT_EQ(*endpointOrigin("http://127.0.0.1:8080/sub/1"), "http://127.0.0.1:8080");
  EXPECT_FALSE(endpointOrigin("ftp://push.example.com/x").ok());
  EXPECT_FALSE(endpointOrigin("not a url").ok());
  EXPECT_FALSE(endpointOrigin("").ok());
  EXPECT_FALSE(endpointOrigin("https://user:secret@push.example.com/x").ok());
}

TEST(Vapid, SubjectMustBeAContactUri) {
  EXPECT_TRUE(isValidVapidSubject("mailto:ops@meet.example.com"));
  EXPECT_TRUE(isValidVapidSubject("https://meet.example.com/contact"));
  EXPECT_FALSE(isValidVapidSubject("ops@meet.example.com"));
  EXPECT_FALSE(isValidVapidSubject("http://meet.example.com"));
  EXPECT_FALSE(isValidVapidSubject("mailto:"));
  EXPECT_FALSE(isValidVapidSubject("mailto:a b@example.com"));
  EXPECT_FALSE(isValidVapidSubject("mailto:\"x\"@example.com\n"));
}

TEST(Vapid, AuthorizationIsASignedEs256JwtWithTheKey) {
  Result<VapidKeys> keys = VapidKeys::generate();
  ASSERT_TRUE(keys.ok());
  const UnixTime expiry = kNow + 12 * 3600;
  Result<std::string> header = vapidAuthorization(*keys, "https://push.example.com/sub/42", "mailto:ops@example.com",
                                                  expiry, kNow);
  ASSERT_TRUE(header.ok()) << header.error().message;

  std::optional<test::VapidHeaderParts> parts = test::splitVapidHeader(*header);
  ASSERT_TRUE(parts.has_value()) << *header;
  EXPECT_EQ(parts->key, keys->publicKeyBase64Url());

  nlohmann::json jwtHeader = nlohmann::json::parse(parts->jwtHeader);
  EXPECT_EQ(jwtHeader, (nlohmann::json{{"typ", "JWT"}, {"alg", "ES256"}}));
  nlohmann::json claims = nlohmann::json::parse(parts->claims);
  EXPECT_EQ(claims.at("aud"), "https://push.example.com");
  EXPECT_EQ(claims.at("exp"), expiry);
  EXPECT_EQ(claims.at("sub"), "mailto:ops@example.com");
  EXPECT_EQ(claims.size(), 3u);

  ASSERT_EQ(parts->signature.size(), 64u);  // raw R || S, not DER
  EXPECT_TRUE(test::verifyEs256(b64(parts->key), parts->signingInput, parts->signature));

  // The signature covers the claims, and only this key verifies it.
  std::string forged = parts->signingInput;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(test::verifyEs256(b64(parts->key), forged, parts->signature));
  Result<VapidKeys> other = VapidKeys::generate();
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(test::verifyEs256(other->publicKey(), parts->signingInput, parts->signature));
}

TEST(Vapid, SignaturesAreFreshEachTime) {
  Result<VapidKeys> keys = VapidKeys::fromBase64Url(kRfcPrivate);
  ASSERT_TRUE(keys.ok());
  Result<std::string> first = vapidAuthorization(*keys, "https://a.example/x", "mailto:a@b.c", kNow + 60, kNow);
  Result<std::string> second = vapidAuthorization(*keys, "https://a.example/x", "mailto:a@b.c", kNow + 60, kNow);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*first, *second);  // ECDSA with a random nonce; both verify
  for (const std::string& header : {*first, *second}) {
    std::optional<test::VapidHeaderParts> parts = test::splitVapidHeader(header);
    ASSERT_TRUE(parts.has_value());
    EXPECT_TRUE(test::verifyEs256(b64(kRfcPublic), parts->signingInput, parts->signature));
  }
}

TEST(Vapid, ExpiryMustBeWithinADay) {
  Result<VapidKeys> keys = VapidKeys::generate();
  ASSERT_TRUE(keys.ok());
  const std::string endpoint = "https://push.example.com/x";
  EXPECT_TRUE(vapidAuthorization(*keys, endpoint, "mailto:a@b.c", kNow + 24 * 3600, kNow).ok());
  Result<std::string> tooLong = vapidAuthorization(*keys, endpoint, "mailto:a@b.c", kNow + 24 * 3600 + 1, kNow);
  ASSERT_FALSE(tooLong.ok());
  EXPECT_EQ(tooLong.error().field, "expiresAt");
  EXPECT_FALSE(vapidAuthorization(*keys, endpoint, "mailto:a@b.c", kNow, kNow).ok());
  EXPECT_FALSE(vapidAuthorization(*keys, endpoint, "ops@example.com", kNow + 60, kNow).ok());
  EXPECT_FALSE(vapidAuthorization(*keys, "ftp://x/y", "mailto:a@b.c", kNow + 60, kNow).ok());
}

}  // namespace
}  // namespace fluxmeet::push
