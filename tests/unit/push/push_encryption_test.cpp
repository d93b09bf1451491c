#include "fluxmeet/push/push_encryption.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "push_test_support.hpp"

namespace fluxmeet::push {
namespace {

using test::b64;
using test::Bytes;

// RFC 8291 Appendix A, "Intermediate Values for Encryption" (base64url as printed there).
constexpr std::string_view kPlaintext = "When I grow up, I want to be a watermelon";
constexpr std::string_view kAuthSecret = "BTBZMqHH6r4Tts7J_aSIgg";
constexpr std::string_view kSalt = "DGv6ra1nlYgDCS1FRnbzlw";
constexpr std::string_view kUaPrivate = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
constexpr std::string_view kUaPublic =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
constexpr std::string_view kAsPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
constexpr std::string_view kAsPublic =
    "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
constexpr std::string_view kEcdhSecret = "kyrL1jIIOHEzg3sM2ZWRHDRB62YACZhhSlknJ672kSs";
constexpr std::string_view kPrkKey = "Snr3JMxaHVDXHWJn5wdC52WjpCtd2EIEGBykDcZW32k";
constexpr std::string_view kKeyInfo =
    "V2ViUHVzaDogaW5mbwAEJXGyvs3942BVGq8e0PTNNmwRzr5VX4m8t7GGpTM5FzFo7OLr4BhZe9MEebhuPI-OztV3ylkYfpJGmQ22ggCLDgT-"
    "M_SrDepxkU21WCP3O1SUj0EwbZIHMtu5pZpTKGSCIA5Zent7wmC6HCJ5mFgJkuk5cwAvMBKiiujwa7t45ewP";
constexpr std::string_view kIkm = "S4lYMb_L0FxCeq0WhDx813KgSYqU26kOyzWUdsXYyrg";
constexpr std::string_view kPrk = "09_eUZGrsvxChDCGRCdkLiDXrReGOEVeSCdCcPBSJSc";
constexpr std::string_view kCekInfo = "Q29udGVudC1FbmNvZGluZzogYWVzMTI4Z2NtAA";
constexpr std::string_view kCek = "oIhVW04MRdy2XN9CiKLxTg";
constexpr std::string_view kNonceInfo = "Q29udGVudC1FbmNvZGluZzogbm9uY2UA";
constexpr std::string_view kNonce = "4h_95klXJ5E_qnoN";
constexpr std::string_view kHeader =
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml"
    "mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
constexpr std::string_view kCiphertext =
    "8pfeW0KbunFT06SuDKoJH9Ql87S1QUrdirN6GcG7sFz1y1sqLgVi1VhjVkHsUoEsbI_0LpXMuGvnzQ";
constexpr std::string_view kBody =
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml"
    "mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT"
    "pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

std::span<const uint8_t> asSpan(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

EncryptionSeed rfcSeed() {
  EncryptionSeed seed;
  Bytes salt = b64(kSalt);
  Bytes asPrivate = b64(kAsPrivate);
  std::copy(salt.begin(), salt.end(), seed.salt.begin());
  std::copy(asPrivate.begin(), asPrivate.end(), seed.senderPrivateKey.begin());
  return seed;
}

TEST(PushEncryption, ReproducesRfc8291AppendixA) {
  Result<SubscriptionKeys> keys = parseSubscriptionKeys(kUaPublic, kAuthSecret);
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  EncryptionTrace trace;
  Result<std::vector<uint8_t>> body = encryptPushPayload(*keys, asSpan(kPlaintext), rfcSeed(), &trace);
  ASSERT_TRUE(body.ok()) << body.error().message;

  EXPECT_EQ(trace.ecdhSecret, b64(kEcdhSecret));
  EXPECT_EQ(trace.senderPublicKey, b64(kAsPublic));
  EXPECT_EQ(trace.keyInfo, b64(kKeyInfo));
  EXPECT_EQ(trace.prkKey, b64(kPrkKey));
  EXPECT_EQ(trace.ikm, b64(kIkm));
  EXPECT_EQ(trace.prk, b64(kPrk));
  EXPECT_EQ(trace.cekInfo, b64(kCekInfo));
  EXPECT_EQ(trace.cek, b64(kCek));
  EXPECT_EQ(trace.nonceInfo, b64(kNonceInfo));
  EXPECT_EQ(trace.nonce, b64(kNonce));
  EXPECT_EQ(trace.header, b64(kHeader));
  Bytes ciphertext(body->begin() + kPushHeaderSize, body->end());
  EXPECT_EQ(ciphertext, b64(kCiphertext));
  EXPECT_EQ(base64UrlEncode(*body), kBody);
}

TEST(PushEncryption, TheRfcMessageDecryptsOnTheUserAgentSide) {
  // Checks the test's own decryptor against the RFC before trusting it for the round trips.
  test::Pkey ua = test::privateKeyFromScalar(b64(kUaPrivate), b64(kUaPublic));
  ASSERT_TRUE(ua);
  std::optional<Bytes> plaintext = test::decryptPushBody(b64(kBody), ua.get(), b64(kUaPublic), b64(kAuthSecret));
  ASSERT_TRUE(plaintext.has_value());
  EXPECT_EQ(*plaintext, test::bytesOf(kPlaintext));
}

TEST(PushEncryption, RoundTripsWithRandomKeys) {
  test::UserAgent agent = test::UserAgent::generate();
  Result<SubscriptionKeys> keys = parseSubscriptionKeys(agent.p256dhBase64Url(), agent.authBase64Url());
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  for (size_t size : {size_t{0}, size_t{1}, size_t{100}, kMaxPushPlaintext}) {
    Bytes plaintext(size);
    for (size_t i = 0; i < size; ++i) plaintext[i] = static_cast<uint8_t>(i * 7 + 3);
    Result<std::vector<uint8_t>> body = encryptPushPayload(*keys, plaintext);
    ASSERT_TRUE(body.ok()) << body.error().message;
    // RFC 8188 section 2.1 header: rs = 4096, idlen = 65, keyid = an uncompressed point.
    ASSERT_EQ(body->size(), kPushHeaderSize + size + 1 + 16);
    EXPECT_EQ(Bytes(body->begin() + 16, body->begin() + 21), (Bytes{0x00, 0x00, 0x10, 0x00, 65}));
    EXPECT_EQ((*body)[21], 0x04);
    EXPECT_LE(body->size(), 4096u);
    std::optional<Bytes> decrypted = test::decryptPushBody(*body, agent.key.get(), agent.p256dh, agent.auth);
    ASSERT_TRUE(decrypted.has_value()) << "size " << size;
    EXPECT_EQ(*decrypted, plaintext);
  }
}

TEST(PushEncryption, EveryMessageHasAFreshSaltAndSenderKey) {
  test::UserAgent agent = test::UserAgent::generate();
  Result<SubscriptionKeys> keys = parseSubscriptionKeys(agent.p256dhBase64Url(), agent.authBase64Url());
  ASSERT_TRUE(keys.ok());
  Result<std::vector<uint8_t>> first = encryptPushPayload(*keys, asSpan("same"));
  Result<std::vector<uint8_t>> second = encryptPushPayload(*keys, asSpan("same"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(Bytes(first->begin(), first->begin() + 16), Bytes(second->begin(), second->begin() + 16));
  EXPECT_NE(Bytes(first->begin() + 21, first->begin() + 86), Bytes(second->begin() + 21, second->begin() + 86));
}

TEST(PushEncryption, TamperedBodyDoesNotDecrypt) {
  test::UserAgent agent = test::UserAgent::generate();
  Result<SubscriptionKeys> keys = parseSubscriptionKeys(agent.p256dhBase64Url(), agent.authBase64Url());
  ASSERT_TRUE(keys.ok());
  Result<std::vector<uint8_t>> body = encryptPushPayload(*keys, asSpan("hello"));
  ASSERT_TRUE(body.ok());
  Bytes tampered = *body;
  tampered[kPushHeaderSize] ^= 0x01;
  EXPECT_FALSE(test::decryptPushBody(tampered, agent.key.get(), agent.p256dh, agent.auth).has_value());
  test::UserAgent other = test::UserAgent::generate();
  EXPECT_FALSE(test::decryptPushBody(*body, agent.key.get(), agent.p256dh, other.auth).has_value());
}

TEST(PushEncryption, RejectsPlaintextOverTheLimit) {
  test::UserAgent agent = test::UserAgent::generate();
  Result<SubscriptionKeys> keys = parseSubscriptionKeys(agent.p256dhBase64Url(), agent.authBase64Url());
  ASSERT_TRUE(keys.ok());
  Result<std::vector<uint8_t>> body = encryptPushPayload(*keys, Bytes(kMaxPushPlaintext + 1));
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().code, ErrorCode::PayloadTooLarge);
  EXPECT_TRUE(encryptPushPayload(*keys, Bytes(kMaxPushPlaintext)).ok());
}

TEST(PushEncryption, ParsesSubscriptionKeysStrictly) {
  EXPECT_TRUE(parseSubscriptionKeys(kUaPublic, kAuthSecret).ok());
  // Padded base64url, as some libraries send it.
  EXPECT_TRUE(parseSubscriptionKeys(std::string(kUaPublic) + "=", std::string(kAuthSecret) + "==").ok());

  Result<SubscriptionKeys> shortAuth = parseSubscriptionKeys(kUaPublic, "BTBZMqHH6r4Tts7J");
  ASSERT_FALSE(shortAuth.ok());
  EXPECT_EQ(shortAuth.error().field, "auth");

  Bytes offCurve = b64(kUaPublic);
  offCurve.back() ^= 0x01;  // y no longer matches x
  Result<SubscriptionKeys> bad = parseSubscriptionKeys(base64UrlEncode(offCurve), kAuthSecret);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "p256dh");

  Bytes compressed = b64(kUaPublic);
  compressed[0] = 0x02;
  EXPECT_FALSE(parseSubscriptionKeys(base64UrlEncode(compressed), kAuthSecret).ok());
  EXPECT_FALSE(parseSubscriptionKeys("not base64!", kAuthSecret).ok());
  EXPECT_FALSE(parseSubscriptionKeys("", kAuthSecret).ok());
}

}  // namespace
}  // namespace fluxmeet::push
