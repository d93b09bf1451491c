#include "fluxmeet/media/router/sequence_rewriter.hpp"

#include <gtest/gtest.h>

namespace fluxmeet::media::router {
namespace {

TEST(SequenceRewriterTest, NothingMapsBeforeTheFirstSync) {
  SequenceRewriter rewriter;
  EXPECT_FALSE(rewriter.map(5));
}

TEST(SequenceRewriterTest, ContinuesTheOutputAcrossSyncs) {
  SequenceRewriter rewriter;
  rewriter.sync(1000, 50);
  EXPECT_EQ(rewriter.map(1000), 50);
  EXPECT_EQ(rewriter.map(1001), 51);
  // Resumed after a pause (same stream, the numbers went on meanwhile).
  rewriter.sync(1100, 52);
  EXPECT_EQ(rewriter.map(1100), 52);
  EXPECT_EQ(rewriter.map(1101), 53);
  EXPECT_FALSE(rewriter.map(1002)) << "a late packet of the previous run has no place";
  EXPECT_FALSE(rewriter.map(1099)) << "nor one just before the new run's start";
  // Another layer (its own numbers): the consumer never mixes the two streams' packets.
  rewriter.sync(7, 54);
  EXPECT_EQ(rewriter.map(7), 54);
}

TEST(SequenceRewriterTest, LatePacketTakesTheSlotItsGapLeft) {
  SequenceRewriter rewriter;
  rewriter.sync(10, 100);
  EXPECT_EQ(rewriter.map(10), 100);
  EXPECT_EQ(rewriter.map(12), 102);  // 11 lost
  EXPECT_EQ(rewriter.map(13), 103);
  EXPECT_EQ(rewriter.map(11), 101);  // repaired
}

TEST(SequenceRewriterTest, DropsOfTheNewestCloseTheGapAndLatePacketsStillFit) {
  SequenceRewriter rewriter;
  rewriter.sync(10, 100);
  EXPECT_EQ(rewriter.map(10), 100);
  EXPECT_EQ(rewriter.map(12), 102);  // 11 lost for now
  EXPECT_EQ(rewriter.map(13), 103);
  rewriter.drop(13);  // a temporal layer not forwarded
  EXPECT_EQ(rewriter.map(14), 103);
  rewriter.drop(14);
  EXPECT_EQ(rewriter.map(15), 103);
  EXPECT_EQ(rewriter.map(16), 104);
  // The repair of 11 goes where 11 belonged, before the drops.
  EXPECT_EQ(rewriter.map(11), 101);
  // A late copy of a dropped packet has no slot any more.
  EXPECT_FALSE(rewriter.map(13));
  // Dropping a late packet leaves its hole: the packets after it were sent
  // already.
  EXPECT_EQ(rewriter.map(17), 105);
  EXPECT_EQ(rewriter.map(16), 104);
  rewriter.drop(16);
  EXPECT_EQ(rewriter.map(18), 106);
}

TEST(SequenceRewriterTest, WrapsAroundBothNumberSpaces) {
  SequenceRewriter rewriter;
  rewriter.sync(65534, 65535);
  EXPECT_EQ(rewriter.map(65534), 65535);
  EXPECT_EQ(rewriter.map(0), 1);  // 65535 lost
  rewriter.drop(0);
  EXPECT_EQ(rewriter.map(1), 1);
  EXPECT_EQ(rewriter.map(65535), 0) << "the late packet across the wrap";
}

TEST(SequenceRewriterTest, PacketsOlderThanTheHistoryAreRefused) {
  SequenceRewriter rewriter;
  rewriter.sync(0, 0);
  for (uint16_t s = 0; s < SequenceRewriter::kHistory + 5; ++s) ASSERT_TRUE(rewriter.map(s));
  EXPECT_TRUE(rewriter.map(10));
  EXPECT_FALSE(rewriter.map(4));
}

}  // namespace
}  // namespace fluxmeet::media::router
