// openStore URL handling and versioned migrations against real database files.
#include <sqlite3.h>

#include "store_test_fixture.hpp"

namespace fluxmeet::store::test {
namespace {

// Runs one SQL statement on the file directly (outside the store) and returns the first column of
// the first row as an integer, or -1.
std::int64_t rawQueryInt(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  std::int64_t value = -1;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
      if (rc == SQLITE_DONE) value = 0;
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return value;
}

TEST(OpenStore, RejectsUnsupportedSchemes) {
  for (const char* url : {"postgres://localhost/db", "sqlite:/relative.db", "file.db", "", "sqlite://"}) {
    auto opened = openStore(url);
    ASSERT_FALSE(opened.ok()) << url;
    EXPECT_EQ(opened.error().code, ErrorCode::InvalidRequest) << url;
  }
  EXPECT_EQ(openStore("mysql://x").error().message, "unsupported DATABASE_URL scheme");
}

TEST(OpenStore, MemoryStoreIsAlive) {
  auto opened = openStore("sqlite::memory:");
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_TRUE((*opened)->ping().ok());
}

TEST(OpenStore, ReopeningKeepsDataAndAppliesMigrationsOnce) {
  TempDir dir;
  const auto file = dir.path() / "nested" / "data" / "fluxmeet.db";  // parent directories are created
  const std::string url = "sqlite://" + file.string();
  {
    auto opened = openStore(url);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    ASSERT_TRUE((*opened)->createUser(NewUser{"Alice", "alice@example.com", "hash", kNow}).ok());
  }
  ASSERT_TRUE(std::filesystem::exists(file));
  const std::int64_t migrationRows = rawQueryInt(file, "SELECT COUNT(*) FROM schema_migrations");
  EXPECT_GE(migrationRows, 1);
  const std::int64_t appliedAt = rawQueryInt(file, "SELECT applied_at FROM schema_migrations WHERE version = 1");
  EXPECT_GT(appliedAt, 0);
  {
    auto reopened = openStore(url);
    ASSERT_TRUE(reopened.ok()) << reopened.error().message;
    auto alice = (*reopened)->findUserByEmail("alice@example.com");
    ASSERT_TRUE(alice.ok());
    EXPECT_EQ(alice->username, "Alice");
  }
  EXPECT_EQ(rawQueryInt(file, "SELECT COUNT(*) FROM schema_migrations"), migrationRows);
  EXPECT_EQ(rawQueryInt(file, "SELECT applied_at FROM schema_migrations WHERE version = 1"), appliedAt);
}

TEST(OpenStore, UsesWriteAheadLog) {
  TempDir dir;
  const auto file = dir.path() / "wal.db";
  auto opened = openStore("sqlite://" + file.string());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");  // persistent per file
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST(OpenStore, TwoConnectionsShareOneFile) {
  TempDir dir;
  const std::string url = "sqlite://" + (dir.path() / "shared.db").string();
  auto first = openStore(url);
  auto second = openStore(url);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE((*first)->createUser(NewUser{"Alice", "alice@example.com", "hash", kNow}).ok());
  EXPECT_TRUE((*second)->findUserByEmail("alice@example.com").ok());
  // The UNIQUE constraint holds across connections.
  EXPECT_EQ((*second)->createUser(NewUser{"Eve", "alice@example.com", "hash", kNow}).error().field, "email");
}

TEST(OpenStore, RefusesNewerSchema) {
  TempDir dir;
  const auto file = dir.path() / "future.db";
  const std::string url = "sqlite://" + file.string();
  { ASSERT_TRUE(openStore(url).ok()); }
  EXPECT_EQ(rawQueryInt(file, "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 1)"), 0);
  auto refused = openStore(url);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("999"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("newer"), std::string::npos) << refused.error().message;
}

TEST(OpenStore, RelativePathsWork) {
  TempDir dir;
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  auto opened = openStore("sqlite://./data/fluxmeet.db");
  std::filesystem::current_path(previous);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "data" / "fluxmeet.db"));
}

}  // namespace
}  // namespace fluxmeet::store::test
