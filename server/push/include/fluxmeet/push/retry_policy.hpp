#pragma once
// What the sender does with a push service's answer (RFC 8030 section 5 and 7), and when it
// tries again. Pure functions of their inputs (time and randomness are passed in), so the
// schedule is tested without a clock.
#include <chrono>
#include <optional>
#include <string_view>

#include "fluxmeet/common/clock.hpp"

namespace fluxmeet::push {

enum class ResponseClass {
  Delivered,  // 2xx: the push service accepted the message (201 Created, 202 Accepted)
  Gone,       // 404/410: the subscription expired or was unsubscribed; delete it
  Retry,      // 429 and 5xx: the service is overloaded or down; try again later
  Failed,     // anything else (400 bad headers, 401/403 VAPID mismatch, 413 too large): retrying won't help
};

ResponseClass classifyPushStatus(long httpStatus);

struct RetryPolicy {
  int maxAttempts = 5;  // including the first; 1 = never retry
  std::chrono::milliseconds initialDelay{2000};
  double multiplier = 2.0;
  std::chrono::milliseconds maxDelay{std::chrono::minutes(5)};
  // Each delay is shortened by up to this fraction at random, so that messages that failed
  // together (a push service outage) do not all come back in the same instant.
  double jitter = 0.2;
};

// The delay before the next attempt after `attemptsMade` attempts (>= 1) have failed with a
// retryable answer, or nullopt to give up. Without jitter the schedule is
//   initialDelay * multiplier^(attemptsMade - 1), capped at maxDelay,
// then scaled by (1 - jitter * random01), random01 in [0, 1). A Retry-After from the service
// is a floor (RFC 9110 section 10.2.3) and is not jittered; when it is longer than maxDelay we
// give up rather than hold the message that long (the caller sees retryAfter in the result).
std::optional<std::chrono::milliseconds> nextRetryDelay(const RetryPolicy& policy, int attemptsMade,
                                                        std::optional<std::chrono::seconds> retryAfter,
                                                        double random01);

// The Retry-After header value (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date, the
// latter relative to `now`. A date in the past is 0 s. nullopt when unparseable.
std::optional<std::chrono::seconds> parseRetryAfter(std::string_view value, UnixTime now);

}  // namespace fluxmeet::push
