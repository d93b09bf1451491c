#include "fluxmeet/media/stun/stun_message.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "stun_vectors.hpp"

namespace fluxmeet::media::stun {
namespace {

using testing::kPassword;
using testing::kSampleIpv4Response;
using testing::kSampleIpv6Response;
using testing::kSampleRequest;

std::span<const uint8_t> bytesOf(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

TEST(StunMessage, Rfc5769SampleRequest) {
  auto msg = StunMessage::parse(kSampleRequest);
  ASSERT_TRUE(msg.has_value());
  EXPECT_EQ(msg->type(), type::kBindingRequest);
  EXPECT_EQ(msg->method(), 0x001);
  EXPECT_EQ(msg->messageClass(), StunClass::Request);
  const TransactionId tid = {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};
  EXPECT_EQ(msg->transactionIdCopy(), tid);
  EXPECT_EQ(msg->username(), "evtj:h6vY");
  EXPECT_EQ(msg->priority(), 0x6e0001ffU);
  EXPECT_EQ(msg->iceControlled(), 0x932ff9b151263b36ULL);
  EXPECT_FALSE(msg->iceControlling().has_value());
  EXPECT_FALSE(msg->useCandidate());
  auto software = msg->attribute(attr::kSoftware);
  ASSERT_TRUE(software.has_value());
  EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(software->data()), software->size()),
            "STUN test client");
  EXPECT_TRUE(msg->verifyMessageIntegrity(std::string_view(kPassword)));
  EXPECT_FALSE(msg->verifyMessageIntegrity(std::string_view("wrong password")));
  EXPECT_TRUE(msg->verifyFingerprint());
}

TEST(StunMessage, Rfc5769SampleIpv4Response) {
  auto msg = StunMessage::parse(kSampleIpv4Response);
  ASSERT_TRUE(msg.has_value());
  EXPECT_EQ(msg->messageClass(), StunClass::SuccessResponse);
  auto mapped = msg->xorMappedAddress();
  ASSERT_TRUE(mapped.has_value());
  EXPECT_EQ(mapped->family, AddressFamily::IPv4);
  EXPECT_EQ(mapped->port, 32853);
  EXPECT_EQ(mapped->bytes[0], 192);
  EXPECT_EQ(mapped->bytes[1], 0);
  EXPECT_EQ(mapped->bytes[2], 2);
  EXPECT_EQ(mapped->bytes[3], 1);
  EXPECT_TRUE(msg->verifyMessageIntegrity(std::string_view(kPassword)));
  EXPECT_TRUE(msg->verifyFingerprint());
}

TEST(StunMessage, Rfc5769SampleIpv6Response) {
  auto msg = StunMessage::parse(kSampleIpv6Response);
  ASSERT_TRUE(msg.has_value());
  auto mapped = msg->xorMappedAddress();
  ASSERT_TRUE(mapped.has_value());
  EXPECT_EQ(mapped->family, AddressFamily::IPv6);
  EXPECT_EQ(mapped->port, 32853);
  const std::array<uint8_t, 16> expected = {0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78,
                                            0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
  EXPECT_EQ(mapped->bytes, expected);
  EXPECT_TRUE(msg->verifyMessageIntegrity(bytesOf(kPassword)));
  EXPECT_TRUE(msg->verifyFingerprint());
}

TEST(StunMessage, CorruptedFingerprintRejected) {
  std::vector<uint8_t> data(kSampleRequest.begin(), kSampleRequest.end());
  data.back() ^= 0x01;
  auto msg = StunMessage::parse(data);
  ASSERT_TRUE(msg.has_value());
  EXPECT_FALSE(msg->verifyFingerprint());
  EXPECT_TRUE(msg->verifyMessageIntegrity(std::string_view(kPassword)));
}

TEST(StunMessage, CorruptedBodyFailsIntegrityAndFingerprint) {
  std::vector<uint8_t> data(kSampleRequest.begin(), kSampleRequest.end());
  data[44] ^= 0x80;  // inside PRIORITY
  auto msg = StunMessage::parse(data);
  ASSERT_TRUE(msg.has_value());
  EXPECT_FALSE(msg->verifyMessageIntegrity(std::string_view(kPassword)));
  EXPECT_FALSE(msg->verifyFingerprint());
}

TEST(StunMessage, CorruptedIntegrityRejected) {
  std::vector<uint8_t> data(kSampleIpv4Response.begin(), kSampleIpv4Response.end());
  data[52] ^= 0xFF;  // first MAC byte
  auto msg = StunMessage::parse(data);
  ASSERT_TRUE(msg.has_value());
  EXPECT_FALSE(msg->verifyMessageIntegrity(std::string_view(kPassword)));
}

TEST(StunMessage, TruncatedInputsRejected) {
  for (size_t n = 0; n < kSampleRequest.size(); ++n) {
    EXPECT_FALSE(StunMessage::parse(std::span(kSampleRequest).first(n)).has_value()) << n;
  }
}

TEST(StunMessage, MisalignedLengthRejected) {
  std::vector<uint8_t> data(kSampleRequest.begin(), kSampleRequest.end());
  data[3] = 0x57;  // 87: not a multiple of 4
  data.pop_back();
  EXPECT_FALSE(StunMessage::parse(data).has_value());
}

TEST(StunMessage, HeaderChecks) {
  std::vector<uint8_t> data(kSampleRequest.begin(), kSampleRequest.end());
  data[4] = 0x00;  // bad magic cookie
  EXPECT_FALSE(StunMessage::parse(data).has_value());
  data = {kSampleRequest.begin(), kSampleRequest.end()};
  data[0] |= 0x40;  // top bits must be zero
  EXPECT_FALSE(StunMessage::parse(data).has_value());
  data = {kSampleRequest.begin(), kSampleRequest.end()};
  data.insert(data.end(), {0, 0, 0, 0});  // buffer longer than the length field says
  EXPECT_FALSE(StunMessage::parse(data).has_value());
}

TEST(StunMessage, AttributeOverrunRejected) {
  std::vector<uint8_t> data(kSampleRequest.begin(), kSampleRequest.end());
  data[23] = 0x60;  // SOFTWARE length runs past the end
  EXPECT_FALSE(StunMessage::parse(data).has_value());
}

TEST(StunMessage, FingerprintMustBeLast) {
  // Header + FINGERPRINT + PRIORITY.
  std::vector<uint8_t> data = {0x00, 0x01, 0x00, 0x10, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4, 5, 6,
                               7,    8,    9,    10,   11,   12,   0x80, 0x28, 0x00, 0x04, 0, 0,
                               0,    0,    0x00, 0x24, 0x00, 0x04, 0, 0, 0, 1};
  EXPECT_FALSE(StunMessage::parse(data).has_value());
}

TEST(StunMessage, MinimalMessageHasNoAttributes) {
  std::vector<uint8_t> data = {0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 1, 2,
                               3,    4,    5,    6,    7,    8,    9,    10,   11, 12};
  auto msg = StunMessage::parse(data);
  ASSERT_TRUE(msg.has_value());
  EXPECT_FALSE(msg->username().has_value());
  EXPECT_FALSE(msg->hasMessageIntegrity());
  EXPECT_FALSE(msg->verifyMessageIntegrity(std::string_view(kPassword)));
  EXPECT_FALSE(msg->verifyFingerprint());
}

}  // namespace
}  // namespace fluxmeet::media::stun
