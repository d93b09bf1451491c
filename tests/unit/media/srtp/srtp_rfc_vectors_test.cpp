// Published test vectors through our OpenSSL SRTP implementation:
//   RFC 3711 appendix B.2 (AES-CM keystream) and B.3 (key derivation),
//   RFC 7714 section 16.1.1 (AEAD_AES_128_GCM SRTP) and 17.1.1 (SRTCP) example packets, which
//   give session keys directly,
//   libsrtp's srtp_driver AES_CM_128_HMAC_SHA1_80 packet (master key in: KDF + AES-CM + HMAC).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fluxmeet/media/srtp/srtp_key_derivation.hpp"
#include "fluxmeet/media/srtp/srtp_session.hpp"

namespace fluxmeet::media::srtp {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes fromHex(std::string_view hex) {
  std::string digits;
  for (char c : hex) {
    if (c != ' ' && c != '\n') digits.push_back(c);
  }
  Bytes bytes;
  for (size_t i = 0; i + 1 < digits.size(); i += 2) {
    bytes.push_back(static_cast<uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

std::unique_ptr<SrtpSession> withSessionKeys(SrtpDirection direction, SrtpProfile profile,
                                             const SrtpSessionKeys& keys) {
  auto session = SrtpSession::createWithSessionKeys(direction, profile, keys, keys);
  EXPECT_TRUE(session.ok());
  return session.ok() ? std::move(session.value()) : nullptr;
}

// Runs `call` on a copy of `input` with trailer room; returns the resulting bytes.
template <class Call>
Bytes apply(const Bytes& input, SrtpStatus expected, Call call) {
  Bytes buffer = input;
  size_t length = buffer.size();
  buffer.resize(length + SrtpSession::kRtcpTrailerRoom);
  EXPECT_EQ(call(std::span<uint8_t>(buffer), length), expected);
  buffer.resize(length);
  return buffer;
}

TEST(SrtpRfcVectorsTest, Rfc3711B3KeyDerivation) {
  const SrtpKeys master{fromHex("E1F97A0D3E018BE0D64FA32C06DE4139"),
                        fromHex("0EC675AD498AFEEBB6960B3AABE6")};
  auto keys = deriveSrtpSessionKeys(SrtpProfile::AesCm128HmacSha1_80, master, SrtpKeyUse::Rtp);
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->encryptionKey, fromHex("C61E7A93744F39EE10734AFE3FF7A087"));
  EXPECT_EQ(keys->salt, fromHex("30CBBC08863D8C85D49DB34A9AE1"));
  // B.3 prints 94 bytes of the auth-key keystream; HMAC-SHA1 uses the first 160 bits.
  EXPECT_EQ(keys->authKey, fromHex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));

  EXPECT_FALSE(deriveSrtpSessionKeys(SrtpProfile::AeadAes128Gcm, master, SrtpKeyUse::Rtp).ok());
}

TEST(SrtpRfcVectorsTest, Rfc3711B2AesCmKeystream) {
  // Session key and salt as given, SSRC 0, ROC 0, SEQ 0: a zero payload encrypts to the
  // keystream itself (counter blocks F0F1...FD0000, ...0001, ...0002).
  const SrtpSessionKeys keys{fromHex("2B7E151628AED2A6ABF7158809CF4F3C"),
                             fromHex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), Bytes(20, 0)};
  auto sender = withSessionKeys(SrtpDirection::Outbound, SrtpProfile::AesCm128HmacSha1_80, keys);
  Bytes packet(12 + 48, 0);
  packet[0] = 0x80;
  const Bytes out = apply(packet, SrtpStatus::Ok, [&](auto buffer, size_t& length) {
    return sender->protectRtp(buffer, length);
  });
  ASSERT_EQ(out.size(), 12u + 48 + 10);
  EXPECT_EQ(Bytes(out.begin() + 12, out.begin() + 60),
            fromHex("E03EAD0935C95E80E166B16DD92B4EB4"
                    "D23513162B02D0F72A43A2FE4A5F97AB"
                    "41E95B3BB0A2E8DD477901E4FCA894C0"));
}

// RFC 7714 section 16: key 000102..0f, salt "Quid pro quo", SSRC 0x5501a0b2, SEQ 0xf17b, ROC 0,
// payload "Gallia est omnis divisa in partes tres".
const SrtpSessionKeys kGcmKeys{fromHex("000102030405060708090a0b0c0d0e0f"),
                               fromHex("517569642070726f2071756f"), {}};
const Bytes kGcmRtpPlain = fromHex(
    "8040f17b8041f8d35501a0b2"
    "47616c6c696120657374206f6d6e697320646976697361"
    "20696e207061727465732074726573");
const Bytes kGcmRtpProtected = fromHex(
    "8040f17b8041f8d35501a0b2"
    "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
    "899d7f27beb16a9152cf765ee4390cce");

TEST(SrtpRfcVectorsTest, Rfc7714AesGcmSrtpPacket) {
  auto sender = withSessionKeys(SrtpDirection::Outbound, SrtpProfile::AeadAes128Gcm, kGcmKeys);
  EXPECT_EQ(apply(kGcmRtpPlain, SrtpStatus::Ok,
                  [&](auto buffer, size_t& length) { return sender->protectRtp(buffer, length); }),
            kGcmRtpProtected);

  auto receiver = withSessionKeys(SrtpDirection::Inbound, SrtpProfile::AeadAes128Gcm, kGcmKeys);
  Bytes tampered = kGcmRtpProtected;
  tampered.back() ^= 0x01;
  apply(tampered, SrtpStatus::AuthFailed,
        [&](auto buffer, size_t& length) { return receiver->unprotectRtp(buffer, length); });
  EXPECT_EQ(apply(kGcmRtpProtected, SrtpStatus::Ok,
                  [&](auto buffer, size_t& length) { return receiver->unprotectRtp(buffer, length); }),
            kGcmRtpPlain);
}

// RFC 7714 section 17: a sender report from SSRC "Mars" with SRTCP index 0x5d4; the wire ends
// with the tag, then E || index (section 9.1).
const Bytes kGcmRtcpPlain = fromHex(
    "81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61"
    "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef");
const Bytes kGcmRtcpProtected = fromHex(
    "81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b46"
    "86303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade"
    "800005d4");

TEST(SrtpRfcVectorsTest, Rfc7714AesGcmSrtcpPacket) {
  auto sender = withSessionKeys(SrtpDirection::Outbound, SrtpProfile::AeadAes128Gcm, kGcmKeys);
  // Our sender numbers SRTCP packets of an SSRC from 0: spend indices 0 .. 0x5d3 first.
  for (int i = 0; i < 0x5d4; ++i) {
    apply(kGcmRtcpPlain, SrtpStatus::Ok,
          [&](auto buffer, size_t& length) { return sender->protectRtcp(buffer, length); });
  }
  EXPECT_EQ(apply(kGcmRtcpPlain, SrtpStatus::Ok,
                  [&](auto buffer, size_t& length) { return sender->protectRtcp(buffer, length); }),
            kGcmRtcpProtected);

  auto receiver = withSessionKeys(SrtpDirection::Inbound, SrtpProfile::AeadAes128Gcm, kGcmKeys);
  Bytes wrongIndex = kGcmRtcpProtected;
  wrongIndex.back() ^= 0x01;  // the index is authenticated (AAD)
  apply(wrongIndex, SrtpStatus::AuthFailed,
        [&](auto buffer, size_t& length) { return receiver->unprotectRtcp(buffer, length); });
  EXPECT_EQ(apply(kGcmRtcpProtected, SrtpStatus::Ok,
                  [&](auto buffer, size_t& length) { return receiver->unprotectRtcp(buffer, length); }),
            kGcmRtcpPlain);
}

TEST(SrtpRfcVectorsTest, LibsrtpDriverAesCmHmacSha1Packet) {
  // libsrtp test/srtp_driver.c: master key/salt of RFC 3711 B.3, SSRC 0xcafebabe, SEQ 0x1234.
  const SrtpKeys master{fromHex("e1f97a0d3e018be0d64fa32c06de4139"),
                        fromHex("0ec675ad498afeebb6960b3aabe6")};
  const Bytes plain = fromHex("800f1234decafbadcafebabeabababababababababababababababab");
  const Bytes wire = fromHex(
      "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");
  auto sender = SrtpSession::create(SrtpDirection::Outbound, SrtpProfile::AesCm128HmacSha1_80,
                                    master);
  auto receiver = SrtpSession::create(SrtpDirection::Inbound, SrtpProfile::AesCm128HmacSha1_80,
                                      master);
  ASSERT_TRUE(sender.ok() && receiver.ok());
  EXPECT_EQ(apply(plain, SrtpStatus::Ok,
                  [&](auto buffer, size_t& length) { return (*sender)->protectRtp(buffer, length); }),
            wire);
  EXPECT_EQ(apply(wire, SrtpStatus::Ok, [&](auto buffer, size_t& length) {
              return (*receiver)->unprotectRtp(buffer, length);
            }),
            plain);
}

}  // namespace
}  // namespace fluxmeet::media::srtp
