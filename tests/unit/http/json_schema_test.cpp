#include "fluxmeet/http/json_schema.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fluxmeet::http {
namespace {

std::string nested(int depth, std::string_view open, std::string_view close) {
  std::string text;
  for (int i = 0; i < depth; ++i) text += open;
  for (int i = 0; i < depth; ++i) text += close;
  return text;
}

TEST(ParseJsonObjectTest, AcceptsObject) {
  auto parsed = parseJsonObject(R"({"title":"Standup","size":3,"ok":true})");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)["title"], "Standup");
  EXPECT_EQ((*parsed)["size"], 3);
  EXPECT_EQ((*parsed)["ok"], true);
}

TEST(ParseJsonObjectTest, RefusesNonObjects) {
  for (const char* body : {"[1,2]", "\"text\"", "42", "null", "true"}) {
    auto parsed = parseJsonObject(body);
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_EQ(parsed.error().code, ErrorCode::InvalidRequest) << body;
    EXPECT_EQ(parsed.error().message, "request body must be a JSON object") << body;
  }
}

TEST(ParseJsonObjectTest, RefusesMalformed) {
  for (const char* body : {"", "{", "{\"a\":}", "{\"a\":1,}", "{'a':1}", "{\"a\":1} trailing", "{\"a\":01}"}) {
    auto parsed = parseJsonObject(body);
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_EQ(parsed.error().code, ErrorCode::InvalidRequest) << body;
    EXPECT_EQ(parsed.error().message, "request body is not valid JSON") << body;
  }
}

TEST(ParseJsonObjectTest, RefusesInvalidUtf8InString) {
  // 0xC3 starts a two-byte sequence; 0x28 '(' is not a continuation byte.
  EXPECT_FALSE(parseJsonObject("{\"name\":\"a\xC3\x28\"}").ok());
  // A lone continuation byte, an overlong encoding of '/', and a UTF-16 surrogate encoded in UTF-8.
  EXPECT_FALSE(parseJsonObject("{\"name\":\"\x80\"}").ok());
  EXPECT_FALSE(parseJsonObject("{\"name\":\"\xC0\xAF\"}").ok());
  EXPECT_FALSE(parseJsonObject("{\"name\":\"\xED\xA0\x80\"}").ok());
  // Valid multi-byte UTF-8 is fine.
  auto parsed = parseJsonObject("{\"name\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\"}");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)["name"], "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

TEST(ParseJsonObjectTest, NestingLimit) {
  // The outer object counts as depth 1.
  const std::string atLimit = "{\"a\":" + nested(3, "[", "]") + "}";  // depth 4
  EXPECT_TRUE(parseJsonObject(atLimit, 4).ok());
  auto tooDeep = parseJsonObject(atLimit, 3);
  ASSERT_FALSE(tooDeep.ok());
  EXPECT_EQ(tooDeep.error().code, ErrorCode::InvalidRequest);
  EXPECT_EQ(tooDeep.error().message, "JSON nesting is too deep");

  // Default limit 16.
  EXPECT_TRUE(parseJsonObject("{\"a\":" + nested(15, "[", "]") + "}").ok());
  EXPECT_FALSE(parseJsonObject("{\"a\":" + nested(16, "[", "]") + "}").ok());
  // A hostile body refused before the recursive parser sees it.
  EXPECT_FALSE(parseJsonObject("{\"a\":" + nested(100000, "[", "]") + "}").ok());
}

TEST(ParseJsonObjectTest, BracketsInsideStringsAreNotNesting) {
  const std::string brackets(100, '[');
  auto parsed = parseJsonObject("{\"text\":\"" + brackets + "{{{\"}", 2);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)["text"], brackets + "{{{");
  // An escaped quote does not end the string early.
  auto escaped = parseJsonObject(R"({"text":"\"[[[[[[\\"})", 1);
  ASSERT_TRUE(escaped.ok());
  EXPECT_EQ((*escaped)["text"], "\"[[[[[[\\");
}

const Schema kSettings{.fields = {
    FieldRule{.name = "waitingRoom", .type = JsonType::Boolean},
    FieldRule{.name = "screenShare", .type = JsonType::String, .oneOf = {"everyone", "host"}},
}};

