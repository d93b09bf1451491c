#include "fluxmeet/whiteboard/image_file.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "whiteboard_test_support.hpp"

namespace fluxmeet::whiteboard {
namespace {

using test::bytesOf;
using test::kGif;
using test::kJpeg;
using test::kPng;
using test::kWebp;

std::string text(const std::vector<std::uint8_t>& bytes) { return std::string(bytes.begin(), bytes.end()); }

TEST(ImageFile, Base64MatchesRfc4648Vectors) {
  // RFC 4648 section 10.
  const std::vector<std::pair<std::string, std::string>> vectors = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    auto decoded = base64Decode(encoded);
    ASSERT_TRUE(decoded.has_value()) << encoded;
    EXPECT_EQ(text(*decoded), plain);
  }
  EXPECT_EQ(text(*base64Decode("+/+/")), "\xfb\xff\xbf");
  for (const char* bad : {"Zg", "Zg=", "Zm9", "Z===", "====", "Zg==Zg==", "Zm9v\n", "Zm 9v", "Zh==", "Zm9=", "Zm-_",
                          "Zm9v===="}) {
    EXPECT_FALSE(base64Decode(bad).has_value()) << bad;  // unpadded, misplaced '=', non-canonical bits, url-safe
  }
}

TEST(ImageFile, DataUrlsOfRealImagesParseAndSniff) {
  const std::vector<std::pair<std::string, ImageFormat>> images = {
      {kPng, ImageFormat::Png}, {kGif, ImageFormat::Gif}, {kJpeg, ImageFormat::Jpeg}, {kWebp, ImageFormat::Webp}};
  for (const auto& [dataUrl, format] : images) {
    auto parsed = parseDataUrl(dataUrl, 1 << 20);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->mimeType, mimeTypeOf(format));
    EXPECT_EQ(sniffImageFormat(parsed->bytes), format);
    auto checked = checkImage(parsed->mimeType, parsed->bytes, 1 << 20);
    ASSERT_TRUE(checked.ok());
    EXPECT_EQ(*checked, format);
  }
  auto withParameter = parseDataUrl("DATA:Image/PNG;name=paste.png;BASE64,iVBORw0KGgo=", 100);
  ASSERT_TRUE(withParameter.ok()) << withParameter.error().message;
  EXPECT_EQ(withParameter->mimeType, "image/png");
}

TEST(ImageFile, MalformedDataUrlsAreRefused) {
  for (const std::string& bad : {std::string("image/png;base64,iVBO"), std::string("data:image/png,iVBORw0KGgo="),
                                 std::string("data:;base64,iVBORw0KGgo="), std::string("data:image;base64,iVBO"),
                                 std::string("data:image/png;base64;x=y,iVBORw0KGgo="),
                                 std::string("data:image/png;x,iVBORw0KGgo="), std::string("data:image/png;base64"),
                                 std::string("data:image/png;base64,iVBORw0KGgo"),
                                 std::string("data:image/p ng;base64,iVBORw0KGgo="),
                                 "data:" + std::string(300, 'a') + "/png;base64,iVBORw0KGgo="}) {
    auto parsed = parseDataUrl(bad, 1 << 20);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::ValidationFailed);
    EXPECT_EQ(parsed.error().field, "dataURL");
  }
  // Refused before decoding when the payload alone is over the limit.
  auto big = parseDataUrl("data:image/png;base64," + std::string(4000, 'A'), 1000);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::PayloadTooLarge);
}

TEST(ImageFile, OnlyRasterImagesWhoseBytesMatchTheirType) {
  const auto png = bytesOf(kPng);
  EXPECT_TRUE(checkImage("image/png", png, png.size()).ok());
  const auto tooBig = checkImage("image/png", png, png.size() - 1);
  ASSERT_FALSE(tooBig.ok());
  EXPECT_EQ(tooBig.error().code, ErrorCode::PayloadTooLarge);
  for (const char* type : {"image/svg+xml", "text/html", "image/PNG", "image/bmp", ""}) {
    const auto refused = checkImage(type, png, 1 << 20);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::UnsupportedMediaType) << type;
  }
  const auto lying = checkImage("image/gif", png, 1 << 20);
  ASSERT_FALSE(lying.ok());
  EXPECT_EQ(lying.error().code, ErrorCode::ValidationFailed);
  EXPECT_EQ(lying.error().field, "mimeType");
  const std::string html = "<html><script>alert(1)</script>";
  EXPECT_FALSE(checkImage("image/png", std::vector<std::uint8_t>(html.begin(), html.end()), 1 << 20).ok());
  EXPECT_FALSE(checkImage("image/png", {}, 1 << 20).ok());
  EXPECT_FALSE(sniffImageFormat(std::vector<std::uint8_t>{0xFF, 0xD8}).has_value());  // too short for JPEG
}

}  // namespace
}  // namespace fluxmeet::whiteboard
