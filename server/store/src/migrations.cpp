#include "migrations.hpp"

#include <array>
#include <string>

namespace fluxmeet::store {
namespace {

// Migration 1: the initial schema. Times are Unix seconds (UTC). Child columns of every foreign key
// are indexed so ON DELETE CASCADE / SET NULL does not scan whole tables.
constexpr std::string_view kMigration1 = R"sql(
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT    NOT NULL,
  email         TEXT    NOT NULL UNIQUE,
  password_hash TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
  id           TEXT    PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  revoked_at   INTEGER,
  user_agent   TEXT    NOT NULL DEFAULT '',
  ip           TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_id ON sessions(user_id);

CREATE TABLE refresh_tokens (
  token_hash TEXT    PRIMARY KEY,
  session_id TEXT    NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
);
CREATE INDEX refresh_tokens_session_id ON refresh_tokens(session_id);

CREATE TABLE password_resets (
  token_hash TEXT    PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
);
CREATE INDEX password_resets_user_id ON password_resets(user_id);

CREATE TABLE meetings (
  id               INTEGER PRIMARY KEY,
  code             TEXT    NOT NULL UNIQUE,
  host_id          INTEGER REFERENCES users(id) ON DELETE SET NULL,
  title            TEXT    NOT NULL,
  kind             TEXT    NOT NULL CHECK (kind IN ('instant', 'scheduled')),
  starts_at        INTEGER,
  time_zone        TEXT    NOT NULL DEFAULT '',
  duration_minutes INTEGER NOT NULL,
  passcode         TEXT    NOT NULL DEFAULT '',
  settings         TEXT    NOT NULL,
  locked           INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  started_at       INTEGER,
  ended_at         INTEGER,
  deleted_at       INTEGER
);
CREATE INDEX meetings_host_starts ON meetings(host_id, starts_at);

CREATE TABLE meeting_participants (
  id           INTEGER PRIMARY KEY,
  meeting_id   INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  user_id      INTEGER REFERENCES users(id) ON DELETE SET NULL,
  display_name TEXT    NOT NULL,
  role         TEXT    NOT NULL CHECK (role IN ('host', 'cohost', 'participant', 'guest')),
  joined_at    INTEGER NOT NULL,
  left_at      INTEGER
);
CREATE INDEX meeting_participants_meeting_id ON meeting_participants(meeting_id);
CREATE INDEX meeting_participants_user_id ON meeting_participants(user_id);

CREATE TABLE chat_messages (
  id             INTEGER PRIMARY KEY,
  meeting_id     INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  sender_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  sender_peer_id TEXT    NOT NULL DEFAULT '',
  sender_name    TEXT    NOT NULL,
  body           TEXT    NOT NULL,
  created_at     INTEGER NOT NULL,
  edited_at      INTEGER,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX chat_messages_meeting_id ON chat_messages(meeting_id, id);
CREATE INDEX chat_messages_sender_user_id ON chat_messages(sender_user_id);
)sql";

// Migration 2: server recordings (issue 6). Paths are absolute, as the server wrote them.
constexpr std::string_view kMigration2 = R"sql(
CREATE TABLE recordings (
  id                 INTEGER PRIMARY KEY,
  meeting_id         INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  started_by_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  started_by_name    TEXT    NOT NULL,
  started_at         INTEGER NOT NULL,
  stopped_at         INTEGER,
  status             TEXT    NOT NULL CHECK (status IN ('recording', 'composing', 'ready', 'failed')),
  progress           INTEGER NOT NULL DEFAULT 0,
  directory          TEXT    NOT NULL,
  file_path          TEXT    NOT NULL DEFAULT '',
  size_bytes         INTEGER NOT NULL DEFAULT 0,
  duration_ms        INTEGER NOT NULL DEFAULT 0,
  tracks             INTEGER NOT NULL DEFAULT 0,
  error              TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX recordings_meeting_id ON recordings(meeting_id, started_at);
CREATE INDEX recordings_status ON recordings(status);
CREATE INDEX recordings_started_at ON recordings(started_at);
CREATE INDEX recordings_started_by_user_id ON recordings(started_by_user_id);
)sql";

// Migration 3: the whiteboard of each meeting (issue 7). The scene is one JSON document (the
// whiteboard module's persistence format, tombstones included) rewritten by a debounced save;
// images are rows of their own, written once as they arrive (ids are content hashes).
constexpr std::string_view kMigration3 = R"sql(
CREATE TABLE boards (
  meeting_id INTEGER PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
  document   TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE board_files (
  meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  file_id    TEXT    NOT NULL,
  mime_type  TEXT    NOT NULL,
  bytes      BLOB    NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (meeting_id, file_id)
);
)sql";

// Migration 4: Web Push (issue 9). A subscription's endpoint is unique (one row per browser);
// a user without a notification_settings row has the defaults; sent_notifications keys make
// every reminder go out once, across restarts. The partial index serves the reminder scan.
constexpr std::string_view kMigration4 = R"sql(
CREATE TABLE push_subscriptions (
  id              INTEGER PRIMARY KEY,
  user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  endpoint        TEXT    NOT NULL UNIQUE,
  p256dh          TEXT    NOT NULL,
  auth            TEXT    NOT NULL,
  device_name     TEXT    NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  last_success_at INTEGER
);
CREATE INDEX push_subscriptions_user_id ON push_subscriptions(user_id);

CREATE TABLE notification_settings (
  user_id          INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  reminders        INTEGER NOT NULL DEFAULT 1,
  reminder_minutes INTEGER NOT NULL DEFAULT 10 CHECK (reminder_minutes BETWEEN 1 AND 1440),
  waiting_room     INTEGER NOT NULL DEFAULT 1,
  meeting_started  INTEGER NOT NULL DEFAULT 1,
  chat             INTEGER NOT NULL DEFAULT 1,
  updated_at       INTEGER NOT NULL
);

CREATE TABLE sent_notifications (
  key     TEXT    PRIMARY KEY,
  sent_at INTEGER NOT NULL
);
CREATE INDEX sent_notifications_sent_at ON sent_notifications(sent_at);

CREATE INDEX meetings_scheduled_starts ON meetings(starts_at) WHERE kind = 'scheduled' AND deleted_at IS NULL;
)sql";

// Migration 5: meeting invitations (issue 9). An invitation names an email address, stored
// lower-cased like users.email, so an account made later with that address finds its invitations;
// the email index serves "meetings I am invited to". emailed_at is set once the invitation mail went out.
constexpr std::string_view kMigration5 = R"sql(
CREATE TABLE meeting_invitations (
  id         INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  email      TEXT    NOT NULL,
  invited_at INTEGER NOT NULL,
  emailed_at INTEGER,
  UNIQUE (meeting_id, email)
);
CREATE INDEX meeting_invitations_email ON meeting_invitations(email);
)sql";

