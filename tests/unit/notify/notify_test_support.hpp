#pragma once
// A UserNotifier that records what would be sent, and an in-memory store with users.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "fluxmeet/notify/notifier.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::notify::test {

constexpr store::UnixTime kNow = 1'800'000'000;

struct SentNotification {
  store::Id userId = 0;
  PushPayload payload;
  push::PushMessageOptions options;
};

class RecordingNotifier final : public UserNotifier {
 public:
  Result<size_t> notifyUser(store::Id userId, const PushPayload& payload,
                            const push::PushMessageOptions& options) override {
    sent.push_back(SentNotification{userId, payload, options});
    return size_t{1};
  }
  std::vector<SentNotification> sent;
};

class NotifyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::openStore("sqlite::memory:");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
  }
  store::User makeUser(const std::string& name) {
    auto user = store_->createUser(store::NewUser{name, name + "@example.com", "hash", kNow});
    EXPECT_TRUE(user.ok());
    return user.ok() ? *user : store::User{};
  }
  store::Meeting makeScheduled(store::Id hostId, const std::string& code, store::UnixTime startsAt) {
    store::NewMeeting meeting{.code = code,
                              .hostId = hostId,
                              .title = "Standup " + code,
                              .kind = store::MeetingKind::Scheduled,
                              .startsAt = startsAt,
                              .now = kNow - 86400};
    auto created = store_->createMeeting(meeting);
    EXPECT_TRUE(created.ok());
    return created.ok() ? *created : store::Meeting{};
  }

  std::unique_ptr<store::Store> store_;
  RecordingNotifier notifier_;
};

}  // namespace fluxmeet::notify::test
