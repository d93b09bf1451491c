#pragma once
// Shared fixture for the store tests: a fresh in-memory store per test plus small factories.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

#include "fluxmeet/store/store.hpp"

namespace fluxmeet::store::test {

constexpr UnixTime kNow = 1'800'000'000;  // 2027-01-15, a fixed "now" so tests are deterministic

// A directory unique to this process and call, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("fluxmeet-store-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = openStore("sqlite::memory:");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
  }

  User makeUser(const std::string& username, const std::string& email) {
    auto user = store_->createUser(NewUser{username, email, "$argon2id$hash-of-" + username, kNow});
    EXPECT_TRUE(user.ok()) << (user.ok() ? "" : user.error().message);
    return user.ok() ? user.value() : User{};
  }

  Session makeSession(Id userId, const std::string& id, const std::string& tokenHash,
                      UnixTime expiresAt = kNow + 3600) {
    auto session = store_->createSession(NewSession{id, userId, tokenHash, kNow, expiresAt, "test-agent", "192.0.2.1"});
    EXPECT_TRUE(session.ok()) << (session.ok() ? "" : session.error().message);
    return session.ok() ? session.value() : Session{};
  }

  Meeting makeMeeting(Id hostId, const std::string& code, MeetingKind kind = MeetingKind::Instant,
                      std::optional<UnixTime> startsAt = std::nullopt, int durationMinutes = 60,
                      UnixTime createdAt = kNow) {
    NewMeeting meeting;
    meeting.code = code;
    meeting.hostId = hostId;
    meeting.title = "Meeting " + code;
    meeting.kind = kind;
    meeting.startsAt = startsAt;
    meeting.timeZone = "Europe/Berlin";
    meeting.durationMinutes = durationMinutes;
    meeting.now = createdAt;
    auto created = store_->createMeeting(meeting);
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
    return created.ok() ? created.value() : Meeting{};
  }

  std::unique_ptr<Store> store_;
};

}  // namespace fluxmeet::store::test
