#pragma once
// Route table: (method, pattern) -> handler. Patterns are literal segments and {name}
// parameters ("/api/v1/meetings/{code}/history"). The pattern, not the raw path, labels
// metrics so their cardinality stays bounded.
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "fluxmeet/http/request.hpp"
#include "fluxmeet/http/response.hpp"

namespace fluxmeet::http {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

struct RouteOptions {
  std::size_t bodyLimit = 64 * 1024;
};

struct Route {
  bhttp::verb method;
  std::string pattern;
  std::vector<std::string> segments;
  Handler handler;
  RouteOptions options;
};

struct RouteMatch {
  enum class Kind { Found, NotFound, MethodNotAllowed } kind = Kind::NotFound;
  const Route* route = nullptr;
  std::string allowedMethods;  // for 405
};

class Router {
 public:
  void add(bhttp::verb method, std::string pattern, Handler handler, RouteOptions options = {});
  // Fills request.params on a match.
  RouteMatch match(bhttp::verb method, const std::string& path, Request& request) const;
  // True when some route's pattern could serve this path (used to keep /api/* out of the SPA fallback).
  bool owns(const std::string& path) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace fluxmeet::http
