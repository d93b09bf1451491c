// Recording rows: created while recording, updated through composition, listed per meeting and by
// status (restart recovery) and start time (retention), gone with their meeting.
#include "store_test_fixture.hpp"

namespace fluxmeet::store::test {
namespace {

class RecordingStoreTest : public StoreTest {
 protected:
  Recording makeRecording(Id meetingId, std::optional<Id> by, UnixTime startedAt, const std::string& dir) {
    auto created = store_->createRecording(NewRecording{meetingId, by, "Alice", dir, startedAt});
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
    return created.ok() ? created.value() : Recording{};
  }
};

TEST_F(RecordingStoreTest, ANewRecordingIsRecordingWithItsMeetingCode) {
  const User alice = makeUser("alice", "alice@example.com");
  const Meeting meeting = makeMeeting(alice.id, "abc-defg-hij");
  const Recording recording = makeRecording(meeting.id, alice.id, kNow, "/data/recordings/abc-defg-hij/1");
  EXPECT_GT(recording.id, 0);
  EXPECT_EQ(recording.meetingCode, "abc-defg-hij");
  EXPECT_EQ(recording.startedByUserId, alice.id);
  EXPECT_EQ(recording.startedByName, "Alice");
  EXPECT_EQ(recording.status, RecordingStatus::Recording);
  EXPECT_FALSE(recording.stoppedAt.has_value());
  EXPECT_EQ(recording.directory, "/data/recordings/abc-defg-hij/1");
  EXPECT_EQ(recording.filePath, "");
}

TEST_F(RecordingStoreTest, AnUpdateChangesOnlyTheFieldsItNames) {
  const User alice = makeUser("alice", "alice@example.com");
  const Meeting meeting = makeMeeting(alice.id, "abc-defg-hij");
  const Recording recording = makeRecording(meeting.id, alice.id, kNow, "/d");
  auto stopped = store_->updateRecording(
      recording.id, RecordingUpdate{.status = RecordingStatus::Composing, .stoppedAt = kNow + 60, .tracks = 3});
  ASSERT_TRUE(stopped.ok()) << stopped.error().message;
  EXPECT_EQ(stopped->status, RecordingStatus::Composing);
  EXPECT_EQ(stopped->stoppedAt, kNow + 60);
  EXPECT_EQ(stopped->tracks, 3);
  auto progressed = store_->updateRecording(recording.id, RecordingUpdate{.progress = 40});
  ASSERT_TRUE(progressed.ok());
  EXPECT_EQ(progressed->progress, 40);
  EXPECT_EQ(progressed->status, RecordingStatus::Composing);
  EXPECT_EQ(progressed->tracks, 3);
  auto ready = store_->updateRecording(recording.id, RecordingUpdate{.status = RecordingStatus::Ready,
                                                                     .progress = 100,
                                                                     .filePath = "/d/composed.webm",
                                                                     .sizeBytes = 123456,
                                                                     .durationMs = 60'000});
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(ready->filePath, "/d/composed.webm");
  EXPECT_EQ(ready->sizeBytes, 123456);
  EXPECT_EQ(ready->durationMs, 60'000);
  EXPECT_EQ(ready->stoppedAt, kNow + 60);
}

TEST_F(RecordingStoreTest, UnknownRecordingsAreNotFound) {
  EXPECT_EQ(store_->findRecording(42).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->updateRecording(42, RecordingUpdate{.progress = 1}).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->deleteRecording(42).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->createRecording(NewRecording{999, std::nullopt, "x", "/d", kNow}).error().code,
            ErrorCode::NotFound);
}

TEST_F(RecordingStoreTest, ListsPerMeetingNewestFirstAndByStatusAndAge) {
  const User alice = makeUser("alice", "alice@example.com");
  const Meeting first = makeMeeting(alice.id, "aaa-aaaa-aaa");
  const Meeting second = makeMeeting(alice.id, "bbb-bbbb-bbb");
  const Recording older = makeRecording(first.id, alice.id, kNow, "/1");
  const Recording newer = makeRecording(first.id, std::nullopt, kNow + 100, "/2");
  const Recording other = makeRecording(second.id, alice.id, kNow + 50, "/3");
  ASSERT_TRUE(store_->updateRecording(newer.id, RecordingUpdate{.status = RecordingStatus::Ready}).ok());

  auto listed = store_->listRecordings(first.id);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2U);
  EXPECT_EQ((*listed)[0].id, newer.id);
  EXPECT_EQ((*listed)[1].id, older.id);

  auto recording = store_->listRecordingsWithStatus(RecordingStatus::Recording);
  ASSERT_TRUE(recording.ok());
  ASSERT_EQ(recording->size(), 2U);
  EXPECT_EQ((*recording)[0].id, older.id);
  EXPECT_EQ((*recording)[1].id, other.id);

  auto aged = store_->listRecordingsStartedBefore(kNow + 60);
  ASSERT_TRUE(aged.ok());
  ASSERT_EQ(aged->size(), 2U);
  EXPECT_EQ((*aged)[0].id, older.id);
  EXPECT_EQ((*aged)[1].id, other.id);
}

TEST_F(RecordingStoreTest, DeletingRemovesTheRowOnly) {
  const User alice = makeUser("alice", "alice@example.com");
  const Meeting meeting = makeMeeting(alice.id, "abc-defg-hij");
  const Recording a = makeRecording(meeting.id, alice.id, kNow, "/1");
  const Recording b = makeRecording(meeting.id, alice.id, kNow + 1, "/2");
  ASSERT_TRUE(store_->deleteRecording(a.id).ok());
  EXPECT_EQ(store_->findRecording(a.id).error().code, ErrorCode::NotFound);
  EXPECT_TRUE(store_->findRecording(b.id).ok());
}

TEST_F(RecordingStoreTest, ADeletedUserLeavesTheRecordingWithItsName) {
  const User alice = makeUser("alice", "alice@example.com");
  const User bob = makeUser("bob", "bob@example.com");
  const Meeting meeting = makeMeeting(alice.id, "abc-defg-hij");
  const Recording recording = makeRecording(meeting.id, bob.id, kNow, "/1");
  ASSERT_TRUE(store_->deleteUser(bob.id, kNow + 1).ok());
  auto found = store_->findRecording(recording.id);
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->startedByUserId.has_value());
  EXPECT_EQ(found->startedByName, "Alice");
}

TEST_F(RecordingStoreTest, TheAutoRecordSettingIsKept) {
  const User alice = makeUser("alice", "alice@example.com");
  const Meeting meeting = makeMeeting(alice.id, "abc-defg-hij");
  EXPECT_FALSE(meeting.settings.autoRecord);
  MeetingSettings settings = meeting.settings;
  settings.autoRecord = true;
  auto updated = store_->updateMeeting(meeting.id, MeetingUpdate{.settings = settings, .now = kNow + 1});
  ASSERT_TRUE(updated.ok());
  EXPECT_TRUE(updated->settings.autoRecord);
  EXPECT_TRUE(store_->findMeetingByCode("abc-defg-hij")->settings.autoRecord);
}

}  // namespace
}  // namespace fluxmeet::store::test
