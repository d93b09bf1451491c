#include "fluxmeet/whiteboard/element.hpp"

#include <array>
#include <cmath>
#include <string>
#include <utility>

#include "fluxmeet/common/encoding.hpp"
#include "json_text.hpp"

namespace fluxmeet::whiteboard {

namespace {

using nlohmann::json;

constexpr std::array<std::pair<ElementType, std::string_view>, 9> kTypeNames{{
    {ElementType::Rectangle, "rectangle"},
    {ElementType::Diamond, "diamond"},
    {ElementType::Ellipse, "ellipse"},
    {ElementType::Text, "text"},
    {ElementType::Line, "line"},
    {ElementType::Arrow, "arrow"},
    {ElementType::Freedraw, "freedraw"},
    {ElementType::Image, "image"},
    {ElementType::Frame, "frame"},
}};

// Object keys are field names, not content: Excalidraw's longest is ~20 characters.
constexpr std::size_t kMaxKeyBytes = 64;
// An angle in radians; Excalidraw keeps it in [0, 2*pi), anything this far out is garbage.
constexpr double kMaxAngle = 1000;

Error invalid(std::string message, std::string field) {
  return makeError(ErrorCode::ValidationFailed, std::move(message), std::move(field));
}

Error tooLarge(std::string message, std::string field) {
  return makeError(ErrorCode::PayloadTooLarge, std::move(message), std::move(field));
}

// A number a browser can hold exactly or at least finitely: no inf (which nlohmann makes of
// 1e400 and would print as null), no integers beyond 2^53.
bool saneNumber(const json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxSafeInteger);
  if (value.is_number_integer()) {
    const auto number = value.get<std::int64_t>();
    return number >= -kMaxSafeInteger && number <= kMaxSafeInteger;
  }
  const double number = value.get<double>();
  return std::isfinite(number) && std::fabs(number) <= static_cast<double>(kMaxSafeInteger);
}

// Where a value sits, for error messages: a chain on the stack, turned into text
// ("elements[3].points[12]") only when a check fails, so that a valid freehand stroke of
// thousands of numbers costs no string work.
struct FieldPath {
  const FieldPath* parent = nullptr;  // none: `name` is the whole prefix
  std::string_view name;              // a member's name
  std::size_t index = 0;
  bool isIndex = false;               // an array item: `index`, not `name`

  std::string text() const {
    if (!parent) return std::string(name);
    std::string path = parent->text();
    if (isIndex) {
      path += '[';
      path += std::to_string(index);
      path += ']';
    } else {
      path += '.';
      path += name;
    }
    return path;
  }
  FieldPath member(std::string_view key) const { return {.parent = this, .name = key}; }
  FieldPath item(std::size_t i) const { return {.parent = this, .index = i, .isIndex = true}; }
};

// Limits one value and everything in it. `stringLimit`/`arrayLimit` apply to this value only;
// nested values get the defaults. Recursion is bounded by limits.maxDepth.
class Walker {
 public:
  explicit Walker(const ElementLimits& limits) : limits_(limits) {}

  Result<void> walk(const json& value, const FieldPath& field, int depth, std::size_t stringLimit,
                    std::size_t arrayLimit) const {
    switch (value.type()) {
      case json::value_t::string: {
        const auto& text = value.get_ref<const std::string&>();
        if (text.size() > stringLimit) return tooLarge("string is too long", field.text());
        if (!isValidUtf8(text)) return invalid("string is not valid UTF-8", field.text());
        return {};
      }
      case json::value_t::number_integer:
      case json::value_t::number_unsigned:
      case json::value_t::number_float:
        if (!saneNumber(value)) return invalid("number is out of range", field.text());
        return {};
      case json::value_t::array: {
        if (depth >= limits_.maxDepth) return invalid("nested too deep", field.text());
        if (value.size() > arrayLimit) return tooLarge("array has too many items", field.text());
        for (std::size_t i = 0; i < value.size(); ++i) {
          auto checked = walk(value[i], field.item(i), depth + 1, limits_.maxStringBytes, limits_.maxArrayItems);
          if (!checked) return checked;
        }
        return {};
      }
      case json::value_t::object: {
        if (depth >= limits_.maxDepth) return invalid("nested too deep", field.text());
        return walkObject(value, field, depth);
      }
      case json::value_t::binary:
      case json::value_t::discarded:
        return invalid("not a JSON value", field.text());
      default:  // null, boolean
        return {};
    }
  }

