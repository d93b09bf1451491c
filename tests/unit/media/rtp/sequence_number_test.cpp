#include "fluxmeet/media/rtp/sequence_number.hpp"

#include <gtest/gtest.h>

namespace fluxmeet::media::rtp {
namespace {

TEST(SequenceNumber, NewerAcrossWrap) {
  EXPECT_TRUE(isNewerSequence(1, 0));
  EXPECT_FALSE(isNewerSequence(0, 1));
  EXPECT_FALSE(isNewerSequence(5, 5));
  EXPECT_TRUE(isNewerSequence(0, 65535));
  EXPECT_TRUE(isNewerSequence(10, 65530));
  EXPECT_FALSE(isNewerSequence(65530, 10));
  EXPECT_TRUE(isNewerSequence(0x8000, 0));  // exactly half apart: larger wins
  EXPECT_FALSE(isNewerSequence(0, 0x8000));
  EXPECT_TRUE(isNewerTimestamp(100, 0xFFFFFF00U));
  EXPECT_FALSE(isNewerTimestamp(0xFFFFFF00U, 100));
}

TEST(SequenceNumber, SerialDiff) {
  EXPECT_EQ(serialDiff<uint16_t>(2, 65534), 4);
  EXPECT_EQ(serialDiff<uint16_t>(65534, 2), -4);
  EXPECT_EQ(serialDiff<uint32_t>(5, 0xFFFFFFFFU), 6);
}

TEST(SequenceNumber, UnwrapsForwardAndReordered) {
  SequenceUnwrapper unwrapper;
  EXPECT_EQ(unwrapper.unwrap(65534), 65534);
  EXPECT_EQ(unwrapper.unwrap(65535), 65535);
  EXPECT_EQ(unwrapper.unwrap(0), 65536);
  EXPECT_EQ(unwrapper.unwrap(65533), 65533);  // late packet from before the wrap
  EXPECT_EQ(unwrapper.unwrap(3), 65539);
  for (int i = 0; i < 5 * 65536; i += 1000) {
    unwrapper.unwrap(static_cast<uint16_t>(65539 + i));
  }
  EXPECT_GT(unwrapper.unwrap(0), 5 * 65536);
  TimestampUnwrapper ts;
  EXPECT_EQ(ts.unwrap(0xFFFFFFF0U), 0xFFFFFFF0LL);
  EXPECT_EQ(ts.unwrap(0x10), 0x100000010LL);
}

}  // namespace
}  // namespace fluxmeet::media::rtp
