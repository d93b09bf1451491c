#pragma once
// What a route handler sees of an HTTP request: the parsed message, path parameters
// ("/meetings/{code}" -> params["code"]), the peer address and typed accessors.
#include <boost/beast/http.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace fluxmeet::http {

namespace bhttp = boost::beast::http;
using BeastRequest = bhttp::request<bhttp::string_body>;

struct Request {
  BeastRequest message;
  std::string path;   // decoded path without the query
  std::string query;  // raw query string without '?'
  std::map<std::string, std::string, std::less<>> params;
  std::string remoteIp;
  bool secure = false;  // arrived over TLS

  bhttp::verb method() const { return message.method(); }
  std::string_view header(bhttp::field field) const;
  std::string_view header(std::string_view name) const;
  std::optional<std::string> queryParam(std::string_view name) const;
  std::optional<std::string> cookie(std::string_view name) const;
  // "Authorization: Bearer <token>" -> token; empty when absent or another scheme.
  std::string_view bearerToken() const;
  std::string_view param(std::string_view name) const;
};

// Percent-decodes a URL component; nullopt on a malformed escape or an embedded NUL.
std::optional<std::string> percentDecode(std::string_view text, bool plusAsSpace);

}  // namespace fluxmeet::http