  Result<void> walkObject(const json& object, const FieldPath& field, int depth) const {
    if (object.size() > limits_.maxObjectKeys) return tooLarge("object has too many fields", field.text());
    for (const auto& [key, member] : object.items()) {
      if (key.size() > kMaxKeyBytes || !isValidUtf8(key)) return invalid("bad field name", field.text());
      auto checked = walk(member, field.member(key), depth + 1, limits_.maxStringBytes, limits_.maxArrayItems);
      if (!checked) return checked;
    }
    return {};
  }

 private:
  const ElementLimits& limits_;
};

std::string join(std::string_view field, std::string_view key) {
  std::string path(field);
  path += '.';
  path += key;
  return path;
}

Result<void> checkCoordinate(const json& object, std::string_view key, std::string_view field, double limit) {
  const auto it = object.find(key);
  if (it == object.end()) return {};
  if (!it->is_number() || !saneNumber(*it) || std::fabs(it->get<double>()) > limit) {
    return invalid("must be a number within +-" + std::to_string(static_cast<long long>(limit)), join(field, key));
  }
  return {};
}

// [[x, y], ...] in element-local coordinates.
Result<void> checkPoints(const json& points, const std::string& field, const ElementLimits& limits) {
  if (!points.is_array()) return invalid("must be an array of [x, y] points", field);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const json& point = points[i];
    const bool pair = point.is_array() && point.size() == 2 && point[0].is_number() && point[1].is_number();
    if (!pair || !saneNumber(point[0]) || !saneNumber(point[1]) ||
        std::fabs(point[0].get<double>()) > limits.maxCoordinate ||
        std::fabs(point[1].get<double>()) > limits.maxCoordinate) {
      return invalid("must be an [x, y] pair of coordinates", field + "[" + std::to_string(i) + "]");
    }
  }
  return {};
}

// A link is rendered as an anchor in every participant's browser: only web and mail schemes, or
// a relative link. The scheme is found the way a browser's URL parser would (WHATWG URL:
// leading controls and spaces trimmed, tabs and newlines removed anywhere).
bool isSafeLink(std::string_view link) {
  std::string cleaned;
  for (char c : link) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (cleaned.empty() && static_cast<unsigned char>(c) <= 0x20) continue;
    cleaned += c;
  }
  std::string scheme;
  for (char c : cleaned) {
    if (c == ':') break;
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool schemeChar = alpha || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!schemeChar || (scheme.empty() && !alpha)) return true;  // no scheme: a relative link
    scheme += static_cast<char>(c | 0x20);
  }
  if (scheme.size() == cleaned.size()) return true;  // no ':' at all
  return scheme == "http" || scheme == "https" || scheme == "mailto";
}

Result<void> checkNullableId(const json& object, std::string_view key, std::string_view field) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_string() || !isValidId(it->get_ref<const std::string&>())) {
    return invalid("must be null or an id", join(field, key));
  }
  return {};
}

// The fields whose meaning the server relies on or that reach other browsers' DOM.
Result<void> checkKnownFields(const json& object, std::string_view field, const ElementLimits& limits) {
  for (std::string_view key : {"x", "y", "width", "height"}) {
    if (auto checked = checkCoordinate(object, key, field, limits.maxCoordinate); !checked) return checked;
  }
  if (auto checked = checkCoordinate(object, "angle", field, kMaxAngle); !checked) return checked;
  if (const auto it = object.find("points"); it != object.end()) {
    if (auto checked = checkPoints(*it, join(field, "points"), limits); !checked) return checked;
  }
  if (const auto it = object.find("pressures"); it != object.end()) {
    if (!it->is_array()) return invalid("must be an array of numbers", join(field, "pressures"));
    for (const json& pressure : *it) {
      if (!pressure.is_number()) return invalid("must be an array of numbers", join(field, "pressures"));
    }
  }
  for (std::string_view key : {"text", "originalText"}) {
    const auto it = object.find(key);
    if (it != object.end() && !it->is_string()) return invalid("must be a string", join(field, key));
  }
  if (const auto it = object.find("link"); it != object.end() && !it->is_null()) {
    if (!it->is_string() || !isSafeLink(it->get_ref<const std::string&>())) {
      return invalid("must be null or an http(s), mailto or relative link", join(field, "link"));
    }
  }
  for (std::string_view key : {"fileId", "frameId", "containerId"}) {
    if (auto checked = checkNullableId(object, key, field); !checked) return checked;
  }
  return {};
}

