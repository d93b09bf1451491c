#pragma once
// SqliteDb: a small RAII wrapper over one sqlite3 connection. It owns the connection and a cache
// of prepared statements keyed by their SQL text, so every query is compiled once and reused.
// Values are always bound, never spliced into SQL.
//
// Threading: one connection used from one thread at a time (the store's caller serialises access);
// nothing here locks.
#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::store {

// Converts a failing SQLite result code into an Error. Constraint violations get codes a caller
// can act on: UNIQUE / PRIMARY KEY -> Conflict, FOREIGN KEY -> NotFound (the referenced row is
// missing); a busy database -> Unavailable; anything else -> Internal.
Error sqliteError(sqlite3* db, int rc, std::string_view what);

// A cached prepared statement. Owned by SqliteDb; used through Query.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  sqlite3* db() const { return db_; }
  sqlite3_stmt* handle() const { return stmt_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// One use of a cached statement: binds parameters (1-based, in order), steps through rows and
// reads columns (0-based). Resets the statement and clears its bindings when destroyed so the
// cached statement never holds a read snapshot open between uses.
class Query {
 public:
  explicit Query(Statement& statement) : statement_(&statement) {}
  ~Query();
  Query(Query&& other) noexcept;
  Query& operator=(Query&&) = delete;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // Binding errors are only programming errors (bad index); the first one is kept and reported by
  // the next step() so call sites stay linear.
  void bind(int index, std::int64_t value);
  void bind(int index, int value) { bind(index, static_cast<std::int64_t>(value)); }
  void bind(int index, bool value) { bind(index, static_cast<std::int64_t>(value ? 1 : 0)); }
  void bind(int index, std::string_view value);
  void bind(int index, const std::string& value) { bind(index, std::string_view(value)); }
  void bind(int index, const char* value) { bind(index, std::string_view(value)); }
  void bind(int index, std::nullopt_t);
  // A BLOB (an empty span binds a zero-length blob, not NULL).
  void bind(int index, std::span<const std::uint8_t> value);
  void bind(int index, const std::vector<std::uint8_t>& value) { bind(index, std::span<const std::uint8_t>(value)); }
  template <class T>
  void bind(int index, const std::optional<T>& value) {
    if (value) {
      bind(index, *value);
    } else {
      bind(index, std::nullopt);
    }
  }
  template <class... Args>
  void bindAll(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
  }

  // true: a row is available; false: done.
  Result<bool> step();
  // Steps once expecting no rows (INSERT/UPDATE/DELETE); returns the number of changed rows.
  Result<int> run();

  bool isNull(int column) const;
  std::int64_t int64(int column) const;
  int int32(int column) const;
  bool boolean(int column) const { return int64(column) != 0; }
  std::string text(int column) const;
  std::vector<std::uint8_t> blob(int column) const;
  std::optional<std::int64_t> optionalInt64(int column) const;

 private:
  Statement* statement_;
  int bindError_ = SQLITE_OK;
};

class SqliteDb {
 public:
  // Opens (creating if needed) the database at `path` (":memory:" for an in-memory one).
  static Result<std::unique_ptr<SqliteDb>> open(const std::string& path);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  sqlite3* handle() const { return db_; }

  // Prepares (once, then from the cache) and binds `args` to parameters 1..N.
  template <class... Args>
  Result<Query> query(std::string_view sql, const Args&... args) {
    auto statement = prepare(sql);
    if (!statement) return std::move(statement).takeError();
    Query query(**statement);
    query.bindAll(args...);
    return query;
  }
  // Runs a statement that returns no rows; returns the number of changed rows.
  template <class... Args>
  Result<int> execute(std::string_view sql, const Args&... args) {
    auto q = query(sql, args...);
    if (!q) return std::move(q).takeError();
    return q->run();
  }
  // Runs one or more statements without parameters and without caching (schema, pragmas).
  Result<void> executeScript(const std::string& sql);

  std::int64_t lastInsertId() const { return sqlite3_last_insert_rowid(db_); }

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  Result<Statement*> prepare(std::string_view sql);

  sqlite3* db_;
  // Destroyed (finalized) before the connection is closed, in ~SqliteDb.
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> statements_;
};

// BEGIN IMMEDIATE ... COMMIT. Taking the write lock up front means a read-then-write transaction
// cannot fail half-way with SQLITE_BUSY on lock upgrade. Rolls back on destruction unless committed,
// so every early return undoes the transaction.
class Transaction {
 public:
  static Result<Transaction> begin(SqliteDb& db);
  ~Transaction();
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Result<void> commit();

 private:
  explicit Transaction(SqliteDb& db) : db_(&db) {}
  SqliteDb* db_;  // null once committed or rolled back
};

namespace detail {
// Row readers return either T or Result<T> (when a column can hold undecodable data).
template <class T>
struct RowResult {
  using type = T;
};
template <class T>
struct RowResult<Result<T>> {
  using type = T;
};
}  // namespace detail

// Runs `sql` and maps its first row with `read` (a callable taking const Query&); fails with
// NotFound(notFound) when there is no row.
template <class Read, class... Args>
auto fetchOne(SqliteDb& db, std::string_view notFound, Read read, std::string_view sql, const Args&... args)
    -> Result<typename detail::RowResult<decltype(read(std::declval<const Query&>()))>::type> {
  auto q = db.query(sql, args...);
  if (!q) return std::move(q).takeError();
  auto row = q->step();
  if (!row) return std::move(row).takeError();
  if (!*row) return makeError(ErrorCode::NotFound, std::string(notFound));
  return read(*q);
}

// Runs `sql` and maps every row with `read`.
template <class Read, class... Args>
auto fetchAll(SqliteDb& db, Read read, std::string_view sql, const Args&... args)
    -> Result<std::vector<typename detail::RowResult<decltype(read(std::declval<const Query&>()))>::type>> {
  using Row = decltype(read(std::declval<const Query&>()));
  std::vector<typename detail::RowResult<Row>::type> rows;
  auto q = db.query(sql, args...);
  if (!q) return std::move(q).takeError();
  for (;;) {
    auto row = q->step();
    if (!row) return std::move(row).takeError();
    if (!*row) return rows;
    if constexpr (std::is_same_v<Row, typename detail::RowResult<Row>::type>) {
      rows.push_back(read(*q));
    } else {
      auto value = read(*q);
      if (!value) return std::move(value).takeError();
      rows.push_back(std::move(*value));
    }
  }
}

}  // namespace fluxmeet::store
