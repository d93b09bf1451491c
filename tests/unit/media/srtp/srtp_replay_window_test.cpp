#include "fluxmeet/media/srtp/srtp_replay_window.hpp"

#include <gtest/gtest.h>

namespace fluxmeet::media::srtp {
namespace {

using Verdict = ReplayWindow::Verdict;

TEST(ReplayWindowTest, EmptyAcceptsAnything) {
  ReplayWindow window;
  EXPECT_TRUE(window.empty());
  EXPECT_EQ(window.check(0), Verdict::New);
  EXPECT_EQ(window.check(123456789), Verdict::New);
}

TEST(ReplayWindowTest, DuplicatesAndReorderingInsideTheWindow) {
  ReplayWindow window;
  window.accept(5000);
  EXPECT_EQ(window.highest(), 5000u);
  EXPECT_EQ(window.check(5000), Verdict::Duplicate);
  EXPECT_EQ(window.check(4999), Verdict::New);  // late but never seen
  window.accept(4999);
  EXPECT_EQ(window.check(4999), Verdict::Duplicate);
  window.accept(5003);  // a gap: 5001, 5002 still welcome
  EXPECT_EQ(window.check(5001), Verdict::New);
  EXPECT_EQ(window.check(5002), Verdict::New);
  EXPECT_EQ(window.check(5000), Verdict::Duplicate);
  EXPECT_EQ(window.check(5003), Verdict::Duplicate);
}

TEST(ReplayWindowTest, OlderThanTheWindowIsTooOld) {
  ReplayWindow window;
  window.accept(10000);
  EXPECT_EQ(window.check(10000 - ReplayWindow::kSize + 1), Verdict::New);
  EXPECT_EQ(window.check(10000 - ReplayWindow::kSize), Verdict::TooOld);
  window.accept(10000 - ReplayWindow::kSize);  // ignored
  EXPECT_EQ(window.highest(), 10000u);
}

TEST(ReplayWindowTest, SlidingForgetsTheBitsItPassesOver) {
  ReplayWindow window;
  for (uint64_t i = 0; i < 3000; i += 2) window.accept(i);  // every even index
  for (uint64_t i = 3000 - ReplayWindow::kSize + 2; i < 3000; ++i) {
    EXPECT_EQ(window.check(i), i % 2 == 0 ? Verdict::Duplicate : Verdict::New) << i;
  }
  // A jump of more than the window clears everything; one of exactly 64 crosses a word.
  window.accept(10000);
  EXPECT_EQ(window.check(9999), Verdict::New);
  window.accept(10064);
  EXPECT_EQ(window.check(10000), Verdict::Duplicate);
  EXPECT_EQ(window.check(10001), Verdict::New);
  // The bit positions of old indices are reused by new ones, not inherited.
  window.accept(10000 + ReplayWindow::kSize);
  EXPECT_EQ(window.check(10064), Verdict::Duplicate);
  EXPECT_EQ(window.check(10065), Verdict::New);
  EXPECT_EQ(window.check(10000), Verdict::TooOld);
}

}  // namespace
}  // namespace fluxmeet::media::srtp
