#pragma once
// Store: the persistence interface every other module uses. SQLite (WAL) is the embedded
// default; a PostgreSQL implementation drops in behind the same interface (one that needs
// a blocking call is run on the blocking pool by its caller). Every write method is a single
// transaction: it either happens whole or not at all. Times are Unix seconds (UTC).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::store {

using Id = std::int64_t;
using UnixTime = std::int64_t;

struct User {
  Id id = 0;
  std::string username;
  std::string email;         // stored lower-cased; unique
  std::string passwordHash;  // Argon2id encoded string (libsodium crypto_pwhash_str)
  UnixTime createdAt = 0;
  UnixTime updatedAt = 0;
};

struct NewUser {
  std::string username;
  std::string email;
  std::string passwordHash;
  UnixTime now = 0;
};

struct UserUpdate {
  std::optional<std::string> username;
  std::optional<std::string> email;
  UnixTime now = 0;
};

// A signed-in device: one refresh-token family. Refresh tokens rotate inside a session.
struct Session {
  std::string id;  // random public id (shown in the devices list, carried as `sid` in JWTs)
  Id userId = 0;
  UnixTime createdAt = 0;
  UnixTime lastSeenAt = 0;
  UnixTime expiresAt = 0;  // of the newest refresh token
  std::optional<UnixTime> revokedAt;
  std::string userAgent;
  std::string ip;
};

struct NewSession {
  std::string id;
  Id userId = 0;
  std::string refreshTokenHash;  // SHA-256 hex of the opaque refresh token
  UnixTime now = 0;
  UnixTime expiresAt = 0;
  std::string userAgent;
  std::string ip;
};

struct RefreshRotation {
  std::string presentedTokenHash;
  std::string newTokenHash;
  UnixTime now = 0;
  UnixTime newExpiresAt = 0;
};

enum class Role { Host, CoHost, Participant, Guest };
std::string_view roleName(Role role);
std::optional<Role> parseRole(std::string_view name);

enum class ScreenSharePolicy { Everyone, HostsOnly };

struct MeetingSettings {
  bool waitingRoom = false;
  bool guestsAllowed = true;
  bool muteOnEntry = false;
  ScreenSharePolicy screenShare = ScreenSharePolicy::Everyone;
  bool autoRecord = false;  // the server records from the first join of each occurrence
};

enum class MeetingKind { Instant, Scheduled };

struct Meeting {
  Id id = 0;
  std::string code;  // "abc-defg-hij"
  Id hostId = 0;
  std::string hostName;  // filled from users.username on reads
  std::string title;
  MeetingKind kind = MeetingKind::Instant;
  std::optional<UnixTime> startsAt;
  std::string timeZone;  // IANA name or "+02:00" as given by the client, for display
  int durationMinutes = 60;
  std::string passcode;  // empty = none; only ever shown to the host
  MeetingSettings settings;
  bool locked = false;
  UnixTime createdAt = 0;
  UnixTime updatedAt = 0;
  std::optional<UnixTime> startedAt;  // first join of the current occurrence
  std::optional<UnixTime> endedAt;
  std::optional<UnixTime> deletedAt;
};

struct NewMeeting {
  std::string code;
  Id hostId = 0;
  std::string title;
  MeetingKind kind = MeetingKind::Instant;
  std::optional<UnixTime> startsAt;
  std::string timeZone;
  int durationMinutes = 60;
  std::string passcode;
  MeetingSettings settings;
  UnixTime now = 0;
};

struct MeetingUpdate {
  std::optional<std::string> title;
  std::optional<UnixTime> startsAt;
  std::optional<std::string> timeZone;
  std::optional<int> durationMinutes;
  std::optional<std::string> passcode;  // "" clears it
  std::optional<MeetingSettings> settings;
  UnixTime now = 0;
};

enum class MeetingScope { Upcoming, Past };

struct MeetingPage {
  std::vector<Meeting> items;
  std::string nextCursor;  // empty when there is no further page
};

struct Participant {
  Id id = 0;
  Id meetingId = 0;
  std::optional<Id> userId;  // empty for guests
  std::string displayName;
  Role role = Role::Participant;
  UnixTime joinedAt = 0;
  std::optional<UnixTime> leftAt;
};

struct NewParticipant {
  Id meetingId = 0;
  std::optional<Id> userId;
  std::string displayName;
  Role role = Role::Participant;
  UnixTime joinedAt = 0;
};

struct ChatMessage {
  Id id = 0;
  Id meetingId = 0;
  std::optional<Id> senderUserId;
  std::string senderPeerId;  // the live peer id that sent it (for own-message checks in a meeting)
  std::string senderName;
  std::string body;
  UnixTime createdAt = 0;
  std::optional<UnixTime> editedAt;
  bool deleted = false;  // deleted messages keep their row; body is cleared
};

