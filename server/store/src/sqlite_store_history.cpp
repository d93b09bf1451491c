// SqliteStore: meeting history (participations) and chat.
#include <algorithm>

#include "sqlite_store.hpp"

namespace fluxmeet::store {
namespace {

constexpr int kMaxChatPage = 200;

Participant readParticipant(const Query& q) {
  Participant participant;
  participant.id = q.int64(0);
  participant.meetingId = q.int64(1);
  participant.userId = q.optionalInt64(2);
  participant.displayName = q.text(3);
  // The CHECK constraint keeps unknown names out; Participant is the harmless fallback.
  participant.role = parseRole(q.text(4)).value_or(Role::Participant);
  participant.joinedAt = q.int64(5);
  participant.leftAt = q.optionalInt64(6);
  return participant;
}

ChatMessage readChatMessage(const Query& q) {
  ChatMessage message;
  message.id = q.int64(0);
  message.meetingId = q.int64(1);
  message.senderUserId = q.optionalInt64(2);
  message.senderPeerId = q.text(3);
  message.senderName = q.text(4);
  message.body = q.text(5);
  message.createdAt = q.int64(6);
  message.editedAt = q.optionalInt64(7);
  message.deleted = q.boolean(8);
  return message;
}

constexpr std::string_view kChatColumns =
    "SELECT id, meeting_id, sender_user_id, sender_peer_id, sender_name, body, created_at, edited_at, deleted "
    "FROM chat_messages";

Error renameNotFound(Error error, std::string message) {
  if (error.code == ErrorCode::NotFound) error.message = std::move(message);
  return error;
}

}  // namespace

// ---- participations ----

Result<Id> SqliteStore::recordJoin(const NewParticipant& participant) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  auto inserted = db_->execute(
      "INSERT INTO meeting_participants (meeting_id, user_id, display_name, role, joined_at) VALUES (?, ?, ?, ?, ?)",
      participant.meetingId, participant.userId, participant.displayName, roleName(participant.role),
      participant.joinedAt);
  if (!inserted) return renameNotFound(std::move(inserted).takeError(), "meeting or user not found");
  Id id = db_->lastInsertId();
  if (auto committed = tx->commit(); !committed) return std::move(committed).takeError();
  return id;
}

Result<void> SqliteStore::recordLeave(Id participantId, UnixTime at) {
  // Idempotent: a second leave keeps the first time.
  return updateOne("participant", "UPDATE meeting_participants SET left_at = COALESCE(left_at, ?) WHERE id = ?", at,
                   participantId);
}

Result<void> SqliteStore::closeOpenParticipations(UnixTime at) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  auto closed = db_->execute("UPDATE meeting_participants SET left_at = ? WHERE left_at IS NULL", at);
  if (!closed) return std::move(closed).takeError();
  return tx->commit();
}

Result<std::vector<Participant>> SqliteStore::listParticipants(Id meetingId) {
  return fetchAll(*db_, readParticipant,
                  "SELECT id, meeting_id, user_id, display_name, role, joined_at, left_at FROM meeting_participants "
                  "WHERE meeting_id = ? ORDER BY joined_at ASC, id ASC",
                  meetingId);
}

Result<bool> SqliteStore::isMeetingMember(Id meetingId, Id userId) {
  return fetchOne(*db_, "meeting not found", [](const Query& q) { return q.boolean(0); },
                  "SELECT EXISTS (SELECT 1 FROM meetings WHERE id = ?1 AND host_id = ?2)"
                  " OR EXISTS (SELECT 1 FROM meeting_participants WHERE meeting_id = ?1 AND user_id = ?2)",
                  meetingId, userId);
}

// ---- chat ----

Result<ChatMessage> SqliteStore::addChatMessage(const NewChatMessage& message) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  auto inserted = db_->execute(
      "INSERT INTO chat_messages (meeting_id, sender_user_id, sender_peer_id, sender_name, body, created_at)"
      " VALUES (?, ?, ?, ?, ?, ?)",
      message.meetingId, message.senderUserId, message.senderPeerId, message.senderName, message.body, message.now);
  if (!inserted) return renameNotFound(std::move(inserted).takeError(), "meeting or user not found");
  ChatMessage stored{db_->lastInsertId(), message.meetingId, message.senderUserId, message.senderPeerId,
                     message.senderName,   message.body,      message.now,          std::nullopt,
                     false};
  if (auto committed = tx->commit(); !committed) return std::move(committed).takeError();
  return stored;
}

Result<ChatMessage> SqliteStore::findChatMessage(Id meetingId, Id messageId) {
  static const std::string sql = std::string(kChatColumns) + " WHERE meeting_id = ? AND id = ?";
  return fetchOne(*db_, "message not found", readChatMessage, sql, meetingId, messageId);
}

Result<ChatMessage> SqliteStore::editChatMessage(Id meetingId, Id messageId, const std::string& body, UnixTime now) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  auto changed = db_->execute(
      "UPDATE chat_messages SET body = ?, edited_at = ? WHERE meeting_id = ? AND id = ? AND deleted = 0", body, now,
      meetingId, messageId);
  if (!changed) return std::move(changed).takeError();
  if (*changed == 0) return makeError(ErrorCode::NotFound, "message not found");
  auto edited = findChatMessage(meetingId, messageId);
  if (!edited) return edited;
  if (auto committed = tx->commit(); !committed) return std::move(committed).takeError();
  return edited;
}

Result<ChatMessage> SqliteStore::deleteChatMessage(Id meetingId, Id messageId, UnixTime now) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  // The row stays (clients show "message deleted" in place); edited_at records when it was removed.
  auto changed = db_->execute(
      "UPDATE chat_messages SET body = '', deleted = 1, edited_at = ? WHERE meeting_id = ? AND id = ? AND deleted = 0",
      now, meetingId, messageId);
  if (!changed) return std::move(changed).takeError();
  if (*changed == 0) return makeError(ErrorCode::NotFound, "message not found");
  auto deleted = findChatMessage(meetingId, messageId);
  if (!deleted) return deleted;
  if (auto committed = tx->commit(); !committed) return std::move(committed).takeError();
  return deleted;
}

Result<std::vector<ChatMessage>> SqliteStore::listChat(Id meetingId, Id beforeId, int limit) {
  static const std::string sql =
      std::string(kChatColumns) + " WHERE meeting_id = ?1 AND (?2 <= 0 OR id < ?2) ORDER BY id DESC LIMIT ?3";
  return fetchAll(*db_, readChatMessage, sql, meetingId, beforeId, std::clamp(limit, 1, kMaxChatPage));
}

Result<int> SqliteStore::countChat(Id meetingId) {
  // Deleted messages keep their row but are not counted.
  return fetchOne(*db_, "meeting not found", [](const Query& q) { return q.int32(0); },
                  "SELECT COUNT(*) FROM chat_messages WHERE meeting_id = ? AND deleted = 0", meetingId);
}

}  // namespace fluxmeet::store
