// Meeting history (participations) and chat.
#include "store_test_fixture.hpp"

namespace fluxmeet::store::test {
namespace {

using HistoryTest = StoreTest;

TEST_F(HistoryTest, RecordsJoinsAndLeaves) {
  User alice = makeUser("Alice", "alice@example.com");
  User bob = makeUser("Bob", "bob@example.com");
  User carol = makeUser("Carol", "carol@example.com");
  Meeting meeting = makeMeeting(alice.id, "abc-defg-hij");

  auto host = store_->recordJoin(NewParticipant{meeting.id, alice.id, "Alice", Role::Host, kNow});
  auto guest = store_->recordJoin(NewParticipant{meeting.id, std::nullopt, "Guest Gus", Role::Guest, kNow + 5});
  auto member = store_->recordJoin(NewParticipant{meeting.id, bob.id, "Bob", Role::CoHost, kNow + 10});
  ASSERT_TRUE(host.ok() && guest.ok() && member.ok());
  ASSERT_TRUE(store_->recordLeave(*guest, kNow + 20).ok());
  ASSERT_TRUE(store_->recordLeave(*guest, kNow + 30).ok());  // idempotent: first time kept

  auto participants = store_->listParticipants(meeting.id);
  ASSERT_TRUE(participants.ok());
  ASSERT_EQ(participants->size(), 3u);
  const Participant& first = (*participants)[0];
  EXPECT_EQ(first.id, *host);
  EXPECT_EQ(first.userId, alice.id);
  EXPECT_EQ(first.role, Role::Host);
  EXPECT_EQ(first.joinedAt, kNow);
  EXPECT_FALSE(first.leftAt.has_value());
  const Participant& second = (*participants)[1];
  EXPECT_FALSE(second.userId.has_value());
  EXPECT_EQ(second.displayName, "Guest Gus");
  EXPECT_EQ(second.role, Role::Guest);
  EXPECT_EQ(second.leftAt, kNow + 20);
  EXPECT_EQ((*participants)[2].role, Role::CoHost);

  EXPECT_TRUE(*store_->isMeetingMember(meeting.id, alice.id));  // host
  EXPECT_TRUE(*store_->isMeetingMember(meeting.id, bob.id));    // attended
  EXPECT_FALSE(*store_->isMeetingMember(meeting.id, carol.id));
  EXPECT_FALSE(*store_->isMeetingMember(meeting.id + 1, alice.id));

  ASSERT_TRUE(store_->closeOpenParticipations(kNow + 100).ok());
  participants = store_->listParticipants(meeting.id);
  ASSERT_TRUE(participants.ok());
  EXPECT_EQ((*participants)[0].leftAt, kNow + 100);
  EXPECT_EQ((*participants)[1].leftAt, kNow + 20);  // already closed: untouched
  EXPECT_EQ((*participants)[2].leftAt, kNow + 100);

  EXPECT_EQ(store_->recordLeave(9999, kNow).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->recordJoin(NewParticipant{9999, std::nullopt, "x", Role::Guest, kNow}).error().code,
            ErrorCode::NotFound);
  EXPECT_TRUE(store_->listParticipants(9999)->empty());
}

TEST_F(HistoryTest, ChatAddListPage) {
  User alice = makeUser("Alice", "alice@example.com");
  Meeting meeting = makeMeeting(alice.id, "abc-defg-hij");
  Meeting other = makeMeeting(alice.id, "other-mtg");
  std::vector<Id> ids;
  for (int i = 0; i < 5; ++i) {
    auto added = store_->addChatMessage(
        NewChatMessage{meeting.id, alice.id, "peer-1", "Alice", "message " + std::to_string(i), kNow + i});
    ASSERT_TRUE(added.ok()) << added.error().message;
    EXPECT_EQ(added->body, "message " + std::to_string(i));
    EXPECT_EQ(added->createdAt, kNow + i);
    EXPECT_FALSE(added->deleted);
    ids.push_back(added->id);
  }
  ASSERT_TRUE(store_->addChatMessage(NewChatMessage{other.id, std::nullopt, "peer-2", "Guest", "elsewhere", kNow}).ok());

  auto newest = store_->listChat(meeting.id, 0, 2);
  ASSERT_TRUE(newest.ok());
  ASSERT_EQ(newest->size(), 2u);
  EXPECT_EQ((*newest)[0].body, "message 4");
  EXPECT_EQ((*newest)[1].body, "message 3");

  auto older = store_->listChat(meeting.id, (*newest)[1].id, 2);
  ASSERT_TRUE(older.ok());
  ASSERT_EQ(older->size(), 2u);
  EXPECT_EQ((*older)[0].body, "message 2");
  EXPECT_EQ((*older)[1].body, "message 1");

  auto last = store_->listChat(meeting.id, (*older)[1].id, 2);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ((*last)[0].body, "message 0");
  EXPECT_EQ((*last)[0].senderPeerId, "peer-1");
  EXPECT_EQ((*last)[0].senderUserId, alice.id);
  EXPECT_TRUE(store_->listChat(meeting.id, ids[0], 2)->empty());

  EXPECT_EQ(store_->listChat(meeting.id, 0, 0)->size(), 1u);  // limit clamped to at least 1
  EXPECT_EQ(store_->listChat(meeting.id, 0, 100000)->size(), 5u);
  EXPECT_EQ(*store_->countChat(meeting.id), 5);
  EXPECT_EQ(*store_->countChat(other.id), 1);
  EXPECT_EQ(store_->addChatMessage(NewChatMessage{9999, std::nullopt, "p", "n", "b", kNow}).error().code,
            ErrorCode::NotFound);
}

TEST_F(HistoryTest, ChatEditAndDelete) {
  User alice = makeUser("Alice", "alice@example.com");
  Meeting meeting = makeMeeting(alice.id, "abc-defg-hij");
  Meeting other = makeMeeting(alice.id, "other-mtg");
  Id id = store_->addChatMessage(NewChatMessage{meeting.id, alice.id, "peer-1", "Alice", "helo", kNow})->id;

  auto edited = store_->editChatMessage(meeting.id, id, "hello", kNow + 5);
  ASSERT_TRUE(edited.ok());
  EXPECT_EQ(edited->body, "hello");
  EXPECT_EQ(edited->editedAt, kNow + 5);
  EXPECT_EQ(store_->findChatMessage(meeting.id, id)->body, "hello");

  // The message is addressed within its meeting.
  EXPECT_EQ(store_->editChatMessage(other.id, id, "x", kNow).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->findChatMessage(other.id, id).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->editChatMessage(meeting.id, id + 100, "x", kNow).error().code, ErrorCode::NotFound);

  auto deleted = store_->deleteChatMessage(meeting.id, id, kNow + 10);
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(deleted->deleted);
  EXPECT_EQ(deleted->body, "");
  auto stored = store_->findChatMessage(meeting.id, id);
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->deleted);
  EXPECT_EQ(stored->body, "");
  EXPECT_EQ(stored->senderName, "Alice");

  EXPECT_EQ(store_->editChatMessage(meeting.id, id, "again", kNow + 11).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->deleteChatMessage(meeting.id, id, kNow + 12).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->deleteChatMessage(meeting.id, id + 100, kNow).error().code, ErrorCode::NotFound);
  // The row stays in the list (shown as deleted) but no longer counts.
  EXPECT_EQ(store_->listChat(meeting.id, 0, 10)->size(), 1u);
  EXPECT_EQ(*store_->countChat(meeting.id), 0);
}

}  // namespace
}  // namespace fluxmeet::store::test
