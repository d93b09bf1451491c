#pragma once
// The server's VAPID key pair (RFC 8292) kept in the data directory, generated on first run:
//   {"publicKey": "<base64url 65-byte point>", "privateKey": "<base64url 32-byte scalar>"}
// written with mode 0600 through a temporary file and rename, so a crash never leaves half a
// key. Losing the file orphans every browser subscription (push services check the key), so a
// file that exists but cannot be read is an error, never silently replaced.
#include <filesystem>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/push/vapid.hpp"

namespace fluxmeet::notify {

struct LoadedVapidKeys {
  push::VapidKeys keys;
  bool generated = false;  // true: the file did not exist and was created now
};

Result<LoadedVapidKeys> loadOrCreateVapidKeys(const std::filesystem::path& file);

}  // namespace fluxmeet::notify
