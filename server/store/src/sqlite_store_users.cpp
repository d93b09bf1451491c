// SqliteStore: users, sessions (refresh-token families) and password resets.
#include "sqlite_store.hpp"

namespace fluxmeet::store {
namespace {

// Far more than the people signed in to one server at once; each entry is a few hundred bytes.
constexpr std::size_t kMaxCachedSessionUsers = 10'000;

constexpr std::string_view kUserColumns = "SELECT id, username, email, password_hash, created_at, updated_at FROM users";

User readUser(const Query& q) {
  User user;
  user.id = q.int64(0);
  user.username = q.text(1);
  user.email = q.text(2);
  user.passwordHash = q.text(3);
  user.createdAt = q.int64(4);
  user.updatedAt = q.int64(5);
  return user;
}

Session readSession(const Query& q) {
  Session session;
  session.id = q.text(0);
  session.userId = q.int64(1);
  session.createdAt = q.int64(2);
  session.lastSeenAt = q.int64(3);
  session.expiresAt = q.int64(4);
  session.revokedAt = q.optionalInt64(5);
  session.userAgent = q.text(6);
  session.ip = q.text(7);
  return session;
}

// A UNIQUE violation on `field` becomes Conflict naming that field; other errors pass through.
Error conflictOn(Error error, const std::string& field) {
  if (error.code == ErrorCode::Conflict) {
    error.message = field + " is already taken";
    error.field = field;
  }
  return error;
}

Error unauthorized(std::string message) { return makeError(ErrorCode::Unauthorized, std::move(message)); }

}  // namespace

// ---- users ----

Result<User> SqliteStore::createUser(const NewUser& user) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  // The UNIQUE constraint decides, not a prior SELECT: two concurrent sign-ups cannot both pass.
  auto inserted = db_->execute(
      "INSERT INTO users (username, email, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
      user.username, user.email, user.passwordHash, user.now, user.now);
  if (!inserted) return conflictOn(std::move(inserted).takeError(), "email");
  User created{db_->lastInsertId(), user.username, user.email, user.passwordHash, user.now, user.now};
  if (auto committed = tx->commit(); !committed) return std::move(committed).takeError();
  return created;
}

Result<User> SqliteStore::findUserById(Id id) {
  static const std::string sql = std::string(kUserColumns) + " WHERE id = ?";
  return fetchOne(*db_, "user not found", readUser, sql, id);
}

Result<User> SqliteStore::findUserByEmail(const std::string& email) {
  static const std::string sql = std::string(kUserColumns) + " WHERE email = ?";
  return fetchOne(*db_, "user not found", readUser, sql, email);
}

Result<User> SqliteStore::updateUser(Id id, const UserUpdate& update) {
  forgetSessionUsers(id);
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  auto changed = db_->execute(
      "UPDATE users SET username = COALESCE(?, username), email = COALESCE(?, email), updated_at = ? WHERE id = ?",
      update.username, update.email, update.now, id);
  if (!changed) return conflictOn(std::move(changed).takeError(), "email");
  if (*changed == 0) return makeError(ErrorCode::NotFound, "user not found");
  auto user = findUserById(id);
  if (!user) return user;
  if (auto committed = tx->commit(); !committed) return std::move(committed).takeError();
  return user;
}

Result<void> SqliteStore::updatePassword(Id id, const std::string& passwordHash, const std::string& keepSessionId,
                                         UnixTime now) {
  forgetSessionUsers(id);
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  auto changed = db_->execute("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", passwordHash, now, id);
  if (!changed) return std::move(changed).takeError();
  if (*changed == 0) return makeError(ErrorCode::NotFound, "user not found");
  // An empty keepSessionId matches no session id, so every session is revoked.
  auto revoked = db_->execute(
      "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id <> ?", now, id,
      keepSessionId);
  if (!revoked) return std::move(revoked).takeError();
  return tx->commit();
}