struct NewChatMessage {
  Id meetingId = 0;
  std::optional<Id> senderUserId;
  std::string senderPeerId;
  std::string senderName;
  std::string body;
  UnixTime now = 0;
};

// A server recording of a meeting (issue 6): the per-track files under `directory` while it
// records, then one composed file. Status moves recording -> composing -> ready | failed.
enum class RecordingStatus { Recording, Composing, Ready, Failed };
std::string_view recordingStatusName(RecordingStatus status);

struct Recording {
  Id id = 0;
  Id meetingId = 0;
  std::string meetingCode;  // filled from meetings.code on reads
  std::optional<Id> startedByUserId;  // empty for an automatic recording or a deleted user
  std::string startedByName;
  UnixTime startedAt = 0;
  std::optional<UnixTime> stoppedAt;
  RecordingStatus status = RecordingStatus::Recording;
  int progress = 0;        // composition, 0..100
  std::string directory;   // absolute; holds the per-track files
  std::string filePath;    // the composed file once ready
  std::int64_t sizeBytes = 0;
  std::int64_t durationMs = 0;
  int tracks = 0;
  std::string error;  // why it failed
};

struct NewRecording {
  Id meetingId = 0;
  std::optional<Id> startedByUserId;
  std::string startedByName;
  std::string directory;
  UnixTime startedAt = 0;
};

struct RecordingUpdate {
  std::optional<RecordingStatus> status;
  std::optional<UnixTime> stoppedAt;
  std::optional<int> progress;
  std::optional<std::string> filePath;
  std::optional<std::int64_t> sizeBytes;
  std::optional<std::int64_t> durationMs;
  std::optional<int> tracks;
  std::optional<std::string> error;
};

// A meeting's saved whiteboard (issue 7): the whiteboard module's persistence document, as JSON
// text, rewritten whole by each (debounced) save.
struct BoardDocument {
  Id meetingId = 0;
  std::string document;
  UnixTime updatedAt = 0;
};

// An image of a meeting's whiteboard. `bytes` is empty when listed without them.
struct BoardFileRecord {
  Id meetingId = 0;
  std::string fileId;
  std::string mimeType;
  std::vector<std::uint8_t> bytes;
  std::int64_t size = 0;
  UnixTime createdAt = 0;
};

// A browser's Web Push subscription (issue 9). The endpoint is unique: the same browser
// registering again, even for another user, replaces the row.
struct PushSubscriptionRecord {
  Id id = 0;
  Id userId = 0;
  std::string endpoint;
  std::string p256dh;  // base64url, as the browser sent it
  std::string auth;
  std::string deviceName;
  UnixTime createdAt = 0;
  std::optional<UnixTime> lastSuccessAt;
};

struct NewPushSubscription {
  Id userId = 0;
  std::string endpoint;
  std::string p256dh;
  std::string auth;
  std::string deviceName;
  UnixTime now = 0;
  int maxPerUser = 20;  // past this many, the user's least recently used subscriptions go
};

struct PushSubscriptionSaved {
  Id id = 0;
  bool created = false;  // false: the user had this endpoint already and it was updated
};

// Per-user notification settings; a user without a row has these defaults.
struct NotificationSettings {
  bool reminders = true;
  int reminderMinutes = 10;  // 1..1440
  bool waitingRoom = true;
  bool meetingStarted = true;
  bool chat = true;
};

// A meeting reminder that is due: the meeting's host or an invitee with an account, with
// reminders on, inside their window.
struct DueReminder {
  Id meetingId = 0;
  std::string code;
  std::string title;
  UnixTime startsAt = 0;
  Id userId = 0;
  int reminderMinutes = 0;
};

// The sent-notification key of a meeting reminder: "reminder:<meetingId>:<startsAt>:<userId>".
// A meeting moved to another time is a new reminder.
std::string reminderNotificationKey(Id meetingId, UnixTime startsAt, Id userId);

// An email address invited to a meeting (issue 9), stored trimmed and lower-cased like
// users.email: the account with that address (now or registered later) is the invitee.
struct Invitation {
  Id id = 0;
  Id meetingId = 0;
  std::string email;
  UnixTime invitedAt = 0;
  std::optional<UnixTime> emailedAt;  // when the invitation mail went out
  bool registered = false;            // filled on reads: an account with this email exists
};

struct NewInvitations {
  Id meetingId = 0;
  std::vector<std::string> emails;  // normalised; duplicates and ones already invited are skipped
  UnixTime now = 0;
  int maxPerMeeting = 500;  // past this many in all: Unprocessable, nothing added
};

class Store {
 public:
  virtual ~Store() = default;

  // Liveness of the database for /readyz.
  virtual Result<void> ping() = 0;

