#include "fluxmeet/whiteboard/cursor.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace fluxmeet::whiteboard {
namespace {

using nlohmann::json;

TEST(Cursor, ParsesExcalidrawPointersIntoAFreshObject) {
  auto cursor = parseCursor(json::parse(
      R"({"x": 10.5, "y": -3, "tool": "laser", "button": "down", "selectedElementIds": {"abc": true, "def": false},
          "username": "spoofed", "extra": "dropped"})"));
  ASSERT_TRUE(cursor.ok());
  EXPECT_EQ(*cursor, json::parse(R"({"x": 10.5, "y": -3.0, "tool": "laser", "button": "down",
                                    "selectedElementIds": {"abc": true}})"));
  auto minimal = parseCursor(json::parse(R"({"x": 1, "y": 2})"));
  ASSERT_TRUE(minimal.ok());
  EXPECT_EQ((*minimal)["tool"], "pointer");
  EXPECT_EQ((*minimal)["button"], "up");
  EXPECT_TRUE((*minimal)["selectedElementIds"].empty());
}

TEST(Cursor, RefusesAnythingElse) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {R"([1, 2])", "cursor"},
      {R"({"y": 2})", "cursor.x"},
      {R"({"x": "1", "y": 2})", "cursor.x"},
      {R"({"x": 1, "y": 1e9})", "cursor.y"},
      {R"({"x": 1, "y": 2, "tool": "pen"})", "cursor.tool"},
      {R"({"x": 1, "y": 2, "button": 1})", "cursor.button"},
      {R"({"x": 1, "y": 2, "selectedElementIds": ["a"]})", "cursor.selectedElementIds"},
      {R"({"x": 1, "y": 2, "selectedElementIds": {"bad id": true}})", "cursor.selectedElementIds"},
  };
  for (const auto& [text, field] : cases) {
    auto cursor = parseCursor(json::parse(text));
    ASSERT_FALSE(cursor.ok()) << text;
    EXPECT_EQ(cursor.error().code, ErrorCode::ValidationFailed);
    EXPECT_EQ(cursor.error().field, field) << text;
  }
  json many = {{"x", 0}, {"y", 0}, {"selectedElementIds", json::object()}};
  for (int i = 0; i < 1000; ++i) many["selectedElementIds"]["e" + std::to_string(i)] = true;
  auto bounded = parseCursor(many);
  ASSERT_TRUE(bounded.ok());
  EXPECT_EQ((*bounded)["selectedElementIds"].size(), kMaxCursorSelection);
}

}  // namespace
}  // namespace fluxmeet::whiteboard