Result<std::int64_t> requiredInteger(const json& object, std::string_view key, std::string_view field,
                                     std::int64_t minimum) {
  const auto it = object.find(key);
  if (it == object.end()) return invalid("is required", join(field, key));
  if (!it->is_number_integer() || !saneNumber(*it) || it->get<std::int64_t>() < minimum) {
    return invalid("must be an integer from " + std::to_string(minimum) + " to 2^53-1", join(field, key));
  }
  return it->get<std::int64_t>();
}

}  // namespace

std::string_view elementTypeName(ElementType type) {
  for (const auto& [value, name] : kTypeNames) {
    if (value == type) return name;
  }
  return "rectangle";
}

std::optional<ElementType> parseElementType(std::string_view name) {
  for (const auto& [value, typeName] : kTypeNames) {
    if (typeName == name) return value;
  }
  return std::nullopt;
}

bool isValidId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<Element> parseElement(const json& value, const ElementLimits& limits, std::string_view field) {
  const std::string path(field);
  if (!value.is_object()) return invalid("must be an element object", path);

  // Shape and sizes of everything first, so the checks below and dump() see bounded input.
  Walker walker(limits);
  const FieldPath root{.name = path};
  if (value.size() > limits.maxObjectKeys) return tooLarge("element has too many fields", path);
  for (const auto& [key, member] : value.items()) {
    if (key.size() > kMaxKeyBytes || !isValidUtf8(key)) return invalid("bad field name", path);
    const bool text = key == "text" || key == "originalText";
    const bool points = key == "points" || key == "pressures";
    auto checked = walker.walk(member, root.member(key), 1, text ? limits.maxTextBytes : limits.maxStringBytes,
                               points ? limits.maxPoints : limits.maxArrayItems);
    if (!checked) return std::move(checked).takeError();
  }

  Element element;
  const auto id = value.find("id");
  if (id == value.end() || !id->is_string() || !isValidId(id->get_ref<const std::string&>())) {
    return invalid("must be 1-64 characters of A-Z a-z 0-9 _ -", join(path, "id"));
  }
  element.id = id->get<std::string>();

  const auto type = value.find("type");
  const auto parsedType = type != value.end() && type->is_string()
                              ? parseElementType(type->get_ref<const std::string&>())
                              : std::nullopt;
  if (!parsedType) return invalid("unsupported element type", join(path, "type"));
  element.type = *parsedType;

  auto version = requiredInteger(value, "version", path, 1);
  if (!version) return std::move(version).takeError();
  element.version = *version;
  auto nonce = requiredInteger(value, "versionNonce", path, -kMaxSafeInteger);
  if (!nonce) return std::move(nonce).takeError();
  element.versionNonce = *nonce;

  const auto deleted = value.find("isDeleted");
  if (deleted == value.end() || !deleted->is_boolean()) return invalid("must be a boolean", join(path, "isDeleted"));
  element.deleted = deleted->get<bool>();

  if (auto checked = checkKnownFields(value, path, limits); !checked) return std::move(checked).takeError();

  element.text = jsonText(value);
  if (element.bytes() > limits.maxBytes) {
    return tooLarge("element is larger than " + std::to_string(limits.maxBytes) + " bytes", path);
  }
  return element;
}

bool supersedes(const Element& candidate, const Element& current) {
  if (candidate.version != current.version) return candidate.version > current.version;
  if (candidate.deleted != current.deleted) return candidate.deleted;
  if (candidate.versionNonce != current.versionNonce) return candidate.versionNonce < current.versionNonce;
  // Same version, same nonce: a collision or a forged copy. Any fixed order will do, as long
  // as every peer uses it; identical text keeps the current one.
  return candidate.text < current.text;
}

}  // namespace fluxmeet::whiteboard
