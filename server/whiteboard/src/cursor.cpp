#include "fluxmeet/whiteboard/cursor.hpp"

#include <cmath>
#include <string>

#include "fluxmeet/whiteboard/element.hpp"

namespace fluxmeet::whiteboard {

namespace {

// Same bound as element coordinates (ElementLimits::maxCoordinate).
constexpr double kMaxCursorCoordinate = 1e7;

Error invalid(std::string message, std::string field) {
  return makeError(ErrorCode::ValidationFailed, std::move(message), std::move(field));
}

Result<std::string> oneOf(const nlohmann::json& cursor, const char* key, std::string_view first, std::string_view second) {
  const auto it = cursor.find(key);
  if (it == cursor.end()) return std::string(first);
  if (it->is_string()) {
    const auto& value = it->get_ref<const std::string&>();
    if (value == first || value == second) return value;
  }
  return invalid("must be \"" + std::string(first) + "\" or \"" + std::string(second) + "\"", std::string("cursor.") + key);
}

}  // namespace

Result<nlohmann::json> parseCursor(const nlohmann::json& cursor) {
  if (!cursor.is_object()) return invalid("must be an object", "cursor");
  nlohmann::json out = nlohmann::json::object();
  for (const char* key : {"x", "y"}) {
    const auto it = cursor.find(key);
    if (it == cursor.end() || !it->is_number() || !std::isfinite(it->get<double>()) ||
        std::fabs(it->get<double>()) > kMaxCursorCoordinate) {
      return invalid("must be a coordinate", std::string("cursor.") + key);
    }
    out[key] = it->get<double>();
  }
  auto tool = oneOf(cursor, "tool", "pointer", "laser");
  if (!tool) return std::move(tool).takeError();
  out["tool"] = *tool;
  auto button = oneOf(cursor, "button", "up", "down");
  if (!button) return std::move(button).takeError();
  out["button"] = *button;

  nlohmann::json selection = nlohmann::json::object();
  if (const auto it = cursor.find("selectedElementIds"); it != cursor.end()) {
    if (!it->is_object()) return invalid("must be an object of ids", "cursor.selectedElementIds");
    for (const auto& [id, selected] : it->items()) {
      if (!isValidId(id) || !selected.is_boolean()) return invalid("must map ids to true", "cursor.selectedElementIds");
      if (selected.get<bool>() && selection.size() < kMaxCursorSelection) selection[id] = true;
    }
  }
  out["selectedElementIds"] = std::move(selection);
  return out;
}

}  // namespace fluxmeet::whiteboard
