#include "fluxmeet/push/retry_policy.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

namespace fluxmeet::push {

ResponseClass classifyPushStatus(long httpStatus) {
  if (httpStatus >= 200 && httpStatus < 300) return ResponseClass::Delivered;
  // RFC 8030 section 7.3: 404 and 410 mean the subscription is no longer valid.
  if (httpStatus == 404 || httpStatus == 410) return ResponseClass::Gone;
  // RFC 8030 section 8.4 (429 when the service throttles) and server errors.
  if (httpStatus == 429 || (httpStatus >= 500 && httpStatus < 600)) return ResponseClass::Retry;
  return ResponseClass::Failed;
}

std::optional<std::chrono::milliseconds> nextRetryDelay(const RetryPolicy& policy, int attemptsMade,
                                                        std::optional<std::chrono::seconds> retryAfter,
                                                        double random01) {
  using std::chrono::milliseconds;
  if (attemptsMade < 1 || attemptsMade >= policy.maxAttempts) return std::nullopt;
  if (retryAfter && *retryAfter > policy.maxDelay) return std::nullopt;
  // In double to avoid overflow for many attempts; the cap bounds the result.
  double backoff = static_cast<double>(policy.initialDelay.count()) *
                   std::pow(std::max(policy.multiplier, 1.0), attemptsMade - 1);
  backoff = std::min(backoff, static_cast<double>(policy.maxDelay.count()));
  double jitter = std::clamp(policy.jitter, 0.0, 1.0) * std::clamp(random01, 0.0, 1.0);
  auto delay = milliseconds(static_cast<milliseconds::rep>(backoff * (1.0 - jitter)));
  if (retryAfter) delay = std::max(delay, std::chrono::duration_cast<milliseconds>(*retryAfter));
  return std::max(delay, milliseconds(0));
}

std::optional<std::chrono::seconds> parseRetryAfter(std::string_view value, UnixTime now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int64_t seconds = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    // A huge number is "wait longer than we ever will": saturate instead of failing.
    if (error == std::errc::result_out_of_range) return std::chrono::seconds(INT32_MAX);
    if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return std::chrono::seconds(std::min<int64_t>(seconds, INT32_MAX));
  }
  // HTTP-date (IMF-fixdate and the obsolete forms); libcurl's parser handles all three.
  std::string text(value);
  time_t date = curl_getdate(text.c_str(), nullptr);
  if (date == -1) return std::nullopt;
  return std::chrono::seconds(std::max<int64_t>(0, static_cast<int64_t>(date) - now));
}

}  // namespace fluxmeet::push
