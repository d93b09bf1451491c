#include "fluxmeet/store/store.hpp"

#include <filesystem>
#include <system_error>

#include "sqlite_store.hpp"

namespace fluxmeet::store {

std::string_view roleName(Role role) {
  switch (role) {
    case Role::Host: return "host";
    case Role::CoHost: return "cohost";
    case Role::Participant: return "participant";
    case Role::Guest: return "guest";
  }
  return "participant";
}

std::optional<Role> parseRole(std::string_view name) {
  if (name == "host") return Role::Host;
  if (name == "cohost") return Role::CoHost;
  if (name == "participant") return Role::Participant;
  if (name == "guest") return Role::Guest;
  return std::nullopt;
}

std::string_view recordingStatusName(RecordingStatus status) {
  switch (status) {
    case RecordingStatus::Recording: return "recording";
    case RecordingStatus::Composing: return "composing";
    case RecordingStatus::Ready: return "ready";
    case RecordingStatus::Failed: return "failed";
  }
  return "failed";
}

Result<std::unique_ptr<Store>> openStore(const std::string& databaseUrl) {
  constexpr std::string_view kMemory = "sqlite::memory:";
  constexpr std::string_view kFilePrefix = "sqlite://";
  std::string path;
  if (databaseUrl == kMemory) {
    path = ":memory:";
  } else if (databaseUrl.starts_with(kFilePrefix)) {
    // "sqlite://./data/x.db" -> "./data/x.db"; "sqlite:///var/lib/x.db" -> "/var/lib/x.db".
    path = databaseUrl.substr(kFilePrefix.size());
    if (path.empty()) return makeError(ErrorCode::InvalidRequest, "DATABASE_URL has no file path");
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(parent, ec);
      if (ec) {
        return makeError(ErrorCode::Unavailable,
                         "cannot create database directory '" + parent.string() + "': " + ec.message());
      }
    }
  } else {
    return makeError(ErrorCode::InvalidRequest, "unsupported DATABASE_URL scheme");
  }
  auto store = SqliteStore::open(path);
  if (!store) return std::move(store).takeError();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace fluxmeet::store
