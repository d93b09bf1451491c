// The role x method matrix of docs/protocol.md, asserted against a real Room: every moderation
// method, called by a host, a co-host, a participant and a guest.
#include <functional>

#include "fluxmeet/meeting/room.hpp"
#include "room_fixture.hpp"

namespace fluxmeet::meeting {
namespace {

using testing::FakeSink;

class RoomPermissionsTest : public testing::RoomTest {
 protected:
  // Host "h", co-host "c", participant "p", guest "g", target participant "t" (with one chat
  // message), and "w" waiting in the lobby.
  void freshRoom() {
    registry_.reset();
    store_.reset();
    userIds_.clear();
    sinks_ = std::make_unique<FakeSink[]>(6);
    SetUp();
    createMeeting({.waitingRoom = true});
    ASSERT_TRUE(join("h", 0, sinks_[0]).ok());
    ASSERT_TRUE(join("c", 1, sinks_[1]).ok());
    ASSERT_TRUE(join("p", 2, sinks_[2]).ok());
    ASSERT_TRUE(join("g", -1, sinks_[3]).ok());
    ASSERT_TRUE(join("t", 3, sinks_[4]).ok());
    for (const char* id : {"c", "p", "g", "t"}) ASSERT_TRUE(room().admit("h", id).ok());
    ASSERT_TRUE(room().setRole("h", "c", store::Role::CoHost).ok());
    ASSERT_TRUE(join("w", -1, sinks_[5], std::nullopt, "10.0.0.2").ok());
    auto message = room().chatSend("t", "target's message");
    ASSERT_TRUE(message.ok());
    targetMessage_ = (*message)["id"];
  }

  std::unique_ptr<FakeSink[]> sinks_;
  store::Id targetMessage_ = 0;
};

TEST_F(RoomPermissionsTest, EveryModerationMethodForEveryRole) {
  using Call = std::function<Result<nlohmann::json>(Room&, const std::string& actor, store::Id message)>;
  struct MethodCase {
    const char* method;
    Call call;
    bool host, cohost, participant, guest;
  };
  const MethodCase methods[] = {
      {"lobby.admit", [](Room& r, const std::string& a, store::Id) { return r.admit(a, "w"); }, true, true, false, false},
      {"lobby.deny", [](Room& r, const std::string& a, store::Id) { return r.deny(a, "w"); }, true, true, false, false},
      {"peer.mute", [](Room& r, const std::string& a, store::Id) { return r.mute(a, "t", MediaKind::Audio); }, true,
       true, false, false},
      {"peer.muteAll", [](Room& r, const std::string& a, store::Id) { return r.muteAll(a, MediaKind::Audio); }, true,
       true, false, false},
      {"peer.remove", [](Room& r, const std::string& a, store::Id) { return r.remove(a, "t", false); }, true, true,
       false, false},
      {"peer.setRole", [](Room& r, const std::string& a, store::Id) { return r.setRole(a, "t", store::Role::CoHost); },
       true, false, false, false},
      {"meeting.lock", [](Room& r, const std::string& a, store::Id) { return r.setLocked(a, true); }, true, true, false,
       false},
      {"meeting.unlock", [](Room& r, const std::string& a, store::Id) { return r.setLocked(a, false); }, true, true,
       false, false},
      {"meeting.end", [](Room& r, const std::string& a, store::Id) { return r.end(a); }, true, false, false, false},
      {"meeting.updateSettings",
       [](Room& r, const std::string& a, store::Id) { return r.updateSettings(a, {.muteOnEntry = true}); }, true, true,
       false, false},
      {"chat.delete (other's)", [](Room& r, const std::string& a, store::Id m) { return r.chatDelete(a, m); }, true,
       true, false, false},
  };
  const std::pair<const char*, bool MethodCase::*> actors[] = {
      {"h", &MethodCase::host}, {"c", &MethodCase::cohost}, {"p", &MethodCase::participant}, {"g", &MethodCase::guest}};
  for (const auto& method : methods) {
    for (const auto& [actor, allowedField] : actors) {
      freshRoom();
      auto result = method.call(room(), actor, targetMessage_);
      bool allowed = method.*allowedField;
      if (allowed) {
        EXPECT_TRUE(result.ok()) << method.method << " by " << actor << ": " << result.error().message;
      } else {
        ASSERT_FALSE(result.ok()) << method.method << " by " << actor << " should be refused";
        EXPECT_EQ(result.error().code, ErrorCode::Forbidden) << method.method << " by " << actor;
      }
    }
  }
}

TEST_F(RoomPermissionsTest, NobodyActsOnTheHostAndCohostsCannotRemoveCohosts) {
  freshRoom();
  EXPECT_EQ(room().remove("c", "h", false).error().code, ErrorCode::Forbidden);
  EXPECT_EQ(room().remove("h", "h", false).error().code, ErrorCode::Forbidden);
  ASSERT_TRUE(room().setRole("h", "t", store::Role::CoHost).ok());
  EXPECT_EQ(room().remove("c", "t", false).error().code, ErrorCode::Forbidden);
  EXPECT_TRUE(room().remove("h", "t", false).ok());
  EXPECT_EQ(room().setRole("h", "g", store::Role::CoHost).error().code, ErrorCode::Unprocessable);
}

}  // namespace
}  // namespace fluxmeet::meeting
