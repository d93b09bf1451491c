#pragma once
// The JSON envelope of docs/protocol.md: requests {"id","method","data"}, responses
// {"id","ok","data"|"error"} and notifications {"method","data"}, serialised to text frames.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::signal {

struct Request {
  nlohmann::json id;  // integer; null when unreadable
  std::string method;
  nlohmann::json data;  // object
};

// Parses and checks the envelope. On failure `id` is filled when it could be read, so the error
// response can still name the request.
Result<Request> parseRequest(std::string_view text, nlohmann::json& id);

std::string okResponse(const nlohmann::json& id, const nlohmann::json& data);
// The same, for data that is already JSON text (trusted: built by the server, not checked again).
std::string encodedOkResponse(const nlohmann::json& id, std::string_view dataJson);
std::string errorResponse(const nlohmann::json& id, std::string_view code, std::string_view message,
                          std::string_view field = {});
std::string errorResponse(const nlohmann::json& id, const Error& error);
std::string notification(std::string_view method, const nlohmann::json& data);
// The same, for data that is already JSON text (trusted: built by the server, not checked again).
std::string encodedNotification(std::string_view method, std::string_view dataJson);

}  // namespace fluxmeet::signal