  // Users. createUser fails with Conflict(field "email") when the email is taken.
  virtual Result<User> createUser(const NewUser& user) = 0;
  virtual Result<User> findUserById(Id id) = 0;
  virtual Result<User> findUserByEmail(const std::string& email) = 0;
  virtual Result<User> updateUser(Id id, const UserUpdate& update) = 0;
  // Sets the password and revokes every session of the user except keepSessionId (if given).
  virtual Result<void> updatePassword(Id id, const std::string& passwordHash, const std::string& keepSessionId,
                                      UnixTime now) = 0;
  // Deletes the user, their sessions and resets; meetings they host are soft-deleted, history rows keep
  // the display name but lose the user link.
  virtual Result<void> deleteUser(Id id, UnixTime now) = 0;

  // Sessions and refresh tokens.
  virtual Result<Session> createSession(const NewSession& session) = 0;
  // Presented token valid and unused: marks it used, stores the new one, returns the session.
  // Presented token already used (a replayed, rotated token): revokes the whole session and fails
  // with Unauthorized. Unknown, expired or revoked: Unauthorized.
  virtual Result<Session> rotateRefreshToken(const RefreshRotation& rotation) = 0;
  virtual Result<Session> findSession(const std::string& sessionId) = 0;
  // The account behind an access token, in one query (it runs on every authenticated request):
  // NotFound unless the session exists, belongs to userId and is not revoked.
  virtual Result<User> findSessionUser(const std::string& sessionId, Id userId) = 0;
  // Session that owns this (unused, unexpired) refresh token; used by logout.
  virtual Result<Session> findSessionByRefreshToken(const std::string& tokenHash, UnixTime now) = 0;
  virtual Result<std::vector<Session>> listActiveSessions(Id userId, UnixTime now) = 0;
  // NotFound when the session does not exist or belongs to another user.
  virtual Result<void> revokeSession(Id userId, const std::string& sessionId, UnixTime now) = 0;
  virtual Result<void> revokeAllSessions(Id userId, UnixTime now) = 0;

  // Password resets: single use. consume sets the password and revokes all sessions atomically;
  // an unknown, used or expired token is Unauthorized, and using one spends the user's other links.
  virtual Result<void> createPasswordReset(Id userId, const std::string& tokenHash, UnixTime now,
                                           UnixTime expiresAt) = 0;
  virtual Result<Id> consumePasswordReset(const std::string& tokenHash, const std::string& newPasswordHash,
                                          UnixTime now) = 0;

  // Meetings. createMeeting fails with Conflict(field "code") if the code exists (caller retries).
  virtual Result<Meeting> createMeeting(const NewMeeting& meeting) = 0;
  // Deleted meetings are NotFound unless includeDeleted (history of past occurrences stays readable).
  virtual Result<Meeting> findMeetingByCode(const std::string& code, bool includeDeleted = false) = 0;
  virtual Result<Meeting> updateMeeting(Id meetingId, const MeetingUpdate& update) = 0;
  virtual Result<void> deleteMeeting(Id meetingId, UnixTime now) = 0;
  // Upcoming: meetings the user hosts or is invited to (by their account's email) that are not
  // deleted or ended and whose end lies in the future (instant meetings never ended count as
  // upcoming), soonest first. Past: meetings the user hosted or attended that ended, or whose
  // scheduled end passed, newest first (deleted included).
  virtual Result<MeetingPage> listMeetings(Id userId, MeetingScope scope, const std::string& cursor, int limit,
                                           UnixTime now) = 0;
  virtual Result<void> setMeetingLocked(Id meetingId, bool locked, UnixTime now) = 0;
  // A new occurrence starts: startedAt = now, endedAt cleared.
  virtual Result<void> markMeetingStarted(Id meetingId, UnixTime now) = 0;
  virtual Result<void> markMeetingEnded(Id meetingId, UnixTime now) = 0;

  // History.
  virtual Result<Id> recordJoin(const NewParticipant& participant) = 0;
  virtual Result<void> recordLeave(Id participantId, UnixTime at) = 0;
  // Closes every open participation (after a crash or restart nobody is still in a meeting).
  virtual Result<void> closeOpenParticipations(UnixTime at) = 0;
  virtual Result<std::vector<Participant>> listParticipants(Id meetingId) = 0;
  // Host of the meeting or someone who attended it.
  virtual Result<bool> isMeetingMember(Id meetingId, Id userId) = 0;

  // Chat.
  virtual Result<ChatMessage> addChatMessage(const NewChatMessage& message) = 0;
  virtual Result<ChatMessage> findChatMessage(Id meetingId, Id messageId) = 0;
  virtual Result<ChatMessage> editChatMessage(Id meetingId, Id messageId, const std::string& body, UnixTime now) = 0;
  virtual Result<ChatMessage> deleteChatMessage(Id meetingId, Id messageId, UnixTime now) = 0;
  // Newest first, strictly before beforeId (0 = from the newest).
  virtual Result<std::vector<ChatMessage>> listChat(Id meetingId, Id beforeId, int limit) = 0;
  // Messages not deleted.
  virtual Result<int> countChat(Id meetingId) = 0;

