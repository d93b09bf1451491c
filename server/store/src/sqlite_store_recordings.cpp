// SqliteStore: server recordings of meetings.
#include "sqlite_store.hpp"

namespace fluxmeet::store {
namespace {

RecordingStatus parseRecordingStatus(const std::string& name) {
  if (name == "recording") return RecordingStatus::Recording;
  if (name == "composing") return RecordingStatus::Composing;
  if (name == "ready") return RecordingStatus::Ready;
  return RecordingStatus::Failed;  // the CHECK constraint keeps anything else out
}

Recording readRecording(const Query& q) {
  Recording recording;
  recording.id = q.int64(0);
  recording.meetingId = q.int64(1);
  recording.meetingCode = q.text(2);
  recording.startedByUserId = q.optionalInt64(3);
  recording.startedByName = q.text(4);
  recording.startedAt = q.int64(5);
  recording.stoppedAt = q.optionalInt64(6);
  recording.status = parseRecordingStatus(q.text(7));
  recording.progress = q.int32(8);
  recording.directory = q.text(9);
  recording.filePath = q.text(10);
  recording.sizeBytes = q.int64(11);
  recording.durationMs = q.int64(12);
  recording.tracks = q.int32(13);
  recording.error = q.text(14);
  return recording;
}

constexpr std::string_view kRecordingColumns =
    "SELECT r.id, r.meeting_id, m.code, r.started_by_user_id, r.started_by_name, r.started_at, r.stopped_at,"
    " r.status, r.progress, r.directory, r.file_path, r.size_bytes, r.duration_ms, r.tracks, r.error"
    " FROM recordings r JOIN meetings m ON m.id = r.meeting_id";

}  // namespace

Result<Recording> SqliteStore::createRecording(const NewRecording& recording) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  auto inserted = db_->execute(
      "INSERT INTO recordings (meeting_id, started_by_user_id, started_by_name, started_at, status, directory)"
      " VALUES (?, ?, ?, ?, 'recording', ?)",
      recording.meetingId, recording.startedByUserId, recording.startedByName, recording.startedAt,
      recording.directory);
  if (!inserted) {
    Error error = std::move(inserted).takeError();
    if (error.code == ErrorCode::NotFound) error.message = "meeting or user not found";
    return error;
  }
  const Id id = db_->lastInsertId();
  auto created = findRecording(id);
  if (!created) return created;
  if (auto committed = tx->commit(); !committed) return std::move(committed).takeError();
  return created;
}

Result<Recording> SqliteStore::findRecording(Id recordingId) {
  static const std::string sql = std::string(kRecordingColumns) + " WHERE r.id = ?";
  return fetchOne(*db_, "recording not found", readRecording, sql, recordingId);
}

Result<Recording> SqliteStore::updateRecording(Id recordingId, const RecordingUpdate& update) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  std::optional<std::string> status;
  if (update.status) status = std::string(recordingStatusName(*update.status));
  // COALESCE keeps what the update leaves out (a NULL parameter).
  auto changed = db_->execute(
      "UPDATE recordings SET status = COALESCE(?, status), stopped_at = COALESCE(?, stopped_at),"
      " progress = COALESCE(?, progress), file_path = COALESCE(?, file_path), size_bytes = COALESCE(?, size_bytes),"
      " duration_ms = COALESCE(?, duration_ms), tracks = COALESCE(?, tracks), error = COALESCE(?, error)"
      " WHERE id = ?",
      status, update.stoppedAt, update.progress, update.filePath, update.sizeBytes, update.durationMs, update.tracks,
      update.error, recordingId);
  if (!changed) return std::move(changed).takeError();
  if (*changed == 0) return makeError(ErrorCode::NotFound, "recording not found");
  auto updated = findRecording(recordingId);
  if (!updated) return updated;
  if (auto committed = tx->commit(); !committed) return std::move(committed).takeError();
  return updated;
}

Result<void> SqliteStore::deleteRecording(Id recordingId) {
  return updateOne("recording", "DELETE FROM recordings WHERE id = ?", recordingId);
}

Result<std::vector<Recording>> SqliteStore::listRecordings(Id meetingId) {
  static const std::string sql =
      std::string(kRecordingColumns) + " WHERE r.meeting_id = ? ORDER BY r.started_at DESC, r.id DESC";
  return fetchAll(*db_, readRecording, sql, meetingId);
}

Result<std::vector<Recording>> SqliteStore::listRecordingsWithStatus(RecordingStatus status) {
  static const std::string sql =
      std::string(kRecordingColumns) + " WHERE r.status = ? ORDER BY r.started_at ASC, r.id ASC";
  return fetchAll(*db_, readRecording, sql, recordingStatusName(status));
}

Result<std::vector<Recording>> SqliteStore::listRecordingsStartedBefore(UnixTime before) {
  static const std::string sql =
      std::string(kRecordingColumns) + " WHERE r.started_at < ? ORDER BY r.started_at ASC, r.id ASC";
  return fetchAll(*db_, readRecording, sql, before);
}

}  // namespace fluxmeet::store
