// Meetings: create/find/update/soft delete, state changes, and keyset-paginated listing.
#include <vector>

#include "store_test_fixture.hpp"

namespace fluxmeet::store::test {
namespace {

using MeetingsTest = StoreTest;

// Every page of a listing, following nextCursor; fails the test on an error.
std::vector<std::vector<std::string>> listAllPages(Store& store, Id userId, MeetingScope scope, int limit) {
  std::vector<std::vector<std::string>> pages;
  std::string cursor;
  for (int guard = 0; guard < 20; ++guard) {
    auto page = store.listMeetings(userId, scope, cursor, limit, kNow);
    EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().message);
    if (!page.ok()) break;
    std::vector<std::string> codes;
    for (const Meeting& meeting : page->items) codes.push_back(meeting.code);
    pages.push_back(codes);
    if (page->nextCursor.empty()) break;
    cursor = page->nextCursor;
  }
  return pages;
}

TEST_F(MeetingsTest, CreatesAndFindsMeeting) {
  User alice = makeUser("Alice", "alice@example.com");
  NewMeeting meeting;
  meeting.code = "abc-defg-hij";
  meeting.hostId = alice.id;
  meeting.title = "Planning";
  meeting.kind = MeetingKind::Scheduled;
  meeting.startsAt = kNow + 3600;
  meeting.timeZone = "+02:00";
  meeting.durationMinutes = 45;
  meeting.passcode = "1234";
  meeting.settings = MeetingSettings{true, false, true, ScreenSharePolicy::HostsOnly};
  meeting.now = kNow;
  auto created = store_->createMeeting(meeting);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->hostName, "Alice");

  auto found = store_->findMeetingByCode("abc-defg-hij");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, created->id);
  EXPECT_EQ(found->hostId, alice.id);
  EXPECT_EQ(found->hostName, "Alice");
  EXPECT_EQ(found->title, "Planning");
  EXPECT_EQ(found->kind, MeetingKind::Scheduled);
  EXPECT_EQ(found->startsAt, kNow + 3600);
  EXPECT_EQ(found->timeZone, "+02:00");
  EXPECT_EQ(found->durationMinutes, 45);
  EXPECT_EQ(found->passcode, "1234");
  EXPECT_TRUE(found->settings.waitingRoom);
  EXPECT_FALSE(found->settings.guestsAllowed);
  EXPECT_TRUE(found->settings.muteOnEntry);
  EXPECT_EQ(found->settings.screenShare, ScreenSharePolicy::HostsOnly);
  EXPECT_FALSE(found->locked);
  EXPECT_EQ(found->createdAt, kNow);
  EXPECT_FALSE(found->startedAt || found->endedAt || found->deletedAt);

  EXPECT_EQ(store_->findMeetingByCode("zzz-zzzz-zzz").error().code, ErrorCode::NotFound);
}

TEST_F(MeetingsTest, DuplicateCodeIsConflictOnCode) {
  User alice = makeUser("Alice", "alice@example.com");
  makeMeeting(alice.id, "abc-defg-hij");
  NewMeeting again;
  again.code = "abc-defg-hij";
  again.hostId = alice.id;
  again.title = "Again";
  again.now = kNow;
  auto duplicate = store_->createMeeting(again);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::Conflict);
  EXPECT_EQ(duplicate.error().field, "code");

  again.code = "new-code-000";
  again.hostId = 4242;
  EXPECT_EQ(store_->createMeeting(again).error().code, ErrorCode::NotFound);
}

