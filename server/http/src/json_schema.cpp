#include "fluxmeet/http/json_schema.hpp"

#include <algorithm>
#include <cmath>

namespace fluxmeet::http {
namespace {

std::string_view typeName(JsonType type) {
  switch (type) {
    case JsonType::String: return "a string";
    case JsonType::Integer: return "an integer";
    case JsonType::Number: return "a number";
    case JsonType::Boolean: return "a boolean";
    case JsonType::Object: return "an object";
    case JsonType::Array: return "an array";
    case JsonType::Any: return "a value";
  }
  return "a value";
}

bool hasType(const nlohmann::json& value, JsonType type) {
  switch (type) {
    case JsonType::String: return value.is_string();
    case JsonType::Integer: return value.is_number_integer();
    case JsonType::Number: return value.is_number();
    case JsonType::Boolean: return value.is_boolean();
    case JsonType::Object: return value.is_object();
    case JsonType::Array: return value.is_array();
    case JsonType::Any: return true;
  }
  return false;
}

std::size_t codePoints(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

int nestingDepth(std::string_view body) {
  int depth = 0;
  int deepest = 0;
  bool inString = false;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (inString) {
      if (c == '\\') ++i;
      else if (c == '"') inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

Error fieldError(const std::string& field, std::string message) {
  return makeError(ErrorCode::ValidationFailed, field + " " + message, field);
}

}  // namespace

Result<nlohmann::json> parseJsonObject(std::string_view body, int maxDepth) {
  if (nestingDepth(body) > maxDepth) return makeError(ErrorCode::InvalidRequest, "JSON nesting is too deep");
  // allow_exceptions=false: malformed input (including invalid UTF-8 in strings) yields a discarded value.
  auto value = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
  if (value.is_discarded()) return makeError(ErrorCode::InvalidRequest, "request body is not valid JSON");
  if (!value.is_object()) return makeError(ErrorCode::InvalidRequest, "request body must be a JSON object");
  return value;
}

Result<void> validate(const nlohmann::json& value, const Schema& schema, std::string_view prefix) {
  auto qualified = [&](const std::string& name) { return prefix.empty() ? name : std::string(prefix) + "." + name; };
  if (!value.is_object()) {
    return makeError(ErrorCode::ValidationFailed, "expected an object", std::string(prefix));
  }
  if (!schema.allowUnknownFields) {
    for (const auto& item : value.items()) {
      bool known = std::any_of(schema.fields.begin(), schema.fields.end(),
                               [&](const FieldRule& rule) { return rule.name == item.key(); });
      if (!known) return fieldError(qualified(item.key()), "is not a known field");
    }
  }
  for (const FieldRule& rule : schema.fields) {
    const std::string field = qualified(rule.name);
    auto it = value.find(rule.name);
    if (it == value.end()) {
      if (rule.required) return fieldError(field, "is required");
      continue;
    }
    if (it->is_null()) {
      if (rule.nullable) continue;
      return fieldError(field, rule.required ? "is required" : "must not be null");
    }
    if (!hasType(*it, rule.type)) return fieldError(field, "must be " + std::string(typeName(rule.type)));
    if (it->is_string()) {
      const auto& text = it->get_ref<const std::string&>();
      std::size_t length = codePoints(text);
      if (length < rule.minLength) {
        return fieldError(field, rule.minLength == 1 ? "must not be empty"
                                                     : "must be at least " + std::to_string(rule.minLength) +
                                                           " characters");
      }
      if (length > rule.maxLength) {
        return fieldError(field, "must be at most " + std::to_string(rule.maxLength) + " characters");
      }
      if (!rule.oneOf.empty() && std::find(rule.oneOf.begin(), rule.oneOf.end(), text) == rule.oneOf.end()) {
        std::string allowed;
        for (const auto& option : rule.oneOf) allowed += (allowed.empty() ? "" : ", ") + option;
        return fieldError(field, "must be one of: " + allowed);
      }
    }
    if (it->is_array()) {
      if (it->size() < rule.minLength) return fieldError(field, "has too few elements");
      if (it->size() > rule.maxLength) return fieldError(field, "has too many elements");
    }
    if (it->is_number()) {
      double number = it->get<double>();
      if (!std::isfinite(number)) return fieldError(field, "must be finite");
      if (rule.minimum && number < *rule.minimum) return fieldError(field, "must be at least " + std::to_string(static_cast<long long>(*rule.minimum)));
      if (rule.maximum && number > *rule.maximum) return fieldError(field, "must be at most " + std::to_string(static_cast<long long>(*rule.maximum)));
    }
    if (rule.object != nullptr) {
      auto nested = validate(*it, *rule.object, field);
      if (!nested) return nested;
    }
  }
  return {};
}

}  // namespace fluxmeet::http
