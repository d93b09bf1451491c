// Invitations (issue 9, docs/api.md "Invitations"): the host of a meeting invites people by email.
// Each new invitee gets a mail with the link (and the .ics of a scheduled meeting) when SMTP is
// configured; an account with an invited address sees the meeting in its upcoming list and gets
// its reminder and "started" pushes. Only the host lists, adds or removes invitations: to anyone
// else (an invitee too) the list answers 403, so nobody learns who else is invited.
#include <spdlog/spdlog.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/this_coro.hpp>
#include <charconv>

#include "api_state.hpp"
#include "fluxmeet/auth/credentials_policy.hpp"
#include "fluxmeet/common/clock.hpp"
#include "ics.hpp"

namespace fluxmeet::api {
namespace asio = boost::asio;
namespace bhttp = http::bhttp;
using http::FieldRule;
using http::JsonType;
using http::Request;
using http::Response;

namespace {

constexpr size_t kMaxEmailsPerRequest = 50;
constexpr size_t kMaxEmailLength = 254;
constexpr int kMaxInvitationsPerMeeting = 500;
// Mails waiting for the queue; past this, new invitations are kept but not mailed (logged).
constexpr size_t kMaxQueuedInvitationMails = 5000;

const http::Schema kInviteSchema{{
    FieldRule{.name = "emails", .type = JsonType::Array, .required = true, .minLength = 1,
              .maxLength = kMaxEmailsPerRequest},
}};

nlohmann::json invitationJson(const store::Invitation& invitation) {
  return {{"id", invitation.id},
          {"email", invitation.email},
          {"invitedAt", isoUtc(invitation.invitedAt)},
          {"emailedAt", optionalTime(invitation.emailedAt)},
          {"registered", invitation.registered}};
}

Result<nlohmann::json> invitationsJson(State& state, store::Id meetingId) {
  auto invitations = state.services.store.listInvitations(meetingId);
  if (!invitations) return std::move(invitations).takeError();
  nlohmann::json items = nlohmann::json::array();
  for (const store::Invitation& invitation : *invitations) items.push_back(invitationJson(invitation));
  return nlohmann::json{{"invitations", items}};
}

// Ended by the host (and not moved to a later time), or a scheduled meeting whose end passed:
// nobody can be invited to it any more.
bool meetingIsOver(const store::Meeting& meeting, UnixTime now) {
  const bool scheduled = meeting.kind == store::MeetingKind::Scheduled && meeting.startsAt;
  if (scheduled && *meeting.startsAt + static_cast<UnixTime>(meeting.durationMinutes) * 60 <= now) return true;
  if (!meeting.endedAt) return false;
  return !(scheduled && *meeting.startsAt > *meeting.endedAt);
}

// The meeting of the path, for its host only (403 for anyone else, 404 when unknown or deleted).
Result<store::Meeting> hostedMeeting(State& state, const Request& request, store::Id userId) {
  auto meeting = meetingFromPath(state, request);
  if (!meeting) return meeting;
  if (meeting->hostId != userId) {
    return makeError(ErrorCode::Forbidden, "only the host can see and change who is invited");
  }
  return meeting;
}

// Every entry a valid address; normalised (trimmed, lower-cased), duplicates kept for the store
// to skip. The field of an error names the entry: "emails[2]".
Result<std::vector<std::string>> readEmails(const nlohmann::json& body) {
  std::vector<std::string> emails;
  const nlohmann::json& given = body["emails"];
  for (size_t i = 0; i < given.size(); ++i) {
    const std::string field = "emails[" + std::to_string(i) + "]";
    if (!given[i].is_string() || given[i].get_ref<const std::string&>().size() > kMaxEmailLength) {
      return makeError(ErrorCode::ValidationFailed, "each entry must be an email address", field);
    }
    auto email = auth::normalizeEmail(given[i].get<std::string>());
    if (!email) return makeError(ErrorCode::ValidationFailed, email.error().message, field);
    emails.push_back(std::move(*email));
  }
  return emails;
}

MailMessage invitationMail(const store::Meeting& meeting, const std::string& to, const std::string& base) {
  const std::string joinUrl = base + "/m/" + meeting.code;
  const std::string host = meeting.hostName.empty() ? "Someone" : meeting.hostName;
  std::string body = host + " invited you to the Flux Meet meeting \"" + meeting.title + "\".\n\n";
  MailMessage message{.to = to, .subject = "Invitation: " + meeting.title};
  if (meeting.kind == store::MeetingKind::Scheduled && meeting.startsAt) {
    body += "When: " + isoUtc(*meeting.startsAt) + " (UTC), " + std::to_string(meeting.durationMinutes) +
            " minutes\n";
    const std::string hostName = base.substr(base.find("://") + 3);
    // The invitee's copy: never the passcode, which the host shares as they choose.
    message.attachments.push_back(MailAttachment{
        .fileName = meeting.code + ".ics",
        .contentType = "text/calendar; charset=utf-8; method=PUBLISH",
        .content = buildIcsInvite(meeting, base, hostName, false, unixNow())});
  }
  body += "Join: " + joinUrl + "\nMeeting code: " + meeting.code + "\n";
  if (!meeting.passcode.empty()) body += "The meeting has a passcode; ask " + host + " for it.\n";
  if (!message.attachments.empty()) body += "\nThe attached calendar file adds the meeting to your calendar.\n";
  message.body = std::move(body);
  return message;
}

// Sends the next queued invitation mail on the blocking pool, then records it and goes on with
// the next from the control thread. At most one mail is in flight.
void sendNextInvitationMail(State& state, asio::any_io_executor control) {
  if (state.invitationMailSending || state.invitationMails.empty()) return;
  state.invitationMailSending = true;
  auto mail = std::make_shared<InvitationMail>(std::move(state.invitationMails.front()));
  state.invitationMails.pop_front();
  asio::post(state.services.blockingPool, [&state, control, mail, mailer = state.mailer.get()] {
    const bool sent = mailer->send(mail->message).ok();
    asio::post(control, [&state, control, mail, sent] {
      state.invitationMailSending = false;
      if (sent) {
        if (auto marked = state.services.store.markInvitationEmailed(mail->invitationId, unixNow()); !marked) {
          spdlog::warn("invitation {}: recording the mail failed: {}", mail->invitationId, marked.error().message);
        }
      } else {
        spdlog::warn("invitation {}: mail not delivered", mail->invitationId);
      }
      sendNextInvitationMail(state, control);
    });
  });
}

void queueInvitationMails(State& state, const store::Meeting& meeting, const std::vector<store::Invitation>& added,
                          const std::string& base, asio::any_io_executor control) {
  for (const store::Invitation& invitation : added) {
    if (state.invitationMails.size() >= kMaxQueuedInvitationMails) {
      spdlog::warn("invitation mails: queue full, invitation {} not mailed", invitation.id);
      continue;
    }
    state.invitationMails.push_back(InvitationMail{invitation.id, invitationMail(meeting, invitation.email, base)});
  }
  sendNextInvitationMail(state, control);
}

asio::awaitable<Response> addInvitations(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto meeting = hostedMeeting(state, request, authed->user.id);
  if (!meeting) co_return http::errorResponse(meeting.error());
  auto body = readJsonBody(request, kInviteSchema);
  if (!body) co_return http::errorResponse(body.error());
  auto emails = readEmails(*body);
  if (!emails) co_return http::errorResponse(emails.error());
  // Counted once valid: each such request may mail up to 50 people.
  const std::string userKey = std::to_string(authed->user.id);
  if (auto decision = state.invitesByUser.take(userKey, std::chrono::steady_clock::now()); !decision.allowed) {
    co_return rateLimited(decision.retryAfterSeconds);
  }
  const UnixTime now = unixNow();
  if (meetingIsOver(*meeting, now)) {
    co_return http::errorResponse(ErrorCode::Conflict, "the meeting is over; nobody can be invited to it");
  }
  auto added = state.services.store.addInvitations(store::NewInvitations{
      .meetingId = meeting->id, .emails = std::move(*emails), .now = now, .maxPerMeeting = kMaxInvitationsPerMeeting});
  if (!added) co_return http::errorResponse(added.error());
  if (!added->empty() && state.mailer->delivers()) {
    const std::string base = mailLinkBaseUrl(state, request);
    if (base.empty()) {
      spdlog::warn("invitation mails for meeting {} not sent: set PUBLIC_URL so links can be built safely",
                   meeting->code);
    } else {
      queueInvitationMails(state, *meeting, *added, base, co_await asio::this_coro::executor);
    }
  }
  auto all = invitationsJson(state, meeting->id);
  if (!all) co_return http::errorResponse(all.error());
  co_return http::jsonResponse(bhttp::status::created, *all);
}

asio::awaitable<Response> listInvitations(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto meeting = hostedMeeting(state, request, authed->user.id);
  if (!meeting) co_return http::errorResponse(meeting.error());
  auto all = invitationsJson(state, meeting->id);
  if (!all) co_return http::errorResponse(all.error());
  co_return http::jsonResponse(bhttp::status::ok, *all);
}

asio::awaitable<Response> deleteInvitation(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto meeting = hostedMeeting(state, request, authed->user.id);
  if (!meeting) co_return http::errorResponse(meeting.error());
  store::Id id = 0;
  const std::string_view text = request.param("id");
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc{} || end != text.data() + text.size() || id <= 0) {
    co_return http::errorResponse(ErrorCode::NotFound, "no such invitation");
  }
  auto deleted = state.services.store.deleteInvitation(meeting->id, id);
  if (!deleted) {
    if (deleted.error().code == ErrorCode::NotFound) {
      co_return http::errorResponse(ErrorCode::NotFound, "no such invitation");
    }
    co_return http::errorResponse(deleted.error());
  }
  co_return http::noContent();
}

}  // namespace

void registerInvitationRoutes(http::Router& router, State& state) {
  using bhttp::verb;
  router.add(verb::post, "/api/v1/meetings/{code}/invitations", withState(state, addInvitations));
  router.add(verb::get, "/api/v1/meetings/{code}/invitations", withState(state, listInvitations));
  router.add(verb::delete_, "/api/v1/meetings/{code}/invitations/{id}", withState(state, deleteInvitation));
}

}  // namespace fluxmeet::api
