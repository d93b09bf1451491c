#include "sqlite_store.hpp"

#include "fluxmeet/common/clock.hpp"
#include "migrations.hpp"

namespace fluxmeet::store {
namespace {

// WAL lets readers proceed while a write is in progress; synchronous=NORMAL is durable across
// application crashes in WAL mode (only an OS crash can lose the last commits) and avoids an fsync per
// commit. busy_timeout waits up to 5 s for another connection's write lock instead of failing at once.
constexpr std::string_view kPragmas =
    "PRAGMA journal_mode = WAL;"
    "PRAGMA foreign_keys = ON;"
    "PRAGMA busy_timeout = 5000;"
    "PRAGMA synchronous = NORMAL;";

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path) {
  auto db = SqliteDb::open(path);
  if (!db) return std::move(db).takeError();
  if (auto configured = (*db)->executeScript(std::string(kPragmas)); !configured) {
    return std::move(configured).takeError();
  }
  // foreign_keys is silently ignored inside a transaction or by a build without FK support; the
  // cascades this schema relies on must really be on.
  {
    auto q = (*db)->query("PRAGMA foreign_keys");
    if (!q) return std::move(q).takeError();
    auto row = q->step();
    if (!row) return std::move(row).takeError();
    if (!*row || q->int64(0) != 1) return makeError(ErrorCode::Internal, "SQLite foreign key support is unavailable");
  }
  if (auto migrated = applyMigrations(**db, unixNow()); !migrated) return std::move(migrated).takeError();
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(*db)));
}

Result<void> SqliteStore::ping() {
  auto q = db_->query("SELECT 1");
  if (!q) return std::move(q).takeError();
  auto row = q->step();
  if (!row) return std::move(row).takeError();
  return {};
}

}  // namespace fluxmeet::store
