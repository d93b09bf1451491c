#pragma once
// Declarative validation of JSON request bodies (REST) and signaling messages: each body has
// one Schema (fields, types, limits), one validator turns violations into a ValidationFailed
// error naming the field ("settings.waitingRoom"). Unknown fields are refused so typos surface.
#include <cstddef>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::http {

enum class JsonType { String, Integer, Number, Boolean, Object, Array, Any };

struct Schema;

struct FieldRule {
  std::string name;
  JsonType type = JsonType::String;
  bool required = false;
  bool nullable = false;
  std::size_t minLength = 0;  // strings: Unicode code points; arrays: elements
  std::size_t maxLength = std::numeric_limits<std::size_t>::max();
  std::optional<double> minimum;
  std::optional<double> maximum;
  std::vector<std::string> oneOf;  // allowed string values
  const Schema* object = nullptr;  // nested object schema
};

struct Schema {
  std::vector<FieldRule> fields;
  bool allowUnknownFields = false;
};

// Parses a body that must be one JSON object: bounded nesting depth, strict UTF-8.
Result<nlohmann::json> parseJsonObject(std::string_view body, int maxDepth = 16);
Result<void> validate(const nlohmann::json& value, const Schema& schema, std::string_view prefix = {});

// Typed read of a validated optional field.
template <class T>
std::optional<T> optionalField(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return std::nullopt;
  return it->get<T>();
}

}  // namespace fluxmeet::http
