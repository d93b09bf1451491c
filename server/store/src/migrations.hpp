#pragma once
// Versioned schema migrations. Migration N (1-based) is migrations()[N-1]; applied versions are
// recorded in schema_migrations. Append new migrations; never edit or reorder applied ones.
#include <cstdint>
#include <span>
#include <string_view>

#include "fluxmeet/common/result.hpp"
#include "sqlite_db.hpp"

namespace fluxmeet::store {

std::span<const std::string_view> migrations();

// Applies every pending migration, each in its own transaction. Safe against a concurrent opener:
// the current version is re-read after taking the write lock. Refuses a database whose version is
// newer than this build knows (it was written by a newer Flux Meet).
Result<void> applyMigrations(SqliteDb& db, std::int64_t now);

// Highest applied version (0 for a fresh database).
Result<std::int64_t> schemaVersion(SqliteDb& db);

}  // namespace fluxmeet::store