TEST_F(MeetingsTest, UpdatesOnlyGivenFields) {
  User alice = makeUser("Alice", "alice@example.com");
  NewMeeting meeting;
  meeting.code = "abc-defg-hij";
  meeting.hostId = alice.id;
  meeting.title = "Old";
  meeting.passcode = "secret";
  meeting.now = kNow;
  Meeting created = store_->createMeeting(meeting).value();

  MeetingUpdate update;
  update.title = "New";
  update.passcode = "";  // clears
  update.settings = MeetingSettings{true, true, false, ScreenSharePolicy::Everyone};
  update.now = kNow + 5;
  auto updated = store_->updateMeeting(created.id, update);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->title, "New");
  EXPECT_EQ(updated->passcode, "");
  EXPECT_TRUE(updated->settings.waitingRoom);
  EXPECT_EQ(updated->timeZone, created.timeZone);
  EXPECT_EQ(updated->durationMinutes, created.durationMinutes);
  EXPECT_EQ(updated->updatedAt, kNow + 5);
  EXPECT_EQ(updated->createdAt, kNow);

  MeetingUpdate reschedule;
  reschedule.startsAt = kNow + 100;
  reschedule.durationMinutes = 30;
  reschedule.now = kNow + 6;
  auto moved = store_->updateMeeting(created.id, reschedule);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->startsAt, kNow + 100);
  EXPECT_EQ(moved->durationMinutes, 30);
  EXPECT_EQ(moved->title, "New");

  EXPECT_EQ(store_->updateMeeting(9999, update).error().code, ErrorCode::NotFound);
}

TEST_F(MeetingsTest, DeleteIsSoft) {
  User alice = makeUser("Alice", "alice@example.com");
  Meeting meeting = makeMeeting(alice.id, "abc-defg-hij");
  ASSERT_TRUE(store_->deleteMeeting(meeting.id, kNow + 10).ok());

  EXPECT_EQ(store_->findMeetingByCode("abc-defg-hij").error().code, ErrorCode::NotFound);
  auto history = store_->findMeetingByCode("abc-defg-hij", true);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->deletedAt, kNow + 10);

  EXPECT_EQ(store_->deleteMeeting(meeting.id, kNow + 20).error().code, ErrorCode::NotFound);
  MeetingUpdate update;
  update.title = "x";
  EXPECT_EQ(store_->updateMeeting(meeting.id, update).error().code, ErrorCode::NotFound);
  // The code stays reserved.
  NewMeeting reuse;
  reuse.code = "abc-defg-hij";
  reuse.hostId = alice.id;
  reuse.title = "t";
  EXPECT_EQ(store_->createMeeting(reuse).error().code, ErrorCode::Conflict);
}

TEST_F(MeetingsTest, LockStartEnd) {
  User alice = makeUser("Alice", "alice@example.com");
  Meeting meeting = makeMeeting(alice.id, "abc-defg-hij");
  ASSERT_TRUE(store_->setMeetingLocked(meeting.id, true, kNow + 1).ok());
  EXPECT_TRUE(store_->findMeetingByCode(meeting.code)->locked);
  ASSERT_TRUE(store_->setMeetingLocked(meeting.id, false, kNow + 2).ok());
  EXPECT_FALSE(store_->findMeetingByCode(meeting.code)->locked);

  ASSERT_TRUE(store_->markMeetingStarted(meeting.id, kNow + 3).ok());
  ASSERT_TRUE(store_->markMeetingEnded(meeting.id, kNow + 4).ok());
  auto ended = store_->findMeetingByCode(meeting.code);
  EXPECT_EQ(ended->startedAt, kNow + 3);
  EXPECT_EQ(ended->endedAt, kNow + 4);

  ASSERT_TRUE(store_->markMeetingStarted(meeting.id, kNow + 5).ok());
  auto restarted = store_->findMeetingByCode(meeting.code);
  EXPECT_EQ(restarted->startedAt, kNow + 5);
  EXPECT_FALSE(restarted->endedAt.has_value());

  EXPECT_EQ(store_->setMeetingLocked(9999, true, kNow).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->markMeetingStarted(9999, kNow).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->markMeetingEnded(9999, kNow).error().code, ErrorCode::NotFound);
}

class MeetingListTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    alice_ = makeUser("Alice", "alice@example.com");
    bob_ = makeUser("Bob", "bob@example.com");
    const auto scheduled = MeetingKind::Scheduled;
    const auto instant = MeetingKind::Instant;
    // Upcoming for Alice (sort key: start, or creation for instant meetings).
    makeMeeting(alice_.id, "s5", scheduled, kNow + 5000);
    makeMeeting(alice_.id, "s2", scheduled, kNow + 2000);
    makeMeeting(alice_.id, "s3", scheduled, kNow + 2000);  // same key as s2, larger id
    makeMeeting(alice_.id, "i1", instant, std::nullopt, 60, kNow - 500);
    makeMeeting(alice_.id, "s1", scheduled, kNow + 1000);
    makeMeeting(alice_.id, "s4", scheduled, kNow - 600);  // in progress: ends at kNow + 3000
    makeMeeting(alice_.id, "i2", instant, std::nullopt, 60, kNow - 100);
    // Past for Alice (sort key: end, else scheduled end, else deletion).
    makeMeeting(alice_.id, "x1", scheduled, kNow - 7200);  // ended by the clock at kNow - 3600
    Meeting x2 = makeMeeting(alice_.id, "x2");
    EXPECT_TRUE(store_->markMeetingEnded(x2.id, kNow - 50).ok());
    Meeting x3 = makeMeeting(alice_.id, "x3");
    EXPECT_TRUE(store_->deleteMeeting(x3.id, kNow - 40).ok());
    Meeting p3 = makeMeeting(alice_.id, "p3", scheduled, kNow - 5000, 120);
    EXPECT_TRUE(store_->markMeetingEnded(p3.id, kNow - 4000).ok());
    makeMeeting(alice_.id, "p5", scheduled, kNow - 100000);
    // Bob's meetings: two Alice attended, one she did not, one still open.
    Meeting p1 = makeMeeting(bob_.id, "p1", scheduled, kNow - 20000, 30);
    attend(p1.id, alice_.id);
    Meeting p2 = makeMeeting(bob_.id, "p2");
    attend(p2.id, alice_.id);
    EXPECT_TRUE(store_->markMeetingEnded(p2.id, kNow - 10).ok());
    Meeting p4 = makeMeeting(bob_.id, "p4");
    EXPECT_TRUE(store_->markMeetingEnded(p4.id, kNow - 5).ok());
    Meeting open = makeMeeting(bob_.id, "b-open");
    attend(open.id, alice_.id);
  }

  void attend(Id meetingId, Id userId) {
    EXPECT_TRUE(store_->recordJoin(NewParticipant{meetingId, userId, "Alice", Role::Participant, kNow - 30000}).ok());
  }

  User alice_;
  User bob_;
};

TEST_F(MeetingListTest, UpcomingPagesSoonestFirst) {
  auto pages = listAllPages(*store_, alice_.id, MeetingScope::Upcoming, 3);
  std::vector<std::vector<std::string>> expected = {{"s4", "i1", "i2"}, {"s1", "s2", "s3"}, {"s5"}};
  EXPECT_EQ(pages, expected);

  auto all = store_->listMeetings(alice_.id, MeetingScope::Upcoming, "", 100, kNow);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items.size(), 7u);
  EXPECT_TRUE(all->nextCursor.empty());
  EXPECT_EQ(all->items.front().hostName, "Alice");
}

TEST_F(MeetingListTest, PastPagesNewestFirstIncludingAttended) {
  auto pages = listAllPages(*store_, alice_.id, MeetingScope::Past, 3);
  std::vector<std::vector<std::string>> expected = {{"p2", "x3", "x2"}, {"x1", "p3", "p1"}, {"p5"}};
  EXPECT_EQ(pages, expected);

  // Bob sees his own ended meetings only (Alice's are not his).
  auto bobPages = listAllPages(*store_, bob_.id, MeetingScope::Past, 10);
  std::vector<std::vector<std::string>> bobExpected = {{"p4", "p2", "p1"}};
  EXPECT_EQ(bobPages, bobExpected);
}

TEST_F(MeetingListTest, ExactPageSizeHasNoEmptyTrailingPage) {
  auto first = store_->listMeetings(alice_.id, MeetingScope::Upcoming, "", 7, kNow);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->items.size(), 7u);
  EXPECT_TRUE(first->nextCursor.empty());
  // Limits are clamped, not rejected.
  auto clamped = store_->listMeetings(alice_.id, MeetingScope::Upcoming, "", 0, kNow);
  ASSERT_TRUE(clamped.ok());
  EXPECT_EQ(clamped->items.size(), 1u);
  EXPECT_FALSE(clamped->nextCursor.empty());
}

TEST_F(MeetingListTest, RestartedMeetingIsUpcomingAgain) {
  Meeting x2 = store_->findMeetingByCode("x2").value();
  ASSERT_TRUE(store_->markMeetingStarted(x2.id, kNow).ok());
  auto upcoming = store_->listMeetings(alice_.id, MeetingScope::Upcoming, "", 100, kNow);
  ASSERT_TRUE(upcoming.ok());
  EXPECT_EQ(upcoming->items.size(), 8u);
}

