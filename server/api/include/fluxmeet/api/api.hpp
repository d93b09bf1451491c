#pragma once
// REST API under /api/v1 (docs/api.md) plus /healthz, /readyz and /metrics.
// Handlers run on the control thread; Argon2id hashing and mail delivery run on the blocking pool.
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>

#include "fluxmeet/auth/jwt.hpp"
#include "fluxmeet/auth/password_hasher.hpp"
#include "fluxmeet/http/metrics.hpp"
#include "fluxmeet/http/router.hpp"
#include "fluxmeet/meeting/recording_service.hpp"
#include "fluxmeet/notify/notifier.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::api {

class Mailer;

struct ApiOptions {
  std::string publicUrl;  // links in mails and invites; empty: derived from the request's Host
  bool dev = false;       // dev without SMTP: password-reset links are written to the log
  std::string smtpUrl;
  std::string smtpFrom;
  int loginAttemptsPerMinute = 10;
  int accessTokenSeconds = 15 * 60;
  int refreshTokenSeconds = 30 * 24 * 3600;
};

struct ApiServices {
  store::Store& store;
  const auth::JwtCodec& jwt;
  const auth::PasswordHasher& passwords;
  boost::asio::thread_pool& blockingPool;
  http::Metrics& metrics;
  meeting::RecordingService* recordings = nullptr;  // null: the recordings routes answer 503
  notify::Notifier* notifier = nullptr;  // Web Push; null: the push routes answer 503
};

class Api {
 public:
  Api(ApiServices services, ApiOptions options);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  void registerRoutes(http::Router& router);

  struct State;  // defined in src/api_state.hpp; opaque to users of the module

 private:
  std::unique_ptr<State> state_;
};

}  // namespace fluxmeet::api
