#pragma once
// Shared fixture for Room tests: an in-memory store with a host and two users, a meeting, and
// FakeSink, a PeerSink that records every notification.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "fluxmeet/meeting/room_registry.hpp"

namespace fluxmeet::meeting::testing {

class FakeSink : public PeerSink {
 public:
  struct Note {
    std::string method;
    nlohmann::json data;
  };
  void notify(std::string_view method, const nlohmann::json& data) override {
    notes.push_back({std::string(method), data});
  }
  void leftRoom() override { ++leftRoomCalls; }

  int count(std::string_view method) const {
    int n = 0;
    for (const auto& note : notes) n += note.method == method;
    return n;
  }
  const Note* last(std::string_view method) const {
    for (auto it = notes.rbegin(); it != notes.rend(); ++it) {
      if (it->method == method) return &*it;
    }
    return nullptr;
  }

  std::vector<Note> notes;
  int leftRoomCalls = 0;
};

class RoomTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::openStore("sqlite::memory:");
    ASSERT_TRUE(opened.ok());
    store_ = std::move(*opened);
    for (const char* name : {"host", "alice", "bob", "carol"}) {
      auto user = store_->createUser(store::NewUser{name, std::string(name) + "@example.com", "hash", 1000});
      ASSERT_TRUE(user.ok());
      userIds_.push_back(user->id);
    }
    registry_ = std::make_unique<RoomRegistry>(*store_);
  }

  store::Meeting createMeeting(store::MeetingSettings settings = {}, std::string passcode = {}) {
    store::NewMeeting meeting{.code = "abc-defg-hij",
                              .hostId = userIds_[0],
                              .title = "Standup",
                              .passcode = std::move(passcode),
                              .settings = settings,
                              .now = 1000};
    auto created = store_->createMeeting(meeting);
    EXPECT_TRUE(created.ok());
    return *created;
  }

  // userIndex: 0 host, 1 alice, 2 bob, 3 carol; -1: a guest.
  Result<nlohmann::json> join(const std::string& peerId, int userIndex, FakeSink& sink,
                              std::optional<std::string> passcode = std::nullopt, std::string ip = "10.0.0.1") {
    JoinRequest request{.peerId = peerId, .ip = ip, .displayName = peerId, .passcode = passcode, .sink = &sink};
    if (userIndex >= 0) {
      request.userId = userIds_[userIndex];
      request.identity = "user:" + std::to_string(userIds_[userIndex]);
    } else {
      request.guest = true;
      request.identity = "guest:" + peerId;
    }
    Room* room = nullptr;
    return registry_->join("abc-defg-hij", request, room);
  }

  Room& room() { return *registry_->find("abc-defg-hij"); }

  std::unique_ptr<store::Store> store_;
  std::vector<store::Id> userIds_;
  std::unique_ptr<RoomRegistry> registry_;
};

}  // namespace fluxmeet::meeting::testing