constexpr std::array<std::string_view, 5> kMigrations = {kMigration1, kMigration2, kMigration3, kMigration4,
                                                         kMigration5};

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)";

Error newerSchemaError(std::int64_t found) {
  return makeError(ErrorCode::Internal,
                   "database schema version " + std::to_string(found) + " is newer than this build supports (" +
                       std::to_string(kMigrations.size()) + "); upgrade Flux Meet or use another DATABASE_URL");
}

}  // namespace

std::span<const std::string_view> migrations() { return kMigrations; }

Result<std::int64_t> schemaVersion(SqliteDb& db) {
  auto q = db.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!q) return std::move(q).takeError();
  auto row = q->step();
  if (!row) return std::move(row).takeError();
  return q->int64(0);
}

Result<void> applyMigrations(SqliteDb& db, std::int64_t now) {
  if (auto created = db.executeScript(std::string(kCreateMigrationsTable)); !created) return created;
  const auto known = static_cast<std::int64_t>(kMigrations.size());
  for (;;) {
    auto tx = Transaction::begin(db);
    if (!tx) return std::move(tx).takeError();
    auto version = schemaVersion(db);
    if (!version) return std::move(version).takeError();
    if (*version > known) return newerSchemaError(*version);
    if (*version == known) return tx->commit();
    const std::int64_t next = *version + 1;
    if (auto applied = db.executeScript(std::string(kMigrations[static_cast<size_t>(next - 1)])); !applied) {
      Error error = std::move(applied).takeError();
      error.message = "migration " + std::to_string(next) + " failed: " + error.message;
      return error;
    }
    auto recorded = db.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", next, now);
    if (!recorded) return std::move(recorded).takeError();
    if (auto committed = tx->commit(); !committed) return committed;
  }
}

}  // namespace fluxmeet::store
