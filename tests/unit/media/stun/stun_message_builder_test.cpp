#include "fluxmeet/media/stun/stun_message_builder.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "stun_vectors.hpp"

namespace fluxmeet::media::stun {
namespace {

using testing::kPassword;
using testing::kSampleIpv4Response;
using testing::kSampleRequest;

TEST(StunMessageBuilder, ReproducesRfc5769Ipv4ResponseExactly) {
  // Rebuild the section 2.2 response attribute by attribute: every byte, including the MAC and
  // the CRC, must match the RFC.
  auto request = StunMessage::parse(kSampleRequest);
  ASSERT_TRUE(request.has_value());
  TransportAddress mapped;
  mapped.bytes = {192, 0, 2, 1};
  mapped.port = 32853;
  std::array<uint8_t, 128> buffer{};
  StunMessageBuilder builder(buffer, type::kBindingSuccess, request->transactionId());
  builder.addSoftware("test vector").addXorMappedAddress(mapped);
  // The RFC pads SOFTWARE with a space where we pad with zero (padding content is arbitrary,
  // RFC 8489 section 14); patch it before the MAC is computed.
  EXPECT_EQ(buffer[35], 0x00);
  buffer[35] = 0x20;
  builder.addMessageIntegrity(std::string_view(kPassword)).addFingerprint();
  auto size = builder.finish();
  ASSERT_TRUE(size.has_value());
  ASSERT_EQ(*size, kSampleIpv4Response.size());
  EXPECT_TRUE(std::equal(kSampleIpv4Response.begin(), kSampleIpv4Response.end(), buffer.begin()));
}

TEST(StunMessageBuilder, ResponseRoundTrip) {
  auto request = StunMessage::parse(kSampleRequest);
  ASSERT_TRUE(request.has_value());
  TransportAddress mapped;
  mapped.family = AddressFamily::IPv6;
  mapped.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42};
  mapped.port = 50000;
  std::array<uint8_t, 256> buffer{};
  auto size = StunMessageBuilder(buffer, type::kBindingSuccess, request->transactionId())
                  .addXorMappedAddress(mapped)
                  .addMessageIntegrity(std::string_view(kPassword))
                  .addFingerprint()
                  .finish();
  ASSERT_TRUE(size.has_value());
  auto msg = StunMessage::parse(std::span<const uint8_t>(buffer).first(*size));
  ASSERT_TRUE(msg.has_value());
  EXPECT_EQ(msg->messageClass(), StunClass::SuccessResponse);
  EXPECT_EQ(msg->transactionIdCopy(), request->transactionIdCopy());
  EXPECT_EQ(msg->xorMappedAddress(), mapped);
  EXPECT_TRUE(msg->verifyMessageIntegrity(std::string_view(kPassword)));
  EXPECT_TRUE(msg->verifyFingerprint());
}

TEST(StunMessageBuilder, RequestRoundTripWithIceAttributes) {
  const TransactionId tid = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  std::array<uint8_t, 256> buffer{};
  auto size = StunMessageBuilder(buffer, type::kBindingRequest, tid)
                  .addUsername("remote:local")
                  .addPriority(1845501695)
                  .addUseCandidate()
                  .addIceControlling(0x0102030405060708ULL)
                  .addMessageIntegrity(std::string_view("pwd"))
                  .addFingerprint()
                  .finish();
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(*size % 4, 0U);
  auto msg = StunMessage::parse(std::span<const uint8_t>(buffer).first(*size));
  ASSERT_TRUE(msg.has_value());
  EXPECT_EQ(msg->username(), "remote:local");
  EXPECT_EQ(msg->priority(), 1845501695U);
  EXPECT_TRUE(msg->useCandidate());
  EXPECT_EQ(msg->iceControlling(), 0x0102030405060708ULL);
  EXPECT_FALSE(msg->iceControlled().has_value());
  EXPECT_TRUE(msg->verifyMessageIntegrity(std::string_view("pwd")));
  EXPECT_FALSE(msg->verifyMessageIntegrity(std::string_view("pwe")));
  EXPECT_TRUE(msg->verifyFingerprint());
}

TEST(StunMessageBuilder, ErrorResponseRoundTrip) {
  const TransactionId tid{};
  std::array<uint8_t, 128> buffer{};
  auto size = StunMessageBuilder(buffer, type::kBindingError, tid)
                  .addErrorCode(487, "Role Conflict")
                  .addIceControlled(7)
                  .finish();
  ASSERT_TRUE(size.has_value());
  auto msg = StunMessage::parse(std::span<const uint8_t>(buffer).first(*size));
  ASSERT_TRUE(msg.has_value());
  EXPECT_EQ(msg->messageClass(), StunClass::ErrorResponse);
  auto error = msg->errorCode();
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, 487);
  EXPECT_EQ(error->reason, "Role Conflict");
  EXPECT_EQ(msg->iceControlled(), 7U);
}

TEST(StunMessageBuilder, BufferTooSmall) {
  const TransactionId tid{};
  std::array<uint8_t, 40> buffer{};
  auto size = StunMessageBuilder(buffer, type::kBindingRequest, tid)
                  .addUsername("a-rather-long-username:with-more")
                  .finish();
  EXPECT_FALSE(size.has_value());
  std::array<uint8_t, 10> tiny{};
  EXPECT_FALSE(StunMessageBuilder(tiny, type::kBindingRequest, tid).finish().has_value());
}

TEST(StunMessageBuilder, NothingButFingerprintAfterIntegrity) {
  const TransactionId tid{};
  std::array<uint8_t, 256> buffer{};
  StunMessageBuilder builder(buffer, type::kBindingRequest, tid);
  builder.addMessageIntegrity(std::string_view("k")).addPriority(1);
  EXPECT_FALSE(builder.finish().has_value());
  StunMessageBuilder second(buffer, type::kBindingRequest, tid);
  second.addFingerprint().addPriority(1);
  EXPECT_FALSE(second.finish().has_value());
}

}  // namespace
}  // namespace fluxmeet::media::stun
