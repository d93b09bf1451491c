#pragma once
// Excalidraw elements for the whiteboard tests, shaped like what @excalidraw/excalidraw 0.18
// sends (every base field, plus each type's own), so validation is tested against real shapes;
// and real image files as data URLs.
#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fluxmeet/whiteboard/image_file.hpp"

namespace fluxmeet::whiteboard::test {

using nlohmann::json;

// The fields every Excalidraw element carries (packages/element/src/types.ts).
inline json baseElement(const std::string& id, const std::string& type, std::int64_t version = 1,
                        std::int64_t nonce = 1000, bool deleted = false) {
  return {{"id", id},
          {"type", type},
          {"x", 120.5},
          {"y", -42.25},
          {"width", 200},
          {"height", 100},
          {"angle", 0},
          {"strokeColor", "#1e1e1e"},
          {"backgroundColor", "transparent"},
          {"fillStyle", "solid"},
          {"strokeWidth", 2},
          {"strokeStyle", "solid"},
          {"roughness", 1},
          {"opacity", 100},
          {"groupIds", json::array()},
          {"frameId", nullptr},
          {"index", "a0"},
          {"roundness", {{"type", 3}}},
          {"seed", 1968410350},
          {"version", version},
          {"versionNonce", nonce},
          {"isDeleted", deleted},
          {"boundElements", nullptr},
          {"updated", 1732540000000},
          {"link", nullptr},
          {"locked", false}};
}

inline json rectangle(const std::string& id, std::int64_t version = 1, std::int64_t nonce = 1000, bool deleted = false) {
  return baseElement(id, "rectangle", version, nonce, deleted);
}

inline json textElement(const std::string& id, const std::string& text) {
  json element = baseElement(id, "text");
  element.update({{"fontSize", 20},
                  {"fontFamily", 5},
                  {"text", text},
                  {"textAlign", "left"},
                  {"verticalAlign", "top"},
                  {"containerId", nullptr},
                  {"originalText", text},
                  {"autoResize", true},
                  {"lineHeight", 1.25}});
  return element;
}

inline json arrow(const std::string& id, const std::string& from, const std::string& to) {
  json element = baseElement(id, "arrow");
  element.update({{"points", json::array({json::array({0, 0}), json::array({180.5, 40})})},
                  {"lastCommittedPoint", nullptr},
                  {"startBinding", {{"elementId", from}, {"fixedPoint", {0.5, 1}}, {"mode", "orbit"}}},
                  {"endBinding", {{"elementId", to}, {"fixedPoint", {0.5, 0}}, {"mode", "orbit"}}},
                  {"startArrowhead", nullptr},
                  {"endArrowhead", "arrow"},
                  {"elbowed", false}});
  return element;
}

inline json freedraw(const std::string& id, std::size_t points) {
  json element = baseElement(id, "freedraw");
  json list = json::array();
  json pressures = json::array();
  for (std::size_t i = 0; i < points; ++i) {
    list.push_back({static_cast<double>(i) * 0.75, static_cast<double>(i % 17) * 1.5});
    pressures.push_back(0.5);
  }
  element.update({{"points", list}, {"pressures", pressures}, {"simulatePressure", true}, {"lastCommittedPoint", nullptr}});
  return element;
}

inline json image(const std::string& id, const std::string& fileId) {
  json element = baseElement(id, "image");
  element.update({{"fileId", fileId}, {"status", "saved"}, {"scale", {1, 1}}, {"crop", nullptr}});
  return element;
}

inline json frame(const std::string& id) {
  json element = baseElement(id, "frame");
  element["name"] = "Frame 1";
  return element;
}

// Real images: a 1x1 PNG and GIF, and 2x2 JPEG and WebP files written by ffmpeg, as the data
// URLs a browser's FileReader makes of them.
inline const std::string kPng =
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
inline const std::string kGif = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
inline const std::string kJpeg =
    "data:image/jpeg;base64,"
    "/9j/4AAQSkZJRgABAgAAAQABAAD//gAQTGF2YzU5LjM3LjEwMAD/2wBDAAgEBAQEBAUFBQUFBQYGBgYGBgYGBgYGBgYHBwcICAgHBwcGBgcH"
    "CAgICAkJCQgICAgJCQoKCgwMCwsODg4RERT/xABMAAEBAAAAAAAAAAAAAAAAAAAABgEBAQAAAAAAAAAAAAAAAAAABgcQAQAAAAAAAAAAAAAA"
    "AAAAAAARAQAAAAAAAAAAAAAAAAAAAAD/wAARCAACAAIDASIAAhEAAxEA/9oADAMBAAIRAxEAPwCLAFF/f//Z";
inline const std::string kWebp =
    "data:image/webp;base64,UklGRjwAAABXRUJQVlA4IDAAAADQAQCdASoCAAIAAgA0JaACdLoB+AADsAD+8Oj3/yC5YXXI1/8gP+QH/ID/+PIAAAA=";

inline std::vector<std::uint8_t> bytesOf(const std::string& dataUrl) {
  auto parsed = parseDataUrl(dataUrl, 1 << 20);
  EXPECT_TRUE(parsed.ok()) << dataUrl;
  return parsed.ok() ? parsed->bytes : std::vector<std::uint8_t>{};
}

}  // namespace fluxmeet::whiteboard::test
