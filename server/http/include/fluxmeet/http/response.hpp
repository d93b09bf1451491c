#pragma once
// Response helpers: every API error leaves the server as {"error":{"code","message","field"?}}
// with the status that errorStatus() assigns to its ErrorCode, decided in one place.
#include <boost/beast/http.hpp>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::http {

namespace bhttp = boost::beast::http;
using Response = bhttp::response<bhttp::string_body>;

bhttp::status errorStatus(ErrorCode code);

Response jsonResponse(bhttp::status status, const nlohmann::json& body);
// The same for a body that is already JSON text (built by the server from stored JSON).
Response encodedJsonResponse(bhttp::status status, std::string body);
Response errorResponse(const Error& error);
Response errorResponse(ErrorCode code, std::string message, std::string field = {});
Response noContent();
Response textResponse(bhttp::status status, std::string body, std::string_view contentType);

}  // namespace fluxmeet::http
