// The Room's one hook for push notifications: a LobbyListener hears of each arrival in the
// waiting room, with whether the host is in the meeting, and of nothing else.
#include <tuple>

#include "room_fixture.hpp"

namespace fluxmeet::meeting::testing {
namespace {

class RecordingLobbyListener final : public LobbyListener {
 public:
  void onLobbyWaiting(const store::Meeting& meeting, std::string_view displayName, bool hostPresent) override {
    calls.emplace_back(meeting.code, std::string(displayName), hostPresent);
  }
  std::vector<std::tuple<std::string, std::string, bool>> calls;
};

TEST_F(RoomTest, LobbyListenerHearsArrivalsAndWhetherTheHostIsIn) {
  createMeeting({.waitingRoom = true});
  RecordingLobbyListener listener;
  registry_->setLobbyListener(&listener);
  FakeSink host, alice, bob, carol;
  ASSERT_TRUE(join("a", 1, alice).ok());
  ASSERT_EQ(listener.calls.size(), 1u);
  EXPECT_EQ(listener.calls[0], std::make_tuple(std::string("abc-defg-hij"), std::string("a"), false));

  ASSERT_TRUE(join("h", 0, host).ok());  // the host enters directly: not a lobby arrival
  ASSERT_TRUE(join("b", 2, bob).ok());
  ASSERT_EQ(listener.calls.size(), 2u);
  EXPECT_TRUE(std::get<2>(listener.calls[1]));

  // A host whose connection dropped (reconnect grace) is not there.
  room().setConnected("h", false, nullptr);
  ASSERT_TRUE(join("c", 3, carol).ok());
  ASSERT_EQ(listener.calls.size(), 3u);
  EXPECT_FALSE(std::get<2>(listener.calls[2]));
}

TEST_F(RoomTest, NoLobbyNoListenerCall) {
  createMeeting();
  RecordingLobbyListener listener;
  registry_->setLobbyListener(&listener);
  FakeSink alice;
  ASSERT_TRUE(join("a", 1, alice).ok());
  EXPECT_TRUE(listener.calls.empty());
}

}  // namespace
}  // namespace fluxmeet::meeting::testing
