#include "fluxmeet/whiteboard/board_files.hpp"

#include <gtest/gtest.h>

#include "whiteboard_test_support.hpp"

namespace fluxmeet::whiteboard {
namespace {

using test::bytesOf;
using test::kGif;
using test::kJpeg;
using test::kPng;

TEST(BoardFiles, KeepsFilesWithinPerFileAndPerBoardLimits) {
  const auto png = bytesOf(kPng);
  const auto gif = bytesOf(kGif);
  BoardFiles files({.maxFileBytes = 100, .maxTotalBytes = png.size() + gif.size(), .maxFiles = 3});
  auto added = files.add("a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", "image/png", png);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ((*added)->bytes, png);
  EXPECT_EQ(files.find("a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"), *added);
  // Same id, same content: the kept file. Same id, other content: a conflict.
  EXPECT_TRUE(files.add("a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", "image/png", png).ok());
  const auto conflict = files.addDataUrl("a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", kGif);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, ErrorCode::Conflict);
  ASSERT_TRUE(files.addDataUrl("gif1", kGif).ok());
  EXPECT_EQ(files.count(), 2u);
  EXPECT_EQ(files.totalBytes(), png.size() + gif.size());
  // The board's total is used up.
  const auto full = files.add("png2", "image/png", png);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, ErrorCode::PayloadTooLarge);
  const auto large = files.addDataUrl("jpeg1", kJpeg);  // 225 bytes > 100
  ASSERT_FALSE(large.ok());
  EXPECT_EQ(large.error().code, ErrorCode::PayloadTooLarge);
  const auto badId = files.add("../../etc/passwd", "image/png", png);
  ASSERT_FALSE(badId.ok());
  EXPECT_EQ(badId.error().field, "id");
  EXPECT_EQ(files.toJson(), nlohmann::json::parse(R"([{"id":"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
      "mimeType":"image/png","size":70},{"id":"gif1","mimeType":"image/gif","size":42}])"));
}

TEST(BoardFiles, FileCountIsBounded) {
  const auto gif = bytesOf(kGif);
  BoardFiles files({.maxFiles = 2});
  ASSERT_TRUE(files.add("g1", "image/gif", gif).ok());
  ASSERT_TRUE(files.add("g2", "image/gif", gif).ok());
  const auto third = files.add("g3", "image/gif", gif);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, ErrorCode::PayloadTooLarge);
}

}  // namespace
}  // namespace fluxmeet::whiteboard
