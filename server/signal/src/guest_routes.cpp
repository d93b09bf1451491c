#include "fluxmeet/signal/guest_routes.hpp"

#include <chrono>

#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/common/encoding.hpp"
#include "fluxmeet/http/json_schema.hpp"
#include "fluxmeet/http/response.hpp"

namespace fluxmeet::signal {

namespace {

const http::Schema kGuestBody{{
    {.name = "displayName", .type = http::JsonType::String, .required = true, .minLength = 1, .maxLength = 64},
}};

Result<nlohmann::json> readBody(const http::Request& request) {
  std::string_view contentType = request.header(http::bhttp::field::content_type);
  if (contentType.substr(0, contentType.find(';')) != "application/json") {
    return makeError(ErrorCode::UnsupportedMediaType, "Content-Type must be application/json");
  }
  auto body = http::parseJsonObject(request.message.body());
  if (!body) return body;
  if (auto valid = http::validate(*body, kGuestBody); !valid) return valid.error();
  return body;
}

}  // namespace

GuestRoutes::GuestRoutes(store::Store& store, const auth::JwtCodec& jwt)
    : store_(store), jwt_(jwt), byIp_(kRequestsPerMinute, std::chrono::minutes(1)) {}

void GuestRoutes::registerRoutes(http::Router& router) {
  router.add(http::bhttp::verb::post, "/api/v1/meetings/{code}/guest",
             [this](http::Request& request) { return createGuestToken(request); });
}

boost::asio::awaitable<http::Response> GuestRoutes::createGuestToken(http::Request& request) {
  auto decision = byIp_.take(request.remoteIp, RateLimiter::Clock::now());
  if (!decision.allowed) {
    auto response = http::errorResponse(ErrorCode::RateLimited, "too many guest requests; try again in " +
                                                                    std::to_string(decision.retryAfterSeconds) + " s");
    response.set(http::bhttp::field::retry_after, std::to_string(decision.retryAfterSeconds));
    co_return response;
  }
  auto body = readBody(request);
  if (!body) co_return http::errorResponse(body.error());
  std::string code(request.param("code"));
  auto meeting = store_.findMeetingByCode(code);
  if (!meeting) {
    if (meeting.error().code == ErrorCode::NotFound) {
      co_return http::errorResponse(ErrorCode::NotFound, "no meeting with that code");
    }
    co_return http::errorResponse(meeting.error());
  }
  if (!meeting->settings.guestsAllowed) {
    co_return http::errorResponse(ErrorCode::Forbidden, "this meeting does not allow guests; sign in to join");
  }
  UnixTime now = unixNow();
  auth::AccessClaims claims;
  claims.subject = "guest:" + randomToken(12);
  claims.sessionId = randomToken(12);
  claims.kind = "guest";
  claims.meetingCode = meeting->code;
  claims.displayName = (*body)["displayName"].get<std::string>();
  claims.issuedAt = now;
  claims.expiresAt = now + kTokenSeconds;
  claims.jwtId = auth::newJwtId();
  co_return http::jsonResponse(http::bhttp::status::created,
                               {{"guestToken", jwt_.sign(claims)}, {"expiresIn", kTokenSeconds}});
}

}  // namespace fluxmeet::signal
