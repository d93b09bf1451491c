#include "fluxmeet/meeting/room.hpp"

#include "room_fixture.hpp"

namespace fluxmeet::meeting {
namespace {

using testing::FakeSink;
using testing::RoomTest;

TEST_F(RoomTest, JoinNotifiesOthersAndReturnsSnapshot) {
  createMeeting();
  FakeSink host, alice;
  auto first = join("h", 0, host);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ((*first)["state"], "joined");
  EXPECT_EQ((*first)["you"]["role"], "host");
  EXPECT_TRUE((*first)["peers"].empty());
  EXPECT_TRUE((*first).contains("lobby"));

  auto second = join("a", 1, alice);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ((*second)["you"]["role"], "participant");
  ASSERT_EQ((*second)["peers"].size(), 1u);
  EXPECT_EQ((*second)["peers"][0]["peerId"], "h");
  EXPECT_FALSE((*second).contains("lobby"));
  ASSERT_NE(host.last("peer.joined"), nullptr);
  EXPECT_EQ(host.last("peer.joined")->data["peerId"], "a");

  room().leave("a");
  ASSERT_NE(host.last("peer.left"), nullptr);
  EXPECT_EQ(host.last("peer.left")->data["reason"], "left");
  auto history = store_->listParticipants(room().meeting().id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  int open = 0;
  for (const auto& row : *history) open += !row.leftAt.has_value();
  EXPECT_EQ(open, 1);
  auto meeting = store_->findMeetingByCode("abc-defg-hij");
  EXPECT_TRUE(meeting->startedAt.has_value());
}

TEST_F(RoomTest, UnknownMeetingIsNotFound) {
  FakeSink sink;
  auto result = join("x", 1, sink);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::NotFound);
  EXPECT_EQ(registry_->roomCount(), 0u);
}

TEST_F(RoomTest, RoomIsReleasedWhenEmpty) {
  createMeeting();
  FakeSink host;
  ASSERT_TRUE(join("h", 0, host).ok());
  room().leave("h");
  registry_->releaseIfEmpty("abc-defg-hij");
  EXPECT_EQ(registry_->roomCount(), 0u);
}

TEST_F(RoomTest, EmptyRoomIsKeptForItsGracePeriodAndReusedByARejoin) {
  using Clock = RoomRegistry::Clock;
  registry_ = std::make_unique<RoomRegistry>(*store_, nullptr, std::chrono::seconds(10));
  createMeeting();
  FakeSink host;
  ASSERT_TRUE(join("h", 0, host).ok());
  Room* first = &room();
  room().leave("h");
  Clock::time_point left = Clock::now();
  auto deadline = registry_->releaseIfEmpty("abc-defg-hij", left);
  ASSERT_TRUE(deadline.has_value());
  EXPECT_EQ(*deadline, left + std::chrono::seconds(10));
  EXPECT_EQ(registry_->closeIdle(left + std::chrono::seconds(9)), deadline);
  EXPECT_EQ(registry_->roomCount(), 1u);

  // Back within the grace period: the same room (and so the same Router), no longer idle.
  FakeSink again;
  ASSERT_TRUE(join("h2", 0, again).ok());
  EXPECT_EQ(&room(), first);
  EXPECT_FALSE(registry_->closeIdle(left + std::chrono::seconds(11)).has_value());
  EXPECT_EQ(registry_->roomCount(), 1u);

  // Empty again: the grace period starts over, then the room goes.
  room().leave("h2");
  Clock::time_point leftAgain = left + std::chrono::seconds(20);
  ASSERT_TRUE(registry_->releaseIfEmpty("abc-defg-hij", leftAgain).has_value());
  EXPECT_EQ(registry_->roomCount(), 1u);
  EXPECT_FALSE(registry_->closeIdle(leftAgain + std::chrono::seconds(10)).has_value());
  EXPECT_EQ(registry_->roomCount(), 0u);
}

TEST_F(RoomTest, RoomMadeForARefusedJoinGoesAtOnceDespiteTheGracePeriod) {
  registry_ = std::make_unique<RoomRegistry>(*store_, nullptr, std::chrono::seconds(10));
  createMeeting({}, "secret");
  FakeSink alice;
  auto refused = join("a", 1, alice, std::string("wrong"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(registry_->roomCount(), 0u);
}

TEST_F(RoomTest, EndedRoomGoesAtOnceDespiteTheGracePeriod) {
  registry_ = std::make_unique<RoomRegistry>(*store_, nullptr, std::chrono::seconds(10));
  createMeeting();
  FakeSink host;
  ASSERT_TRUE(join("h", 0, host).ok());
  ASSERT_TRUE(room().end("h").ok());
  EXPECT_FALSE(registry_->releaseIfEmpty("abc-defg-hij").has_value());
  EXPECT_EQ(registry_->roomCount(), 0u);
}

TEST_F(RoomTest, WaitingRoomAdmitAndDeny) {
  createMeeting({.waitingRoom = true});
  FakeSink host, alice, bob;
  auto waiting = join("a", 1, alice);
  ASSERT_TRUE(waiting.ok());
  EXPECT_EQ((*waiting)["state"], "waiting");
  EXPECT_EQ(alice.count("lobby.hostAbsent"), 1);

  auto hostJoin = join("h", 0, host);
  ASSERT_TRUE(hostJoin.ok());
  ASSERT_EQ((*hostJoin)["lobby"].size(), 1u);
  EXPECT_EQ((*hostJoin)["lobby"][0]["peerId"], "a");

  ASSERT_TRUE(join("b", 2, bob).ok());
  ASSERT_NE(host.last("lobby.request"), nullptr);
  EXPECT_EQ(host.last("lobby.request")->data["peerId"], "b");

  ASSERT_TRUE(room().admit("h", "a").ok());
  ASSERT_NE(alice.last("lobby.admitted"), nullptr);
  EXPECT_EQ(alice.last("lobby.admitted")->data["state"], "joined");
  EXPECT_NE(room().findPeer("a"), nullptr);

  ASSERT_TRUE(room().deny("h", "b").ok());
  EXPECT_EQ(bob.count("lobby.denied"), 1);
  EXPECT_EQ(bob.leftRoomCalls, 1);
  EXPECT_FALSE(room().isWaiting("b"));
  EXPECT_EQ(room().admit("h", "b").error().code, ErrorCode::NotFound);
  // A participant cannot admit.
  ASSERT_TRUE(join("b2", 2, bob).ok());
  EXPECT_EQ(room().admit("a", "b2").error().code, ErrorCode::Forbidden);
}

TEST_F(RoomTest, HostLeavingTellsWaitersHostIsAbsent) {
  createMeeting({.waitingRoom = true});
  FakeSink host, alice;
  ASSERT_TRUE(join("h", 0, host).ok());
  ASSERT_TRUE(join("a", 1, alice).ok());
  EXPECT_EQ(alice.count("lobby.hostAbsent"), 0);
  room().leave("h");
  EXPECT_EQ(alice.count("lobby.hostAbsent"), 1);
}

TEST_F(RoomTest, LockedMeetingAdmitsOnlyTheHost) {
  createMeeting();
  FakeSink host, alice;
  ASSERT_TRUE(join("h", 0, host).ok());
  ASSERT_TRUE(room().setLocked("h", true).ok());
  EXPECT_TRUE(store_->findMeetingByCode("abc-defg-hij")->locked);
  auto refused = join("a", 1, alice);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::Forbidden);
  ASSERT_TRUE(room().setLocked("h", false).ok());
  EXPECT_TRUE(join("a", 1, alice).ok());
}

TEST_F(RoomTest, GuestsOnlyWhenAllowed) {
  createMeeting({.guestsAllowed = false});
  FakeSink host, guest;
  ASSERT_TRUE(join("h", 0, host).ok());
  EXPECT_EQ(join("g", -1, guest).error().code, ErrorCode::Forbidden);
  ASSERT_TRUE(room().updateSettings("h", {.guestsAllowed = true}).ok());
  auto joined = join("g", -1, guest);
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ((*joined)["you"]["role"], "guest");
  EXPECT_TRUE(store_->findMeetingByCode("abc-defg-hij")->settings.guestsAllowed);
}

TEST_F(RoomTest, BanRefusesRejoinWhileRoomLives) {
  createMeeting();
  FakeSink host, alice, guest;
  ASSERT_TRUE(join("h", 0, host).ok());
  ASSERT_TRUE(join("a", 1, alice).ok());
  ASSERT_TRUE(join("g", -1, guest, std::nullopt, "10.9.9.9").ok());
  ASSERT_TRUE(room().remove("h", "a", true).ok());
  ASSERT_NE(alice.last("you.removed"), nullptr);
  EXPECT_EQ(alice.last("you.removed")->data["banned"], true);
  EXPECT_EQ(alice.leftRoomCalls, 1);
  EXPECT_EQ(host.last("peer.left")->data["reason"], "removed");
  EXPECT_EQ(join("a2", 1, alice).error().code, ErrorCode::Forbidden);
  // A banned guest cannot come back with a fresh guest identity from the same address.
  ASSERT_TRUE(room().remove("h", "g", true).ok());
  EXPECT_EQ(join("g2", -1, guest, std::nullopt, "10.9.9.9").error().code, ErrorCode::Forbidden);
  // Removed without ban: may come back.
  FakeSink bob;
  ASSERT_TRUE(join("b", 2, bob).ok());
  ASSERT_TRUE(room().remove("h", "b", false).ok());
  EXPECT_TRUE(join("b2", 2, bob).ok());
}

TEST_F(RoomTest, MuteFlagsAndNotifications) {
  createMeeting();
  FakeSink host, alice, bob;
  ASSERT_TRUE(join("h", 0, host).ok());
  ASSERT_TRUE(join("a", 1, alice).ok());
  ASSERT_TRUE(join("b", 2, bob).ok());
  ASSERT_TRUE(room().mute("h", "a", MediaKind::Video).ok());
  EXPECT_TRUE(room().findPeer("a")->muted.video);
  EXPECT_FALSE(room().findPeer("a")->muted.audio);
  ASSERT_NE(alice.last("you.muted"), nullptr);
  EXPECT_EQ(alice.last("you.muted")->data["kind"], "video");
  EXPECT_EQ(bob.last("peer.updated")->data["muted"]["video"], true);

  auto all = room().muteAll("h", MediaKind::Audio);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)["muted"], 2);
  EXPECT_TRUE(room().findPeer("b")->muted.audio);
  EXPECT_FALSE(room().findPeer("h")->muted.audio);

