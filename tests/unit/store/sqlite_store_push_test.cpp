// Web Push rows (issue 9): subscriptions by endpoint (one per browser, owned by one user, capped
// per user), notification settings with defaults, sent-notification keys claimed once, and the
// due-reminder scan the scheduler runs.
#include <set>

#include "store_test_fixture.hpp"

namespace fluxmeet::store::test {
namespace {

class PushStoreTest : public StoreTest {
 protected:
  Result<PushSubscriptionSaved> save(Id userId, const std::string& endpoint, UnixTime now = kNow, int max = 20) {
    return store_->savePushSubscription(NewPushSubscription{.userId = userId,
                                                            .endpoint = endpoint,
                                                            .p256dh = "p-" + endpoint,
                                                            .auth = "a-" + endpoint,
                                                            .deviceName = "Phone",
                                                            .now = now,
                                                            .maxPerUser = max});
  }
};

TEST_F(PushStoreTest, SavingTheSameEndpointAgainUpdatesIt) {
  const User alice = makeUser("alice", "alice@example.com");
  auto first = save(alice.id, "https://push.example/1");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(first->created);
  auto again = store_->savePushSubscription(NewPushSubscription{
      .userId = alice.id, .endpoint = "https://push.example/1", .p256dh = "new-p", .auth = "new-a", .now = kNow + 5});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->id, first->id);
  auto rows = store_->listPushSubscriptions(alice.id);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].p256dh, "new-p");
  EXPECT_EQ((*rows)[0].auth, "new-a");
  EXPECT_FALSE((*rows)[0].lastSuccessAt.has_value());
}

TEST_F(PushStoreTest, AnotherUserOnTheSameBrowserTakesTheEndpointOver) {
  const User alice = makeUser("alice", "alice@example.com");
  const User bob = makeUser("bob", "bob@example.com");
  ASSERT_TRUE(save(alice.id, "https://push.example/shared").ok());
  auto taken = save(bob.id, "https://push.example/shared");
  ASSERT_TRUE(taken.ok());
  EXPECT_TRUE(taken->created);
  EXPECT_TRUE(store_->listPushSubscriptions(alice.id)->empty());
  EXPECT_EQ(store_->listPushSubscriptions(bob.id)->size(), 1u);
}

TEST_F(PushStoreTest, OnlyTheOwnerDeletesASubscription) {
  const User alice = makeUser("alice", "alice@example.com");
  const User bob = makeUser("bob", "bob@example.com");
  ASSERT_TRUE(save(alice.id, "https://push.example/a").ok());
  auto byBob = store_->deletePushSubscription(bob.id, "https://push.example/a");
  ASSERT_FALSE(byBob.ok());
  EXPECT_EQ(byBob.error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->listPushSubscriptions(alice.id)->size(), 1u);
  EXPECT_TRUE(store_->deletePushSubscription(alice.id, "https://push.example/a").ok());
  EXPECT_TRUE(store_->listPushSubscriptions(alice.id)->empty());
}

TEST_F(PushStoreTest, GoneAndDeliveredAreByEndpoint) {
  const User alice = makeUser("alice", "alice@example.com");
  ASSERT_TRUE(save(alice.id, "https://push.example/a").ok());
  ASSERT_TRUE(save(alice.id, "https://push.example/b").ok());
  ASSERT_TRUE(store_->markPushDelivered("https://push.example/a", kNow + 7).ok());
  ASSERT_TRUE(store_->deletePushSubscriptionByEndpoint("https://push.example/b").ok());
  EXPECT_TRUE(store_->deletePushSubscriptionByEndpoint("https://push.example/unknown").ok());
  auto rows = store_->listPushSubscriptions(alice.id);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].endpoint, "https://push.example/a");
  EXPECT_EQ((*rows)[0].lastSuccessAt, kNow + 7);
}

TEST_F(PushStoreTest, PastTheLimitTheLeastRecentlyUsedGo) {
  const User alice = makeUser("alice", "alice@example.com");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(save(alice.id, "https://push.example/" + std::to_string(i), kNow + i, 3).ok());
  }
  // 0 delivered lately, so 1 is now the least recently used.
  ASSERT_TRUE(store_->markPushDelivered("https://push.example/0", kNow + 10).ok());
  ASSERT_TRUE(save(alice.id, "https://push.example/3", kNow + 11, 3).ok());
  auto rows = store_->listPushSubscriptions(alice.id);
  ASSERT_EQ(rows->size(), 3u);
  std::set<std::string> endpoints;
  for (const auto& row : *rows) endpoints.insert(row.endpoint);
  EXPECT_EQ(endpoints, (std::set<std::string>{"https://push.example/0", "https://push.example/2",
                                              "https://push.example/3"}));
}

TEST_F(PushStoreTest, SubscriptionsAndSettingsGoWithTheUser) {
  const User alice = makeUser("alice", "alice@example.com");
  ASSERT_TRUE(save(alice.id, "https://push.example/a").ok());
  ASSERT_TRUE(store_->saveNotificationSettings(alice.id, NotificationSettings{.chat = false}, kNow).ok());
  ASSERT_TRUE(store_->deleteUser(alice.id, kNow).ok());
  EXPECT_TRUE(store_->listPushSubscriptions(alice.id)->empty());
  EXPECT_TRUE(store_->notificationSettings(alice.id)->chat);  // defaults again
}

