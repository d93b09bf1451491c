// Fuzzes the edge every REST body and signaling message goes through: JSON parsing with the
// depth limit, schema validation (all rule kinds, nested objects), and the request accessors
// that read attacker-controlled text (percent-decoding, query strings, cookies, bearer tokens).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fluxmeet/http/json_schema.hpp"
#include "fluxmeet/http/request.hpp"

namespace {

using fluxmeet::http::FieldRule;
using fluxmeet::http::JsonType;
using fluxmeet::http::Schema;

const Schema kNested{{
    FieldRule{.name = "waitingRoom", .type = JsonType::Boolean},
    FieldRule{.name = "screenShare", .type = JsonType::String, .oneOf = {"everyone", "hosts"}},
}};
const Schema kBody{{
    FieldRule{.name = "title", .type = JsonType::String, .minLength = 1, .maxLength = 120},
    FieldRule{.name = "kind", .type = JsonType::String, .required = true, .oneOf = {"instant", "scheduled"}},
    FieldRule{.name = "startsAt", .type = JsonType::String, .nullable = true, .maxLength = 40},
    FieldRule{.name = "durationMinutes", .type = JsonType::Integer, .minimum = 5, .maximum = 1440},
    FieldRule{.name = "ratio", .type = JsonType::Number, .minimum = 0, .maximum = 1},
    FieldRule{.name = "tags", .type = JsonType::Array, .maxLength = 4},
    FieldRule{.name = "extra", .type = JsonType::Any},
    FieldRule{.name = "settings", .type = JsonType::Object, .object = &kNested},
}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto parsed = fluxmeet::http::parseJsonObject(text);
  if (parsed) {
    auto checked = fluxmeet::http::validate(*parsed, kBody);
    // A rejection must always name a reason.
    if (!checked && checked.error().message.empty()) __builtin_trap();
  } else if (parsed.error().message.empty()) {
    __builtin_trap();
  }

  fluxmeet::http::Request request;
  request.query = std::string(text);
  (void)request.queryParam("cursor");
  (void)fluxmeet::http::percentDecode(text, true);
  request.message.set(boost::beast::http::field::cookie, text.substr(0, 4096));
  (void)request.cookie("fm_refresh");
  request.message.set(boost::beast::http::field::authorization, text.substr(0, 4096));
  (void)request.bearerToken();
  return 0;
}
