#include "fluxmeet/whiteboard/board.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "whiteboard_test_support.hpp"

namespace fluxmeet::whiteboard {
namespace {

using test::json;
using test::rectangle;

json update(std::initializer_list<json> elements) { return json(elements); }

std::set<std::string> ids(const json& elements) {
  std::set<std::string> result;
  for (const json& element : elements) result.insert(element["id"].get<std::string>());
  return result;
}

TEST(Board, NewElementsAreAcceptedWithIncreasingSeq) {
  Board board;
  auto first = board.apply("alice", update({rectangle("r1"), test::textElement("t1", "hello")}));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->seq, 2u);
  EXPECT_EQ(first->accepted(), update({rectangle("r1"), test::textElement("t1", "hello")}));
  // What the room relays: the elements as compact JSON text, serialised once during validation.
  EXPECT_EQ("[" + first->acceptedText + "]", update({rectangle("r1"), test::textElement("t1", "hello")}).dump());
  EXPECT_TRUE(first->superseded.empty());
  auto second = board.apply("bob", update({rectangle("r1", 2, 5)}));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->seq, 3u);
  EXPECT_EQ(board.find("r1")->version, 2);
  EXPECT_EQ(board.liveCount(), 2u);
  EXPECT_EQ(board.seq(), 3u);
}

TEST(Board, ALosingElementIsNotAnErrorAndTheSenderGetsTheWinner) {
  Board board;
  ASSERT_TRUE(board.apply("alice", update({rectangle("r1", 5, 10)})).ok());
  auto stale = board.apply("bob", update({rectangle("r1", 4, 1), rectangle("r2")}));
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ(ids(stale->accepted()), std::set<std::string>{"r2"});
  ASSERT_EQ(stale->superseded.size(), 1u);
  EXPECT_EQ(stale->superseded[0], rectangle("r1", 5, 10));
  EXPECT_EQ(board.find("r1")->version, 5);
}

TEST(Board, NeverEchoesAPeersOwnUpdate) {
  Board board;
  ASSERT_TRUE(board.apply("alice", update({rectangle("r1", 5, 10)})).ok());
  // The same element again (Excalidraw re-sends scenes) is no change at all.
  auto again = board.apply("alice", update({rectangle("r1", 5, 10)}));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->accepted().empty());
  EXPECT_TRUE(again->superseded.empty());
  EXPECT_EQ(again->seq, 1u);
  // An older state of alice's own element, arriving late, is not answered with her own state.
  auto older = board.apply("alice", update({rectangle("r1", 4, 10)}));
  ASSERT_TRUE(older.ok());
  EXPECT_TRUE(older->accepted().empty());
  EXPECT_TRUE(older->superseded.empty());
  // Bob's identical copy is not a conflict either.
  auto copy = board.apply("bob", update({rectangle("r1", 5, 10)}));
  ASSERT_TRUE(copy.ok());
  EXPECT_TRUE(copy->superseded.empty());
}

TEST(Board, TiesGoToTheDeletionThenTheLowerNonce) {
  Board board;
  ASSERT_TRUE(board.apply("alice", update({rectangle("r1", 3, 50)})).ok());
  auto lower = board.apply("bob", update({rectangle("r1", 3, 40)}));
  ASSERT_TRUE(lower.ok());
  EXPECT_EQ(lower->accepted().size(), 1u);
  auto higher = board.apply("carol", update({rectangle("r1", 3, 45)}));
  ASSERT_TRUE(higher.ok());
  EXPECT_TRUE(higher->accepted().empty());
  EXPECT_EQ(board.find("r1")->versionNonce, 40);
  auto deletion = board.apply("carol", update({rectangle("r1", 3, 99, true)}));
  ASSERT_TRUE(deletion.ok());
  EXPECT_EQ(deletion->accepted().size(), 1u);
  EXPECT_TRUE(board.find("r1")->deleted);
}

TEST(Board, DeletionsStick) {
  Board board;
  ASSERT_TRUE(board.apply("alice", update({rectangle("r1", 1, 7)})).ok());
  ASSERT_TRUE(board.apply("alice", update({rectangle("r1", 2, 8, true)})).ok());
  EXPECT_EQ(board.liveCount(), 0u);
  EXPECT_EQ(board.tombstoneCount(), 1u);
  // Bob edited the element concurrently (same version) or from an old copy: it stays deleted.
  for (const json& edit : {rectangle("r1", 2, 1), rectangle("r1", 1, 0), rectangle("r1", 2, -100)}) {
    auto result = board.apply("bob", update({edit}));
    ASSERT_TRUE(result.ok());
    EXPECT_TRUE(result->accepted().empty());
    EXPECT_EQ(result->superseded, update({rectangle("r1", 2, 8, true)}));
    EXPECT_TRUE(board.find("r1")->deleted);
  }
  // A new element state after the deletion (Excalidraw's undo) brings it back.
  auto undo = board.apply("alice", update({rectangle("r1", 3, 9)}));
  ASSERT_TRUE(undo.ok());
  EXPECT_FALSE(board.find("r1")->deleted);
  EXPECT_EQ(board.liveCount(), 1u);
  EXPECT_EQ(board.tombstoneCount(), 0u);
}

