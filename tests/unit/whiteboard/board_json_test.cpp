#include <gtest/gtest.h>

#include <random>
#include <string>

#include "fluxmeet/whiteboard/board.hpp"
#include "whiteboard_test_support.hpp"

namespace fluxmeet::whiteboard {
namespace {

using test::json;
using test::rectangle;

Board drawnBoard() {
  Board board({}, "before");
  EXPECT_TRUE(board
                  .apply("alice", json::array({rectangle("r1"), test::textElement("t1", "note"), test::arrow("a1", "r1", "t1"),
                                               test::freedraw("f1", 50), test::image("i1", "abc123")}))
                  .ok());
  EXPECT_TRUE(board.apply("bob", json::array({rectangle("r1", 2, 3), rectangle("gone", 4, 4, true)})).ok());
  return board;
}

TEST(BoardJson, RoundTripKeepsEveryElementAndTombstone) {
  const Board board = drawnBoard();
  const json document = json::parse(board.toText());
  EXPECT_EQ(document["format"], "fluxmeet.whiteboard");
  EXPECT_EQ(document["version"], 1);
  ASSERT_EQ(document["elements"].size(), 6u);
  // Joined from stored text, yet exactly what nlohmann writes: a read and a write keep it.
  EXPECT_EQ(document.dump(), board.toText());
  const json live = json::parse(board.liveElementsText());
  ASSERT_EQ(live.size(), 5u);
  for (const json& element : live) EXPECT_FALSE(element["isDeleted"].get<bool>());
  EXPECT_EQ(Board().liveElementsText(), "[]");
  EXPECT_EQ(json::parse(Board().toText())["elements"], json::array());

  auto restored = Board::fromJson(json::parse(document.dump()), {}, "after");
  ASSERT_TRUE(restored.ok()) << restored.error().field << ": " << restored.error().message;
  EXPECT_EQ(restored->epoch(), "after");
  EXPECT_EQ(restored->seq(), 6u);  // sequence numbers restart in the new epoch
  EXPECT_EQ(restored->liveCount(), board.liveCount());
  EXPECT_EQ(restored->tombstoneCount(), 1u);
  EXPECT_EQ(restored->toText(), board.toText());
  for (const json& element : document["elements"]) {
    const Element* kept = restored->find(element["id"].get<std::string>());
    ASSERT_NE(kept, nullptr);
    EXPECT_EQ(json::parse(kept->text), element);
  }
  // The deletion still sticks after a restart.
  auto stale = restored->apply("carol", json::array({rectangle("gone", 4, 1)}));
  ASSERT_TRUE(stale.ok());
  EXPECT_TRUE(stale->accepted().empty());
  EXPECT_TRUE(restored->find("gone")->deleted);
  // Peers' cursors from the old epoch are not trusted.
  EXPECT_TRUE(restored->snapshot({.epoch = "before", .sinceSeq = 2}).reset);
}

TEST(BoardJson, ARandomEpochIsMadeWhenNoneIsGiven) {
  auto a = Board::fromJson(json::parse(drawnBoard().toText()));
  auto b = Board::fromJson(json::parse(drawnBoard().toText()));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_GE(a->epoch().size(), 12u);
  EXPECT_NE(a->epoch(), b->epoch());
}

TEST(BoardJson, CorruptDocumentsAreErrorsWithTheField) {
  const json good = json::parse(drawnBoard().toText());
  const auto fails = [](const json& document, const std::string& field) {
    auto restored = Board::fromJson(document);
    ASSERT_FALSE(restored.ok()) << document.dump().substr(0, 200);
    EXPECT_EQ(restored.error().field, field);
  };
  fails(json::array(), "document");
  fails(json(nullptr), "document");
  json doc = good;
  doc["format"] = "excalidraw";
  fails(doc, "format");
  doc = good;
  doc["version"] = 2;
  fails(doc, "version");
  doc = good;
  doc.erase("version");
  fails(doc, "version");
  doc = good;
  doc["elements"] = json::object();
  fails(doc, "elements");
  doc = good;
  doc["elements"][3]["points"] = "lots";
  fails(doc, "elements[3].points");
  doc = good;
  doc["elements"][4]["id"] = doc["elements"][1]["id"];
  fails(doc, "elements[4].id");
}

TEST(BoardJson, ADocumentLargerThanTheLimitsIsRefused) {
  const json document = json::parse(drawnBoard().toText());
  BoardLimits fewer;
  fewer.maxLiveElements = 2;
  auto restored = Board::fromJson(document, fewer);
  ASSERT_FALSE(restored.ok());
  EXPECT_EQ(restored.error().code, ErrorCode::PayloadTooLarge);
  // Too many tombstones is not an error: the oldest are compacted as on a live board.
  BoardLimits noTombstones;
  noTombstones.maxLiveElements = 10;
  noTombstones.maxTombstones = 0;
  auto compacted = Board::fromJson(document, noTombstones);
  ASSERT_TRUE(compacted.ok());
  EXPECT_EQ(compacted->tombstoneCount(), 0u);
  EXPECT_EQ(compacted->liveCount(), 5u);
}

// Whatever damage a stored document has, restoring it either works or fails cleanly.
TEST(BoardJson, DamagedDocumentsNeverCrash) {
  const json good = json::parse(drawnBoard().toText());
  const std::vector<json> junk = {nullptr, true, -1, 1e300, "x", json::array(), json::object(), json::array({1, 2}),
                                  std::string(5000, 'z')};
  std::mt19937 random(12345);
  int restoredCount = 0;
  for (int round = 0; round < 300; ++round) {
    json doc = good;
    json& element = doc["elements"][random() % doc["elements"].size()];
    const int damage = static_cast<int>(random() % 3);
    auto keys = std::vector<std::string>();
    for (const auto& [key, value] : element.items()) keys.push_back(key);
    const std::string key = keys[random() % keys.size()];
    if (damage == 0) {
      element[key] = junk[random() % junk.size()];
    } else if (damage == 1) {
      element.erase(key);
    } else {
      doc["elements"].push_back(element);  // duplicate
    }
    auto restored = Board::fromJson(doc);
    if (restored.ok()) {
      ++restoredCount;
      EXPECT_EQ(Board::fromJson(json::parse(restored->toText()))->toText(), restored->toText());
    } else {
      EXPECT_FALSE(restored.error().message.empty());
      EXPECT_FALSE(restored.error().field.empty());
    }
  }
  EXPECT_GT(restoredCount, 0);  // some damage (a color set to null) is harmless
}

}  // namespace
}  // namespace fluxmeet::whiteboard
