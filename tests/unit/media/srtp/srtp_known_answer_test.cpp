// Known-answer check of SrtpSession (AES_CM_128_HMAC_SHA1_80) against an independent RFC 3711
// implementation written here with OpenSSL EVP: key derivation (section 4.3.1, verified first
// against the Appendix B.3 vector), AES counter mode (section 4.1.1) and HMAC-SHA1-80
// (section 4.2), for SRTP and SRTCP (section 3.4).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <string>
#include <vector>

#include "fluxmeet/media/srtp/srtp_session.hpp"

namespace fluxmeet::media::srtp {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes fromHex(std::string_view hex) {
  Bytes bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return bytes;
}

// RFC 3711 Appendix B.3.
const Bytes kMasterKey = fromHex("E1F97A0D3E018BE0D64FA32C06DE4139");
const Bytes kMasterSalt = fromHex("0EC675AD498AFEEBB6960B3AABE6");

// AES-128 in counter mode from a 16-byte initial counter block (RFC 3711 section 4.1.1: the
// low 16 bits count blocks; EVP's 128-bit big-endian counter agrees below 2^16 blocks).
Bytes aesCtr(const Bytes& key, const std::array<uint8_t, 16>& iv, const Bytes& input) {
  Bytes output(input.size());
  EVP_CIPHER_CTX* context = EVP_CIPHER_CTX_new();
  int written = 0;
  EXPECT_EQ(EVP_EncryptInit_ex(context, EVP_aes_128_ctr(), nullptr, key.data(), iv.data()), 1);
  EXPECT_EQ(EVP_EncryptUpdate(context, output.data(), &written, input.data(),
                              static_cast<int>(input.size())),
            1);
  EVP_CIPHER_CTX_free(context);
  return output;
}

// RFC 3711 section 4.3.1 with key_derivation_rate 0 (r = 0): x = (label || r) XOR master_salt,
// session key = AES-CM(master_key, x * 2^16) keystream.
Bytes deriveKey(uint8_t label, size_t length) {
  std::array<uint8_t, 16> iv{};
  std::copy(kMasterSalt.begin(), kMasterSalt.end(), iv.begin());
  iv[7] ^= label;  // key_id = label (8 bits) || r (48 bits), right-aligned in the 112-bit salt
  return aesCtr(kMasterKey, iv, Bytes(length, 0));
}

Bytes hmacSha1_80(const Bytes& key, const Bytes& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message.data(), message.size(),
       digest, &length);
  return Bytes(digest, digest + 10);
}

// RFC 3711 section 4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16).
std::array<uint8_t, 16> counterIv(const Bytes& sessionSalt, uint32_t ssrc, uint64_t index) {
  std::array<uint8_t, 16> iv{};
  std::copy(sessionSalt.begin(), sessionSalt.end(), iv.begin());
  for (int i = 0; i < 4; ++i) iv[4 + i] ^= static_cast<uint8_t>(ssrc >> (24 - 8 * i));
  for (int i = 0; i < 6; ++i) iv[8 + i] ^= static_cast<uint8_t>(index >> (40 - 8 * i));
  return iv;
}

std::unique_ptr<SrtpSession> outboundCm() {
  auto session = SrtpSession::create(SrtpDirection::Outbound, SrtpProfile::AesCm128HmacSha1_80,
                                     SrtpKeys{kMasterKey, kMasterSalt});
  EXPECT_TRUE(session.ok());
  return std::move(session.value());
}

