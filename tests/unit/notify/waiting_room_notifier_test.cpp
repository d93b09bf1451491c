// "Someone is waiting": only to an absent host with the setting on, once a minute per meeting.
#include "fluxmeet/notify/waiting_room_notifier.hpp"

#include "notify_test_support.hpp"

namespace fluxmeet::notify::test {
namespace {

class WaitingRoomNotifierTest : public NotifyStoreTest {
 protected:
  WaitingRoomNotifier::Clock::time_point now_{std::chrono::hours(1)};
  WaitingRoomNotifier makeNotifier() {
    return WaitingRoomNotifier(*store_, notifier_, [this] { return now_; });
  }
};

TEST_F(WaitingRoomNotifierTest, TellsAnAbsentHostOnceAMinute) {
  const store::User alice = makeUser("alice");
  const store::Meeting meeting = makeScheduled(alice.id, "abc-defg-hij", kNow);
  auto waiting = makeNotifier();
  waiting.onLobbyWaiting(meeting, "Guest One", false);
  waiting.onLobbyWaiting(meeting, "Guest Two", false);
  ASSERT_EQ(notifier_.sent.size(), 1u);
  EXPECT_EQ(notifier_.sent[0].userId, alice.id);
  EXPECT_EQ(notifier_.sent[0].payload.kind, PushKind::Waiting);
  EXPECT_EQ(notifier_.sent[0].payload.body, "Guest One is waiting in the waiting room");
  EXPECT_EQ(notifier_.sent[0].payload.url, "/m/abc-defg-hij");
  now_ += std::chrono::seconds(59);
  waiting.onLobbyWaiting(meeting, "Guest Three", false);
  EXPECT_EQ(notifier_.sent.size(), 1u);
  now_ += std::chrono::seconds(1);
  waiting.onLobbyWaiting(meeting, "Guest Four", false);
  EXPECT_EQ(notifier_.sent.size(), 2u);
}

TEST_F(WaitingRoomNotifierTest, NothingWhenTheHostIsThereOrOptedOut) {
  const store::User alice = makeUser("alice");
  const store::Meeting meeting = makeScheduled(alice.id, "abc-defg-hij", kNow);
  auto waiting = makeNotifier();
  waiting.onLobbyWaiting(meeting, "Guest", true);
  EXPECT_TRUE(notifier_.sent.empty());
  ASSERT_TRUE(store_->saveNotificationSettings(alice.id, store::NotificationSettings{.waitingRoom = false}, kNow).ok());
  waiting.onLobbyWaiting(meeting, "Guest", false);
  EXPECT_TRUE(notifier_.sent.empty());
}

TEST_F(WaitingRoomNotifierTest, MeetingsAreLimitedSeparately) {
  const store::User alice = makeUser("alice");
  const store::Meeting first = makeScheduled(alice.id, "aaa-aaaa-aaa", kNow);
  const store::Meeting second = makeScheduled(alice.id, "bbb-bbbb-bbb", kNow);
  auto waiting = makeNotifier();
  waiting.onLobbyWaiting(first, "A", false);
  waiting.onLobbyWaiting(second, "B", false);
  EXPECT_EQ(notifier_.sent.size(), 2u);
}

}  // namespace
}  // namespace fluxmeet::notify::test
