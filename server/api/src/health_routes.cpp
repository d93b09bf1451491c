// Operator endpoints: liveness, readiness (database reachable) and Prometheus metrics.
#include "api_state.hpp"

namespace fluxmeet::api {
namespace asio = boost::asio;
namespace bhttp = http::bhttp;
using http::Request;
using http::Response;

void registerHealthRoutes(http::Router& router, State& state) {
  router.add(bhttp::verb::get, "/healthz", [](Request&) -> asio::awaitable<Response> {
    co_return http::jsonResponse(bhttp::status::ok, {{"status", "ok"}});
  });
  router.add(bhttp::verb::get, "/readyz", [&state](Request&) -> asio::awaitable<Response> {
    auto ping = state.services.store.ping();
    if (!ping) {
      state.services.metrics.countDatabaseError();
      co_return http::errorResponse(ErrorCode::Unavailable, "database unreachable");
    }
    co_return http::jsonResponse(bhttp::status::ok, {{"status", "ready"}});
  });
  router.add(bhttp::verb::get, "/metrics", [&state](Request&) -> asio::awaitable<Response> {
    co_return http::textResponse(bhttp::status::ok, state.services.metrics.render(),
                                 "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace fluxmeet::api
