// RecordingService without media: free-space refusal, rows through begin/finish, retention that
// deletes old recordings with their files but never a path outside the recordings root, and a
// failed composition that says why. (Composition on real files: unit_record and
// tests/integration/recording_library.test.mjs.)
#include "fluxmeet/meeting/recording_service.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <thread>

#include "room_fixture.hpp"

namespace fluxmeet::meeting {
namespace {

namespace fs = std::filesystem;
using testing::RoomTest;

class RecordingServiceTest : public RoomTest {
 protected:
  void SetUp() override {
    RoomTest::SetUp();
    root_ = fs::path(::testing::TempDir()) / ("recording-service-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    meeting_ = createMeeting();
  }
  void TearDown() override { fs::remove_all(root_); }

  // Posted tasks run when the test says so, as the control thread would run them.
  RecordingService::Post queuePost() {
    return [this](std::function<void()> task) {
      std::lock_guard lock(postedMutex_);
      posted_.push_back(std::move(task));
    };
  }
  void runPosted() {
    std::deque<std::function<void()>> tasks;
    {
      std::lock_guard lock(postedMutex_);
      tasks.swap(posted_);
    }
    for (auto& task : tasks) task();
  }

  fs::path makeRecordingDir(const std::string& name) {
    const fs::path dir = root_ / meeting_.code / name;
    fs::create_directories(dir);
    std::ofstream(dir / "a-camera-x.webm") << "track";
    return dir;
  }

  fs::path root_;
  store::Meeting meeting_;
  std::mutex postedMutex_;
  std::deque<std::function<void()>> posted_;
};

TEST_F(RecordingServiceTest, RefusesToStartBelowTheFreeSpaceThreshold) {
  RecordingService plenty(RecordingServiceOptions{.rootDir = root_.string(), .minFreeBytes = 1});
  EXPECT_TRUE(plenty.checkFreeSpace().ok());
  RecordingService starved(RecordingServiceOptions{.rootDir = (root_ / "not-yet").string(),
                                                   .minFreeBytes = std::numeric_limits<uint64_t>::max()});
  auto refused = starved.checkFreeSpace();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::Unavailable);
  EXPECT_NE(refused.error().message.find("MB free"), std::string::npos) << refused.error().message;
}

TEST_F(RecordingServiceTest, BeginAndFinishMoveTheRowAlongAndAFailedCompositionSaysWhy) {
  RecordingService service(RecordingServiceOptions{.rootDir = root_.string()}, store_.get(), queuePost());
  const fs::path dir = makeRecordingDir("one");  // no tracks.json: composition must fail, saying so
  auto id = service.begin(store::NewRecording{meeting_.id, userIds_[0], "host", dir.string(), 1000});
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_TRUE(service.meetingRecording(meeting_.code));
  EXPECT_EQ(store_->findRecording(*id)->status, store::RecordingStatus::Recording);

  service.finish(*id, 1010, 10'000, 1);
  auto composing = store_->findRecording(*id);
  EXPECT_EQ(composing->status, store::RecordingStatus::Composing);
  EXPECT_EQ(composing->durationMs, 10'000);
  EXPECT_EQ(composing->stoppedAt, 1010);
  for (int i = 0; i < 500 && !service.idle(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(service.idle());
  runPosted();
  auto failed = store_->findRecording(*id);
  EXPECT_EQ(failed->status, store::RecordingStatus::Failed);
  EXPECT_NE(failed->error.find("manifest"), std::string::npos) << failed->error;
}

TEST_F(RecordingServiceTest, RetentionDeletesOldRecordingsWithTheirFilesOnly) {
  RecordingService service(RecordingServiceOptions{.rootDir = root_.string(), .retentionDays = 30}, store_.get(),
                           queuePost());
  const int64_t now = 100 * 86'400;
  const fs::path oldDir = makeRecordingDir("old");
  const fs::path newDir = makeRecordingDir("new");
  const fs::path outside = root_.parent_path() / ("outside-" + std::to_string(::getpid()));
  fs::create_directories(outside);
  auto old = store_->createRecording({meeting_.id, std::nullopt, "Automatic", oldDir.string(), now - 31 * 86'400});
  auto recent = store_->createRecording({meeting_.id, std::nullopt, "Automatic", newDir.string(), now - 29 * 86'400});
  auto stray = store_->createRecording({meeting_.id, std::nullopt, "Automatic", outside.string(), now - 40 * 86'400});
  auto running = store_->createRecording({meeting_.id, std::nullopt, "Automatic", oldDir.string(), now - 50 * 86'400});
  for (auto* made : {&old, &recent, &stray}) {
    ASSERT_TRUE(made->ok());
    ASSERT_TRUE(store_->updateRecording((*made)->id, {.status = store::RecordingStatus::Ready}).ok());
  }

  EXPECT_EQ(service.sweepRetention(now), 2U);
  EXPECT_EQ(store_->findRecording(old->id).error().code, ErrorCode::NotFound);
  EXPECT_FALSE(fs::exists(oldDir));
  EXPECT_TRUE(store_->findRecording(recent->id).ok());
  EXPECT_TRUE(fs::exists(newDir));
  // A row pointing outside the root loses the row, never the files.
  EXPECT_EQ(store_->findRecording(stray->id).error().code, ErrorCode::NotFound);
  EXPECT_TRUE(fs::exists(outside));
  // Still recording: left for a later sweep.
  EXPECT_TRUE(store_->findRecording(running->id).ok());
  fs::remove_all(outside);

  RecordingService keepForever(RecordingServiceOptions{.rootDir = root_.string()}, store_.get(), queuePost());
  EXPECT_EQ(keepForever.sweepRetention(now * 10), 0U);
}

}  // namespace
}  // namespace fluxmeet::meeting
