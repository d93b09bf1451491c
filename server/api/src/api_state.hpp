#pragma once
// Shared state of the REST handlers and the helpers every route file uses.
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <deque>
#include <optional>

#include "fluxmeet/api/api.hpp"
#include "fluxmeet/common/rate_limiter.hpp"
#include "fluxmeet/http/json_schema.hpp"
#include "mailer.hpp"

namespace fluxmeet::api {

// Valid invitation requests one user may make in a minute: each may mail up to 50 people.
constexpr int kInvitePostsPerMinute = 30;

// An invitation mail waiting for the mail queue (invitation_routes.cpp).
struct InvitationMail {
  store::Id invitationId = 0;
  MailMessage message;
};

struct Api::State {
  ApiServices services;
  ApiOptions options;
  std::unique_ptr<Mailer> mailer;
  RateLimiter loginByIp;
  RateLimiter loginByAccount;
  RateLimiter registerByIp;
  RateLimiter resetByIp;
  std::string dummyPasswordHash;  // verified against when the email is unknown, so timing does not tell
  int passwordWorkInFlight = 0;   // handlers holding a PasswordWorkSlot (control thread only)
  RateLimiter invitesByUser;
  // Invitation mails go out one at a time on the blocking pool, so a large batch never holds
  // more than one of its threads (control thread only).
  std::deque<InvitationMail> invitationMails{};
  bool invitationMailSending = false;
};
using State = Api::State;

// Runs task() on the blocking pool (Argon2id, mail) and resumes the caller on its own executor:
//   auto hashTask = [&] { return hasher.hash(password); };
//   auto hash = co_await runBlocking(pool, hashTask);
// The task is taken by reference and must live in the awaiting coroutine's frame: g++ 12
// destroys by-value coroutine arguments twice inside co_await expressions (GCC PR 99576),
// so nothing non-trivial is passed by value here.
template <class F>
boost::asio::awaitable<std::invoke_result_t<F&>> runBlocking(boost::asio::thread_pool& pool, F& task) {
  using R = std::invoke_result_t<F&>;
  std::optional<R> result;
  co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>, void()>(
      [&pool, &task, &result](auto handler) {
        auto guard = boost::asio::make_work_guard(boost::asio::get_associated_executor(handler));
        boost::asio::post(pool, [&task, &result, handler = std::move(handler), guard = std::move(guard)]() mutable {
          result.emplace(task());
          auto executor = guard.get_executor();
          boost::asio::post(executor, std::move(handler));
        });
      },
      boost::asio::use_awaitable);
  co_return std::move(*result);
}

// Argon2id costs ~120 ms of a pool thread. Handlers that hash or verify passwords hold a slot;
// past kMaxPasswordWork queued or running, new ones get 503 + Retry-After at once, so a flood of
// logins (or connections that gave up waiting) cannot queue minutes of CPU behind each other.
constexpr int kMaxPasswordWork = 16;
class PasswordWorkSlot {
 public:
  explicit PasswordWorkSlot(State& state) : state_(state) { ++state_.passwordWorkInFlight; }
  ~PasswordWorkSlot() { --state_.passwordWorkInFlight; }
  PasswordWorkSlot(const PasswordWorkSlot&) = delete;
  PasswordWorkSlot& operator=(const PasswordWorkSlot&) = delete;
  static bool saturated(const State& state) { return state.passwordWorkInFlight >= kMaxPasswordWork; }

 private:
  State& state_;
};
http::Response serverBusy();

struct AuthedUser {
  store::User user;
  std::string sessionId;
};

// Bearer access token -> the signed-in user, checking that the token's session is still active
// (so logout, password change and "sign out everywhere" take effect at once, not in 15 minutes).
Result<AuthedUser> authenticate(State& state, const http::Request& request);
// The same checks for a token of another kind ("media": the recordings cookie).
Result<AuthedUser> authenticateToken(State& state, std::string_view token, std::string_view kind);

// Content-Type must be JSON; the body must parse and pass the schema.
Result<nlohmann::json> readJsonBody(const http::Request& request, const http::Schema& schema);

// "https://meet.example.com" from PUBLIC_URL, else from the request's Host header (for links shown
// to the requester only, such as joinUrl).
std::string baseUrl(const State& state, const http::Request& request);
// Base for links sent to someone else (mail): PUBLIC_URL, or the Host header only when it names
// this machine (localhost), so a forged Host cannot redirect a reset token. Empty: no safe base.
std::string mailLinkBaseUrl(const State& state, const http::Request& request);

// The meeting named by the {code} path parameter; NotFound for malformed codes too.
Result<store::Meeting> meetingFromPath(State& state, const http::Request& request, bool includeDeleted = false);

nlohmann::json userJson(const store::User& user);
// An RFC 3339 time, or null.
nlohmann::json optionalTime(const std::optional<store::UnixTime>& time);
nlohmann::json meetingJson(const store::Meeting& meeting, bool hostView, const std::string& baseUrl);

http::Response rateLimited(int retryAfterSeconds);

// Adapts `awaitable<Response> handler(State&, Request&)` to the router's Handler signature.
template <class Fn>
http::Handler withState(State& state, Fn handler) {
  return [&state, handler](http::Request& request) { return handler(state, request); };
}

void registerAuthRoutes(http::Router& router, State& state);
void registerUserRoutes(http::Router& router, State& state);
void registerMeetingRoutes(http::Router& router, State& state);
void registerHealthRoutes(http::Router& router, State& state);
void registerRecordingRoutes(http::Router& router, State& state);
void registerPushRoutes(http::Router& router, State& state);
void registerInvitationRoutes(http::Router& router, State& state);

}  // namespace fluxmeet::api
