// Recording control without a media plane: names, permissions and what a room without media or
// without a RecordingService answers. The recording itself (RoomRecording with a real Router and
// real files) is tests/integration/recording.test.mjs and unit_media's tap test.
#include "fluxmeet/meeting/room_recording.hpp"

#include <gtest/gtest.h>

#include "room_fixture.hpp"

namespace fluxmeet::meeting {
namespace {

using testing::FakeSink;
using testing::RoomTest;

TEST(RoomRecordingNames, FileIsPeerSourceAndProducer) {
  ProducerInfo producer{.id = "p1", .peerId = "peer7", .source = MediaSource::ScreenAudio};
  EXPECT_EQ(recordingFileName(producer), "peer7-screen-audio-p1.webm");
  producer.source = MediaSource::Camera;
  EXPECT_EQ(recordingFileName(producer), "peer7-camera-p1.webm");
}

TEST(RoomRecordingNames, DirectoryIsTheUtcStartWithoutColons) {
  EXPECT_EQ(recordingDirectoryName(0), "1970-01-01T000000Z");
  EXPECT_EQ(recordingDirectoryName(1795629852), "2026-11-25T180412Z");
}

TEST_F(RoomTest, RecordingIsForHostsAndCohostsAndNeedsMedia) {
  RecordingService service(::testing::TempDir() + "/recordings");
  registry_ = std::make_unique<RoomRegistry>(*store_, nullptr, std::chrono::seconds(0), &service);
  createMeeting();
  FakeSink host, alice, bob;
  ASSERT_TRUE(join("h", 0, host).ok());
  ASSERT_TRUE(join("a", 1, alice).ok());
  ASSERT_TRUE(join("b", 2, bob).ok());
  EXPECT_EQ(room().recordingStart("a").error().code, ErrorCode::Forbidden);
  EXPECT_EQ(room().recordingStop("a").error().code, ErrorCode::Forbidden);
  EXPECT_FALSE(room().recordingStart("nobody").ok()) << "not in the meeting";
  ASSERT_TRUE(room().setRole("h", "b", store::Role::CoHost).ok());
  // Allowed, but this room has no media plane to record from.
  EXPECT_EQ(room().recordingStart("b").error().code, ErrorCode::Unavailable);
  EXPECT_EQ(room().recordingStop("h").error().code, ErrorCode::Conflict) << "not recording";
  EXPECT_FALSE(room().recording());
  EXPECT_TRUE(room().snapshot("a")["recording"].is_null());
  EXPECT_EQ(alice.count("recording.started"), 0);
  EXPECT_FALSE(service.writerStarted()) << "the writer thread starts with the first recording";
}

TEST_F(RoomTest, RecordingWithoutAServiceIsUnavailable) {
  createMeeting();
  FakeSink host;
  ASSERT_TRUE(join("h", 0, host).ok());
  EXPECT_EQ(room().recordingStart("h").error().code, ErrorCode::Unavailable);
}

}  // namespace
}  // namespace fluxmeet::meeting