TEST(SrtpKnownAnswerTest, IndependentKeyDerivationMatchesRfc3711AppendixB3) {
  EXPECT_EQ(deriveKey(0x00, 16), fromHex("C61E7A93744F39EE10734AFE3FF7A087"));
  EXPECT_EQ(deriveKey(0x02, 14), fromHex("30CBBC08863D8C85D49DB34A9AE1"));
  EXPECT_EQ(deriveKey(0x01, 20), fromHex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
}

TEST(SrtpKnownAnswerTest, ProtectRtpMatchesIndependentAesCmAndHmacSha1) {
  const uint32_t ssrc = 0xCAFEBABE;
  const uint16_t sequence = 0x1234;
  Bytes header = {0x80, 0x60, 0x12, 0x34, 0xDE, 0xCA, 0xFB, 0xAD, 0xCA, 0xFE, 0xBA, 0xBE};
  Bytes payload(160);
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(i * 7 + 3);

  Bytes buffer = header;
  buffer.insert(buffer.end(), payload.begin(), payload.end());
  size_t length = buffer.size();
  buffer.resize(length + SrtpSession::kRtpTrailerRoom);
  auto session = outboundCm();
  ASSERT_EQ(session->protectRtp(buffer, length), SrtpStatus::Ok);
  ASSERT_EQ(length, header.size() + payload.size() + 10);

  // Expected: header in clear, payload XOR keystream, then HMAC-SHA1-80 over the header, the
  // ciphertext and the 32-bit ROC (0 for the first packet), RFC 3711 section 4.2.
  const Bytes cipherKey = deriveKey(0x00, 16);
  const Bytes sessionSalt = deriveKey(0x02, 14);
  const Bytes authKey = deriveKey(0x01, 20);
  Bytes expected = header;
  Bytes ciphertext = aesCtr(cipherKey, counterIv(sessionSalt, ssrc, sequence), payload);
  expected.insert(expected.end(), ciphertext.begin(), ciphertext.end());
  Bytes authenticated = expected;
  authenticated.insert(authenticated.end(), {0, 0, 0, 0});
  Bytes tag = hmacSha1_80(authKey, authenticated);
  expected.insert(expected.end(), tag.begin(), tag.end());

  EXPECT_EQ(Bytes(buffer.begin(), buffer.begin() + static_cast<long>(length)), expected);
}

TEST(SrtpKnownAnswerTest, ProtectRtcpMatchesIndependentAesCmAndHmacSha1) {
  // A receiver report with one report block: 8-byte fixed part stays clear (section 3.4).
  Bytes packet = {0x81, 0xC9, 0x00, 0x07, 0x11, 0x22, 0x33, 0x44};
  for (int i = 0; i < 24; ++i) packet.push_back(static_cast<uint8_t>(0xA0 + i));
  const uint32_t ssrc = 0x11223344;

  Bytes buffer = packet;
  size_t length = buffer.size();
  buffer.resize(length + SrtpSession::kRtcpTrailerRoom);
  auto session = outboundCm();
  ASSERT_EQ(session->protectRtcp(buffer, length), SrtpStatus::Ok);
  ASSERT_EQ(length, packet.size() + 4 + 10);

  // E flag and the 31-bit SRTCP index the sender chose, read back from the trailer.
  const size_t trailer = packet.size();
  ASSERT_EQ(buffer[trailer] & 0x80, 0x80);  // encrypted
  const uint32_t index = (uint32_t{buffer[trailer] & 0x7Fu} << 24) | (buffer[trailer + 1] << 16) |
                         (buffer[trailer + 2] << 8) | buffer[trailer + 3];
  EXPECT_LT(index, 2u);  // the first packet

  const Bytes cipherKey = deriveKey(0x03, 16);  // SRTCP labels, section 4.3.2
  const Bytes authKey = deriveKey(0x04, 20);
  const Bytes sessionSalt = deriveKey(0x05, 14);
  Bytes expected(packet.begin(), packet.begin() + 8);
  Bytes body(packet.begin() + 8, packet.end());
  Bytes ciphertext = aesCtr(cipherKey, counterIv(sessionSalt, ssrc, index), body);
  expected.insert(expected.end(), ciphertext.begin(), ciphertext.end());
  expected.insert(expected.end(), buffer.begin() + static_cast<long>(trailer),
                  buffer.begin() + static_cast<long>(trailer) + 4);
  Bytes tag = hmacSha1_80(authKey, expected);  // covers header, ciphertext, E || index
  expected.insert(expected.end(), tag.begin(), tag.end());

  EXPECT_EQ(Bytes(buffer.begin(), buffer.begin() + static_cast<long>(length)), expected);
}

}  // namespace
}  // namespace fluxmeet::media::srtp
