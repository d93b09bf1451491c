// Meeting invitations (issue 9): added once per (meeting, email) in one transaction with a cap per
// meeting, listed with whether an account has the address, deleted only through their own meeting;
// an invited account sees the meeting in its upcoming list and gets its reminder.
#include "store_test_fixture.hpp"

namespace fluxmeet::store::test {
namespace {

class InvitationStoreTest : public StoreTest {
 protected:
  Result<std::vector<Invitation>> invite(Id meetingId, std::vector<std::string> emails, int max = 500) {
    return store_->addInvitations(
        NewInvitations{.meetingId = meetingId, .emails = std::move(emails), .now = kNow, .maxPerMeeting = max});
  }
};

TEST_F(InvitationStoreTest, AddsEachAddressOnceAndReturnsOnlyTheNewOnes) {
  const User alice = makeUser("alice", "alice@example.com");
  makeUser("bob", "bob@example.com");
  const Meeting meeting = makeMeeting(alice.id, "abc-defg-hij");
  auto first = invite(meeting.id, {"bob@example.com", "carol@example.com", "bob@example.com"});
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].email, "bob@example.com");
  EXPECT_TRUE((*first)[0].registered);
  EXPECT_EQ((*first)[1].email, "carol@example.com");
  EXPECT_FALSE((*first)[1].registered);
  EXPECT_EQ((*first)[1].invitedAt, kNow);
  EXPECT_FALSE((*first)[1].emailedAt.has_value());

  auto again = invite(meeting.id, {"carol@example.com", "dave@example.com"});
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].email, "dave@example.com");
  auto all = store_->listInvitations(meeting.id);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[2].email, "dave@example.com");

  // An account made later with an invited address is the invitee.
  makeUser("carol", "carol@example.com");
  EXPECT_TRUE(store_->listInvitations(meeting.id)->at(1).registered);
}

TEST_F(InvitationStoreTest, PastTheCapNothingOfTheRequestIsKept) {
  const User alice = makeUser("alice", "alice@example.com");
  const Meeting meeting = makeMeeting(alice.id, "abc-defg-hij");
  ASSERT_TRUE(invite(meeting.id, {"a@example.com", "b@example.com"}, 3).ok());
  auto over = invite(meeting.id, {"c@example.com", "d@example.com"}, 3);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::Unprocessable);
  EXPECT_EQ(store_->listInvitations(meeting.id)->size(), 2u);
  EXPECT_TRUE(invite(meeting.id, {"c@example.com", "a@example.com"}, 3).ok());
}

TEST_F(InvitationStoreTest, UnknownMeetingIsNotFound) {
  auto added = invite(424242, {"a@example.com"});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code, ErrorCode::NotFound);
}

TEST_F(InvitationStoreTest, DeletesOnlyThroughItsOwnMeeting) {
  const User alice = makeUser("alice", "alice@example.com");
  const Meeting mine = makeMeeting(alice.id, "abc-defg-hij");
  const Meeting other = makeMeeting(alice.id, "xyz-defg-hij");
  auto added = invite(mine.id, {"bob@example.com"});
  ASSERT_TRUE(added.ok());
  const Id id = (*added)[0].id;
  auto wrong = store_->deleteInvitation(other.id, id);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->listInvitations(mine.id)->size(), 1u);
  EXPECT_TRUE(store_->deleteInvitation(mine.id, id).ok());
  EXPECT_TRUE(store_->listInvitations(mine.id)->empty());
  EXPECT_EQ(store_->deleteInvitation(mine.id, id).error().code, ErrorCode::NotFound);
  // Marking an invitation deleted meanwhile is not an error.
  EXPECT_TRUE(store_->markInvitationEmailed(id, kNow).ok());
}

TEST_F(InvitationStoreTest, MarksTheMailAndListsInvitedAccounts) {
  const User alice = makeUser("alice", "alice@example.com");
  const User bob = makeUser("bob", "bob@example.com");
  const User carol = makeUser("carol", "carol@example.com");
  const Meeting meeting = makeMeeting(alice.id, "abc-defg-hij");
  auto added = invite(meeting.id, {"carol@example.com", "nobody@example.com", "bob@example.com"});
  ASSERT_TRUE(added.ok());
  ASSERT_TRUE(store_->markInvitationEmailed((*added)[1].id, kNow + 3).ok());
  EXPECT_EQ(store_->listInvitations(meeting.id)->at(1).emailedAt, kNow + 3);
  auto users = store_->listInvitedUserIds(meeting.id);
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(*users, (std::vector<Id>{bob.id, carol.id}));
}

