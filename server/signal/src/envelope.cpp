#include "envelope.hpp"

#include "fluxmeet/common/encoding.hpp"
#include "fluxmeet/http/json_schema.hpp"

namespace fluxmeet::signal {

namespace {

// Ids are integers a JavaScript client can represent exactly (Number.MAX_SAFE_INTEGER).
const http::Schema kEnvelope{{
    {.name = "id", .type = http::JsonType::Integer, .required = true, .minimum = 0, .maximum = 9007199254740991.0},
    {.name = "method", .type = http::JsonType::String, .required = true, .minLength = 1, .maxLength = 64},
    {.name = "data", .type = http::JsonType::Object},
}};

std::string dump(const nlohmann::json& value) {
  // Strings come from validated input or the store; replace rather than throw on anything odd.
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Result<Request> parseRequest(std::string_view text, nlohmann::json& id) {
  id = nullptr;
  auto parsed = http::parseJsonObject(text);
  if (!parsed) return makeError(ErrorCode::InvalidRequest, "message must be one JSON object");
  if (auto it = parsed->find("id"); it != parsed->end() && it->is_number_integer() && *it >= 0) id = *it;
  auto valid = http::validate(*parsed, kEnvelope);
  if (!valid) {
    Error error = valid.error();
    error.code = ErrorCode::InvalidRequest;
    return error;
  }
  Request request{(*parsed)["id"], (*parsed)["method"].get<std::string>(), nlohmann::json::object()};
  if (auto it = parsed->find("data"); it != parsed->end()) request.data = std::move(*it);
  return request;
}

std::string okResponse(const nlohmann::json& id, const nlohmann::json& data) {
  return dump({{"id", id}, {"ok", true}, {"data", data}});
}

std::string encodedOkResponse(const nlohmann::json& id, std::string_view dataJson) {
  return jsonObjectText({{"data", dataJson}, {"id", dump(id)}, {"ok", "true"}});
}

std::string errorResponse(const nlohmann::json& id, std::string_view code, std::string_view message,
                          std::string_view field) {
  nlohmann::json error{{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  return dump({{"id", id}, {"ok", false}, {"error", error}});
}

std::string errorResponse(const nlohmann::json& id, const Error& error) {
  return errorResponse(id, errorCodeName(error.code), error.message, error.field);
}

std::string notification(std::string_view method, const nlohmann::json& data) {
  return dump({{"method", method}, {"data", data}});
}

std::string encodedNotification(std::string_view method, std::string_view dataJson) {
  return jsonObjectText({{"data", dataJson}, {"method", dump(nlohmann::json(method))}});
}

}  // namespace fluxmeet::signal