TEST_F(PushStoreTest, SettingsDefaultThenSaved) {
  const User alice = makeUser("alice", "alice@example.com");
  auto defaults = store_->notificationSettings(alice.id);
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->reminders);
  EXPECT_EQ(defaults->reminderMinutes, 10);
  EXPECT_TRUE(defaults->waitingRoom);
  EXPECT_TRUE(defaults->meetingStarted);
  EXPECT_TRUE(defaults->chat);
  const NotificationSettings changed{
      .reminders = false, .reminderMinutes = 30, .waitingRoom = false, .meetingStarted = true, .chat = false};
  ASSERT_TRUE(store_->saveNotificationSettings(alice.id, changed, kNow).ok());
  ASSERT_TRUE(store_->saveNotificationSettings(alice.id, changed, kNow + 1).ok());  // an upsert
  auto saved = store_->notificationSettings(alice.id);
  EXPECT_FALSE(saved->reminders);
  EXPECT_EQ(saved->reminderMinutes, 30);
  EXPECT_FALSE(saved->waitingRoom);
  EXPECT_FALSE(saved->chat);
  // The CHECK constraint backs the API's range.
  EXPECT_FALSE(store_->saveNotificationSettings(alice.id, NotificationSettings{.reminderMinutes = 0}, kNow).ok());
  EXPECT_EQ(store_->saveNotificationSettings(999, NotificationSettings{}, kNow).error().code, ErrorCode::NotFound);
}

TEST_F(PushStoreTest, AKeyIsClaimedOnceAndPrunedByAge) {
  auto first = store_->claimNotification("reminder:1:2:3", kNow);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  EXPECT_FALSE(*store_->claimNotification("reminder:1:2:3", kNow + 1));
  ASSERT_TRUE(store_->pruneSentNotifications(kNow).ok());  // not older than kNow: kept
  EXPECT_FALSE(*store_->claimNotification("reminder:1:2:3", kNow + 2));
  ASSERT_TRUE(store_->pruneSentNotifications(kNow + 1).ok());
  EXPECT_TRUE(*store_->claimNotification("reminder:1:2:3", kNow + 3));
}

TEST_F(PushStoreTest, DueRemindersAreInsideTheHostsWindowAndNotClaimed) {
  const User alice = makeUser("alice", "alice@example.com");
  const User bob = makeUser("bob", "bob@example.com");
  const Meeting soon = makeMeeting(alice.id, "aaa-aaaa-aaa", MeetingKind::Scheduled, kNow + 5 * 60);
  makeMeeting(alice.id, "bbb-bbbb-bbb", MeetingKind::Scheduled, kNow + 11 * 60);  // outside 10 min
  makeMeeting(alice.id, "ccc-cccc-ccc", MeetingKind::Scheduled, kNow - 60);       // already started
  makeMeeting(alice.id, "ddd-dddd-ddd", MeetingKind::Instant);
  const Meeting deleted = makeMeeting(alice.id, "eee-eeee-eee", MeetingKind::Scheduled, kNow + 60);
  ASSERT_TRUE(store_->deleteMeeting(deleted.id, kNow).ok());
  const Meeting bobs = makeMeeting(bob.id, "fff-ffff-fff", MeetingKind::Scheduled, kNow + 25 * 60);
  ASSERT_TRUE(store_->saveNotificationSettings(bob.id, NotificationSettings{.reminderMinutes = 30}, kNow).ok());

  auto due = store_->listDueReminders(kNow);
  ASSERT_TRUE(due.ok()) << due.error().message;
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].code, "aaa-aaaa-aaa");
  EXPECT_EQ((*due)[0].userId, alice.id);
  EXPECT_EQ((*due)[0].startsAt, kNow + 5 * 60);
  EXPECT_EQ((*due)[0].reminderMinutes, 10);
  EXPECT_EQ((*due)[1].code, "fff-ffff-fff");
  EXPECT_EQ((*due)[1].reminderMinutes, 30);

  // Claimed: no longer due. Reminders off: never due.
  ASSERT_TRUE(*store_->claimNotification(reminderNotificationKey(soon.id, *soon.startsAt, alice.id), kNow));
  ASSERT_TRUE(store_->saveNotificationSettings(bob.id, NotificationSettings{.reminders = false}, kNow).ok());
  EXPECT_TRUE(store_->listDueReminders(kNow)->empty());
  // Moved to another time: a new reminder.
  ASSERT_TRUE(store_->updateMeeting(soon.id, MeetingUpdate{.startsAt = kNow + 6 * 60, .now = kNow}).ok());
  ASSERT_EQ(store_->listDueReminders(kNow)->size(), 1u);
  (void)bobs;
}

TEST(ReminderKey, HasTheDocumentedForm) {
  EXPECT_EQ(reminderNotificationKey(12, 1800000000, 7), "reminder:12:1800000000:7");
}

}  // namespace
}  // namespace fluxmeet::store::test
