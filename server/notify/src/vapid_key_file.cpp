#include "fluxmeet/notify/vapid_key_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fluxmeet::notify {
namespace {

Error fileError(const std::filesystem::path& file, std::string what) {
  return makeError(ErrorCode::Internal, file.string() + ": " + std::move(what));
}

Result<push::VapidKeys> readKeys(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return fileError(file, "cannot read the VAPID key file");
  std::stringstream text;
  text << in.rdbuf();
  const auto json = nlohmann::json::parse(text.str(), nullptr, false);
  if (!json.is_object() || !json.contains("privateKey") || !json["privateKey"].is_string()) {
    return fileError(file, "not a VAPID key file (expected {\"publicKey\", \"privateKey\"})");
  }
  const std::string publicKey = json.value("publicKey", "");
  // The key itself is never part of a message.
  auto keys = push::VapidKeys::fromBase64Url(json["privateKey"].get<std::string>(), publicKey);
  if (!keys) return fileError(file, "invalid VAPID keys: " + keys.error().message);
  return keys;
}

Result<void> writeKeys(const std::filesystem::path& file, const push::VapidKeys& keys) {
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) return fileError(file, "cannot create its directory: " + ec.message());
  const std::filesystem::path temporary = file.string() + ".tmp";
  std::filesystem::remove(temporary, ec);
  // 0600 from the start: the key is never readable by others, not even for a moment.
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return fileError(temporary, std::string("cannot create: ") + std::strerror(errno));
  const std::string text =
      nlohmann::json{{"publicKey", keys.publicKeyBase64Url()}, {"privateKey", keys.privateKeyBase64Url()}}.dump(2) +
      "\n";
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      std::filesystem::remove(temporary, ec);
      return fileError(temporary, std::string("cannot write: ") + std::strerror(errno));
    }
    written += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return fileError(temporary, "cannot flush to disk");
  std::filesystem::rename(temporary, file, ec);
  if (ec) return fileError(file, "cannot move the new key file in place: " + ec.message());
  return {};
}

}  // namespace

Result<LoadedVapidKeys> loadOrCreateVapidKeys(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    auto keys = readKeys(file);
    if (!keys) return std::move(keys).takeError();
    return LoadedVapidKeys{std::move(*keys), false};
  }
  auto keys = push::VapidKeys::generate();
  if (!keys) return std::move(keys).takeError();
  if (auto written = writeKeys(file, *keys); !written) return std::move(written).takeError();
  return LoadedVapidKeys{std::move(*keys), true};
}

}  // namespace fluxmeet::notify
