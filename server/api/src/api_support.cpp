#include <charconv>

#include "api_state.hpp"
#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/meeting/meeting_code.hpp"

namespace fluxmeet::api {

Result<AuthedUser> authenticateToken(State& state, std::string_view token, std::string_view kind) {
  if (token.empty()) return makeError(ErrorCode::Unauthorized, "sign in required");
  auto claims = state.services.jwt.verify(token, unixNow());
  if (!claims) return claims.error();
  if (claims->kind != kind) return makeError(ErrorCode::Unauthorized, "a user token is required");
  store::Id userId = 0;
  const std::string& subject = claims->subject;
  auto [end, ec] = std::from_chars(subject.data(), subject.data() + subject.size(), userId);
  if (ec != std::errc{} || end != subject.data() + subject.size()) {
    return makeError(ErrorCode::Unauthorized, "malformed token subject");
  }
  auto user = state.services.store.findSessionUser(claims->sessionId, userId);
  if (!user) return makeError(ErrorCode::Unauthorized, "session ended; sign in again");
  return AuthedUser{std::move(*user), claims->sessionId};
}

Result<AuthedUser> authenticate(State& state, const http::Request& request) {
  return authenticateToken(state, request.bearerToken(), "user");
}

Result<nlohmann::json> readJsonBody(const http::Request& request, const http::Schema& schema) {
  std::string_view contentType = request.header(http::bhttp::field::content_type);
  if (contentType.substr(0, contentType.find(';')) != "application/json") {
    return makeError(ErrorCode::UnsupportedMediaType, "Content-Type must be application/json");
  }
  auto body = http::parseJsonObject(request.message.body());
  if (!body) return body;
  auto valid = http::validate(*body, schema);
  if (!valid) return valid.error();
  return body;
}

std::string baseUrl(const State& state, const http::Request& request) {
  if (!state.options.publicUrl.empty()) return state.options.publicUrl;
  return std::string(request.secure ? "https://" : "http://") + std::string(request.header(http::bhttp::field::host));
}

std::string mailLinkBaseUrl(const State& state, const http::Request& request) {
  if (!state.options.publicUrl.empty()) return state.options.publicUrl;
  std::string_view host = request.header(http::bhttp::field::host);
  std::string_view name = host.substr(0, host.rfind(':') == std::string_view::npos || host.back() == ']'
                                             ? host.size()
                                             : host.rfind(':'));
  if (name == "localhost" || name == "127.0.0.1" || name == "[::1]") return baseUrl(state, request);
  return {};
}

Result<store::Meeting> meetingFromPath(State& state, const http::Request& request, bool includeDeleted) {
  std::string code(request.param("code"));
  if (!meeting::isValidMeetingCode(code)) return makeError(ErrorCode::NotFound, "no meeting with this code");
  auto found = state.services.store.findMeetingByCode(code, includeDeleted);
  if (!found) return makeError(ErrorCode::NotFound, "no meeting with this code");
  return found;
}

nlohmann::json userJson(const store::User& user) {
  return {{"id", user.id}, {"username", user.username}, {"email", user.email}, {"createdAt", isoUtc(user.createdAt)}};
}

nlohmann::json optionalTime(const std::optional<store::UnixTime>& time) {
  return time ? nlohmann::json(isoUtc(*time)) : nlohmann::json(nullptr);
}

nlohmann::json meetingJson(const store::Meeting& meeting, bool hostView, const std::string& base) {
  nlohmann::json settings{
      {"waitingRoom", meeting.settings.waitingRoom},
      {"guestsAllowed", meeting.settings.guestsAllowed},
      {"muteOnEntry", meeting.settings.muteOnEntry},
      {"autoRecord", meeting.settings.autoRecord},
      {"screenShare", meeting.settings.screenShare == store::ScreenSharePolicy::HostsOnly ? "hosts" : "everyone"},
  };
  nlohmann::json view{
      {"code", meeting.code},
      {"title", meeting.title},
      {"kind", meeting.kind == store::MeetingKind::Scheduled ? "scheduled" : "instant"},
      {"startsAt", optionalTime(meeting.startsAt)},
      {"timeZone", meeting.timeZone},
      {"durationMinutes", meeting.durationMinutes},
      {"hasPasscode", !meeting.passcode.empty()},
      {"settings", settings},
      {"host", {{"id", meeting.hostId}, {"username", meeting.hostName}}},
      {"isHost", hostView},
      {"locked", meeting.locked},
      {"createdAt", isoUtc(meeting.createdAt)},
      {"startedAt", optionalTime(meeting.startedAt)},
      {"endedAt", optionalTime(meeting.endedAt)},
      {"deleted", meeting.deletedAt.has_value()},
      {"joinUrl", base + "/m/" + meeting.code},
  };
  if (hostView) view["passcode"] = meeting.passcode;
  return view;
}

http::Response serverBusy() {
  auto response = http::errorResponse(ErrorCode::Unavailable, "the server is busy signing people in; try again shortly");
  response.set(http::bhttp::field::retry_after, "1");
  return response;
}

http::Response rateLimited(int retryAfterSeconds) {
  auto response = http::errorResponse(ErrorCode::RateLimited, "too many attempts; try again in " +
                                                                  std::to_string(retryAfterSeconds) + " s");
  response.set(http::bhttp::field::retry_after, std::to_string(retryAfterSeconds));
  return response;
}

}  // namespace fluxmeet::api
