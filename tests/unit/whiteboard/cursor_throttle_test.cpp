#include "fluxmeet/whiteboard/cursor_throttle.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace fluxmeet::whiteboard {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const CursorThrottle::TimePoint kStart{};

json at(double x) { return {{"x", x}, {"y", 0}}; }

TEST(CursorThrottle, AtMostTwentyPerSecondPerPeer) {
  CursorThrottle throttle;
  std::vector<CursorThrottle::TimePoint> sends;
  // A pointer moving at 120 Hz for one second; the Room's timer fires exactly at nextDue().
  for (int i = 0; i < 120; ++i) {
    const auto now = kStart + i * 8333us;
    for (auto due = throttle.nextDue(); due && *due <= now; due = throttle.nextDue()) {
      for (std::size_t n = throttle.takeDue(*due).size(); n > 0; --n) sends.push_back(*due);
    }
    if (throttle.offer("alice", at(i), now)) sends.push_back(now);
  }
  EXPECT_EQ(sends.size(), 20u);  // at 0, 50, ..., 950 ms
  for (std::size_t i = 1; i < sends.size(); ++i) EXPECT_GE(sends[i] - sends[i - 1], 50ms);
  // Another peer has its own budget.
  EXPECT_TRUE(throttle.offer("bob", at(1), kStart + 10ms).has_value());
}

TEST(CursorThrottle, TheLastPositionIsDeliveredLate) {
  CursorThrottle throttle;
  ASSERT_TRUE(throttle.offer("alice", at(1), kStart).has_value());
  EXPECT_FALSE(throttle.offer("alice", at(2), kStart + 10ms).has_value());
  EXPECT_FALSE(throttle.offer("alice", at(3), kStart + 20ms).has_value());  // replaces x=2
  ASSERT_EQ(throttle.nextDue(), kStart + 50ms);
  EXPECT_TRUE(throttle.takeDue(kStart + 49ms).empty());
  const auto due = throttle.takeDue(kStart + 50ms);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].peerId, "alice");
  EXPECT_EQ(due[0].cursor, at(3));
  EXPECT_FALSE(throttle.nextDue().has_value());
  // The late delivery counts as a send.
  EXPECT_FALSE(throttle.offer("alice", at(4), kStart + 60ms).has_value());
  EXPECT_TRUE(throttle.offer("alice", at(5), kStart + 100ms).has_value());  // newer than the held x=4
  EXPECT_TRUE(throttle.takeDue(kStart + 200ms).empty());
}

TEST(CursorThrottle, ForgetDropsAPeer) {
  CursorThrottle throttle(100ms);
  ASSERT_TRUE(throttle.offer("alice", at(1), kStart).has_value());
  EXPECT_FALSE(throttle.offer("alice", at(2), kStart + 1ms).has_value());
  EXPECT_EQ(throttle.size(), 1u);
  throttle.forget("alice");
  EXPECT_EQ(throttle.size(), 0u);
  EXPECT_FALSE(throttle.nextDue().has_value());
  EXPECT_TRUE(throttle.offer("alice", at(3), kStart + 2ms).has_value());
}

}  // namespace
}  // namespace fluxmeet::whiteboard