TEST_F(InvitationStoreTest, UpcomingListsInvitedMeetingsMixedWithHostedOnesUntilDeleted) {
  const User alice = makeUser("alice", "alice@example.com");
  const User bob = makeUser("bob", "bob@example.com");
  const Meeting later = makeMeeting(alice.id, "aaa-aaaa-aaa", MeetingKind::Scheduled, kNow + 7200);
  const Meeting hosted = makeMeeting(bob.id, "bbb-bbbb-bbb", MeetingKind::Scheduled, kNow + 3600);
  const Meeting sooner = makeMeeting(alice.id, "ccc-cccc-ccc", MeetingKind::Scheduled, kNow + 600);
  makeMeeting(alice.id, "ddd-dddd-ddd", MeetingKind::Scheduled, kNow + 900);  // not invited
  ASSERT_TRUE(invite(later.id, {"bob@example.com"}).ok());
  ASSERT_TRUE(invite(sooner.id, {"bob@example.com"}).ok());
  auto page = store_->listMeetings(bob.id, MeetingScope::Upcoming, "", 20, kNow);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[0].code, sooner.code);
  EXPECT_EQ(page->items[1].code, hosted.code);
  EXPECT_EQ(page->items[2].code, later.code);
  // Pages over the mixed list.
  auto first = store_->listMeetings(bob.id, MeetingScope::Upcoming, "", 2, kNow);
  ASSERT_TRUE(first.ok());
  auto second = store_->listMeetings(bob.id, MeetingScope::Upcoming, first->nextCursor, 2, kNow);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].code, later.code);

  ASSERT_TRUE(store_->deleteMeeting(sooner.id, kNow).ok());
  auto afterDelete = store_->listMeetings(bob.id, MeetingScope::Upcoming, "", 20, kNow);
  ASSERT_EQ(afterDelete->items.size(), 2u);
  EXPECT_EQ(afterDelete->items[0].code, hosted.code);
  // Alice's own list is unchanged by whom she invited.
  EXPECT_EQ(store_->listMeetings(alice.id, MeetingScope::Upcoming, "", 20, kNow)->items.size(), 2u);
}

TEST_F(InvitationStoreTest, InviteesWithAnAccountAreRemindedWithTheirOwnSettings) {
  const User alice = makeUser("alice", "alice@example.com");
  const User bob = makeUser("bob", "bob@example.com");
  const User carol = makeUser("carol", "carol@example.com");
  const Meeting meeting = makeMeeting(alice.id, "abc-defg-hij", MeetingKind::Scheduled, kNow + 20 * 60);
  ASSERT_TRUE(invite(meeting.id, {"bob@example.com", "carol@example.com", "nobody@example.com"}).ok());
  ASSERT_TRUE(store_->saveNotificationSettings(bob.id, NotificationSettings{.reminderMinutes = 30}, kNow).ok());
  ASSERT_TRUE(store_->saveNotificationSettings(carol.id, NotificationSettings{.reminders = false}, kNow).ok());
  // 20 minutes before: only bob's 30-minute window is open (alice and carol: 10 minutes; carol off).
  auto early = store_->listDueReminders(kNow);
  ASSERT_TRUE(early.ok()) << early.error().message;
  ASSERT_EQ(early->size(), 1u);
  EXPECT_EQ((*early)[0].userId, bob.id);
  EXPECT_EQ((*early)[0].reminderMinutes, 30);
  ASSERT_TRUE(store_->claimNotification(reminderNotificationKey(meeting.id, *meeting.startsAt, bob.id), kNow).ok());
  auto later = store_->listDueReminders(kNow + 11 * 60);
  ASSERT_TRUE(later.ok());
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ((*later)[0].userId, alice.id);
}

}  // namespace
}  // namespace fluxmeet::store::test
