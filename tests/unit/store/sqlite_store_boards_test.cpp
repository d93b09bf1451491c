// Whiteboards: one document per meeting rewritten by each save, images written once by id, both
// gone with their meeting.
#include "store_test_fixture.hpp"

namespace fluxmeet::store::test {
namespace {

class BoardStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    host_ = makeUser("alice", "alice@example.com");
    meeting_ = makeMeeting(host_.id, "abc-defg-hij");
  }

  BoardFileRecord file(const std::string& id, std::vector<std::uint8_t> bytes, std::string mime = "image/png") {
    return BoardFileRecord{.meetingId = meeting_.id,
                           .fileId = id,
                           .mimeType = std::move(mime),
                           .bytes = std::move(bytes),
                           .createdAt = kNow};
  }

  User host_;
  Meeting meeting_;
};

TEST_F(BoardStoreTest, NoBoardUntilSaved) {
  auto board = store_->findBoard(meeting_.id);
  ASSERT_FALSE(board.ok());
  EXPECT_EQ(board.error().code, ErrorCode::NotFound);
}

TEST_F(BoardStoreTest, SavingReplacesTheDocument) {
  ASSERT_TRUE(store_->saveBoard(meeting_.id, R"({"elements":[1]})", kNow).ok());
  ASSERT_TRUE(store_->saveBoard(meeting_.id, R"({"elements":[1,2]})", kNow + 5).ok());
  auto board = store_->findBoard(meeting_.id);
  ASSERT_TRUE(board.ok()) << board.error().message;
  EXPECT_EQ(board->meetingId, meeting_.id);
  EXPECT_EQ(board->document, R"({"elements":[1,2]})");
  EXPECT_EQ(board->updatedAt, kNow + 5);
}

TEST_F(BoardStoreTest, BoardsAreKeptPerMeeting) {
  const Meeting other = makeMeeting(host_.id, "xyz-defg-hij");
  ASSERT_TRUE(store_->saveBoard(meeting_.id, "one", kNow).ok());
  ASSERT_TRUE(store_->saveBoard(other.id, "two", kNow).ok());
  EXPECT_EQ(store_->findBoard(meeting_.id)->document, "one");
  EXPECT_EQ(store_->findBoard(other.id)->document, "two");
}

TEST_F(BoardStoreTest, ABoardNeedsAMeeting) {
  auto saved = store_->saveBoard(meeting_.id + 1000, "{}", kNow);
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error().code, ErrorCode::NotFound);
  BoardFileRecord orphan = file("f", {1});
  orphan.meetingId = meeting_.id + 1000;
  EXPECT_FALSE(store_->saveBoardFile(orphan).ok());
}

TEST_F(BoardStoreTest, FilesRoundTripTheirBytes) {
  std::vector<std::uint8_t> bytes;
  for (int i = 0; i < 70'000; ++i) bytes.push_back(static_cast<std::uint8_t>(i * 7));  // NULs included
  ASSERT_TRUE(store_->saveBoardFile(file("b-file", bytes, "image/webp")).ok());
  ASSERT_TRUE(store_->saveBoardFile(file("a-file", {0x89, 'P', 'N', 'G'})).ok());
  auto found = store_->findBoardFile(meeting_.id, "b-file");
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->bytes, bytes);
  EXPECT_EQ(found->mimeType, "image/webp");
  EXPECT_EQ(found->size, 70'000);
  EXPECT_EQ(found->createdAt, kNow);

  auto listed = store_->listBoardFiles(meeting_.id, false);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2U);
  EXPECT_EQ((*listed)[0].fileId, "a-file");  // by id
  EXPECT_EQ((*listed)[0].size, 4);
  EXPECT_TRUE((*listed)[0].bytes.empty());
  EXPECT_EQ((*listed)[1].fileId, "b-file");
  auto withBytes = store_->listBoardFiles(meeting_.id, true);
  ASSERT_TRUE(withBytes.ok());
  EXPECT_EQ((*withBytes)[1].bytes, bytes);
}

TEST_F(BoardStoreTest, AFileIdIsWrittenOnce) {
  ASSERT_TRUE(store_->saveBoardFile(file("same", {1, 2, 3})).ok());
  ASSERT_TRUE(store_->saveBoardFile(file("same", {9, 9}, "image/gif")).ok());
  auto found = store_->findBoardFile(meeting_.id, "same");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->bytes, (std::vector<std::uint8_t>{1, 2, 3}));
  EXPECT_EQ(found->mimeType, "image/png");
}

TEST_F(BoardStoreTest, FilesAreScopedToTheirMeeting) {
  const Meeting other = makeMeeting(host_.id, "xyz-defg-hij");
  ASSERT_TRUE(store_->saveBoardFile(file("mine", {1})).ok());
  EXPECT_EQ(store_->findBoardFile(other.id, "mine").error().code, ErrorCode::NotFound);
  EXPECT_TRUE(store_->listBoardFiles(other.id, true)->empty());
}

TEST_F(BoardStoreTest, ASoftDeletedMeetingKeepsItsBoard) {
  ASSERT_TRUE(store_->saveBoard(meeting_.id, "{}", kNow).ok());
  ASSERT_TRUE(store_->saveBoardFile(file("f", {1})).ok());
  // Meetings are soft-deleted: the board stays readable with the meeting's history.
  ASSERT_TRUE(store_->deleteMeeting(meeting_.id, kNow).ok());
  EXPECT_TRUE(store_->findBoard(meeting_.id).ok());
  EXPECT_TRUE(store_->findBoardFile(meeting_.id, "f").ok());
}

}  // namespace
}  // namespace fluxmeet::store::test
