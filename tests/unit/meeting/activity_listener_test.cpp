// The Room's hook for "started" and chat pushes: an ActivityListener hears of the first entry into
// a room nobody was in (with who is there), of each chat message (with the other accounts in the
// meeting, never the sender's own), and of the room closing.
#include "room_fixture.hpp"

namespace fluxmeet::meeting::testing {
namespace {

class RecordingActivityListener final : public ActivityListener {
 public:
  struct Started {
    std::string code;
    std::string startedBy;
    std::vector<store::Id> present;
    std::optional<store::UnixTime> startedAt;
  };
  struct Chat {
    std::string body;
    std::optional<store::Id> sender;
    std::vector<store::Id> recipients;
  };
  void onMeetingStarted(const store::Meeting& meeting, std::string_view startedBy,
                        const std::vector<store::Id>& presentUserIds) override {
    started.push_back({meeting.code, std::string(startedBy), presentUserIds, meeting.startedAt});
  }
  void onMeetingClosed(const store::Meeting& meeting) override { closed.push_back(meeting.code); }
  void onChatMessage(const store::Meeting&, const store::ChatMessage& message,
                     const std::vector<store::Id>& recipientUserIds) override {
    chats.push_back({message.body, message.senderUserId, recipientUserIds});
  }
  std::vector<Started> started;
  std::vector<std::string> closed;
  std::vector<Chat> chats;
};

// The listener must outlive the rooms (a room closing tells it), so the rooms go in TearDown,
// before the fixture's members.
class ActivityRoomTest : public RoomTest {
 protected:
  void TearDown() override { registry_.reset(); }
  RecordingActivityListener listener;
};

TEST_F(ActivityRoomTest, ActivityListenerHearsTheStartOnce) {
  createMeeting();
  registry_->setActivityListener(&listener);
  FakeSink alice, host, guest;
  ASSERT_TRUE(join("a", 1, alice).ok());
  ASSERT_EQ(listener.started.size(), 1u);
  EXPECT_EQ(listener.started[0].code, "abc-defg-hij");
  EXPECT_EQ(listener.started[0].startedBy, "a");
  EXPECT_EQ(listener.started[0].present, (std::vector<store::Id>{userIds_[1]}));
  EXPECT_TRUE(listener.started[0].startedAt.has_value());
  ASSERT_TRUE(join("h", 0, host).ok());
  ASSERT_TRUE(join("g", -1, guest).ok());
  EXPECT_EQ(listener.started.size(), 1u);
  EXPECT_TRUE(listener.closed.empty());
}

TEST_F(ActivityRoomTest, ActivityListenerHearsChatWithTheOtherAccountsOnly) {
  createMeeting();
  registry_->setActivityListener(&listener);
  FakeSink alice, aliceTab, bob, guest;
  ASSERT_TRUE(join("a1", 1, alice).ok());
  ASSERT_TRUE(join("a2", 1, aliceTab).ok());  // the same account in a second tab
  ASSERT_TRUE(join("b", 2, bob).ok());
  ASSERT_TRUE(join("g", -1, guest).ok());
  ASSERT_TRUE(room().chatSend("a1", "hello").ok());
  ASSERT_EQ(listener.chats.size(), 1u);
  EXPECT_EQ(listener.chats[0].body, "hello");
  EXPECT_EQ(listener.chats[0].sender, userIds_[1]);
  EXPECT_EQ(listener.chats[0].recipients, (std::vector<store::Id>{userIds_[2]}));
  ASSERT_TRUE(room().chatSend("g", "from a guest").ok());
  ASSERT_EQ(listener.chats.size(), 2u);
  EXPECT_EQ(listener.chats[1].recipients, (std::vector<store::Id>{userIds_[1], userIds_[2]}));
  // A refused message (not in the meeting) is not heard of.
  EXPECT_FALSE(room().chatSend("nobody", "x").ok());
  EXPECT_EQ(listener.chats.size(), 2u);
}

TEST_F(ActivityRoomTest, ActivityListenerHearsTheRoomClose) {
  createMeeting();
  registry_->setActivityListener(&listener);
  FakeSink alice;
  ASSERT_TRUE(join("a", 1, alice).ok());
  room().leave("a");
  registry_->releaseIfEmpty("abc-defg-hij");  // no grace in this registry: the room goes now
  EXPECT_EQ(listener.closed, (std::vector<std::string>{"abc-defg-hij"}));
  ASSERT_TRUE(join("a", 1, alice).ok());
  EXPECT_EQ(listener.started.size(), 2u);
}

}  // namespace
}  // namespace fluxmeet::meeting::testing
