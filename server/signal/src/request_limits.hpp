#pragma once
// RequestLimits: how often one peer may call signaling methods (docs/protocol.md "Rate limits").
// Every request counts against an overall budget, so a runaway client cannot keep the control
// loop busy; chat, reactions and presence changes have tighter budgets of their own because each
// one fans out to the whole meeting (and chat is also a database write). Budgets are GCRA token
// buckets (fluxmeet/common/rate_limiter.hpp) keyed by peer id, so a reconnecting peer keeps its
// budget. A refused request is answered rate_limited and changes nothing.
#include <string>
#include <string_view>

#include "fluxmeet/common/rate_limiter.hpp"
#include "fluxmeet/common/result.hpp"

namespace fluxmeet::signal {

// Pointer: whiteboard cursor and viewport moves, which come in a steady stream while someone
// draws; they have a budget of their own instead of the overall one, so moving the pointer never
// starves the drawing itself.
enum class RateClass { Other, Chat, Reaction, Presence, Pointer };

struct RateBudget {
  int burst;                            // requests allowed at once
  RateLimiter::Clock::duration window;  // the time to earn a whole burst back
};

class RequestLimits {
 public:
  static constexpr RateBudget kAll{1000, std::chrono::seconds(10)};  // joining a 100-person meeting takes ~600
  static constexpr RateBudget kChat{20, std::chrono::seconds(10)};
  static constexpr RateBudget kReaction{10, std::chrono::seconds(5)};
  static constexpr RateBudget kPresence{20, std::chrono::seconds(10)};
  static constexpr RateBudget kPointer{600, std::chrono::seconds(10)};  // a 60 Hz pointermove stream

  RequestLimits();

  Result<void> take(const std::string& peerId, RateClass rateClass, RateLimiter::TimePoint now);
  // The peer is gone: its budgets are not needed any more.
  void forget(const std::string& peerId);

 private:
  RateLimiter all_;
  RateLimiter chat_;
  RateLimiter reaction_;
  RateLimiter presence_;
  RateLimiter pointer_;
};

}  // namespace fluxmeet::signal
