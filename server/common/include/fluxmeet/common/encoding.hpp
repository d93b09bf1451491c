#pragma once
// Byte/text encodings and small cryptographic helpers shared by every module: base64url
// (RFC 4648 section 5, unpadded as JWT requires, RFC 7515 section 2), hex, SHA-256,
// random tokens, constant-time comparison and UTF-8 validation, and JSON objects assembled from
// members that are already JSON text.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fluxmeet {

// Makes sure libsodium is initialised exactly once (thread-safe); every helper here that
// needs libsodium calls it, and other modules may call it before using libsodium directly.
// Returns false only if libsodium could not be initialised (no usable entropy source).
bool ensureSodiumInitialized();

// Base64url without padding (RFC 4648 section 5; RFC 7515 section 2 "Base64url Encoding").
std::string base64UrlEncode(std::span<const uint8_t> bytes);
std::string base64UrlEncode(std::string_view bytes);

// Strict decoder: only the 64 url-safe characters, no padding, no whitespace, and the final
// character must not carry non-zero unused bits (so every encoding is canonical). Returns
// nullopt on any violation.
std::optional<std::vector<uint8_t>> base64UrlDecode(std::string_view text);

// Lower-case hexadecimal.
std::string hexEncode(std::span<const uint8_t> bytes);

// SHA-256 (FIPS 180-4) of the input, as 64 lower-case hex characters.
std::string sha256Hex(std::string_view data);

// `bytes` bytes from libsodium's CSPRNG, base64url-encoded (32 bytes -> 43 characters).
std::string randomToken(size_t bytes = 32);

// Compares secrets without leaking where they differ. A length mismatch returns early: the
// length of a token or MAC is not a secret.
bool constantTimeEquals(std::string_view a, std::string_view b);

// Well-formed UTF-8 per RFC 3629 section 4: no overlong forms, no surrogates, <= U+10FFFF.
bool isValidUtf8(std::string_view text);

// {"key":value,...} from values that are already JSON text (stored elements, a dump()), so a
// large one is copied once instead of parsed and re-serialised. Keys are written as given (plain
// identifiers, never escaped); in sorted order the text is what nlohmann::json's dump() writes.
std::string jsonObjectText(std::initializer_list<std::pair<std::string_view, std::string_view>> members);

}  // namespace fluxmeet
