#include "fluxmeet/common/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fluxmeet {
namespace {

using namespace std::chrono_literals;
using TimePoint = RateLimiter::TimePoint;

const TimePoint kStart = TimePoint{} + 1000h;

TEST(RateLimiterTest, AllowsUpToLimitThenDeniesWithRetryAfter) {
  RateLimiter limiter(5, 60s);
  for (int i = 0; i < 5; ++i) {
    const auto decision = limiter.take("1.2.3.4", kStart);
    EXPECT_TRUE(decision.allowed) << i;
    EXPECT_EQ(decision.retryAfterSeconds, 0);
  }
  const auto denied = limiter.take("1.2.3.4", kStart);
  EXPECT_FALSE(denied.allowed);
  // One event refills every 60 s / 5 = 12 s.
  EXPECT_EQ(denied.retryAfterSeconds, 12);
  // Keys are independent.
  EXPECT_TRUE(limiter.take("5.6.7.8", kStart).allowed);
}

TEST(RateLimiterTest, RetryAfterIsHonest) {
  RateLimiter limiter(3, 60s);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.take("k", kStart).allowed);
  const auto denied = limiter.take("k", kStart + 5s);
  ASSERT_FALSE(denied.allowed);
  EXPECT_EQ(denied.retryAfterSeconds, 15);  // refill at kStart + 20 s
  EXPECT_FALSE(limiter.take("k", kStart + 19s).allowed);
  EXPECT_EQ(limiter.take("k", kStart + 19500ms).retryAfterSeconds, 1);  // rounded up, never 0
  EXPECT_TRUE(limiter.take("k", kStart + 20s).allowed);
  EXPECT_FALSE(limiter.take("k", kStart + 20s).allowed);
}

TEST(RateLimiterTest, AllowsFullBurstAgainAfterWindow) {
  RateLimiter limiter(4, 10s);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(limiter.take("k", kStart).allowed);
  ASSERT_FALSE(limiter.take("k", kStart + 1s).allowed);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(limiter.take("k", kStart + 10s).allowed) << i;
  EXPECT_FALSE(limiter.take("k", kStart + 10s).allowed);
}

TEST(RateLimiterTest, NoDoubleBurstAcrossWindowBoundary) {
  // A fixed window would allow 2 * limit around the boundary; this limiter does not.
  RateLimiter limiter(10, 60s);
  int allowed = 0;
  for (int i = 0; i < 100; ++i) allowed += limiter.take("k", kStart + 59s).allowed ? 1 : 0;
  for (int i = 0; i < 100; ++i) allowed += limiter.take("k", kStart + 61s).allowed ? 1 : 0;
  EXPECT_EQ(allowed, 10);
}

TEST(RateLimiterTest, DeniedEventsAreNotCounted) {
  RateLimiter limiter(1, 10s);
  ASSERT_TRUE(limiter.take("k", kStart).allowed);
  for (int i = 0; i < 50; ++i) ASSERT_FALSE(limiter.take("k", kStart + 5s).allowed);
  EXPECT_TRUE(limiter.take("k", kStart + 10s).allowed);
}

TEST(RateLimiterTest, ResetForgetsKey) {
  RateLimiter limiter(2, 60s);
  ASSERT_TRUE(limiter.take("user", kStart).allowed);
  ASSERT_TRUE(limiter.take("user", kStart).allowed);
  ASSERT_FALSE(limiter.take("user", kStart).allowed);
  limiter.reset("user");
  EXPECT_EQ(limiter.size(), 0u);
  EXPECT_TRUE(limiter.take("user", kStart).allowed);
  limiter.reset("unknown");  // no effect, no crash
  EXPECT_EQ(limiter.size(), 1u);
}

TEST(RateLimiterTest, MemoryStaysBoundedAndEvictsOldest) {
  RateLimiter limiter(1, 60s, 100);
  for (int i = 0; i < 10000; ++i) {
    ASSERT_TRUE(limiter.take("key" + std::to_string(i), kStart + std::chrono::milliseconds(i)).allowed);
    ASSERT_LE(limiter.size(), 100u);
  }
  EXPECT_EQ(limiter.size(), 100u);
  // The most recent keys are still limited...
  EXPECT_FALSE(limiter.take("key9999", kStart + 10s).allowed);
  // ...the oldest were evicted and start afresh.
  EXPECT_TRUE(limiter.take("key0", kStart + 10s).allowed);
  EXPECT_LE(limiter.size(), 100u);
}

TEST(RateLimiterTest, PrunesExpiredEntriesBeforeEvictingLiveOnes) {
  RateLimiter limiter(1, 10s, 3);
  ASSERT_TRUE(limiter.take("old", kStart).allowed);         // refilled at +10 s
  ASSERT_TRUE(limiter.take("live1", kStart + 9s).allowed);  // refilled at +19 s
  ASSERT_TRUE(limiter.take("live2", kStart + 9s).allowed);
  // At +12 s the table is full; "old" has expired and is pruned, the live keys stay limited.
  ASSERT_TRUE(limiter.take("new", kStart + 12s).allowed);
  EXPECT_EQ(limiter.size(), 3u);
  EXPECT_FALSE(limiter.take("live1", kStart + 12s).allowed);
  EXPECT_FALSE(limiter.take("live2", kStart + 12s).allowed);
}

TEST(RateLimiterTest, RecentlyUsedKeysSurviveEviction) {
  RateLimiter limiter(1, 60s, 2);
  ASSERT_TRUE(limiter.take("a", kStart).allowed);
  ASSERT_TRUE(limiter.take("b", kStart).allowed);
  ASSERT_FALSE(limiter.take("a", kStart + 1s).allowed);  // "a" becomes most recently used
  ASSERT_TRUE(limiter.take("c", kStart + 2s).allowed);   // evicts "b", the least recent
  EXPECT_FALSE(limiter.take("a", kStart + 3s).allowed);
  EXPECT_EQ(limiter.size(), 2u);
}

}  // namespace
}  // namespace fluxmeet
