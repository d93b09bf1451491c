#pragma once
// SqliteStore: the embedded Store implementation (SQLite in WAL mode). One connection, used from one
// thread at a time: the caller serialises access (it runs the store on a single strand/thread), so
// nothing here locks. Every write method is one BEGIN IMMEDIATE transaction (see Transaction).
//
// The implementation is split by responsibility:
//   sqlite_store.cpp           opening, pragmas, ping
//   sqlite_store_users.cpp     users, sessions, refresh tokens, password resets
//   sqlite_store_meetings.cpp  meetings and their listing
//   sqlite_store_history.cpp   participants and chat
//   sqlite_store_recordings.cpp recordings
//   sqlite_store_boards.cpp    whiteboards and their images
//   sqlite_store_push.cpp      push subscriptions, notification settings, sent notifications
//   sqlite_store_invitations.cpp meeting invitations
#include <memory>
#include <string>
#include <unordered_map>

#include "fluxmeet/store/store.hpp"
#include "sqlite_db.hpp"

namespace fluxmeet::store {

class SqliteStore final : public Store {
 public:
  // path: a file name or ":memory:". Applies pending migrations.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path);

  Result<void> ping() override;

  Result<User> createUser(const NewUser& user) override;
  Result<User> findUserById(Id id) override;
  Result<User> findUserByEmail(const std::string& email) override;
  Result<User> updateUser(Id id, const UserUpdate& update) override;
  Result<void> updatePassword(Id id, const std::string& passwordHash, const std::string& keepSessionId,
                              UnixTime now) override;
  Result<void> deleteUser(Id id, UnixTime now) override;

  Result<Session> createSession(const NewSession& session) override;
  Result<Session> rotateRefreshToken(const RefreshRotation& rotation) override;
  Result<Session> findSession(const std::string& sessionId) override;
  Result<User> findSessionUser(const std::string& sessionId, Id userId) override;
  Result<Session> findSessionByRefreshToken(const std::string& tokenHash, UnixTime now) override;
  Result<std::vector<Session>> listActiveSessions(Id userId, UnixTime now) override;
  Result<void> revokeSession(Id userId, const std::string& sessionId, UnixTime now) override;
  Result<void> revokeAllSessions(Id userId, UnixTime now) override;

  Result<void> createPasswordReset(Id userId, const std::string& tokenHash, UnixTime now,
                                   UnixTime expiresAt) override;
  Result<Id> consumePasswordReset(const std::string& tokenHash, const std::string& newPasswordHash,
                                  UnixTime now) override;

  Result<Meeting> createMeeting(const NewMeeting& meeting) override;
  Result<Meeting> findMeetingByCode(const std::string& code, bool includeDeleted) override;
  Result<Meeting> updateMeeting(Id meetingId, const MeetingUpdate& update) override;
  Result<void> deleteMeeting(Id meetingId, UnixTime now) override;
  Result<MeetingPage> listMeetings(Id userId, MeetingScope scope, const std::string& cursor, int limit,
                                   UnixTime now) override;
  Result<void> setMeetingLocked(Id meetingId, bool locked, UnixTime now) override;
  Result<void> markMeetingStarted(Id meetingId, UnixTime now) override;
  Result<void> markMeetingEnded(Id meetingId, UnixTime now) override;

  Result<Id> recordJoin(const NewParticipant& participant) override;
  Result<void> recordLeave(Id participantId, UnixTime at) override;
  Result<void> closeOpenParticipations(UnixTime at) override;
  Result<std::vector<Participant>> listParticipants(Id meetingId) override;
  Result<bool> isMeetingMember(Id meetingId, Id userId) override;

