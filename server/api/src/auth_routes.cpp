// Accounts: register, login, refresh (rotation with reuse detection), logout, forgot/reset password.
#include <spdlog/spdlog.h>

#include "api_state.hpp"
#include "fluxmeet/auth/credentials_policy.hpp"
#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/common/encoding.hpp"

namespace fluxmeet::api {
namespace asio = boost::asio;
namespace bhttp = http::bhttp;
using http::FieldRule;
using http::JsonType;
using http::Request;
using http::Response;

namespace {

constexpr const char* kRefreshCookie = "fm_refresh";
constexpr int kResetTokenSeconds = 30 * 60;

const http::Schema kRegisterSchema{{
    FieldRule{.name = "username", .type = JsonType::String, .required = true, .maxLength = 64},
    FieldRule{.name = "email", .type = JsonType::String, .required = true, .maxLength = 254},
    FieldRule{.name = "password", .type = JsonType::String, .required = true, .maxLength = 256},
}};
const http::Schema kLoginSchema{{
    FieldRule{.name = "email", .type = JsonType::String, .required = true, .maxLength = 254},
    FieldRule{.name = "password", .type = JsonType::String, .required = true, .maxLength = 256},
}};
const http::Schema kForgotSchema{{
    FieldRule{.name = "email", .type = JsonType::String, .required = true, .maxLength = 254},
}};
const http::Schema kResetSchema{{
    FieldRule{.name = "token", .type = JsonType::String, .required = true, .minLength = 1, .maxLength = 128},
    FieldRule{.name = "password", .type = JsonType::String, .required = true, .maxLength = 256},
}};

std::string refreshCookie(const State& state, const Request& request, const std::string& token) {
  std::string cookie = std::string(kRefreshCookie) + "=" + token +
                       "; Path=/api/v1/auth; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string(state.options.refreshTokenSeconds);
  if (request.secure) cookie += "; Secure";
  return cookie;
}

std::string clearedRefreshCookie(const Request& request) {
  std::string cookie = std::string(kRefreshCookie) + "=; Path=/api/v1/auth; HttpOnly; SameSite=Strict; Max-Age=0";
  if (request.secure) cookie += "; Secure";
  return cookie;
}

std::string accessTokenFor(const State& state, store::Id userId, const std::string& sessionId, UnixTime now) {
  auth::AccessClaims claims;
  claims.subject = std::to_string(userId);
  claims.sessionId = sessionId;
  claims.kind = "user";
  claims.issuedAt = now;
  claims.expiresAt = now + state.options.accessTokenSeconds;
  claims.jwtId = auth::newJwtId();
  return state.services.jwt.sign(claims);
}

// A new session (signed-in device) with its first refresh token, answered as {user, accessToken}.
Result<Response> startSession(State& state, const Request& request, const store::User& user, bhttp::status status) {
  const UnixTime now = unixNow();
  const std::string refreshToken = randomToken(32);
  store::NewSession session{
      .id = randomToken(16),
      .userId = user.id,
      .refreshTokenHash = sha256Hex(refreshToken),
      .now = now,
      .expiresAt = now + state.options.refreshTokenSeconds,
      .userAgent = std::string(request.header(bhttp::field::user_agent).substr(0, 256)),
      .ip = request.remoteIp,
  };
  auto created = state.services.store.createSession(session);
  if (!created) return created.error();
  Response response = http::jsonResponse(status, {{"user", userJson(user)},
                                                  {"accessToken", accessTokenFor(state, user.id, session.id, now)},
                                                  {"expiresIn", state.options.accessTokenSeconds}});
  response.set(bhttp::field::set_cookie, refreshCookie(state, request, refreshToken));
  return response;
}

asio::awaitable<Response> registerUser(State& state, Request& request) {
  if (PasswordWorkSlot::saturated(state)) co_return serverBusy();
  PasswordWorkSlot slot(state);
  if (auto decision = state.registerByIp.take(request.remoteIp, std::chrono::steady_clock::now()); !decision.allowed) {
    co_return rateLimited(decision.retryAfterSeconds);
  }
  auto body = readJsonBody(request, kRegisterSchema);
  if (!body) co_return http::errorResponse(body.error());
  std::string username = (*body)["username"].get<std::string>();
  auto usernameOk = auth::checkUsername(username);
  if (!usernameOk) co_return http::errorResponse(usernameOk.error());
  auto email = auth::normalizeEmail((*body)["email"].get<std::string>());
  if (!email) co_return http::errorResponse(email.error());
  std::string password = (*body)["password"].get<std::string>();
  auto passwordOk = auth::checkPassword(password);
  if (!passwordOk) co_return http::errorResponse(passwordOk.error());

  const auth::PasswordHasher& hasher = state.services.passwords;
  auto hashTask = [&hasher, &password] { return hasher.hash(password); };
  auto hash = co_await runBlocking(state.services.blockingPool, hashTask);
  if (!hash) co_return http::errorResponse(hash.error());

  auto user = state.services.store.createUser(store::NewUser{
      .username = std::string(auth::trimWhitespace(username)), .email = *email, .passwordHash = *hash, .now = unixNow()});
  if (!user) {
    if (user.error().code == ErrorCode::Conflict) {
      co_return http::errorResponse(ErrorCode::Conflict, "an account with this email already exists", "email");
    }
    co_return http::errorResponse(user.error());
  }
  auto response = startSession(state, request, *user, bhttp::status::created);
  co_return response ? std::move(*response) : http::errorResponse(response.error());
}

asio::awaitable<Response> login(State& state, Request& request) {
  if (PasswordWorkSlot::saturated(state)) co_return serverBusy();
  PasswordWorkSlot slot(state);
  auto body = readJsonBody(request, kLoginSchema);
  if (!body) co_return http::errorResponse(body.error());
  std::string email = (*body)["email"].get<std::string>();
  auto normalized = auth::normalizeEmail(email);
  if (normalized) email = *normalized;

  const auto now = std::chrono::steady_clock::now();
  auto byIp = state.loginByIp.take(request.remoteIp, now);
  auto byAccount = state.loginByAccount.take(email, now);
  if (!byIp.allowed || !byAccount.allowed) {
    co_return rateLimited(std::max(byIp.retryAfterSeconds, byAccount.retryAfterSeconds));
  }

  auto user = state.services.store.findUserByEmail(email);
  // Unknown emails still pay for one verification so response time does not reveal accounts.
  std::string encoded = user ? user->passwordHash : state.dummyPasswordHash;
  std::string password = (*body)["password"].get<std::string>();
  const auth::PasswordHasher& hasher = state.services.passwords;
  auto verifyTask = [&hasher, &encoded, &password] { return hasher.verify(encoded, password); };
  bool verified = co_await runBlocking(state.services.blockingPool, verifyTask);
  if (!user || !verified) {
    co_return http::errorResponse(ErrorCode::Unauthorized, "email or password is incorrect");
  }
  state.loginByAccount.reset(email);
  auto response = startSession(state, request, *user, bhttp::status::ok);
  co_return response ? std::move(*response) : http::errorResponse(response.error());
}

asio::awaitable<Response> refresh(State& state, Request& request) {
  auto presented = request.cookie(kRefreshCookie);
  if (!presented || presented->empty()) {
    co_return http::errorResponse(ErrorCode::Unauthorized, "no session");
  }
  const UnixTime now = unixNow();
  const std::string nextToken = randomToken(32);
  auto session = state.services.store.rotateRefreshToken(store::RefreshRotation{
      .presentedTokenHash = sha256Hex(*presented),
      .newTokenHash = sha256Hex(nextToken),
      .now = now,
      .newExpiresAt = now + state.options.refreshTokenSeconds,
  });
  if (!session) {
    Response response = http::errorResponse(ErrorCode::Unauthorized, session.error().message);
    response.set(bhttp::field::set_cookie, clearedRefreshCookie(request));
    co_return response;
  }
  auto user = state.services.store.findUserById(session->userId);
  if (!user) co_return http::errorResponse(ErrorCode::Unauthorized, "account no longer exists");
  Response response =
      http::jsonResponse(bhttp::status::ok, {{"user", userJson(*user)},
                                             {"accessToken", accessTokenFor(state, user->id, session->id, now)},
                                             {"expiresIn", state.options.accessTokenSeconds}});
  response.set(bhttp::field::set_cookie, refreshCookie(state, request, nextToken));
  co_return response;
}

asio::awaitable<Response> logout(State& state, Request& request) {
  const UnixTime now = unixNow();
  if (auto token = request.cookie(kRefreshCookie); token && !token->empty()) {
    if (auto session = state.services.store.findSessionByRefreshToken(sha256Hex(*token), now)) {
      (void)state.services.store.revokeSession(session->userId, session->id, now);
    }
  }
  if (auto authed = authenticate(state, request)) {
    (void)state.services.store.revokeSession(authed->user.id, authed->sessionId, now);
  }
  Response response = http::noContent();
  response.set(bhttp::field::set_cookie, clearedRefreshCookie(request));
  // The recordings cookie dies with the session anyway; the browser need not keep it.
  response.insert(bhttp::field::set_cookie, "fm_media=; Path=/api/v1/recordings; HttpOnly; SameSite=Strict; Max-Age=0");
  co_return response;
}

asio::awaitable<Response> forgotPassword(State& state, Request& request) {
  if (auto decision = state.resetByIp.take(request.remoteIp, std::chrono::steady_clock::now()); !decision.allowed) {
    co_return rateLimited(decision.retryAfterSeconds);
  }
  auto body = readJsonBody(request, kForgotSchema);
  if (!body) co_return http::errorResponse(body.error());
  auto email = auth::normalizeEmail((*body)["email"].get<std::string>());
  if (!email) co_return http::errorResponse(email.error());
  // The answer is 202 whether or not the account exists, so this cannot be used to find accounts.
  auto user = state.services.store.findUserByEmail(*email);
  const std::string linkBase = mailLinkBaseUrl(state, request);
  if (user && linkBase.empty()) {
    spdlog::warn("password reset for user {} not sent: set PUBLIC_URL so reset links can be built safely", user->id);
  } else if (user) {
    const UnixTime now = unixNow();
    const std::string token = randomToken(32);
    auto stored = state.services.store.createPasswordReset(user->id, sha256Hex(token), now, now + kResetTokenSeconds);
    if (stored) {
      // The token travels in the URL fragment, which browsers never send to servers or in Referer.
      MailMessage message{
          .to = user->email,
          .subject = "Reset your Flux Meet password",
          .body = "Someone asked to reset the password of your Flux Meet account.\n\nOpen this link within 30 "
                  "minutes to choose a new password:\n" +
                  linkBase + "/reset-password#token=" + token +
                  "\n\nIf it was not you, ignore this message; your password stays as it is.\n",
      };
      Mailer* mailer = state.mailer.get();
      auto sendTask = [mailer, &message] { return mailer->send(message); };
      auto sent = co_await runBlocking(state.services.blockingPool, sendTask);
      if (!sent) spdlog::warn("password reset mail for user {} not delivered", user->id);
    }
  }
  co_return http::jsonResponse(bhttp::status::accepted,
                               {{"message", "if an account exists for this email, a reset link is on its way"}});
}

asio::awaitable<Response> resetPassword(State& state, Request& request) {
  if (PasswordWorkSlot::saturated(state)) co_return serverBusy();
  PasswordWorkSlot slot(state);
  auto body = readJsonBody(request, kResetSchema);
  if (!body) co_return http::errorResponse(body.error());
  std::string password = (*body)["password"].get<std::string>();
  auto passwordOk = auth::checkPassword(password);
  if (!passwordOk) co_return http::errorResponse(passwordOk.error());
  const auth::PasswordHasher& hasher = state.services.passwords;
  auto hashTask = [&hasher, &password] { return hasher.hash(password); };
  auto hash = co_await runBlocking(state.services.blockingPool, hashTask);
  if (!hash) co_return http::errorResponse(hash.error());
  auto consumed =
      state.services.store.consumePasswordReset(sha256Hex((*body)["token"].get<std::string>()), *hash, unixNow());
  if (!consumed) {
    co_return http::errorResponse(ErrorCode::ValidationFailed, "this reset link is invalid, used or expired", "token");
  }
  co_return http::noContent();
}

}  // namespace

void registerAuthRoutes(http::Router& router, State& state) {
  using bhttp::verb;
  router.add(verb::post, "/api/v1/auth/register", withState(state, registerUser));
  router.add(verb::post, "/api/v1/auth/login", withState(state, login));
  router.add(verb::post, "/api/v1/auth/refresh", withState(state, refresh), {.bodyLimit = 1024});
  router.add(verb::post, "/api/v1/auth/logout", withState(state, logout), {.bodyLimit = 1024});
  router.add(verb::post, "/api/v1/auth/forgot-password", withState(state, forgotPassword));
  router.add(verb::post, "/api/v1/auth/reset-password", withState(state, resetPassword));
}

}  // namespace fluxmeet::api
