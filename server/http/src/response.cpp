#include "fluxmeet/http/response.hpp"

#include <nlohmann/json.hpp>

namespace fluxmeet::http {

bhttp::status errorStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidRequest: return bhttp::status::bad_request;
    case ErrorCode::ValidationFailed: return bhttp::status::bad_request;
    case ErrorCode::Unauthorized: return bhttp::status::unauthorized;
    case ErrorCode::Forbidden: return bhttp::status::forbidden;
    case ErrorCode::NotFound: return bhttp::status::not_found;
    case ErrorCode::Conflict: return bhttp::status::conflict;
    case ErrorCode::PayloadTooLarge: return bhttp::status::payload_too_large;
    case ErrorCode::UnsupportedMediaType: return bhttp::status::unsupported_media_type;
    case ErrorCode::Unprocessable: return bhttp::status::unprocessable_entity;
    case ErrorCode::RateLimited: return bhttp::status::too_many_requests;
    case ErrorCode::Unavailable: return bhttp::status::service_unavailable;
    case ErrorCode::Internal: return bhttp::status::internal_server_error;
  }
  return bhttp::status::internal_server_error;
}

Response jsonResponse(bhttp::status status, const nlohmann::json& body) {
  // Replace invalid UTF-8 rather than throw: a stored string must never turn a reply into a 500.
  return encodedJsonResponse(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response encodedJsonResponse(bhttp::status status, std::string body) {
  Response response{status, 11};
  response.set(bhttp::field::content_type, "application/json");
  response.set(bhttp::field::cache_control, "no-store");
  response.body() = std::move(body);
  return response;
}

Response errorResponse(const Error& error) {
  nlohmann::json detail{{"code", errorCodeName(error.code)}, {"message", error.message}};
  if (!error.field.empty()) detail["field"] = error.field;
  return jsonResponse(errorStatus(error.code), {{"error", detail}});
}

Response errorResponse(ErrorCode code, std::string message, std::string field) {
  return errorResponse(makeError(code, std::move(message), std::move(field)));
}

Response noContent() {
  Response response{bhttp::status::no_content, 11};
  response.set(bhttp::field::cache_control, "no-store");
  return response;
}

Response textResponse(bhttp::status status, std::string body, std::string_view contentType) {
  Response response{status, 11};
  response.set(bhttp::field::content_type, contentType);
  response.body() = std::move(body);
  return response;
}

}  // namespace fluxmeet::http
