// The Room's whiteboard: permissions, relaying, cursor throttling and persistence through the
// store (debounced save, save at meeting end, restore when the room is created again).

#include "fluxmeet/meeting/room_board.hpp"
#include "room_fixture.hpp"

namespace fluxmeet::meeting::testing {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

json rectangle(const std::string& id, int version = 1, bool deleted = false) {
  return {{"id", id}, {"type", "rectangle"}, {"version", version}, {"versionNonce", 7}, {"isDeleted", deleted}};
}

class RoomBoardTest : public RoomTest {
 protected:
  void SetUp() override {
    RoomTest::SetUp();
    meeting_ = createMeeting();
    ASSERT_TRUE(join("host", 0, host_).ok());
    ASSERT_TRUE(join("alice", 1, alice_).ok());
    ASSERT_TRUE(join("guest", -1, guest_).ok());
  }

  store::Meeting meeting_;
  FakeSink host_, alice_, guest_;
};

TEST_F(RoomBoardTest, UpdatesGoToTheOthersNotBackToTheSender) {
  const auto sentAt = Clock::now();
  auto answer = room().boardUpdate("alice", json::array({rectangle("r1")}));
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ((*answer)["seq"], 1);
  EXPECT_TRUE((*answer)["superseded"].empty());
  // Relayed with whatever else arrives within kRelayDelay: the room asks to be woken for it.
  EXPECT_EQ(host_.count("board.elements"), 0);
  ASSERT_TRUE(room().boardWakeAt().has_value());
  EXPECT_LE(*room().boardWakeAt(), Clock::now() + RoomBoard::kRelayDelay);
  EXPECT_GE(*room().boardWakeAt(), sentAt + RoomBoard::kRelayDelay);
  room().onBoardTimer(*room().boardWakeAt());
  ASSERT_NE(host_.last("board.elements"), nullptr);
  EXPECT_EQ(host_.last("board.elements")->data["seq"], 1);
  EXPECT_EQ(host_.last("board.elements")->data["elements"][0]["id"], "r1");
  EXPECT_EQ(guest_.count("board.elements"), 1);
  EXPECT_EQ(alice_.count("board.elements"), 0);
  // Nothing twice.
  room().onBoardTimer(Clock::now() + RoomBoard::kRelayDelay);
  EXPECT_EQ(host_.count("board.elements"), 1);
}

TEST_F(RoomBoardTest, UpdatesWithinTheRelayDelayGoOutAsOneMessagePerPeer) {
  ASSERT_TRUE(room().boardUpdate("alice", json::array({rectangle("a1")})).ok());
  ASSERT_TRUE(room().boardUpdate("guest", json::array({rectangle("g1")})).ok());
  ASSERT_TRUE(room().boardUpdate("alice", json::array({rectangle("a2"), rectangle("a3")})).ok());
  room().onBoardTimer(Clock::now() + RoomBoard::kRelayDelay);

  auto ids = [](const FakeSink& sink) {
    std::vector<std::string> ids;
    for (const auto& element : sink.last("board.elements")->data["elements"]) ids.push_back(element["id"]);
    return ids;
  };
  ASSERT_EQ(host_.count("board.elements"), 1);
  EXPECT_EQ(ids(host_), (std::vector<std::string>{"a1", "g1", "a2", "a3"})) << "in the order applied";
  EXPECT_EQ(host_.last("board.elements")->data["seq"], 4) << "the board's seq after the last update (one per element)";
  // Each sender gets the others' updates only.
  ASSERT_EQ(alice_.count("board.elements"), 1);
  EXPECT_EQ(ids(alice_), (std::vector<std::string>{"g1"}));
  EXPECT_EQ(alice_.last("board.elements")->data["seq"], 4);
  ASSERT_EQ(guest_.count("board.elements"), 1);
  EXPECT_EQ(ids(guest_), (std::vector<std::string>{"a1", "a2", "a3"}));
}

TEST_F(RoomBoardTest, ClosingTheBoardRelaysPendingDrawingFirst) {
  ASSERT_TRUE(room().boardSetOpen("host", true).ok());
  ASSERT_TRUE(room().boardUpdate("alice", json::array({rectangle("r1")})).ok());
  ASSERT_TRUE(room().boardSetOpen("host", false).ok());
  ASSERT_EQ(guest_.count("board.elements"), 1);
  std::size_t elementsAt = 0, closedAt = 0;
  for (std::size_t i = 0; i < guest_.notes.size(); ++i) {
    if (guest_.notes[i].method == "board.elements") elementsAt = i;
    if (guest_.notes[i].method == "board.closed") closedAt = i;
  }
  EXPECT_LT(elementsAt, closedAt);
}

TEST_F(RoomBoardTest, InvalidUpdatesChangeNothing) {
  auto refused = room().boardUpdate("host", json::array({rectangle("ok"), json{{"id", "x"}}}));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::ValidationFailed);
  EXPECT_EQ(room().board().board().seq(), 0U);
  EXPECT_EQ(alice_.count("board.elements"), 0);
  EXPECT_FALSE(room().boardWakeAt().has_value()) << "nothing to save";
}

