#include "fluxmeet/media/ice/ice_credentials.hpp"

#include <sodium.h>

#include <algorithm>
#include <string_view>

#include "fluxmeet/common/encoding.hpp"

namespace fluxmeet::media::ice {
namespace {

// The 64 ice-chars of RFC 8445 section 5.3; 64 is a power of two, but randombytes_uniform()
// keeps the draw unbiased regardless.
constexpr std::string_view kIceChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string randomIceString(size_t length) {
  std::string out(length, '\0');
  for (char& c : out) {
    c = kIceChars[randombytes_uniform(static_cast<uint32_t>(kIceChars.size()))];
  }
  return out;
}

}  // namespace

Result<IceCredentials> IceCredentials::generate() {
  if (!ensureSodiumInitialized()) {
    return makeError(ErrorCode::Internal, "libsodium initialisation failed");
  }
  return IceCredentials{randomIceString(kUfragLength), randomIceString(kPasswordLength)};
}

bool isIceChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

bool isValidIceString(std::string_view text, size_t minLength) {
  return text.size() >= minLength && text.size() <= kMaxCredentialLength &&
         std::all_of(text.begin(), text.end(), isIceChar);
}

}  // namespace fluxmeet::media::ice
