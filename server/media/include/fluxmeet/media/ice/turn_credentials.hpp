#pragma once
// TURN relays offered to clients (the iceServers of a createTransport answer), with short-lived
// credentials in the "TURN REST API" format (draft-uberti-behave-turn-rest-00 section 2.2), which
// coturn checks with `use-auth-secret` + `static-auth-secret`:
//   username   = "<expiry, unix seconds>:<id>"
//   credential = base64(HMAC-SHA1(shared secret, username))
// The TURN server recomputes the credential from its own copy of the secret and refuses a username
// whose expiry has passed, so the SFU never talks to the TURN server and the secret itself never
// leaves this process (it is not logged and never put in a URL).
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::media::ice {

// A day covers any meeting; a browser keeps refreshing its allocation with the credential it was
// given, so a shorter lifetime would cut relayed calls that outlast it.
inline constexpr std::chrono::seconds kDefaultTurnCredentialTtl{86400};
inline constexpr std::chrono::seconds kMinTurnCredentialTtl{60};
inline constexpr std::chrono::seconds kMaxTurnCredentialTtl{7 * 86400};
// The secret signs every credential: anyone who guesses it has a free relay.
inline constexpr size_t kMinTurnSecretLength = 32;

struct TurnOptions {
  std::vector<std::string> urls;  // RFC 7065 URLs; empty: no TURN, clients get iceServers []
  std::string secret;             // coturn's static-auth-secret
  std::chrono::seconds credentialTtl = kDefaultTurnCredentialTtl;

  bool enabled() const { return !urls.empty(); }
};

struct TurnCredential {
  std::string username;
  std::string credential;
};

// RFC 7065 section 3.1, lower case only:
//   ("turn" / "turns") ":" host [ ":" port ] [ "?transport=" ( "udp" / "tcp" ) ]
// host is a DNS name, an IPv4 address or a bracketed IPv6 address; user info ("user@") is
// refused so that no credential ends up in a URL. The error message never repeats the URL.
Result<void> validateTurnUrl(std::string_view url);

// base64 (RFC 4648 section 4, padded) of HMAC-SHA1(secret, username): the password a TURN REST
// server derives for `username`.
std::string turnRestPassword(std::string_view secret, std::string_view username);

// A credential for `id` (a peer id: shows up in the TURN server's log, must not contain ':')
// that the TURN server accepts until `expiresAt`.
TurnCredential makeTurnCredential(std::string_view secret, std::string_view id,
                                  std::chrono::system_clock::time_point expiresAt);

}  // namespace fluxmeet::media::ice
