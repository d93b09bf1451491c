#include "fluxmeet/api/api.hpp"

#include "api_state.hpp"

namespace fluxmeet::api {

Api::Api(ApiServices services, ApiOptions options)
    : state_(std::make_unique<State>(State{
          services,
          options,
          makeMailer(options.smtpUrl, options.smtpFrom, options.dev),
          RateLimiter(options.loginAttemptsPerMinute, std::chrono::seconds(60)),
          RateLimiter(options.loginAttemptsPerMinute, std::chrono::seconds(60)),
          RateLimiter(options.loginAttemptsPerMinute * 3, std::chrono::seconds(60)),
          RateLimiter(5, std::chrono::seconds(900)),
          {},
          0,
          RateLimiter(kInvitePostsPerMinute, std::chrono::seconds(60)),
      })) {
  auto dummy = services.passwords.hash("not-a-real-password-only-for-timing");
  if (dummy) state_->dummyPasswordHash = std::move(*dummy);
}

Api::~Api() = default;

void Api::registerRoutes(http::Router& router) {
  registerHealthRoutes(router, *state_);
  registerAuthRoutes(router, *state_);
  registerUserRoutes(router, *state_);
  registerMeetingRoutes(router, *state_);
  registerRecordingRoutes(router, *state_);
  registerPushRoutes(router, *state_);
  registerInvitationRoutes(router, *state_);
}

}  // namespace fluxmeet::api