TEST_F(MeetingListTest, RejectsBadCursors) {
  auto first = store_->listMeetings(alice_.id, MeetingScope::Upcoming, "", 3, kNow);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->nextCursor.empty());
  for (const std::string& cursor :
       {std::string("garbage"), std::string("u:"), std::string("u:1"), std::string("u:1:"), std::string("u::5"),
        std::string("u:1:0"), std::string("u:1:-3"), std::string("u:1:2x"), std::string("u:+1:2"),
        std::string("u:1:2:3"), std::string("u:99999999999999999999:1"), first->nextCursor + " "}) {
    auto page = store_->listMeetings(alice_.id, MeetingScope::Upcoming, cursor, 3, kNow);
    ASSERT_FALSE(page.ok()) << cursor;
    EXPECT_EQ(page.error().code, ErrorCode::ValidationFailed) << cursor;
    EXPECT_EQ(page.error().field, "cursor");
  }
  // A cursor belongs to its scope.
  auto crossed = store_->listMeetings(alice_.id, MeetingScope::Past, first->nextCursor, 3, kNow);
  ASSERT_FALSE(crossed.ok());
  EXPECT_EQ(crossed.error().field, "cursor");
}

TEST_F(MeetingsTest, DeleteUserSoftDeletesHostedMeetingsAndKeepsHistory) {
  User alice = makeUser("Alice", "alice@example.com");
  User bob = makeUser("Bob", "bob@example.com");
  makeSession(alice.id, "alice-session", "alice-token");
  Meeting hosted = makeMeeting(alice.id, "alice-mtg");
  Meeting bobs = makeMeeting(bob.id, "bob-mtg");
  ASSERT_TRUE(store_->recordJoin(NewParticipant{hosted.id, bob.id, "Bob", Role::Participant, kNow}).ok());
  ASSERT_TRUE(store_->recordJoin(NewParticipant{bobs.id, alice.id, "Alice", Role::CoHost, kNow}).ok());
  ASSERT_TRUE(store_->addChatMessage(NewChatMessage{bobs.id, alice.id, "peer-a", "Alice", "hi", kNow}).ok());
  ASSERT_TRUE(store_->createPasswordReset(alice.id, "reset", kNow, kNow + 900).ok());

  ASSERT_TRUE(store_->deleteUser(alice.id, kNow + 100).ok());

  EXPECT_EQ(store_->findUserById(alice.id).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->findSession("alice-session").error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->consumePasswordReset("reset", "h", kNow + 101).error().code, ErrorCode::Unauthorized);
  EXPECT_EQ(store_->findMeetingByCode("alice-mtg").error().code, ErrorCode::NotFound);
  auto orphan = store_->findMeetingByCode("alice-mtg", true);
  ASSERT_TRUE(orphan.ok());
  EXPECT_EQ(orphan->deletedAt, kNow + 100);
  EXPECT_EQ(orphan->hostId, 0);
  EXPECT_EQ(orphan->hostName, "");

  auto participants = store_->listParticipants(bobs.id);
  ASSERT_TRUE(participants.ok());
  ASSERT_EQ(participants->size(), 1u);
  EXPECT_FALSE(participants->front().userId.has_value());
  EXPECT_EQ(participants->front().displayName, "Alice");
  auto chat = store_->listChat(bobs.id, 0, 10);
  ASSERT_TRUE(chat.ok());
  ASSERT_EQ(chat->size(), 1u);
  EXPECT_FALSE(chat->front().senderUserId.has_value());
  EXPECT_EQ(chat->front().senderName, "Alice");

  // Bob attended Alice's meeting: it is in his past list as deleted history.
  auto past = store_->listMeetings(bob.id, MeetingScope::Past, "", 10, kNow + 200);
  ASSERT_TRUE(past.ok());
  ASSERT_EQ(past->items.size(), 1u);
  EXPECT_EQ(past->items.front().code, "alice-mtg");

  EXPECT_EQ(store_->deleteUser(alice.id, kNow + 300).error().code, ErrorCode::NotFound);
}

}  // namespace
}  // namespace fluxmeet::store::test