TEST(Board, AnInvalidUpdateIsRejectedWholeAndChangesNothing) {
  Board board;
  ASSERT_TRUE(board.apply("alice", update({rectangle("r1")})).ok());
  json bad = test::baseElement("x2", "embeddable");
  auto result = board.apply("bob", update({rectangle("r1", 2, 1), rectangle("r3"), bad}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::ValidationFailed);
  EXPECT_EQ(result.error().field, "elements[2].type");
  EXPECT_EQ(board.find("r1")->version, 1);
  EXPECT_EQ(board.find("r3"), nullptr);
  EXPECT_EQ(board.seq(), 1u);

  auto notArray = board.apply("bob", rectangle("r4"));
  ASSERT_FALSE(notArray.ok());
  EXPECT_EQ(notArray.error().field, "elements");
  BoardLimits limits;
  limits.maxUpdateElements = 2;
  Board small(limits);
  auto tooMany = small.apply("bob", update({rectangle("a"), rectangle("b"), rectangle("c")}));
  ASSERT_FALSE(tooMany.ok());
  EXPECT_EQ(tooMany.error().code, ErrorCode::PayloadTooLarge);
  EXPECT_EQ(tooMany.error().field, "elements");
}

TEST(Board, DuplicateIdsInOneUpdateResolveByTheSameRule) {
  Board board;
  auto result = board.apply("alice", update({rectangle("r1", 2, 5), rectangle("r1", 3, 5), rectangle("r1", 1, 5)}));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->accepted(), update({rectangle("r1", 3, 5)}));
  EXPECT_EQ(board.seq(), 1u);
}

TEST(Board, LiveElementLimitRefusesGrowthOnlyAndNeverEditsOrDeletes) {
  BoardLimits limits;
  limits.maxLiveElements = 3;
  Board board(limits);
  ASSERT_TRUE(board.apply("alice", update({rectangle("a"), rectangle("b"), rectangle("c")})).ok());
  auto full = board.apply("alice", update({rectangle("d")}));
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, ErrorCode::PayloadTooLarge);
  EXPECT_EQ(full.error().field, "elements");
  EXPECT_TRUE(board.apply("alice", update({rectangle("a", 2, 1)})).ok());
  // Delete one and create one in the same update: no growth, fine.
  EXPECT_TRUE(board.apply("alice", update({rectangle("b", 2, 1, true), rectangle("d")})).ok());
  EXPECT_EQ(board.liveCount(), 3u);
  // Reviving b would make four.
  EXPECT_FALSE(board.apply("alice", update({rectangle("b", 3, 1)})).ok());
}

TEST(Board, SceneByteLimitCountsLiveDrawing) {
  BoardLimits limits;
  limits.maxSceneBytes = 3 * rectangle("a").dump().size() + 10;
  Board board(limits);
  ASSERT_TRUE(board.apply("alice", update({rectangle("a"), rectangle("b"), rectangle("c")})).ok());
  auto full = board.apply("alice", update({rectangle("e")}));
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, ErrorCode::PayloadTooLarge);
  // Deleting frees room; the tombstone gives way (compaction) rather than block the drawing.
  ASSERT_TRUE(board.apply("alice", update({rectangle("a", 2, 1, true)})).ok());
  ASSERT_TRUE(board.apply("alice", update({rectangle("e")})).ok());
  EXPECT_LE(board.liveBytes() + board.tombstoneBytes(), limits.maxSceneBytes);
  EXPECT_EQ(board.find("a"), nullptr);
  EXPECT_GT(board.compactedThrough(), 0u);
}

