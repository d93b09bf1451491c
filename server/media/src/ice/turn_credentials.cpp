#include "fluxmeet/media/ice/turn_credentials.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace fluxmeet::media::ice {
namespace {

Error invalid(std::string message) { return makeError(ErrorCode::ValidationFailed, std::move(message)); }

bool isDnsChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_';
}

bool isIpv6Char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
}

// RFC 3986 section 3.2.2 host, narrowed to what a TURN server can be: reg-name in DNS
// characters (an IPv4 address is one too), or an IP-literal "[...]" holding an IPv6 address.
Result<void> validateHost(std::string_view host) {
  if (host.empty()) return invalid("the host is missing (turn:host:port)");
  if (host.front() == '[') {
    if (host.size() < 4 || host.back() != ']' ||
        !std::all_of(host.begin() + 1, host.end() - 1, isIpv6Char) ||
        std::count(host.begin(), host.end(), ':') < 2) {
      return invalid("an IPv6 host must be written [address]");
    }
    return {};
  }
  if (!std::all_of(host.begin(), host.end(), isDnsChar) || host.front() == '.' || host.front() == '-') {
    return invalid("the host must be a DNS name, an IPv4 address or [IPv6 address]");
  }
  return {};
}

Result<void> validatePort(std::string_view text) {
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || port == 0 || port > 65535) {
    return invalid("the port must be a number from 1 to 65535");
  }
  return {};
}

// RFC 4648 section 4 with padding, as coturn compares it (OpenSSL's EVP_EncodeBlock).
std::string base64(const unsigned char* data, size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(written > 0 ? static_cast<size_t>(written) : 0);
  return out;
}

}  // namespace

Result<void> validateTurnUrl(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("turns:")) {
    rest = url.substr(6);
  } else if (url.starts_with("turn:")) {
    rest = url.substr(5);
  } else {
    return invalid("must start with turn: or turns: (lower case)");
  }
  if (rest.starts_with("//")) return invalid("takes no '//' (RFC 7065): write turn:host:port");
  if (rest.find('@') != std::string_view::npos) {
    return invalid("must not carry user information: credentials come from TURN_SECRET");
  }
  if (const auto query = rest.find('?'); query != std::string_view::npos) {
    const std::string_view parameters = rest.substr(query + 1);
    if (parameters != "transport=udp" && parameters != "transport=tcp") {
      return invalid("the only query allowed is ?transport=udp or ?transport=tcp");
    }
    rest = rest.substr(0, query);
  }
  if (rest.find('/') != std::string_view::npos) return invalid("takes no path");
  std::string_view host = rest;
  // The port follows the last ':' that is not inside an IPv6 literal.
  const auto bracket = rest.rfind(']');
  const auto colon = rest.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    host = rest.substr(0, colon);
    if (auto port = validatePort(rest.substr(colon + 1)); !port) return port;
  }
  return validateHost(host);
}

std::string turnRestPassword(std::string_view secret, std::string_view username) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(username.data()), username.size(), digest.data(),
           &length) == nullptr) {
    return {};  // only when OpenSSL itself is broken; an empty credential is then refused by the TURN server
  }
  return base64(digest.data(), length);
}

TurnCredential makeTurnCredential(std::string_view secret, std::string_view id,
                                  std::chrono::system_clock::time_point expiresAt) {
  const auto expiry = std::chrono::duration_cast<std::chrono::seconds>(expiresAt.time_since_epoch()).count();
  std::string username = std::to_string(expiry) + ":" + std::string(id);
  std::string credential = turnRestPassword(secret, username);
  return TurnCredential{std::move(username), std::move(credential)};
}

}  // namespace fluxmeet::media::ice
