#include "fluxmeet/media/srtp/srtp_stream_table.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace fluxmeet::media::srtp {
namespace {

SrtpStream streamOf(uint32_t ssrc, uint32_t marker = 0) {
  SrtpStream stream;
  stream.ssrc = ssrc;
  stream.nextSrtcpIndex = marker;
  return stream;
}

TEST(SrtpStreamTableTest, FindInsertRemove) {
  SrtpStreamTable table;
  EXPECT_EQ(table.find(1), nullptr);
  table.insert(streamOf(1, 11));
  table.insert(streamOf(2, 22));
  ASSERT_NE(table.find(1), nullptr);
  EXPECT_EQ(table.find(1)->nextSrtcpIndex, 11u);
  EXPECT_EQ(table.find(2)->nextSrtcpIndex, 22u);
  EXPECT_TRUE(table.remove(1));
  EXPECT_FALSE(table.remove(1));
  EXPECT_EQ(table.find(1), nullptr);
  EXPECT_EQ(table.find(2)->nextSrtcpIndex, 22u);
  EXPECT_EQ(table.size(), 1u);
}

TEST(SrtpStreamTableTest, GrowsAndSurvivesRandomRemovals) {
  // Colliding probe chains, growth from 8, and backward-shift deletion against a reference set.
  SrtpStreamTable table;
  std::set<uint32_t> reference;
  std::mt19937 random(42);
  for (int step = 0; step < 20000; ++step) {
    const uint32_t ssrc = random() % 700;  // dense keys: many collisions
    if (random() % 3 == 0) {
      EXPECT_EQ(table.remove(ssrc), reference.erase(ssrc) == 1);
    } else if (table.find(ssrc) == nullptr) {
      ASSERT_EQ(reference.count(ssrc), 0u);
      if (reference.size() < SrtpStreamTable::kMaxStreams) {
        table.insert(streamOf(ssrc, ssrc * 3));
        reference.insert(ssrc);
      }
    }
  }
  EXPECT_EQ(table.size(), reference.size());
  for (uint32_t ssrc = 0; ssrc < 700; ++ssrc) {
    SrtpStream* stream = table.find(ssrc);
    ASSERT_EQ(stream != nullptr, reference.count(ssrc) == 1) << ssrc;
    if (stream) {
      EXPECT_EQ(stream->nextSrtcpIndex, ssrc * 3);
    }
  }
}

TEST(SrtpStreamTableTest, FullTableEvictsTheLeastRecentlyUsed) {
  SrtpStreamTable table;
  for (uint32_t ssrc = 1; ssrc <= SrtpStreamTable::kMaxStreams; ++ssrc) table.insert(streamOf(ssrc));
  ASSERT_NE(table.find(1), nullptr);  // 1 is now the most recent, 2 the least
  table.insert(streamOf(0xFFFF0000));
  EXPECT_EQ(table.size(), SrtpStreamTable::kMaxStreams);
  EXPECT_EQ(table.find(2), nullptr);
  EXPECT_NE(table.find(1), nullptr);
  EXPECT_NE(table.find(3), nullptr);
  EXPECT_NE(table.find(0xFFFF0000), nullptr);
}

}  // namespace
}  // namespace fluxmeet::media::srtp
