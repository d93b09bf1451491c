// "The meeting started" to invitees (once per start, not to those in it, not right after a brief
// close) and chat pushes (to the others in the meeting, at most one per person and meeting every
// 15 s, never to the sender), each only with its setting on.
#include "fluxmeet/notify/meeting_activity_notifier.hpp"

#include "notify_test_support.hpp"

namespace fluxmeet::notify::test {
namespace {

class MeetingActivityNotifierTest : public NotifyStoreTest {
 protected:
  MeetingActivityNotifier::Clock::time_point now_{std::chrono::hours(1)};
  store::UnixTime wallNow_ = kNow;

  MeetingActivityNotifier makeNotifier() {
    return MeetingActivityNotifier(*store_, notifier_, [this] { return now_; }, [this] { return wallNow_; });
  }
  void invite(const store::Meeting& meeting, std::vector<std::string> emails) {
    auto added =
        store_->addInvitations(store::NewInvitations{.meetingId = meeting.id, .emails = std::move(emails), .now = kNow});
    ASSERT_TRUE(added.ok()) << added.error().message;
  }
  // The meeting as the Room hands it over at a start.
  static store::Meeting startedAt(store::Meeting meeting, store::UnixTime at) {
    meeting.startedAt = at;
    return meeting;
  }
  static store::ChatMessage message(std::optional<store::Id> sender, std::string body) {
    return store::ChatMessage{.id = 1, .senderUserId = sender, .senderName = "Alice", .body = std::move(body)};
  }
  std::vector<store::Id> recipients() const {
    std::vector<store::Id> ids;
    for (const auto& sent : notifier_.sent) ids.push_back(sent.userId);
    return ids;
  }
};

TEST_F(MeetingActivityNotifierTest, StartedGoesToAbsentInviteesWithAnAccountOncePerStart) {
  const store::User alice = makeUser("alice");
  const store::User bob = makeUser("bob");
  const store::User carol = makeUser("carol");
  const store::User dave = makeUser("dave");
  const store::Meeting meeting = makeScheduled(alice.id, "abc-defg-hij", kNow);
  invite(meeting, {"bob@example.com", "carol@example.com", "dave@example.com", "nobody@example.com"});
  ASSERT_TRUE(
      store_->saveNotificationSettings(dave.id, store::NotificationSettings{.meetingStarted = false}, kNow).ok());
  auto activity = makeNotifier();
  activity.onMeetingStarted(startedAt(meeting, kNow), "Alice", {alice.id, carol.id});
  EXPECT_EQ(recipients(), (std::vector<store::Id>{bob.id}));
  const SentNotification& sent = notifier_.sent.at(0);
  EXPECT_EQ(sent.payload.kind, PushKind::Started);
  EXPECT_EQ(sent.payload.title, meeting.title);
  EXPECT_EQ(sent.payload.body, "Alice started the meeting");
  EXPECT_EQ(sent.payload.url, "/m/abc-defg-hij");
  EXPECT_EQ(sent.payload.tag, "started:abc-defg-hij");
  EXPECT_EQ(sent.options.ttl, std::chrono::minutes(15));
  EXPECT_EQ(sent.options.urgency, push::Urgency::High);
  // The same start seen again (another node, a replay) is not announced twice.
  auto other = makeNotifier();
  other.onMeetingStarted(startedAt(meeting, kNow), "Alice", {});
  EXPECT_EQ(notifier_.sent.size(), 1u);
}

TEST_F(MeetingActivityNotifierTest, AStartRightAfterAShortCloseIsTheSameSession) {
  const store::User alice = makeUser("alice");
  const store::User bob = makeUser("bob");
  const store::Meeting meeting = makeScheduled(alice.id, "abc-defg-hij", kNow);
  invite(meeting, {"bob@example.com"});
  auto activity = makeNotifier();
  activity.onMeetingStarted(startedAt(meeting, kNow), "Alice", {alice.id});
  ASSERT_EQ(notifier_.sent.size(), 1u);
  activity.onMeetingClosed(meeting);
  now_ += MeetingActivityNotifier::kStartQuietPeriod - std::chrono::seconds(1);
  activity.onMeetingStarted(startedAt(meeting, kNow + 299), "Alice", {alice.id});
  EXPECT_EQ(notifier_.sent.size(), 1u);
  activity.onMeetingClosed(meeting);
  now_ += MeetingActivityNotifier::kStartQuietPeriod;
  activity.onMeetingStarted(startedAt(meeting, kNow + 900), "Alice", {alice.id});
  ASSERT_EQ(notifier_.sent.size(), 2u);
  EXPECT_EQ(notifier_.sent[1].userId, bob.id);
}

TEST_F(MeetingActivityNotifierTest, NoInviteesNoClaim) {
  const store::User alice = makeUser("alice");
  const store::Meeting meeting = makeScheduled(alice.id, "abc-defg-hij", kNow);
  auto activity = makeNotifier();
  activity.onMeetingStarted(startedAt(meeting, kNow), "Alice", {alice.id});
  EXPECT_TRUE(notifier_.sent.empty());
  // Nothing claimed: an invitation added later still gets this start announced on a replay.
  auto claimed = store_->claimNotification(startedNotificationKey(meeting.id, kNow), kNow);
  ASSERT_TRUE(claimed.ok());
  EXPECT_TRUE(*claimed);
}

TEST_F(MeetingActivityNotifierTest, ChatGoesToTheOthersAtMostEvery15SecondsPerPersonAndMeeting) {
  const store::User alice = makeUser("alice");
  const store::User bob = makeUser("bob");
  const store::User carol = makeUser("carol");
  const store::Meeting meeting = makeScheduled(alice.id, "abc-defg-hij", kNow);
  const store::Meeting other = makeScheduled(alice.id, "xyz-defg-hij", kNow);
  auto activity = makeNotifier();
  activity.onChatMessage(meeting, message(alice.id, "hello"), {bob.id, carol.id});
  EXPECT_EQ(recipients(), (std::vector<store::Id>{bob.id, carol.id}));
  const SentNotification& sent = notifier_.sent.at(0);
  EXPECT_EQ(sent.payload.kind, PushKind::Chat);
  EXPECT_EQ(sent.payload.title, "Alice in " + meeting.title);
  EXPECT_EQ(sent.payload.body, "hello");
  EXPECT_EQ(sent.payload.tag, "chat:abc-defg-hij");
  EXPECT_EQ(sent.payload.meetingCode, "abc-defg-hij");
  EXPECT_NE(sent.payload.toJson().find("\"meetingCode\":\"abc-defg-hij\""), std::string::npos);
  EXPECT_EQ(sent.options.ttl, std::chrono::seconds(60));
  EXPECT_EQ(sent.options.urgency, push::Urgency::Normal);

  now_ += std::chrono::seconds(14);
  activity.onChatMessage(meeting, message(carol.id, "second"), {alice.id, bob.id});
  EXPECT_EQ(recipients(), (std::vector<store::Id>{bob.id, carol.id, alice.id}));
  activity.onChatMessage(other, message(alice.id, "elsewhere"), {bob.id});
  EXPECT_EQ(notifier_.sent.back().payload.body, "elsewhere");
  EXPECT_EQ(notifier_.sent.size(), 4u);
  now_ += std::chrono::seconds(1);
  activity.onChatMessage(meeting, message(alice.id, "third"), {bob.id, carol.id});
  EXPECT_EQ(notifier_.sent.size(), 6u);
  EXPECT_EQ(notifier_.sent.back().payload.body, "third");
}

TEST_F(MeetingActivityNotifierTest, ChatSkipsTheSenderAndThoseWhoTurnedItOff) {
  const store::User alice = makeUser("alice");
  const store::User bob = makeUser("bob");
  const store::Meeting meeting = makeScheduled(alice.id, "abc-defg-hij", kNow);
  ASSERT_TRUE(store_->saveNotificationSettings(bob.id, store::NotificationSettings{.chat = false}, kNow).ok());
  auto activity = makeNotifier();
  activity.onChatMessage(meeting, message(alice.id, "hi"), {alice.id, bob.id});
  EXPECT_TRUE(notifier_.sent.empty());
  // Turned back on: the earlier message did not use up bob's window.
  ASSERT_TRUE(store_->saveNotificationSettings(bob.id, store::NotificationSettings{}, kNow).ok());
  activity.onChatMessage(meeting, message(std::nullopt, "from a guest"), {bob.id});
  EXPECT_EQ(recipients(), (std::vector<store::Id>{bob.id}));
}

TEST_F(MeetingActivityNotifierTest, ChatBodyIsThePreviewOfTheMessage) {
  const store::User alice = makeUser("alice");
  const store::User bob = makeUser("bob");
  const store::Meeting meeting = makeScheduled(alice.id, "abc-defg-hij", kNow);
  auto activity = makeNotifier();
  std::string longText;
  for (int i = 0; i < 130; ++i) longText += "\xC3\xA9";  // é, two bytes each
  activity.onChatMessage(meeting, message(alice.id, longText), {bob.id});
  ASSERT_EQ(notifier_.sent.size(), 1u);
  EXPECT_EQ(notifier_.sent[0].payload.body, longText.substr(0, 119 * 2) + "\u2026");
}

TEST(PreviewText, CutsOnCodePointsAndMarksTheCut) {
  EXPECT_EQ(previewText("hello", 5), "hello");
  EXPECT_EQ(previewText("hello!", 5), "hell\u2026");
  EXPECT_EQ(previewText("", 5), "");
  EXPECT_EQ(previewText("ab", 0), "");
  // A 4-byte emoji counts as one character and is never split.
  EXPECT_EQ(previewText("\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 2), "\xF0\x9F\x98\x80\xF0\x9F\x98\x80");
  EXPECT_EQ(previewText("\xF0\x9F\x98\x80\xF0\x9F\x98\x80x", 2), "\xF0\x9F\x98\x80\u2026");
}

}  // namespace
}  // namespace fluxmeet::notify::test
