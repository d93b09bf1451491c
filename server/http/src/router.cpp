#include "fluxmeet/http/router.hpp"

namespace fluxmeet::http {
namespace {

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

bool matches(const Route& route, const std::vector<std::string>& segments, Request* request) {
  if (route.segments.size() != segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& expected = route.segments[i];
    bool isParam = expected.size() > 2 && expected.front() == '{' && expected.back() == '}';
    if (isParam) {
      if (segments[i].empty()) return false;
      if (request) request->params[expected.substr(1, expected.size() - 2)] = segments[i];
    } else if (expected != segments[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

void Router::add(bhttp::verb method, std::string pattern, Handler handler, RouteOptions options) {
  auto segments = splitPath(pattern);
  routes_.push_back(Route{method, std::move(pattern), std::move(segments), std::move(handler), options});
}

RouteMatch Router::match(bhttp::verb method, const std::string& path, Request& request) const {
  auto segments = splitPath(path);
  RouteMatch result;
  for (const Route& route : routes_) {
    if (!matches(route, segments, nullptr)) continue;
    bool sameMethod = route.method == method || (method == bhttp::verb::head && route.method == bhttp::verb::get);
    if (sameMethod) {
      request.params.clear();
      matches(route, segments, &request);
      result.kind = RouteMatch::Kind::Found;
      result.route = &route;
      return result;
    }
    result.kind = RouteMatch::Kind::MethodNotAllowed;
    if (!result.allowedMethods.empty()) result.allowedMethods += ", ";
    result.allowedMethods += std::string(bhttp::to_string(route.method));
  }
  return result;
}

bool Router::owns(const std::string& path) const {
  auto segments = splitPath(path);
  for (const Route& route : routes_) {
    if (matches(route, segments, nullptr)) return true;
  }
  return false;
}

}  // namespace fluxmeet::http
