#include "fluxmeet/push/retry_policy.hpp"

#include <gtest/gtest.h>

namespace fluxmeet::push {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RetryPolicy, ClassifiesPushServiceAnswers) {
  EXPECT_EQ(classifyPushStatus(201), ResponseClass::Delivered);
  EXPECT_EQ(classifyPushStatus(202), ResponseClass::Delivered);
  EXPECT_EQ(classifyPushStatus(200), ResponseClass::Delivered);
  EXPECT_EQ(classifyPushStatus(404), ResponseClass::Gone);
  EXPECT_EQ(classifyPushStatus(410), ResponseClass::Gone);
  EXPECT_EQ(classifyPushStatus(429), ResponseClass::Retry);
  EXPECT_EQ(classifyPushStatus(500), ResponseClass::Retry);
  EXPECT_EQ(classifyPushStatus(503), ResponseClass::Retry);
  EXPECT_EQ(classifyPushStatus(400), ResponseClass::Failed);
  EXPECT_EQ(classifyPushStatus(401), ResponseClass::Failed);
  EXPECT_EQ(classifyPushStatus(403), ResponseClass::Failed);
  EXPECT_EQ(classifyPushStatus(413), ResponseClass::Failed);
  EXPECT_EQ(classifyPushStatus(301), ResponseClass::Failed);
}

TEST(RetryPolicy, BacksOffExponentiallyUpToTheCapThenGivesUp) {
  RetryPolicy policy{.maxAttempts = 6, .initialDelay = milliseconds(1000), .multiplier = 2.0,
                     .maxDelay = milliseconds(10000), .jitter = 0.0};
  std::vector<milliseconds> schedule;
  for (int attempts = 1; attempts <= 6; ++attempts) {
    std::optional<milliseconds> delay = nextRetryDelay(policy, attempts, std::nullopt, 0.0);
    if (!delay) break;
    schedule.push_back(*delay);
  }
  EXPECT_EQ(schedule, (std::vector<milliseconds>{milliseconds(1000), milliseconds(2000), milliseconds(4000),
                                                 milliseconds(8000), milliseconds(10000)}));
}

TEST(RetryPolicy, OneAttemptMeansNoRetry) {
  RetryPolicy policy{.maxAttempts = 1};
  EXPECT_FALSE(nextRetryDelay(policy, 1, std::nullopt, 0.0).has_value());
  EXPECT_FALSE(nextRetryDelay(RetryPolicy{}, 0, std::nullopt, 0.0).has_value());
}

TEST(RetryPolicy, JitterOnlyShortensTheDelay) {
  RetryPolicy policy{.maxAttempts = 5, .initialDelay = milliseconds(1000), .multiplier = 2.0,
                     .maxDelay = milliseconds(60000), .jitter = 0.2};
  EXPECT_EQ(*nextRetryDelay(policy, 2, std::nullopt, 0.0), milliseconds(2000));
  EXPECT_EQ(*nextRetryDelay(policy, 2, std::nullopt, 0.5), milliseconds(1800));
  EXPECT_EQ(*nextRetryDelay(policy, 2, std::nullopt, 0.999), milliseconds(1600));
  // Out-of-range random values are clamped rather than trusted.
  EXPECT_EQ(*nextRetryDelay(policy, 2, std::nullopt, 7.0), milliseconds(1600));
  EXPECT_EQ(*nextRetryDelay(policy, 2, std::nullopt, -1.0), milliseconds(2000));
}

TEST(RetryPolicy, RetryAfterIsAFloorAndTooLongMeansGiveUp) {
  RetryPolicy policy{.maxAttempts = 5, .initialDelay = milliseconds(1000), .multiplier = 2.0,
                     .maxDelay = milliseconds(60000), .jitter = 0.2};
  EXPECT_EQ(*nextRetryDelay(policy, 1, seconds(30), 0.5), milliseconds(30000));  // not jittered below
  EXPECT_EQ(*nextRetryDelay(policy, 1, seconds(0), 0.0), milliseconds(1000));
  EXPECT_EQ(*nextRetryDelay(policy, 1, seconds(60), 0.0), milliseconds(60000));
  EXPECT_FALSE(nextRetryDelay(policy, 1, seconds(61), 0.0).has_value());
  EXPECT_FALSE(nextRetryDelay(policy, 5, seconds(1), 0.0).has_value());  // attempts exhausted anyway
}

TEST(RetryPolicy, ManyAttemptsDoNotOverflow) {
  RetryPolicy policy{.maxAttempts = 1000, .initialDelay = milliseconds(1000), .multiplier = 10.0,
                     .maxDelay = milliseconds(300000), .jitter = 0.0};
  EXPECT_EQ(*nextRetryDelay(policy, 999, std::nullopt, 0.0), milliseconds(300000));
}

TEST(RetryAfter, ParsesSecondsAndHttpDates) {
  const UnixTime now = 1445412450;  // 2015-10-21T07:27:30Z
  EXPECT_EQ(parseRetryAfter("120", now), seconds(120));
  EXPECT_EQ(parseRetryAfter(" 0 ", now), seconds(0));
  EXPECT_EQ(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now), seconds(30));   // IMF-fixdate
  EXPECT_EQ(parseRetryAfter("Wednesday, 21-Oct-15 07:28:00 GMT", now), seconds(30));  // RFC 850
  EXPECT_EQ(parseRetryAfter("Wed Oct 21 07:28:00 2015", now), seconds(30));         // asctime
  EXPECT_EQ(parseRetryAfter("Tue, 20 Oct 2015 07:28:00 GMT", now), seconds(0));     // in the past
  EXPECT_EQ(parseRetryAfter("99999999999999999999999", now), seconds(INT32_MAX));
  EXPECT_FALSE(parseRetryAfter("", now).has_value());
  EXPECT_FALSE(parseRetryAfter("-1", now).has_value());
  EXPECT_FALSE(parseRetryAfter("soon", now).has_value());
  EXPECT_FALSE(parseRetryAfter("1.5", now).has_value());
}

}  // namespace
}  // namespace fluxmeet::push