const Schema kMeeting{.fields = {
    FieldRule{.name = "title", .type = JsonType::String, .required = true, .minLength = 1, .maxLength = 5},
    FieldRule{.name = "description", .type = JsonType::String, .nullable = true},
    FieldRule{.name = "duration", .type = JsonType::Integer, .minimum = 1, .maximum = 600},
    FieldRule{.name = "volume", .type = JsonType::Number, .minimum = 0, .maximum = 1},
    FieldRule{.name = "tags", .type = JsonType::Array, .maxLength = 2},
    FieldRule{.name = "settings", .type = JsonType::Object, .object = &kSettings},
}};

Error validationError(const nlohmann::json& value, const Schema& schema = kMeeting) {
  auto result = validate(value, schema);
  EXPECT_FALSE(result.ok()) << value.dump();
  return result.ok() ? Error{} : result.error();
}

TEST(ValidateTest, AcceptsValidBody) {
  nlohmann::json body = {{"title", "Sync"},
                         {"description", nullptr},
                         {"duration", 30},
                         {"volume", 0.5},
                         {"tags", {"a", "b"}},
                         {"settings", {{"waitingRoom", true}, {"screenShare", "host"}}}};
  EXPECT_TRUE(validate(body, kMeeting).ok());
  EXPECT_TRUE(validate({{"title", "x"}}, kMeeting).ok());
}

TEST(ValidateTest, RequiredField) {
  auto missing = validationError(nlohmann::json::object());
  EXPECT_EQ(missing.code, ErrorCode::ValidationFailed);
  EXPECT_EQ(missing.field, "title");
  EXPECT_EQ(missing.message, "title is required");
  auto null = validationError({{"title", nullptr}});
  EXPECT_EQ(null.field, "title");
  EXPECT_EQ(null.message, "title is required");
}

TEST(ValidateTest, Nullable) {
  EXPECT_TRUE(validate({{"title", "x"}, {"description", nullptr}}, kMeeting).ok());
  auto notNullable = validationError({{"title", "x"}, {"duration", nullptr}});
  EXPECT_EQ(notNullable.field, "duration");
  EXPECT_EQ(notNullable.message, "duration must not be null");
}

TEST(ValidateTest, WrongTypes) {
  auto title = validationError({{"title", 5}});
  EXPECT_EQ(title.field, "title");
  EXPECT_EQ(title.message, "title must be a string");
  // Integer refuses a fractional number, even one with an integral value.
  EXPECT_EQ(validationError({{"title", "x"}, {"duration", 1.5}}).message, "duration must be an integer");
  EXPECT_EQ(validationError({{"title", "x"}, {"duration", 2.0}}).message, "duration must be an integer");
  EXPECT_EQ(validationError({{"title", "x"}, {"duration", "2"}}).message, "duration must be an integer");
  // Number accepts integers and floats.
  EXPECT_TRUE(validate({{"title", "x"}, {"volume", 1}}, kMeeting).ok());
  EXPECT_TRUE(validate({{"title", "x"}, {"volume", 0.25}}, kMeeting).ok());
  EXPECT_EQ(validationError({{"title", "x"}, {"volume", true}}).message, "volume must be a number");
  EXPECT_EQ(validationError({{"title", "x"}, {"tags", "a"}}).message, "tags must be an array");
  EXPECT_EQ(validationError({{"title", "x"}, {"settings", {1}}}).message, "settings must be an object");
  EXPECT_EQ(validationError({{"title", "x"}, {"settings", {{"waitingRoom", "yes"}}}}).message,
            "settings.waitingRoom must be a boolean");
}

