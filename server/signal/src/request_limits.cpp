#include "request_limits.hpp"

namespace fluxmeet::signal {

namespace {

RateLimiter makeLimiter(RateBudget budget) { return RateLimiter(budget.burst, budget.window); }

Result<void> refuse(std::string_view what, int retryAfterSeconds) {
  return makeError(ErrorCode::RateLimited,
                   "too many " + std::string(what) + "; try again in " + std::to_string(retryAfterSeconds) + " s");
}

}  // namespace

RequestLimits::RequestLimits()
    : all_(makeLimiter(kAll)),
      chat_(makeLimiter(kChat)),
      reaction_(makeLimiter(kReaction)),
      presence_(makeLimiter(kPresence)),
      pointer_(makeLimiter(kPointer)) {}

Result<void> RequestLimits::take(const std::string& peerId, RateClass rateClass, RateLimiter::TimePoint now) {
  RateLimiter* own = nullptr;
  std::string_view what;
  switch (rateClass) {
    case RateClass::Other: break;
    case RateClass::Chat: own = &chat_, what = "chat messages"; break;
    case RateClass::Reaction: own = &reaction_, what = "reactions"; break;
    case RateClass::Presence: own = &presence_, what = "changes"; break;
    case RateClass::Pointer: own = &pointer_, what = "pointer moves"; break;
  }
  // The class budget first: a refused chat message must not also use up the overall budget.
  if (own) {
    if (auto decision = own->take(peerId, now); !decision.allowed) return refuse(what, decision.retryAfterSeconds);
  }
  if (rateClass == RateClass::Pointer) return {};
  if (auto decision = all_.take(peerId, now); !decision.allowed) return refuse("requests", decision.retryAfterSeconds);
  return {};
}

void RequestLimits::forget(const std::string& peerId) {
  all_.reset(peerId);
  chat_.reset(peerId);
  reaction_.reset(peerId);
  presence_.reset(peerId);
  pointer_.reset(peerId);
}

}  // namespace fluxmeet::signal
