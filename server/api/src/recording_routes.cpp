// Recordings (issue 6, docs/api.md "Recordings"): list a meeting's recordings, read one, stream
// its composed file with ranges, delete it. Readable by the meeting's host and those who attended
// it; deletable by the host. A <video> cannot send an Authorization header, so the file also
// accepts the fm_media cookie that POST /api/v1/recordings/access sets: a short-lived token of
// kind "media", tied to the signed-in session, good for that one route and nothing else.
#include <charconv>

#include "api_state.hpp"
#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/http/file_response.hpp"
#include "fluxmeet/meeting/meeting_code.hpp"

namespace fluxmeet::api {

namespace asio = boost::asio;
namespace bhttp = http::bhttp;
using http::Request;
using http::Response;
using nlohmann::json;

namespace {

constexpr const char* kMediaCookie = "fm_media";
constexpr int kMediaTokenSeconds = 3600;

json recordingJson(const store::Recording& recording, bool canDelete) {
  const bool stopped = recording.status != store::RecordingStatus::Recording;
  const bool ready = recording.status == store::RecordingStatus::Ready;
  return {{"id", recording.id},
          {"meetingCode", recording.meetingCode},
          {"startedBy", recording.startedByName},
          {"startedAt", isoUtc(recording.startedAt)},
          {"stoppedAt", optionalTime(recording.stoppedAt)},
          {"status", store::recordingStatusName(recording.status)},
          {"progress", recording.progress},
          {"durationSeconds", stopped ? json(recording.durationMs / 1000.0) : json(nullptr)},
          {"sizeBytes", ready ? json(recording.sizeBytes) : json(nullptr)},
          {"tracks", recording.tracks},
          {"error", recording.error.empty() ? json(nullptr) : json(recording.error)},
          {"canDelete", canDelete}};
}

Result<meeting::RecordingService*> recordingService(State& state) {
  if (!state.services.recordings) return makeError(ErrorCode::Unavailable, "recording is not enabled on this server");
  return state.services.recordings;
}

// Host or attendee of the recording's meeting: the same rule as the meeting's history.
Result<void> ensureMember(State& state, store::Id meetingId, store::Id userId) {
  auto member = state.services.store.isMeetingMember(meetingId, userId);
  if (!member) return member.error();
  if (!*member) {
    return makeError(ErrorCode::Forbidden, "only the host and those who attended can see this meeting's recordings");
  }
  return {};
}

// The recording named by {id} that `user` may see, with whether they host its meeting.
struct VisibleRecording {
  store::Recording recording;
  bool host = false;
};
Result<VisibleRecording> visibleRecording(State& state, const Request& request, const store::User& user) {
  store::Id id = 0;
  const std::string_view text = request.param("id");
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc{} || end != text.data() + text.size() || id <= 0) {
    return makeError(ErrorCode::NotFound, "no such recording");
  }
  auto recording = state.services.store.findRecording(id);
  if (!recording) return makeError(ErrorCode::NotFound, "no such recording");
  auto meeting = state.services.store.findMeetingByCode(recording->meetingCode, true);
  if (!meeting) return makeError(ErrorCode::NotFound, "no such recording");
  if (auto member = ensureMember(state, meeting->id, user.id); !member) return member.error();
  return VisibleRecording{std::move(*recording), meeting->hostId == user.id};
}

asio::awaitable<Response> listRecordings(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  if (auto service = recordingService(state); !service) co_return http::errorResponse(service.error());
  const std::string code(request.param("code"));
  if (!meeting::isValidMeetingCode(code)) co_return http::errorResponse(ErrorCode::NotFound, "no meeting with this code");
  auto meeting = state.services.store.findMeetingByCode(code, true);
  if (!meeting) co_return http::errorResponse(ErrorCode::NotFound, "no meeting with this code");
  if (auto member = ensureMember(state, meeting->id, authed->user.id); !member) {
    co_return http::errorResponse(member.error());
  }
  auto recordings = state.services.store.listRecordings(meeting->id);
  if (!recordings) co_return http::errorResponse(recordings.error());
  json items = json::array();
  const bool host = meeting->hostId == authed->user.id;
  for (const auto& recording : *recordings) items.push_back(recordingJson(recording, host));
  co_return http::jsonResponse(bhttp::status::ok, {{"items", std::move(items)}});
}

asio::awaitable<Response> getRecording(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto visible = visibleRecording(state, request, authed->user);
  if (!visible) co_return http::errorResponse(visible.error());
  co_return http::jsonResponse(bhttp::status::ok, recordingJson(visible->recording, visible->host));
}

asio::awaitable<Response> recordingFile(State& state, Request& request) {
  // The bearer header when there is one (fetch, curl); else the cookie a <video> sends.
  auto authed = request.bearerToken().empty()
                    ? authenticateToken(state, request.cookie(kMediaCookie).value_or(""), "media")
                    : authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto visible = visibleRecording(state, request, authed->user);
  if (!visible) co_return http::errorResponse(visible.error());
  const store::Recording& recording = visible->recording;
  if (recording.status != store::RecordingStatus::Ready || recording.filePath.empty()) {
    co_return http::errorResponse(ErrorCode::Conflict, "the recording is not ready yet");
  }
  std::string downloadName;
  if (request.queryParam("download") == "1") {
    std::string when = isoUtc(recording.startedAt);
    std::erase(when, ':');
    downloadName = "fluxmeet-" + recording.meetingCode + "-" + when + ".webm";
  }
  co_return http::fileResponse(request, recording.filePath, "video/webm", downloadName);
}

asio::awaitable<Response> deleteRecording(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto service = recordingService(state);
  if (!service) co_return http::errorResponse(service.error());
  auto visible = visibleRecording(state, request, authed->user);
  if (!visible) co_return http::errorResponse(visible.error());
  if (!visible->host) co_return http::errorResponse(ErrorCode::Forbidden, "only the host can delete a recording");
  if (visible->recording.status == store::RecordingStatus::Recording) {
    co_return http::errorResponse(ErrorCode::Conflict, "stop the recording before deleting it");
  }
  if (auto removed = (*service)->remove(visible->recording); !removed) co_return http::errorResponse(removed.error());
  co_return http::noContent();
}

// Sets fm_media: an HttpOnly, SameSite=Strict cookie scoped to the recordings path, holding a
// token of kind "media" for the caller's session (ends with it: sign-out, revocation).
asio::awaitable<Response> grantMediaAccess(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  const UnixTime now = unixNow();
  const std::string token = state.services.jwt.sign(auth::AccessClaims{.subject = std::to_string(authed->user.id),
                                                                      .sessionId = authed->sessionId,
                                                                      .kind = "media",
                                                                      .issuedAt = now,
                                                                      .expiresAt = now + kMediaTokenSeconds,
                                                                      .jwtId = auth::newJwtId()});
  Response response = http::noContent();
  std::string cookie = std::string(kMediaCookie) + "=" + token + "; Path=/api/v1/recordings; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string(kMediaTokenSeconds);
  if (request.secure) cookie += "; Secure";
  response.set(bhttp::field::set_cookie, cookie);
  co_return response;
}

}  // namespace

void registerRecordingRoutes(http::Router& router, State& state) {
  using bhttp::verb;
  router.add(verb::get, "/api/v1/meetings/{code}/recordings", withState(state, listRecordings));
  router.add(verb::post, "/api/v1/recordings/access", withState(state, grantMediaAccess), {.bodyLimit = 1024});
  router.add(verb::get, "/api/v1/recordings/{id}", withState(state, getRecording));
  router.add(verb::get, "/api/v1/recordings/{id}/file", withState(state, recordingFile));
  router.add(verb::head, "/api/v1/recordings/{id}/file", withState(state, recordingFile));
  router.add(verb::delete_, "/api/v1/recordings/{id}", withState(state, deleteRecording));
}

}  // namespace fluxmeet::api