TEST(ValidateTest, StringLengthCountsCodePoints) {
  // "ééééé" is 5 code points but 10 bytes: accepted at maxLength 5.
  EXPECT_TRUE(validate({{"title", "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"}}, kMeeting).ok());
  // Four-byte emoji count once each.
  EXPECT_TRUE(validate({{"title", "\xF0\x9F\x98\x80\xF0\x9F\x98\x80"}}, kMeeting).ok());
  auto tooLong = validationError({{"title", "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"}});
  EXPECT_EQ(tooLong.field, "title");
  EXPECT_EQ(tooLong.message, "title must be at most 5 characters");
  EXPECT_EQ(validationError({{"title", ""}}).message, "title must not be empty");

  const Schema twoToThree{.fields = {FieldRule{.name = "code", .minLength = 2, .maxLength = 3}}};
  EXPECT_TRUE(validate({{"code", "\xC3\xA9\xC3\xA9"}}, twoToThree).ok());  // "éé" is 2
  EXPECT_EQ(validationError({{"code", "\xC3\xA9"}}, twoToThree).message, "code must be at least 2 characters");
  EXPECT_EQ(validationError({{"code", "abcd"}}, twoToThree).message, "code must be at most 3 characters");
}

TEST(ValidateTest, ArrayLength) {
  EXPECT_EQ(validationError({{"title", "x"}, {"tags", {1, 2, 3}}}).message, "tags has too many elements");
  const Schema atLeastOne{.fields = {FieldRule{.name = "ids", .type = JsonType::Array, .minLength = 1}}};
  EXPECT_EQ(validationError({{"ids", nlohmann::json::array()}}, atLeastOne).message, "ids has too few elements");
}

TEST(ValidateTest, OneOf) {
  auto error = validationError({{"title", "x"}, {"settings", {{"screenShare", "nobody"}}}});
  EXPECT_EQ(error.field, "settings.screenShare");
  EXPECT_EQ(error.message, "settings.screenShare must be one of: everyone, host");
  EXPECT_TRUE(validate({{"title", "x"}, {"settings", {{"screenShare", "everyone"}}}}, kMeeting).ok());
}

TEST(ValidateTest, MinimumAndMaximum) {
  EXPECT_TRUE(validate({{"title", "x"}, {"duration", 1}}, kMeeting).ok());
  EXPECT_TRUE(validate({{"title", "x"}, {"duration", 600}}, kMeeting).ok());
  auto low = validationError({{"title", "x"}, {"duration", 0}});
  EXPECT_EQ(low.field, "duration");
  EXPECT_EQ(low.message, "duration must be at least 1");
  EXPECT_EQ(validationError({{"title", "x"}, {"duration", 601}}).message, "duration must be at most 600");
  EXPECT_EQ(validationError({{"title", "x"}, {"duration", -5}}).message, "duration must be at least 1");
  EXPECT_EQ(validationError({{"title", "x"}, {"volume", 1.0001}}).message, "volume must be at most 1");
  EXPECT_EQ(validationError({{"title", "x"}, {"volume", -0.1}}).message, "volume must be at least 0");
}

TEST(ValidateTest, UnknownFieldsRefusedAndNamed) {
  auto top = validationError({{"title", "x"}, {"titel", "typo"}});
  EXPECT_EQ(top.code, ErrorCode::ValidationFailed);
  EXPECT_EQ(top.field, "titel");
  EXPECT_EQ(top.message, "titel is not a known field");
  auto nestedUnknown = validationError({{"title", "x"}, {"settings", {{"lobby", true}}}});
  EXPECT_EQ(nestedUnknown.field, "settings.lobby");

  Schema open = kSettings;
  open.allowUnknownFields = true;
  EXPECT_TRUE(validate({{"extra", 1}, {"waitingRoom", false}}, open).ok());
}

TEST(ValidateTest, NestedErrorsCarryThePrefix) {
  auto error = validate({{"screenShare", 3}}, kSettings, "settings");
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.error().field, "settings.screenShare");
  auto notObject = validate(nlohmann::json::array(), kSettings, "settings");
  ASSERT_FALSE(notObject.ok());
  EXPECT_EQ(notObject.error().field, "settings");
}

TEST(OptionalFieldTest, ReadsPresentValuesOnly) {
  nlohmann::json body = {{"a", 3}, {"b", nullptr}};
  EXPECT_EQ(optionalField<int>(body, "a"), 3);
  EXPECT_EQ(optionalField<int>(body, "b"), std::nullopt);
  EXPECT_EQ(optionalField<int>(body, "c"), std::nullopt);
}

}  // namespace
}  // namespace fluxmeet::http
