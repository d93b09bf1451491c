#pragma once
// The one way this module turns JSON into text: compact, keys sorted (nlohmann::json keeps
// objects in a std::map), and never throwing. Every string was checked for UTF-8 before it got
// here; `replace` only guards against a caller that skipped validation.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace fluxmeet::whiteboard {

inline std::string jsonText(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The board's lists of elements (accepted ones, a snapshot page) are JSON text without the
// array's brackets, so that lists can be joined: appends one item.
inline void appendToList(std::string& list, std::string_view item) {
  if (!list.empty()) list += ',';
  list += item;
}

}  // namespace fluxmeet::whiteboard