  // Self-mute is allowed for anyone, self-unmute too; nobody unmutes others.
  ASSERT_TRUE(room().unmuteSelf("b", MediaKind::Audio).ok());
  EXPECT_FALSE(room().findPeer("b")->muted.audio);
  ASSERT_TRUE(room().mute("b", "b", MediaKind::Audio).ok());
  EXPECT_TRUE(room().findPeer("b")->muted.audio);
  EXPECT_EQ(room().mute("b", "a", MediaKind::Audio).error().code, ErrorCode::Forbidden);
}

TEST_F(RoomTest, MuteOnEntry) {
  createMeeting({.muteOnEntry = true});
  FakeSink host, alice;
  ASSERT_TRUE(join("h", 0, host).ok());
  ASSERT_TRUE(join("a", 1, alice).ok());
  EXPECT_FALSE(room().findPeer("h")->muted.audio);
  EXPECT_TRUE(room().findPeer("a")->muted.audio);
}

TEST_F(RoomTest, HandAndNameAndReaction) {
  createMeeting();
  FakeSink host, alice;
  ASSERT_TRUE(join("h", 0, host).ok());
  ASSERT_TRUE(join("a", 1, alice).ok());
  ASSERT_TRUE(room().setHand("a", true).ok());
  EXPECT_EQ(host.last("peer.updated")->data["handRaised"], true);
  ASSERT_TRUE(room().setName("a", "Alice A.").ok());
  EXPECT_EQ(host.last("peer.updated")->data["displayName"], "Alice A.");
  ASSERT_TRUE(room().reaction("a", "👍").ok());
  EXPECT_EQ(host.last("reaction")->data["emoji"], "👍");
  EXPECT_EQ(alice.count("reaction"), 0);
}

TEST_F(RoomTest, ChatIsStoredAndOwnershipEnforced) {
  createMeeting();
  FakeSink host, alice, bob;
  ASSERT_TRUE(join("h", 0, host).ok());
  ASSERT_TRUE(join("a", 1, alice).ok());
  ASSERT_TRUE(join("b", 2, bob).ok());
  auto sent = room().chatSend("a", "hello");
  ASSERT_TRUE(sent.ok());
  store::Id id = (*sent)["id"];
  EXPECT_EQ(host.last("chat.message")->data["text"], "hello");
  EXPECT_EQ(alice.count("chat.message"), 0);
  EXPECT_EQ(store_->findChatMessage(room().meeting().id, id)->body, "hello");

  EXPECT_EQ(room().chatEdit("b", id, "hacked").error().code, ErrorCode::Forbidden);
  ASSERT_TRUE(room().chatEdit("a", id, "hello!").ok());
  EXPECT_EQ(bob.last("chat.edited")->data["text"], "hello!");
  EXPECT_EQ(room().chatDelete("b", id).error().code, ErrorCode::Forbidden);
  ASSERT_TRUE(room().chatDelete("h", id).ok());  // hosts may delete any message
  EXPECT_TRUE(store_->findChatMessage(room().meeting().id, id)->deleted);

  for (int i = 0; i < 5; ++i) ASSERT_TRUE(room().chatSend("b", "m" + std::to_string(i)).ok());
  auto page = room().chatHistory("a", 0, 3);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ((*page)["messages"].size(), 3u);
  EXPECT_EQ((*page)["messages"][2]["text"], "m4");  // newest last
  EXPECT_EQ((*page)["hasMore"], true);
}

TEST_F(RoomTest, PasscodeRequiredAndRateLimited) {
  createMeeting({}, "secret");
  FakeSink host, alice;
  ASSERT_TRUE(join("h", 0, host).ok());  // the host needs no passcode
  auto missing = join("a", 1, alice);
  EXPECT_EQ(missing.error().field, "passcode");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(join("a", 1, alice, "nope").error().code, ErrorCode::Forbidden);
  // Fifth attempt within the minute: allowed and correct.
  ASSERT_TRUE(join("a", 1, alice, "secret").ok());
  room().leave("a");
  // Success reset the counter; five more attempts are allowed, the sixth is limited.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(join("a", 1, alice, "nope").error().code, ErrorCode::Forbidden);
  EXPECT_EQ(join("a", 1, alice, "secret").error().code, ErrorCode::RateLimited);
}

TEST_F(RoomTest, EndDisconnectsEveryoneAndMarksEnded) {
  createMeeting({.waitingRoom = true});
  FakeSink host, alice, bob;
  ASSERT_TRUE(join("h", 0, host).ok());
  ASSERT_TRUE(join("a", 1, alice).ok());
  ASSERT_TRUE(room().admit("h", "a").ok());
  ASSERT_TRUE(join("b", 2, bob).ok());  // waiting
  EXPECT_EQ(room().end("a").error().code, ErrorCode::Forbidden);
  ASSERT_TRUE(room().end("h").ok());
  for (FakeSink* sink : {&host, &alice, &bob}) {
    EXPECT_EQ(sink->count("meeting.ended"), 1);
    EXPECT_EQ(sink->leftRoomCalls, 1);
  }
  EXPECT_TRUE(store_->findMeetingByCode("abc-defg-hij")->endedAt.has_value());
  registry_->releaseIfEmpty("abc-defg-hij");
  EXPECT_EQ(registry_->roomCount(), 0u);
}

TEST_F(RoomTest, TurningWaitingRoomOffAdmitsWaiters) {
  createMeeting({.waitingRoom = true});
  FakeSink host, alice;
  ASSERT_TRUE(join("h", 0, host).ok());
  ASSERT_TRUE(join("a", 1, alice).ok());
  ASSERT_TRUE(room().updateSettings("h", {.waitingRoom = false}).ok());
  EXPECT_NE(room().findPeer("a"), nullptr);
  EXPECT_EQ(alice.count("lobby.admitted"), 1);
  EXPECT_EQ(host.last("meeting.settings")->data["settings"]["waitingRoom"], false);
}

TEST_F(RoomTest, ReconnectingStateIsBroadcast) {
  createMeeting();
  FakeSink host, alice;
  ASSERT_TRUE(join("h", 0, host).ok());
  ASSERT_TRUE(join("a", 1, alice).ok());
  room().setConnected("a", false, nullptr);
  EXPECT_EQ(host.last("peer.updated")->data["connection"], "reconnecting");
  room().setConnected("a", true, &alice);
  EXPECT_EQ(host.last("peer.updated")->data["connection"], "connected");
  room().leave("a", "disconnected");
  EXPECT_EQ(host.last("peer.left")->data["reason"], "disconnected");
}

// A reloaded tab joins again while the old connection is still in its grace period: the person
// must not appear twice.
TEST_F(RoomTest, RejoinReplacesTheSamePersonsDisconnectedSeat) {
  createMeeting();
  FakeSink host, oldTab, newTab;
  ASSERT_TRUE(join("h", 0, host).ok());
  ASSERT_TRUE(join("a1", 1, oldTab).ok());
  room().setConnected("a1", false, nullptr);
  ASSERT_TRUE(join("a2", 1, newTab).ok());
  EXPECT_EQ(room().findPeer("a1"), nullptr);
  EXPECT_NE(room().findPeer("a2"), nullptr);
  EXPECT_EQ(room().peerCount(), 2u);
  EXPECT_EQ(host.last("peer.left")->data["peerId"], "a1");
  // A connected seat of the same person (a second device) is kept.
  FakeSink phone;
  ASSERT_TRUE(join("a3", 1, phone).ok());
  EXPECT_NE(room().findPeer("a2"), nullptr);
  EXPECT_EQ(room().peerCount(), 3u);
}

}  // namespace
}  // namespace fluxmeet::meeting