TEST(Board, OldestTombstonesAreCompactedBeyondTheLimit) {
  BoardLimits limits;
  limits.maxTombstones = 2;
  Board board(limits);
  ASSERT_TRUE(board.apply("alice", update({rectangle("a"), rectangle("b"), rectangle("c"), rectangle("d")})).ok());
  ASSERT_TRUE(board.apply("alice", update({rectangle("a", 2, 1, true)})).ok());  // seq 5
  ASSERT_TRUE(board.apply("alice", update({rectangle("b", 2, 1, true)})).ok());  // seq 6
  EXPECT_EQ(board.compactedThrough(), 0u);
  ASSERT_TRUE(board.apply("alice", update({rectangle("c", 2, 1, true)})).ok());  // seq 7
  EXPECT_EQ(board.tombstoneCount(), 2u);
  EXPECT_EQ(board.find("a"), nullptr);
  EXPECT_TRUE(board.find("b")->deleted);
  EXPECT_EQ(board.compactedThrough(), 5u);
  // A peer that saw up to seq 4 may have missed a's deletion: it must reset.
  auto page = board.snapshot({.epoch = board.epoch(), .sinceSeq = 4});
  EXPECT_TRUE(page.reset);
  EXPECT_EQ(ids(page.elements()), std::set<std::string>{"d"});
  // One that saw up to seq 5 gets a delta with the kept tombstones.
  auto delta = board.snapshot({.epoch = board.epoch(), .sinceSeq = 5});
  EXPECT_FALSE(delta.reset);
  EXPECT_EQ(ids(delta.elements()), (std::set<std::string>{"b", "c"}));
}

TEST(Board, LateJoinersGetTheLiveSceneAndReconnectsTheDelta) {
  Board board({}, "epoch-1");
  ASSERT_TRUE(board.apply("alice", update({rectangle("a"), rectangle("b"), rectangle("c")})).ok());
  ASSERT_TRUE(board.apply("bob", update({rectangle("b", 2, 1, true)})).ok());
  ASSERT_TRUE(board.apply("bob", update({rectangle("c", 2, 1)})).ok());

  const SnapshotPage fresh = board.snapshot();
  EXPECT_TRUE(fresh.reset);
  EXPECT_TRUE(fresh.complete);
  EXPECT_EQ(fresh.epoch, "epoch-1");
  EXPECT_EQ(fresh.nextSeq, 5u);
  EXPECT_EQ(fresh.elements(), update({rectangle("a"), rectangle("c", 2, 1)}));  // by seq, no tombstones

  const SnapshotPage delta = board.snapshot({.epoch = "epoch-1", .sinceSeq = 3});
  EXPECT_FALSE(delta.reset);
  EXPECT_EQ(delta.elements(), update({rectangle("b", 2, 1, true), rectangle("c", 2, 1)}));
  const SnapshotPage upToDate = board.snapshot({.epoch = "epoch-1", .sinceSeq = 5});
  EXPECT_FALSE(upToDate.reset);
  EXPECT_TRUE(upToDate.elements().empty());
  EXPECT_EQ(upToDate.nextSeq, 5u);
  // Another epoch (the server restarted from a save) or a cursor from the future: start over.
  EXPECT_TRUE(board.snapshot({.epoch = "epoch-0", .sinceSeq = 3}).reset);
  EXPECT_TRUE(board.snapshot({.epoch = "epoch-1", .sinceSeq = 6}).reset);
}

TEST(Board, SnapshotsComeInPagesThatCoverTheScene) {
  BoardLimits limits;
  limits.maxTombstones = 3;
  Board board(limits);
  json batch = json::array();
  for (int i = 0; i < 40; ++i) batch.push_back(rectangle("e" + std::to_string(i)));
  ASSERT_TRUE(board.apply("alice", batch).ok());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(board.apply("alice", update({rectangle("e" + std::to_string(i), 2, 1, true)})).ok());
  }
  ASSERT_GT(board.compactedThrough(), 0u);

  const std::size_t pageBytes = 3 * rectangle("e10").dump().size();
  SnapshotRequest request{.maxBytes = pageBytes};
  std::set<std::string> received;
  int pages = 0;
  bool firstPage = true;
  while (true) {
    const SnapshotPage page = board.snapshot(request);
    EXPECT_EQ(page.reset, firstPage);  // a fresh join resets; the next pages continue it
    firstPage = false;
    ASSERT_LE(page.elements().size(), 3u);
    for (const json& element : page.elements()) {
      if (!element["isDeleted"].get<bool>()) received.insert(element["id"].get<std::string>());
    }
    ++pages;
    if (page.complete) break;
    // Something changes between pages; it is in a later page (or a broadcast).
    if (pages == 2) {
      ASSERT_TRUE(board.apply("bob", update({rectangle("late")})).ok());
    }
    request = {.epoch = page.epoch, .sinceSeq = page.nextSeq, .maxBytes = pageBytes, .nextPage = true};
  }
  EXPECT_EQ(received.size(), 36u);
  EXPECT_TRUE(received.count("late"));
  EXPECT_GE(pages, 12);
  // A page always makes progress, even when one element is larger than the page.
  const SnapshotPage tiny = board.snapshot({.maxBytes = 1});
  EXPECT_EQ(tiny.elements().size(), 1u);
  EXPECT_FALSE(tiny.complete);
}

}  // namespace
}  // namespace fluxmeet::whiteboard