  // Recordings.
  virtual Result<Recording> createRecording(const NewRecording& recording) = 0;
  virtual Result<Recording> findRecording(Id recordingId) = 0;
  virtual Result<Recording> updateRecording(Id recordingId, const RecordingUpdate& update) = 0;
  virtual Result<void> deleteRecording(Id recordingId) = 0;
  // Newest first.
  virtual Result<std::vector<Recording>> listRecordings(Id meetingId) = 0;
  // Oldest first: what a restart finds unfinished, what retention removes.
  virtual Result<std::vector<Recording>> listRecordingsWithStatus(RecordingStatus status) = 0;
  virtual Result<std::vector<Recording>> listRecordingsStartedBefore(UnixTime before) = 0;

  // Whiteboards (issue 7). saveBoard inserts or replaces the meeting's document; findBoard is
  // NotFound when none was ever saved.
  virtual Result<void> saveBoard(Id meetingId, const std::string& document, UnixTime now) = 0;
  virtual Result<BoardDocument> findBoard(Id meetingId) = 0;
  // Files are written once: saving an id the meeting has already is a no-op (ids are content
  // hashes; the whiteboard module refuses other content under a known id before it gets here).
  virtual Result<void> saveBoardFile(const BoardFileRecord& file) = 0;
  virtual Result<BoardFileRecord> findBoardFile(Id meetingId, const std::string& fileId) = 0;
  // By id; with the bytes only when asked (restoring a board), else just ids, types and sizes.
  virtual Result<std::vector<BoardFileRecord>> listBoardFiles(Id meetingId, bool withBytes) = 0;

  // Web Push subscriptions (issue 9). savePushSubscription inserts or updates by endpoint (moving
  // it to userId when another user had it) and trims the user's list to maxPerUser.
  virtual Result<PushSubscriptionSaved> savePushSubscription(const NewPushSubscription& subscription) = 0;
  // NotFound unless the endpoint belongs to userId.
  virtual Result<void> deletePushSubscription(Id userId, const std::string& endpoint) = 0;
  // The push service said the subscription is gone (404/410); no error when it is already gone.
  virtual Result<void> deletePushSubscriptionByEndpoint(const std::string& endpoint) = 0;
  // Oldest first.
  virtual Result<std::vector<PushSubscriptionRecord>> listPushSubscriptions(Id userId) = 0;
  virtual Result<void> markPushDelivered(const std::string& endpoint, UnixTime now) = 0;

  // Notification settings: the defaults when the user never changed them.
  virtual Result<NotificationSettings> notificationSettings(Id userId) = 0;
  virtual Result<void> saveNotificationSettings(Id userId, const NotificationSettings& settings, UnixTime now) = 0;

  // Sent-notification keys ("reminder:<meetingId>:<startsAt>:<userId>"): true when this call
  // claimed the key, false when it was claimed before (then the notification must not go out).
  virtual Result<bool> claimNotification(const std::string& key, UnixTime now) = 0;
  virtual Result<void> pruneSentNotifications(UnixTime before) = 0;
  // Scheduled meetings, not deleted, with each of their host and invitees with an account who has
  // reminders on and for whom startsAt - reminderMinutes <= now < startsAt, and whose key is not
  // claimed yet.
  virtual Result<std::vector<DueReminder>> listDueReminders(UnixTime now) = 0;

  // Invitations (issue 9). addInvitations inserts the addresses not invited yet and returns only
  // those, in the order given; listInvitations is oldest first. deleteInvitation is NotFound unless
  // the invitation belongs to meetingId.
  virtual Result<std::vector<Invitation>> addInvitations(const NewInvitations& invitations) = 0;
  virtual Result<std::vector<Invitation>> listInvitations(Id meetingId) = 0;
  virtual Result<void> deleteInvitation(Id meetingId, Id invitationId) = 0;
  // The invitation mail went out; no error when the invitation was deleted meanwhile.
  virtual Result<void> markInvitationEmailed(Id invitationId, UnixTime now) = 0;
  // The accounts whose email is invited to the meeting, by id.
  virtual Result<std::vector<Id>> listInvitedUserIds(Id meetingId) = 0;
};

// Opens the store named by a DATABASE_URL ("sqlite://./data/fluxmeet.db", "sqlite::memory:")
// and applies pending migrations. Unsupported schemes are an error.
Result<std::unique_ptr<Store>> openStore(const std::string& databaseUrl);

}  // namespace fluxmeet::store
