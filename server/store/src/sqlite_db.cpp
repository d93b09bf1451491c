#include "sqlite_db.hpp"

#include <string>
#include <utility>

namespace fluxmeet::store {

Error sqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += (db != nullptr && sqlite3_extended_errcode(db) == rc) ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return makeError(ErrorCode::Conflict, std::move(message));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return makeError(ErrorCode::NotFound, std::move(message));
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return makeError(ErrorCode::Unavailable, std::move(message));
    default:
      return makeError(ErrorCode::Internal, std::move(message));
  }
}

// ---- Query ----

Query::~Query() {
  if (statement_ != nullptr) {
    sqlite3_reset(statement_->handle());
    sqlite3_clear_bindings(statement_->handle());
  }
}

Query::Query(Query&& other) noexcept : statement_(other.statement_), bindError_(other.bindError_) {
  other.statement_ = nullptr;
}

void Query::bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(statement_->handle(), index, value);
  if (rc != SQLITE_OK && bindError_ == SQLITE_OK) bindError_ = rc;
}

void Query::bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies the text, so temporaries at the call site are safe.
  int rc = sqlite3_bind_text64(statement_->handle(), index, value.data(), value.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8);
  if (rc != SQLITE_OK && bindError_ == SQLITE_OK) bindError_ = rc;
}

void Query::bind(int index, std::span<const std::uint8_t> value) {
  // A non-null pointer even for an empty span: SQLite binds NULL for a null pointer.
  static const std::uint8_t kEmpty = 0;
  const void* data = value.empty() ? &kEmpty : value.data();
  int rc = sqlite3_bind_blob64(statement_->handle(), index, data, value.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bindError_ == SQLITE_OK) bindError_ = rc;
}

void Query::bind(int index, std::nullopt_t) {
  int rc = sqlite3_bind_null(statement_->handle(), index);
  if (rc != SQLITE_OK && bindError_ == SQLITE_OK) bindError_ = rc;
}

Result<bool> Query::step() {
  if (bindError_ != SQLITE_OK) return sqliteError(nullptr, bindError_, "binding a parameter");
  int rc = sqlite3_step(statement_->handle());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // With the v2 prepare interface sqlite3_step returns the extended code directly.
  return sqliteError(statement_->db(), rc, "executing a statement");
}

Result<int> Query::run() {
  auto stepped = step();
  if (!stepped) return std::move(stepped).takeError();
  return sqlite3_changes(statement_->db());
}

bool Query::isNull(int column) const {
  return sqlite3_column_type(statement_->handle(), column) == SQLITE_NULL;
}

std::int64_t Query::int64(int column) const { return sqlite3_column_int64(statement_->handle(), column); }

int Query::int32(int column) const { return sqlite3_column_int(statement_->handle(), column); }

std::string Query::text(int column) const {
  const unsigned char* data = sqlite3_column_text(statement_->handle(), column);
  if (data == nullptr) return {};
  // Size after the text conversion above, as the SQLite docs require.
  int size = sqlite3_column_bytes(statement_->handle(), column);
  return std::string(reinterpret_cast<const char*>(data), static_cast<size_t>(size));
}

std::vector<std::uint8_t> Query::blob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(statement_->handle(), column));
  if (data == nullptr) return {};
  int size = sqlite3_column_bytes(statement_->handle(), column);
  return std::vector<std::uint8_t>(data, data + size);
}

std::optional<std::int64_t> Query::optionalInt64(int column) const {
  if (isNull(column)) return std::nullopt;
  return int64(column);
}

// ---- SqliteDb ----

Result<std::unique_ptr<SqliteDb>> SqliteDb::open(const std::string& path) {
  sqlite3* raw = nullptr;
  // No SQLITE_OPEN_URI: the path is a plain file name, never interpreted as a URI.
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    Error error = sqliteError(raw, rc, "opening database '" + path + "'");
    sqlite3_close(raw);  // a handle is returned even on failure and must be closed
    return error;
  }
  sqlite3_extended_result_codes(raw, 1);
  return std::unique_ptr<SqliteDb>(new SqliteDb(raw));
}

SqliteDb::~SqliteDb() {
  statements_.clear();  // finalize every statement first, else sqlite3_close reports SQLITE_BUSY
  sqlite3_close(db_);
}

Result<Statement*> SqliteDb::prepare(std::string_view sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return found->second.get();
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                              nullptr);
  if (rc != SQLITE_OK) return sqliteError(db_, rc, "preparing a statement");
  auto statement = std::make_unique<Statement>(db_, stmt);
  Statement* pointer = statement.get();
  statements_.emplace(std::string(sql), std::move(statement));
  return pointer;
}

Result<void> SqliteDb::executeScript(const std::string& sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string text = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    Error error = sqliteError(nullptr, rc, "executing SQL");
    error.message = "executing SQL: " + text;
    return error;
  }
  return {};
}

// ---- Transaction ----

Result<Transaction> Transaction::begin(SqliteDb& db) {
  auto begun = db.execute("BEGIN IMMEDIATE");
  if (!begun) return std::move(begun).takeError();
  return Transaction(db);
}

Transaction::~Transaction() {
  if (db_ == nullptr) return;
  // A failed COMMIT can leave the transaction open; a statement error may already have rolled it
  // back (then autocommit is on again and there is nothing to undo).
  if (sqlite3_get_autocommit(db_->handle()) == 0) {
    auto rolledBack = db_->execute("ROLLBACK");
    (void)rolledBack;  // nothing more to do: the connection stays usable either way
  }
}

Result<void> Transaction::commit() {
  auto committed = db_->execute("COMMIT");
  if (!committed) return std::move(committed).takeError();
  db_ = nullptr;
  return {};
}

}  // namespace fluxmeet::store
