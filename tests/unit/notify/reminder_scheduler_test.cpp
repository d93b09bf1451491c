// The reminder scheduler at chosen times: sent once inside the host's window, never before it,
// never after the start, never twice (even from a second scheduler over the same database, as
// after a restart), and again when the meeting moves.
#include "fluxmeet/notify/reminder_scheduler.hpp"

#include <filesystem>
#include <unistd.h>

#include "notify_test_support.hpp"

namespace fluxmeet::notify::test {
namespace {

class ReminderSchedulerTest : public NotifyStoreTest {};

TEST_F(ReminderSchedulerTest, SendsOnceInsideTheWindow) {
  const store::User alice = makeUser("alice");
  const store::UnixTime startsAt = kNow + 3600;
  makeScheduled(alice.id, "abc-defg-hij", startsAt);
  ReminderScheduler scheduler(*store_, notifier_);

  EXPECT_EQ(*scheduler.runOnce(startsAt - 11 * 60), 0u);  // before the 10-minute window
  EXPECT_EQ(*scheduler.runOnce(startsAt - 10 * 60), 1u);  // its first second
  EXPECT_EQ(*scheduler.runOnce(startsAt - 9 * 60), 0u);   // already sent
  ASSERT_EQ(notifier_.sent.size(), 1u);
  const SentNotification& sent = notifier_.sent[0];
  EXPECT_EQ(sent.userId, alice.id);
  EXPECT_EQ(sent.payload.kind, PushKind::Reminder);
  EXPECT_EQ(sent.payload.title, "Standup abc-defg-hij");
  EXPECT_EQ(sent.payload.body, "Starts in 10 minutes");
  EXPECT_EQ(sent.payload.url, "/m/abc-defg-hij");
  EXPECT_EQ(sent.payload.tag, "reminder:abc-defg-hij");
  EXPECT_EQ(sent.options.ttl, std::chrono::seconds(600));
  EXPECT_EQ(sent.options.urgency, push::Urgency::High);
}

TEST_F(ReminderSchedulerTest, NothingOnceTheMeetingStarted) {
  const store::User alice = makeUser("alice");
  makeScheduled(alice.id, "abc-defg-hij", kNow);
  ReminderScheduler scheduler(*store_, notifier_);
  EXPECT_EQ(*scheduler.runOnce(kNow), 0u);
  EXPECT_EQ(*scheduler.runOnce(kNow + 60), 0u);
  EXPECT_TRUE(notifier_.sent.empty());
}

TEST_F(ReminderSchedulerTest, FollowsTheHostsSettings) {
  const store::User alice = makeUser("alice");
  const store::User bob = makeUser("bob");
  makeScheduled(alice.id, "aaa-aaaa-aaa", kNow + 50 * 60);
  makeScheduled(bob.id, "bbb-bbbb-bbb", kNow + 5 * 60);
  ASSERT_TRUE(
      store_->saveNotificationSettings(alice.id, store::NotificationSettings{.reminderMinutes = 60}, kNow).ok());
  ASSERT_TRUE(store_->saveNotificationSettings(bob.id, store::NotificationSettings{.reminders = false}, kNow).ok());
  ReminderScheduler scheduler(*store_, notifier_);
  EXPECT_EQ(*scheduler.runOnce(kNow), 1u);
  ASSERT_EQ(notifier_.sent.size(), 1u);
  EXPECT_EQ(notifier_.sent[0].userId, alice.id);
  EXPECT_EQ(notifier_.sent[0].payload.body, "Starts in 50 minutes");
}

TEST_F(ReminderSchedulerTest, ASecondSchedulerOnTheSameDatabaseDoesNotRepeatIt) {
  // Restart: a new process, a new scheduler, the same database file.
  const auto file = std::filesystem::temp_directory_path() /
                    ("fluxmeet-notify-" + std::to_string(::getpid()) + "-restart.db");
  std::filesystem::remove(file);
  const std::string url = "sqlite://" + file.string();
  store::UnixTime startsAt = kNow + 5 * 60;
  {
    auto db = store::openStore(url);
    ASSERT_TRUE(db.ok());
    auto alice = (*db)->createUser(store::NewUser{"alice", "alice@example.com", "hash", kNow});
    ASSERT_TRUE(alice.ok());
    ASSERT_TRUE((*db)->createMeeting(store::NewMeeting{.code = "abc-defg-hij", .hostId = alice->id, .title = "T",
                                                       .kind = store::MeetingKind::Scheduled, .startsAt = startsAt,
                                                       .now = kNow}).ok());
    ReminderScheduler scheduler(**db, notifier_);
    EXPECT_EQ(*scheduler.runOnce(kNow), 1u);
  }
  {
    auto db = store::openStore(url);
    ASSERT_TRUE(db.ok());
    ReminderScheduler scheduler(**db, notifier_);
    EXPECT_EQ(*scheduler.runOnce(kNow + 30), 0u);
  }
  EXPECT_EQ(notifier_.sent.size(), 1u);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
}

TEST_F(ReminderSchedulerTest, AMovedMeetingIsRemindedAgain) {
  const store::User alice = makeUser("alice");
  const store::Meeting meeting = makeScheduled(alice.id, "abc-defg-hij", kNow + 5 * 60);
  ReminderScheduler scheduler(*store_, notifier_);
  EXPECT_EQ(*scheduler.runOnce(kNow), 1u);
  ASSERT_TRUE(store_->updateMeeting(meeting.id, store::MeetingUpdate{.startsAt = kNow + 7 * 60, .now = kNow}).ok());
  EXPECT_EQ(*scheduler.runOnce(kNow + 1), 1u);
  EXPECT_EQ(notifier_.sent.size(), 2u);
}

TEST(ReminderPayload, RoundsMinutesUp) {
  const store::DueReminder reminder{.meetingId = 1, .code = "abc-defg-hij", .title = "T", .startsAt = kNow + 250};
  EXPECT_EQ(ReminderScheduler::reminderPayload(reminder, kNow).body, "Starts in 5 minutes");
  EXPECT_EQ(ReminderScheduler::reminderPayload(reminder, kNow + 240).body, "Starts in 1 minute");
}

}  // namespace
}  // namespace fluxmeet::notify::test