Result<void> SqliteStore::deleteUser(Id id, UnixTime now) {
  forgetSessionUsers(id);
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  // Hosted meetings stay as history for their attendees; ON DELETE SET NULL then drops the host link.
  auto hidden = db_->execute(
      "UPDATE meetings SET deleted_at = COALESCE(deleted_at, ?), updated_at = ? WHERE host_id = ?", now, now, id);
  if (!hidden) return std::move(hidden).takeError();
  // Sessions, refresh tokens and resets cascade; participations and chat keep their names (SET NULL).
  auto deleted = db_->execute("DELETE FROM users WHERE id = ?", id);
  if (!deleted) return std::move(deleted).takeError();
  if (*deleted == 0) return makeError(ErrorCode::NotFound, "user not found");
  return tx->commit();
}

// ---- sessions ----

Result<Session> SqliteStore::loadSession(const std::string& sessionId) {
  return fetchOne(*db_, "session not found", readSession,
                  "SELECT id, user_id, created_at, last_seen_at, expires_at, revoked_at, user_agent, ip "
                  "FROM sessions WHERE id = ?",
                  sessionId);
}

Result<Session> SqliteStore::createSession(const NewSession& session) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  auto inserted = db_->execute(
      "INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, user_agent, ip) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      session.id, session.userId, session.now, session.now, session.expiresAt, session.userAgent, session.ip);
  if (!inserted) {
    Error error = std::move(inserted).takeError();
    if (error.code == ErrorCode::NotFound) error.message = "user not found";
    return error;
  }
  auto token = db_->execute(
      "INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
      session.refreshTokenHash, session.id, session.now, session.expiresAt);
  if (!token) return std::move(token).takeError();
  if (auto committed = tx->commit(); !committed) return std::move(committed).takeError();
  return Session{session.id, session.userId, session.now, session.now, session.expiresAt, std::nullopt,
                 session.userAgent, session.ip};
}

Result<Session> SqliteStore::rotateRefreshToken(const RefreshRotation& rotation) {
  struct TokenRow {
    std::string sessionId;
    UnixTime expiresAt = 0;
    std::optional<UnixTime> usedAt;
  };
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  auto token = fetchOne(
      *db_, "refresh token not found",
      [](const Query& q) { return TokenRow{q.text(0), q.int64(1), q.optionalInt64(2)}; },
      "SELECT session_id, expires_at, used_at FROM refresh_tokens WHERE token_hash = ?", rotation.presentedTokenHash);
  if (!token) {
    if (token.error().code == ErrorCode::NotFound) return unauthorized("invalid refresh token");
    return std::move(token).takeError();
  }
  if (token->usedAt) {
    // A rotated token came back: either the client or a thief holds a stale copy. Revoke the whole
    // family so the thief's newer token dies too (OAuth 2.0 Security BCP, RFC 9700 section 4.14).
    sessionUsers_.erase(token->sessionId);
    auto revoked = db_->execute("UPDATE sessions SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?",
                                rotation.now, token->sessionId);
    if (!revoked) return std::move(revoked).takeError();
    if (auto committed = tx->commit(); !committed) return std::move(committed).takeError();
    return unauthorized("refresh token reuse detected");
  }
  if (token->expiresAt <= rotation.now) return unauthorized("refresh token expired");
  auto session = loadSession(token->sessionId);
  if (!session) return session;
  if (session->revokedAt) return unauthorized("session revoked");

  auto used = db_->execute("UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?", rotation.now,
                           rotation.presentedTokenHash);
  if (!used) return std::move(used).takeError();
  auto inserted = db_->execute(
      "INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
      rotation.newTokenHash, token->sessionId, rotation.now, rotation.newExpiresAt);
  if (!inserted) return std::move(inserted).takeError();
  auto touched = db_->execute("UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?", rotation.now,
                              rotation.newExpiresAt, token->sessionId);
  if (!touched) return std::move(touched).takeError();
  if (auto committed = tx->commit(); !committed) return std::move(committed).takeError();
  session->lastSeenAt = rotation.now;
  session->expiresAt = rotation.newExpiresAt;
  return session;
}

Result<Session> SqliteStore::findSession(const std::string& sessionId) { return loadSession(sessionId); }

