// SqliteStore: meeting whiteboards (issue 7) - one document per meeting, images by id.
#include "sqlite_store.hpp"

namespace fluxmeet::store {
namespace {

BoardFileRecord readBoardFile(const Query& q, bool withBytes) {
  BoardFileRecord file;
  file.meetingId = q.int64(0);
  file.fileId = q.text(1);
  file.mimeType = q.text(2);
  file.size = q.int64(3);
  file.createdAt = q.int64(4);
  if (withBytes) file.bytes = q.blob(5);
  return file;
}

// The bytes column is read only when wanted: a board's images are up to 20 MiB together.
constexpr std::string_view kFileColumns =
    "SELECT meeting_id, file_id, mime_type, length(bytes), created_at, bytes FROM board_files";
constexpr std::string_view kFileColumnsWithoutBytes =
    "SELECT meeting_id, file_id, mime_type, length(bytes), created_at FROM board_files";

}  // namespace

Result<void> SqliteStore::saveBoard(Id meetingId, const std::string& document, UnixTime now) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  auto saved = db_->execute(
      "INSERT INTO boards (meeting_id, document, updated_at) VALUES (?, ?, ?)"
      " ON CONFLICT (meeting_id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at",
      meetingId, document, now);
  if (!saved) {
    Error error = std::move(saved).takeError();
    if (error.code == ErrorCode::NotFound) error.message = "meeting not found";
    return error;
  }
  return tx->commit();
}

Result<BoardDocument> SqliteStore::findBoard(Id meetingId) {
  return fetchOne(
      *db_, "board not found",
      [](const Query& q) { return BoardDocument{q.int64(0), q.text(1), q.int64(2)}; },
      "SELECT meeting_id, document, updated_at FROM boards WHERE meeting_id = ?", meetingId);
}

Result<void> SqliteStore::saveBoardFile(const BoardFileRecord& file) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  auto saved = db_->execute(
      "INSERT INTO board_files (meeting_id, file_id, mime_type, bytes, created_at) VALUES (?, ?, ?, ?, ?)"
      " ON CONFLICT (meeting_id, file_id) DO NOTHING",
      file.meetingId, file.fileId, file.mimeType, file.bytes, file.createdAt);
  if (!saved) {
    Error error = std::move(saved).takeError();
    if (error.code == ErrorCode::NotFound) error.message = "meeting not found";
    return error;
  }
  return tx->commit();
}

Result<BoardFileRecord> SqliteStore::findBoardFile(Id meetingId, const std::string& fileId) {
  return fetchOne(
      *db_, "board file not found", [](const Query& q) { return readBoardFile(q, true); },
      std::string(kFileColumns) + " WHERE meeting_id = ? AND file_id = ?", meetingId, fileId);
}

Result<std::vector<BoardFileRecord>> SqliteStore::listBoardFiles(Id meetingId, bool withBytes) {
  std::string sql = std::string(withBytes ? kFileColumns : kFileColumnsWithoutBytes) +
                    " WHERE meeting_id = ? ORDER BY file_id";
  return fetchAll(*db_, [withBytes](const Query& q) { return readBoardFile(q, withBytes); }, sql, meetingId);
}

}  // namespace fluxmeet::store
