// Meetings: create (instant or scheduled), list mine, public view, edit/delete (host), history, .ics.
#include "api_state.hpp"
#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/meeting/meeting_code.hpp"
#include "ics.hpp"

namespace fluxmeet::api {
namespace asio = boost::asio;
namespace bhttp = http::bhttp;
using http::FieldRule;
using http::JsonType;
using http::Request;
using http::Response;

namespace {

constexpr int kCodeAttempts = 5;
constexpr UnixTime kStartGraceSeconds = 5 * 60;

const http::Schema kSettingsSchema{{
    FieldRule{.name = "waitingRoom", .type = JsonType::Boolean},
    FieldRule{.name = "guestsAllowed", .type = JsonType::Boolean},
    FieldRule{.name = "muteOnEntry", .type = JsonType::Boolean},
    FieldRule{.name = "autoRecord", .type = JsonType::Boolean},
    FieldRule{.name = "screenShare", .type = JsonType::String, .oneOf = {"everyone", "hosts"}},
}};
const FieldRule kTitle{.name = "title", .type = JsonType::String, .minLength = 1, .maxLength = 120};
const FieldRule kStartsAt{.name = "startsAt", .type = JsonType::String, .nullable = true, .maxLength = 40};
const FieldRule kTimeZone{.name = "timeZone", .type = JsonType::String, .maxLength = 64};
const FieldRule kDuration{.name = "durationMinutes", .type = JsonType::Integer, .minimum = 5, .maximum = 1440};
const FieldRule kPasscode{.name = "passcode", .type = JsonType::String, .nullable = true, .maxLength = 32};
const FieldRule kSettings{.name = "settings", .type = JsonType::Object, .object = &kSettingsSchema};
const http::Schema kCreateSchema{{
    kTitle,
    FieldRule{.name = "kind", .type = JsonType::String, .required = true, .oneOf = {"instant", "scheduled"}},
    kStartsAt, kTimeZone, kDuration, kPasscode, kSettings,
}};
const http::Schema kUpdateSchema{{kTitle, kStartsAt, kTimeZone, kDuration, kPasscode, kSettings}};

store::MeetingSettings applySettings(store::MeetingSettings settings, const nlohmann::json& body) {
  auto it = body.find("settings");
  if (it == body.end()) return settings;
  const nlohmann::json& given = *it;
  if (auto v = http::optionalField<bool>(given, "waitingRoom")) settings.waitingRoom = *v;
  if (auto v = http::optionalField<bool>(given, "guestsAllowed")) settings.guestsAllowed = *v;
  if (auto v = http::optionalField<bool>(given, "muteOnEntry")) settings.muteOnEntry = *v;
  if (auto v = http::optionalField<bool>(given, "autoRecord")) settings.autoRecord = *v;
  if (auto v = http::optionalField<std::string>(given, "screenShare")) {
    settings.screenShare = *v == "hosts" ? store::ScreenSharePolicy::HostsOnly : store::ScreenSharePolicy::Everyone;
  }
  return settings;
}

// Passcodes are typed by people: 4-32 printable ASCII characters without spaces.
Result<std::string> readPasscode(const nlohmann::json& body) {
  auto passcode = http::optionalField<std::string>(body, "passcode");
  if (!passcode || passcode->empty()) return std::string{};
  if (passcode->size() < 4) return makeError(ErrorCode::ValidationFailed, "passcode must be at least 4 characters", "passcode");
  for (char c : *passcode) {
    if (c <= ' ' || c > '~') {
      return makeError(ErrorCode::ValidationFailed, "passcode may use letters, digits and symbols, no spaces",
                       "passcode");
    }
  }
  return *passcode;
}

Result<std::optional<UnixTime>> readStartsAt(const nlohmann::json& body, UnixTime now) {
  auto text = http::optionalField<std::string>(body, "startsAt");
  if (!text) return std::optional<UnixTime>{};
  auto parsed = parseIso8601(*text);
  if (!parsed) {
    return makeError(ErrorCode::ValidationFailed, "startsAt must be an ISO-8601 time with a time zone offset",
                     "startsAt");
  }
  if (*parsed < now - kStartGraceSeconds) {
    return makeError(ErrorCode::ValidationFailed, "startsAt must not be in the past", "startsAt");
  }
  return std::optional<UnixTime>{*parsed};
}

asio::awaitable<Response> createMeeting(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto body = readJsonBody(request, kCreateSchema);
  if (!body) co_return http::errorResponse(body.error());
  const UnixTime now = unixNow();
  store::NewMeeting meeting{.hostId = authed->user.id, .now = now};
  meeting.kind = (*body)["kind"] == "scheduled" ? store::MeetingKind::Scheduled : store::MeetingKind::Instant;
  meeting.title = http::optionalField<std::string>(*body, "title").value_or(authed->user.username + "'s meeting");
  auto startsAt = readStartsAt(*body, now);
  if (!startsAt) co_return http::errorResponse(startsAt.error());
  if (meeting.kind == store::MeetingKind::Scheduled && !*startsAt) {
    co_return http::errorResponse(ErrorCode::ValidationFailed, "startsAt is required for a scheduled meeting",
                                  "startsAt");
  }
  meeting.startsAt = *startsAt;
  meeting.timeZone = http::optionalField<std::string>(*body, "timeZone").value_or("UTC");
  meeting.durationMinutes = http::optionalField<int>(*body, "durationMinutes").value_or(60);
  auto passcode = readPasscode(*body);
  if (!passcode) co_return http::errorResponse(passcode.error());
  meeting.passcode = *passcode;
  meeting.settings = applySettings({}, *body);

  for (int attempt = 0; attempt < kCodeAttempts; ++attempt) {
    meeting.code = meeting::generateMeetingCode();
    auto created = state.services.store.createMeeting(meeting);
    if (created) co_return http::jsonResponse(bhttp::status::created, meetingJson(*created, true, baseUrl(state, request)));
    if (created.error().code != ErrorCode::Conflict) co_return http::errorResponse(created.error());
  }
  co_return http::errorResponse(ErrorCode::Internal, "could not allocate a meeting code");
}

asio::awaitable<Response> listMeetings(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  std::string scope = request.queryParam("scope").value_or("upcoming");
  if (scope != "upcoming" && scope != "past") {
    co_return http::errorResponse(ErrorCode::ValidationFailed, "scope must be upcoming or past", "scope");
  }
  int limit = 20;
  if (auto text = request.queryParam("limit")) {
    try {
      limit = std::stoi(*text);
    } catch (const std::exception&) {
      limit = 0;
    }
    if (limit < 1 || limit > 100) {
      co_return http::errorResponse(ErrorCode::ValidationFailed, "limit must be between 1 and 100", "limit");
    }
  }
  auto page = state.services.store.listMeetings(
      authed->user.id, scope == "past" ? store::MeetingScope::Past : store::MeetingScope::Upcoming,
      request.queryParam("cursor").value_or(""), limit, unixNow());
  if (!page) co_return http::errorResponse(page.error());
  nlohmann::json items = nlohmann::json::array();
  const std::string base = baseUrl(state, request);
  for (const store::Meeting& meeting : page->items) {
    nlohmann::json item = meetingJson(meeting, meeting.hostId == authed->user.id, base);
    // Upcoming lists hosted meetings and the ones the caller is invited to (by their email).
    if (scope == "upcoming") item["invited"] = meeting.hostId != authed->user.id;
    items.push_back(std::move(item));
  }
  co_return http::jsonResponse(bhttp::status::ok, {{"items", items}, {"nextCursor", page->nextCursor}});
}

// Readable without signing in: whoever holds the link (a guest) sees title, host and what
// applies on entry, never the passcode. A token that is sent must still be valid.
asio::awaitable<Response> getMeeting(State& state, Request& request) {
  store::Id viewer = 0;
  if (!request.bearerToken().empty()) {
    auto authed = authenticate(state, request);
    if (!authed) co_return http::errorResponse(authed.error());
    viewer = authed->user.id;
  }
  auto meeting = meetingFromPath(state, request);
  if (!meeting) co_return http::errorResponse(meeting.error());
  nlohmann::json body = meetingJson(*meeting, viewer != 0 && meeting->hostId == viewer, baseUrl(state, request));
  // The pre-join screen tells whoever is about to enter that the meeting is being recorded.
  body["recording"] = state.services.recordings != nullptr && state.services.recordings->meetingRecording(meeting->code);
  co_return http::jsonResponse(bhttp::status::ok, body);
}

asio::awaitable<Response> updateMeeting(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto meeting = meetingFromPath(state, request);
  if (!meeting) co_return http::errorResponse(meeting.error());
  if (meeting->hostId != authed->user.id) {
    co_return http::errorResponse(ErrorCode::Forbidden, "only the host can change this meeting");
  }
  auto body = readJsonBody(request, kUpdateSchema);
  if (!body) co_return http::errorResponse(body.error());
  const UnixTime now = unixNow();
  store::MeetingUpdate update{.now = now};
  update.title = http::optionalField<std::string>(*body, "title");
  auto startsAt = readStartsAt(*body, now);
  if (!startsAt) co_return http::errorResponse(startsAt.error());
  if (*startsAt && meeting->kind == store::MeetingKind::Instant) {
    co_return http::errorResponse(ErrorCode::ValidationFailed, "an instant meeting has no start time", "startsAt");
  }
  update.startsAt = *startsAt;
  update.timeZone = http::optionalField<std::string>(*body, "timeZone");
  update.durationMinutes = http::optionalField<int>(*body, "durationMinutes");
  if (body->contains("passcode")) {
    auto passcode = readPasscode(*body);
    if (!passcode) co_return http::errorResponse(passcode.error());
    update.passcode = *passcode;
  }
  if (body->contains("settings")) update.settings = applySettings(meeting->settings, *body);
  auto updated = state.services.store.updateMeeting(meeting->id, update);
  if (!updated) co_return http::errorResponse(updated.error());
  co_return http::jsonResponse(bhttp::status::ok, meetingJson(*updated, true, baseUrl(state, request)));
}

asio::awaitable<Response> deleteMeeting(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto meeting = meetingFromPath(state, request);
  if (!meeting) co_return http::errorResponse(meeting.error());
  if (meeting->hostId != authed->user.id) {
    co_return http::errorResponse(ErrorCode::Forbidden, "only the host can delete this meeting");
  }
  auto deleted = state.services.store.deleteMeeting(meeting->id, unixNow());
  if (!deleted) co_return http::errorResponse(deleted.error());
  co_return http::noContent();
}

asio::awaitable<Response> meetingHistory(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto meeting = meetingFromPath(state, request, true);
  if (!meeting) co_return http::errorResponse(meeting.error());
  auto member = state.services.store.isMeetingMember(meeting->id, authed->user.id);
  if (!member) co_return http::errorResponse(member.error());
  if (!*member) {
    co_return http::errorResponse(ErrorCode::Forbidden, "only the host and those who attended can see its history");
  }
  auto participants = state.services.store.listParticipants(meeting->id);
  if (!participants) co_return http::errorResponse(participants.error());
  auto chatCount = state.services.store.countChat(meeting->id);
  if (!chatCount) co_return http::errorResponse(chatCount.error());
  nlohmann::json people = nlohmann::json::array();
  for (const store::Participant& participant : *participants) {
    people.push_back({{"displayName", participant.displayName},
                      {"role", store::roleName(participant.role)},
                      {"joinedAt", isoUtc(participant.joinedAt)},
                      {"leftAt", participant.leftAt ? nlohmann::json(isoUtc(*participant.leftAt)) : nullptr}});
  }
  long long duration = 0;
  if (meeting->startedAt) duration = meeting->endedAt.value_or(unixNow()) - *meeting->startedAt;
  co_return http::jsonResponse(
      bhttp::status::ok, {{"meeting", meetingJson(*meeting, meeting->hostId == authed->user.id, baseUrl(state, request))},
                          {"participants", people},
                          {"durationSeconds", std::max(0LL, duration)},
                          {"chatCount", *chatCount}});
}

asio::awaitable<Response> inviteIcs(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto meeting = meetingFromPath(state, request);
  if (!meeting) co_return http::errorResponse(meeting.error());
  if (meeting->kind != store::MeetingKind::Scheduled || !meeting->startsAt) {
    co_return http::errorResponse(ErrorCode::Unprocessable, "only scheduled meetings have a calendar invite");
  }
  std::string base = baseUrl(state, request);
  std::string host = base.substr(base.find("://") + 3);
  Response response = http::textResponse(
      bhttp::status::ok, buildIcsInvite(*meeting, base, host, meeting->hostId == authed->user.id, unixNow()),
      "text/calendar; charset=utf-8");
  response.set(bhttp::field::content_disposition, "attachment; filename=\"" + meeting->code + ".ics\"");
  response.set(bhttp::field::cache_control, "no-store");
  co_return response;
}

}  // namespace

void registerMeetingRoutes(http::Router& router, State& state) {
  using bhttp::verb;
  router.add(verb::post, "/api/v1/meetings", withState(state, createMeeting));
  router.add(verb::get, "/api/v1/meetings", withState(state, listMeetings));
  router.add(verb::get, "/api/v1/meetings/{code}", withState(state, getMeeting));
  router.add(verb::patch, "/api/v1/meetings/{code}", withState(state, updateMeeting));
  router.add(verb::delete_, "/api/v1/meetings/{code}", withState(state, deleteMeeting));
  router.add(verb::get, "/api/v1/meetings/{code}/history", withState(state, meetingHistory));
  router.add(verb::get, "/api/v1/meetings/{code}/invite.ics", withState(state, inviteIcs));
}

}  // namespace fluxmeet::api