Result<User> SqliteStore::findSessionUser(const std::string& sessionId, Id userId) {
  if (auto cached = sessionUsers_.find(sessionId); cached != sessionUsers_.end()) {
    if (cached->second.id == userId) return cached->second;
    return makeError(ErrorCode::NotFound, "session not found");
  }
  auto user = fetchOne(*db_, "session not found", readUser,
                       "SELECT u.id, u.username, u.email, u.password_hash, u.created_at, u.updated_at "
                       "FROM sessions s JOIN users u ON u.id = s.user_id "
                       "WHERE s.id = ? AND s.user_id = ? AND s.revoked_at IS NULL",
                       sessionId, userId);
  if (user) {
    // Dropping everything when full keeps this simple; a miss costs one query.
    if (sessionUsers_.size() >= kMaxCachedSessionUsers) sessionUsers_.clear();
    sessionUsers_.emplace(sessionId, *user);
  }
  return user;
}

void SqliteStore::forgetSessionUsers(Id userId) {
  std::erase_if(sessionUsers_, [userId](const auto& entry) { return entry.second.id == userId; });
}

Result<Session> SqliteStore::findSessionByRefreshToken(const std::string& tokenHash, UnixTime now) {
  return fetchOne(*db_, "session not found", readSession,
                  "SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at, s.user_agent, "
                  "s.ip FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id "
                  "WHERE t.token_hash = ? AND t.used_at IS NULL AND t.expires_at > ?",
                  tokenHash, now);
}

Result<std::vector<Session>> SqliteStore::listActiveSessions(Id userId, UnixTime now) {
  return fetchAll(*db_, readSession,
                  "SELECT id, user_id, created_at, last_seen_at, expires_at, revoked_at, user_agent, ip "
                  "FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? "
                  "ORDER BY last_seen_at DESC, id ASC",
                  userId, now);
}

Result<void> SqliteStore::revokeSession(Id userId, const std::string& sessionId, UnixTime now) {
  forgetSessionUsers(userId);
  // Matching on user_id too: another user's session id is indistinguishable from an unknown one.
  return updateOne("session", "UPDATE sessions SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND user_id = ?",
                   now, sessionId, userId);
}

Result<void> SqliteStore::revokeAllSessions(Id userId, UnixTime now) {
  forgetSessionUsers(userId);
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  auto revoked = db_->execute("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", now, userId);
  if (!revoked) return std::move(revoked).takeError();
  return tx->commit();
}

// ---- password resets ----

Result<void> SqliteStore::createPasswordReset(Id userId, const std::string& tokenHash, UnixTime now,
                                              UnixTime expiresAt) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  auto inserted = db_->execute(
      "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)", tokenHash,
      userId, now, expiresAt);
  if (!inserted) {
    Error error = std::move(inserted).takeError();
    if (error.code == ErrorCode::NotFound) error.message = "user not found";
    return error;
  }
  return tx->commit();
}

Result<Id> SqliteStore::consumePasswordReset(const std::string& tokenHash, const std::string& newPasswordHash,
                                             UnixTime now) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  // Unused and unexpired in the WHERE clause: a used, expired or unknown token look alike.
  auto userId = fetchOne(*db_, "reset token not found", [](const Query& q) { return q.int64(0); },
                         "SELECT user_id FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
                         tokenHash, now);
  if (!userId) {
    if (userId.error().code == ErrorCode::NotFound) return unauthorized("invalid or expired reset token");
    return userId;
  }
  // Using one link spends every outstanding link of that user.
  forgetSessionUsers(*userId);
  auto spent = db_->execute("UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL", now,
                            *userId);
  if (!spent) return std::move(spent).takeError();
  auto changed = db_->execute("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", newPasswordHash, now,
                              *userId);
  if (!changed) return std::move(changed).takeError();
  auto revoked = db_->execute("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", now,
                              *userId);
  if (!revoked) return std::move(revoked).takeError();
  if (auto committed = tx->commit(); !committed) return std::move(committed).takeError();
  return userId;
}

}  // namespace fluxmeet::store