  Result<ChatMessage> addChatMessage(const NewChatMessage& message) override;
  Result<ChatMessage> findChatMessage(Id meetingId, Id messageId) override;
  Result<ChatMessage> editChatMessage(Id meetingId, Id messageId, const std::string& body, UnixTime now) override;
  Result<ChatMessage> deleteChatMessage(Id meetingId, Id messageId, UnixTime now) override;
  Result<std::vector<ChatMessage>> listChat(Id meetingId, Id beforeId, int limit) override;
  Result<int> countChat(Id meetingId) override;

  Result<Recording> createRecording(const NewRecording& recording) override;
  Result<Recording> findRecording(Id recordingId) override;
  Result<Recording> updateRecording(Id recordingId, const RecordingUpdate& update) override;
  Result<void> deleteRecording(Id recordingId) override;
  Result<std::vector<Recording>> listRecordings(Id meetingId) override;
  Result<std::vector<Recording>> listRecordingsWithStatus(RecordingStatus status) override;
  Result<std::vector<Recording>> listRecordingsStartedBefore(UnixTime before) override;

  Result<void> saveBoard(Id meetingId, const std::string& document, UnixTime now) override;
  Result<BoardDocument> findBoard(Id meetingId) override;
  Result<void> saveBoardFile(const BoardFileRecord& file) override;
  Result<BoardFileRecord> findBoardFile(Id meetingId, const std::string& fileId) override;
  Result<std::vector<BoardFileRecord>> listBoardFiles(Id meetingId, bool withBytes) override;

  Result<PushSubscriptionSaved> savePushSubscription(const NewPushSubscription& subscription) override;
  Result<void> deletePushSubscription(Id userId, const std::string& endpoint) override;
  Result<void> deletePushSubscriptionByEndpoint(const std::string& endpoint) override;
  Result<std::vector<PushSubscriptionRecord>> listPushSubscriptions(Id userId) override;
  Result<void> markPushDelivered(const std::string& endpoint, UnixTime now) override;
  Result<NotificationSettings> notificationSettings(Id userId) override;
  Result<void> saveNotificationSettings(Id userId, const NotificationSettings& settings, UnixTime now) override;
  Result<bool> claimNotification(const std::string& key, UnixTime now) override;
  Result<void> pruneSentNotifications(UnixTime before) override;
  Result<std::vector<DueReminder>> listDueReminders(UnixTime now) override;

  Result<std::vector<Invitation>> addInvitations(const NewInvitations& invitations) override;
  Result<std::vector<Invitation>> listInvitations(Id meetingId) override;
  Result<void> deleteInvitation(Id meetingId, Id invitationId) override;
  Result<void> markInvitationEmailed(Id invitationId, UnixTime now) override;
  Result<std::vector<Id>> listInvitedUserIds(Id meetingId) override;

 private:
  explicit SqliteStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}

  // Runs a write that must touch exactly one row: NotFound(`what` + " not found") when none matched.
  template <class... Args>
  Result<void> updateOne(std::string_view what, std::string_view sql, const Args&... args);

  Result<Meeting> loadMeeting(Id meetingId);
  Result<Session> loadSession(const std::string& sessionId);

  // Called by every write to a user or their sessions, before it runs (forgetting too much is harmless).
  void forgetSessionUsers(Id userId);

  std::unique_ptr<SqliteDb> db_;
  // findSessionUser runs on every authenticated request and was a third of a meeting lookup's
  // database time. This process is the database's only writer, so a found session's user is
  // kept until a write here touches that user or their sessions (forgetSessionUsers) instead of
  // for a guessed time. Only found, unrevoked sessions are kept; bounded by kMaxCachedSessionUsers.
  std::unordered_map<std::string, User> sessionUsers_;
};

template <class... Args>
Result<void> SqliteStore::updateOne(std::string_view what, std::string_view sql, const Args&... args) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  auto changed = db_->execute(sql, args...);
  if (!changed) return std::move(changed).takeError();
  if (*changed == 0) return makeError(ErrorCode::NotFound, std::string(what) + " not found");
  return tx->commit();
}

}  // namespace fluxmeet::store
