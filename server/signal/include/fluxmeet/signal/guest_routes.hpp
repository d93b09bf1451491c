#pragma once
// POST /api/v1/meetings/{code}/guest {displayName}: a guest token for one meeting (no account).
// 201 {guestToken, expiresIn}; 404 unknown meeting; 403 guests not allowed; 429 over 10 per
// minute from one IP. The token is a JWT with kind "guest", sub "guest:<random>", mtg and name.
#include "fluxmeet/auth/jwt.hpp"
#include "fluxmeet/common/rate_limiter.hpp"
#include "fluxmeet/http/router.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::signal {

class GuestRoutes {
 public:
  static constexpr int kTokenSeconds = 2 * 3600;
  static constexpr int kRequestsPerMinute = 10;

  GuestRoutes(store::Store& store, const auth::JwtCodec& jwt);
  void registerRoutes(http::Router& router);

  // The handler (public for the route binding; takes references only, see runBlocking's note on GCC PR 99576).
  boost::asio::awaitable<http::Response> createGuestToken(http::Request& request);

 private:
  store::Store& store_;
  const auth::JwtCodec& jwt_;
  RateLimiter byIp_;
};

}  // namespace fluxmeet::signal
