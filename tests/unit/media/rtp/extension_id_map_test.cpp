#include "fluxmeet/media/rtp/extension_id_map.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace fluxmeet::media::rtp {
namespace {

// Header (12) + one-byte extension block: id 3 (1 byte) then id 5 (2 bytes) then padding.
std::vector<uint8_t> packetWithOneByteExtensions() {
  return {0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9,  // V=2, X=1, PT 96, seq 1, ts 1, ssrc 9
          0xBE, 0xDE, 0, 2,                         // profile, 2 words
          0x30, 0xAA, 0x51, 0xBB, 0xCC, 0, 0, 0,    // id 3 len 1, id 5 len 2, padding
          0x01, 0x02};                              // payload
}

TEST(ExtensionIdMap, RenumbersKnownIdsAndParksUnknownOnesWithoutHidingTheRest) {
  auto bytes = packetWithOneByteExtensions();
  auto packet = RtpPacketView::parse(bytes);
  ASSERT_TRUE(packet);
  ExtensionIdMap map(/*unknownId=*/14);
  map.set(5, 7);  // 3 is not negotiated downstream
  map.apply(*packet);
  EXPECT_FALSE(packet->findExtension(3));
  const auto parked = packet->findExtension(14);
  ASSERT_TRUE(parked);
  EXPECT_EQ((*parked)[0], 0xAA);
  // The element after the unknown one is still found: an unknown element must not become id 15,
  // which ends parsing (RFC 8285 section 4.2).
  const auto moved = packet->findExtension(7);
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->size(), 2u);
  EXPECT_EQ((*moved)[0], 0xBB);
  EXPECT_EQ(packet->payload().size(), 2u);
}

TEST(ExtensionIdMap, TwoByteElementsAreRenumberedToo) {
  std::vector<uint8_t> bytes{0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9,  //
                             0x10, 0x00, 0, 1,                          // two-byte profile, 1 word
                             20, 1, 0x42, 0,                            // id 20 len 1, padding
                             0x01};
  auto packet = RtpPacketView::parse(bytes);
  ASSERT_TRUE(packet);
  ExtensionIdMap map(14);
  map.set(20, 4);
  map.apply(*packet);
  const auto value = packet->findExtension(4);
  ASSERT_TRUE(value);
  EXPECT_EQ((*value)[0], 0x42);
}

}  // namespace
}  // namespace fluxmeet::media::rtp
