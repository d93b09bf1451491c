// The signed-in user's own account: profile, password, devices (sessions), deletion.
#include "api_state.hpp"
#include "fluxmeet/auth/credentials_policy.hpp"
#include "fluxmeet/common/clock.hpp"

namespace fluxmeet::api {
namespace asio = boost::asio;
namespace bhttp = http::bhttp;
using http::FieldRule;
using http::JsonType;
using http::Request;
using http::Response;

namespace {

const http::Schema kProfileSchema{{
    FieldRule{.name = "username", .type = JsonType::String, .maxLength = 64},
    FieldRule{.name = "email", .type = JsonType::String, .maxLength = 254},
}};
const http::Schema kPasswordSchema{{
    FieldRule{.name = "currentPassword", .type = JsonType::String, .required = true, .maxLength = 256},
    FieldRule{.name = "newPassword", .type = JsonType::String, .required = true, .maxLength = 256},
}};
const http::Schema kDeleteSchema{{
    FieldRule{.name = "password", .type = JsonType::String, .required = true, .maxLength = 256},
}};

asio::awaitable<bool> passwordMatches(State& state, const store::User& user, const std::string& password) {
  const auth::PasswordHasher& hasher = state.services.passwords;
  auto verifyTask = [&hasher, &user, &password] { return hasher.verify(user.passwordHash, password); };
  co_return co_await runBlocking(state.services.blockingPool, verifyTask);
}

asio::awaitable<Response> getMe(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  co_return http::jsonResponse(bhttp::status::ok, {{"user", userJson(authed->user)}});
}

asio::awaitable<Response> updateMe(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto body = readJsonBody(request, kProfileSchema);
  if (!body) co_return http::errorResponse(body.error());
  store::UserUpdate update{.now = unixNow()};
  if (auto username = http::optionalField<std::string>(*body, "username")) {
    auto ok = auth::checkUsername(*username);
    if (!ok) co_return http::errorResponse(ok.error());
    update.username = std::string(auth::trimWhitespace(*username));
  }
  if (auto email = http::optionalField<std::string>(*body, "email")) {
    auto normalized = auth::normalizeEmail(*email);
    if (!normalized) co_return http::errorResponse(normalized.error());
    update.email = *normalized;
  }
  auto user = state.services.store.updateUser(authed->user.id, update);
  if (!user) {
    if (user.error().code == ErrorCode::Conflict) {
      co_return http::errorResponse(ErrorCode::Conflict, "an account with this email already exists", "email");
    }
    co_return http::errorResponse(user.error());
  }
  co_return http::jsonResponse(bhttp::status::ok, {{"user", userJson(*user)}});
}

asio::awaitable<Response> changePassword(State& state, Request& request) {
  if (PasswordWorkSlot::saturated(state)) co_return serverBusy();
  PasswordWorkSlot slot(state);
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto body = readJsonBody(request, kPasswordSchema);
  if (!body) co_return http::errorResponse(body.error());
  std::string newPassword = (*body)["newPassword"].get<std::string>();
  auto policy = auth::checkPassword(newPassword);
  if (!policy) {
    Error error = policy.error();
    error.field = "newPassword";
    co_return http::errorResponse(error);
  }
  const std::string currentPassword = (*body)["currentPassword"].get<std::string>();
  if (!co_await passwordMatches(state, authed->user, currentPassword)) {
    co_return http::errorResponse(ErrorCode::ValidationFailed, "current password is incorrect", "currentPassword");
  }
  const auth::PasswordHasher& hasher = state.services.passwords;
  auto hashTask = [&hasher, &newPassword] { return hasher.hash(newPassword); };
  auto hash = co_await runBlocking(state.services.blockingPool, hashTask);
  if (!hash) co_return http::errorResponse(hash.error());
  // Every other device is signed out: whoever knew the old password loses access now.
  auto updated = state.services.store.updatePassword(authed->user.id, *hash, authed->sessionId, unixNow());
  if (!updated) co_return http::errorResponse(updated.error());
  co_return http::noContent();
}

asio::awaitable<Response> deleteMe(State& state, Request& request) {
  if (PasswordWorkSlot::saturated(state)) co_return serverBusy();
  PasswordWorkSlot slot(state);
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto body = readJsonBody(request, kDeleteSchema);
  if (!body) co_return http::errorResponse(body.error());
  const std::string password = (*body)["password"].get<std::string>();
  if (!co_await passwordMatches(state, authed->user, password)) {
    co_return http::errorResponse(ErrorCode::ValidationFailed, "password is incorrect", "password");
  }
  auto deleted = state.services.store.deleteUser(authed->user.id, unixNow());
  if (!deleted) co_return http::errorResponse(deleted.error());
  Response response = http::noContent();
  response.set(bhttp::field::set_cookie, "fm_refresh=; Path=/api/v1/auth; HttpOnly; SameSite=Strict; Max-Age=0");
  co_return response;
}

asio::awaitable<Response> listSessions(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto sessions = state.services.store.listActiveSessions(authed->user.id, unixNow());
  if (!sessions) co_return http::errorResponse(sessions.error());
  nlohmann::json items = nlohmann::json::array();
  for (const store::Session& session : *sessions) {
    items.push_back({{"id", session.id},
                     {"createdAt", isoUtc(session.createdAt)},
                     {"lastSeenAt", isoUtc(session.lastSeenAt)},
                     {"userAgent", session.userAgent},
                     {"ip", session.ip},
                     {"current", session.id == authed->sessionId}});
  }
  co_return http::jsonResponse(bhttp::status::ok, {{"items", items}});
}

asio::awaitable<Response> revokeSession(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  // Another user's session id answers NotFound, exactly like an unknown one.
  auto revoked = state.services.store.revokeSession(authed->user.id, std::string(request.param("id")), unixNow());
  if (!revoked) co_return http::errorResponse(revoked.error());
  co_return http::noContent();
}

asio::awaitable<Response> revokeOtherSessions(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  const UnixTime now = unixNow();
  auto sessions = state.services.store.listActiveSessions(authed->user.id, now);
  if (!sessions) co_return http::errorResponse(sessions.error());
  for (const store::Session& session : *sessions) {
    if (session.id == authed->sessionId) continue;
    auto revoked = state.services.store.revokeSession(authed->user.id, session.id, now);
    if (!revoked) co_return http::errorResponse(revoked.error());
  }
  co_return http::noContent();
}

}  // namespace

void registerUserRoutes(http::Router& router, State& state) {
  using bhttp::verb;
  router.add(verb::get, "/api/v1/users/me", withState(state, getMe));
  router.add(verb::patch, "/api/v1/users/me", withState(state, updateMe));
  router.add(verb::delete_, "/api/v1/users/me", withState(state, deleteMe));
  router.add(verb::post, "/api/v1/users/me/password", withState(state, changePassword));
  router.add(verb::get, "/api/v1/users/me/sessions", withState(state, listSessions));
  router.add(verb::delete_, "/api/v1/users/me/sessions", withState(state, revokeOtherSessions));
  router.add(verb::delete_, "/api/v1/users/me/sessions/{id}", withState(state, revokeSession));
}

}  // namespace fluxmeet::api