TEST_F(RoomBoardTest, ReadOnlyStopsParticipantsAndGuestsButNotHosts) {
  EXPECT_EQ(room().boardSetReadOnly("alice", true).error().code, ErrorCode::Forbidden);
  ASSERT_TRUE(room().boardSetReadOnly("host", true).ok());
  EXPECT_EQ(alice_.last("board.readOnly")->data, (json{{"readOnly", true}, {"by", "host"}}));
  EXPECT_EQ(room().boardUpdate("alice", json::array({rectangle("a")})).error().code, ErrorCode::Forbidden);
  EXPECT_EQ(room().boardUpdate("guest", json::array({rectangle("g")})).error().code, ErrorCode::Forbidden);
  EXPECT_TRUE(room().boardUpdate("host", json::array({rectangle("h")})).ok());
  EXPECT_EQ(room().snapshot("guest")["board"]["readOnly"], true);
}

TEST_F(RoomBoardTest, CursorsAreThrottledAndTheLastOneIsHeldForTheTimer) {
  ASSERT_TRUE(room().boardCursor("alice", {{"x", 1}, {"y", 1}}).ok());
  ASSERT_TRUE(room().boardCursor("alice", {{"x", 2}, {"y", 2}}).ok());
  ASSERT_TRUE(room().boardCursor("alice", {{"x", 3}, {"y", 3}, {"pointer", "down"}}).ok());
  EXPECT_EQ(host_.count("board.cursor"), 1);
  auto wake = room().boardWakeAt();
  ASSERT_TRUE(wake.has_value());
  room().onBoardTimer(*wake);
  EXPECT_EQ(host_.count("board.cursor"), 2);
  EXPECT_EQ(host_.last("board.cursor")->data, (json{{"peerId", "alice"}, {"x", 3}, {"y", 3}, {"pointer", "down"}}));
  EXPECT_EQ(alice_.count("board.cursor"), 0);
}

TEST_F(RoomBoardTest, TheBoardIsSavedAfterTheQuietDelayAndRestoredByTheNextRoom) {
  ASSERT_TRUE(room().boardUpdate("alice", json::array({rectangle("keep"), rectangle("drop")})).ok());
  ASSERT_TRUE(room().boardUpdate("host", json::array({rectangle("drop", 2, true)})).ok());
  room().onBoardTimer(*room().boardWakeAt());  // the relay to the others comes first
  auto wake = room().boardWakeAt();
  ASSERT_TRUE(wake.has_value());
  EXPECT_GE(*wake, Clock::now() + RoomBoard::kSaveQuiet - std::chrono::milliseconds(500));
  EXPECT_LE(*wake, Clock::now() + RoomBoard::kSaveQuiet);
  EXPECT_FALSE(store_->findBoard(meeting_.id).ok()) << "not before it is due";
  room().onBoardTimer(*wake);
  ASSERT_TRUE(store_->findBoard(meeting_.id).ok());
  EXPECT_FALSE(room().boardWakeAt().has_value());

  // A new room of the same meeting (a restart) has the scene under a new epoch.
  const std::string epoch = room().board().board().epoch();
  for (const char* peer : {"host", "alice", "guest"}) room().leave(peer);
  ASSERT_FALSE(registry_->releaseIfEmpty("abc-defg-hij").has_value());
  FakeSink again;
  auto view = join("host2", 0, again);
  ASSERT_TRUE(view.ok());
  EXPECT_NE((*view)["board"]["epoch"], epoch);
  const auto& board = room().board().board();
  EXPECT_EQ(board.liveCount(), 1U);
  ASSERT_NE(board.find("drop"), nullptr);
  EXPECT_TRUE(board.find("drop")->deleted) << "tombstones are kept";
}

TEST_F(RoomBoardTest, EndingTheMeetingSavesAtOnce) {
  ASSERT_TRUE(room().boardUpdate("alice", json::array({rectangle("last")})).ok());
  ASSERT_TRUE(room().end("host").ok());
  auto saved = store_->findBoard(meeting_.id);
  ASSERT_TRUE(saved.ok());
  EXPECT_NE(saved->document.find("\"last\""), std::string::npos);
}

TEST_F(RoomBoardTest, ImagesAreCheckedStoredAndAnnounced) {
  const std::vector<std::uint8_t> png{0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13};
  auto added = room().boardAddFile("guest", "img-1", "image/png", png);
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ((*added)["size"], png.size());
  EXPECT_EQ(host_.last("board.file")->data, (json{{"fileId", "img-1"}, {"mimeType", "image/png"}}));
  EXPECT_EQ(guest_.count("board.file"), 0);
  EXPECT_EQ(store_->findBoardFile(meeting_.id, "img-1")->bytes, png);
  EXPECT_EQ(room().boardAddFile("guest", "img-2", "image/gif", png).error().code, ErrorCode::ValidationFailed);
  EXPECT_EQ(room().boardAddFile("guest", "bad id", "image/png", png).error().code, ErrorCode::ValidationFailed);
  EXPECT_EQ(room().boardAddFile("guest", "img-3", "image/svg+xml", png).error().code, ErrorCode::UnsupportedMediaType);
}

}  // namespace
}  // namespace fluxmeet::meeting::testing
