#pragma once
// PasswordHasher: Argon2id (RFC 9106) password hashing through libsodium's crypto_pwhash_str,
// which produces a self-describing PHC string ("$argon2id$v=19$m=...,t=...,p=1$salt$hash")
// with a fresh random salt. Stateless and const: safe to call from several threads of the
// blocking pool at once (hashing takes tens of milliseconds on purpose; never call it on the
// control event loop). Passwords are never logged or kept.
#include <cstddef>
#include <string>
#include <string_view>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::auth {

struct PasswordHashParams {
  unsigned long long opsLimit = 0;  // Argon2 passes (t)
  size_t memLimitBytes = 0;         // Argon2 memory (m), in bytes
};

// Production cost: Argon2id t=3, 64 MiB, measured at about 120 ms per hash/verify on the
// development machine (see password_hasher.cpp for the figures and how they were measured).
PasswordHashParams defaultPasswordHashParams();

// The cheapest parameters libsodium accepts; for unit tests only.
PasswordHashParams testPasswordHashParams();

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordHashParams params);

  // Encoded Argon2id hash of `password`. Fails (ErrorCode::Internal) only if the memory
  // cannot be allocated or libsodium cannot be initialised.
  Result<std::string> hash(std::string_view password) const;

  // True if `password` matches `encodedHash`. A malformed hash verifies as false.
  bool verify(std::string_view encodedHash, std::string_view password) const;

  // True if `encodedHash` was made with other parameters or another algorithm than this
  // hasher's (or is malformed): re-hash the password after the next successful login.
  bool needsRehash(std::string_view encodedHash) const;

  const PasswordHashParams& params() const { return params_; }

 private:
  PasswordHashParams params_;
};

}  // namespace fluxmeet::auth
