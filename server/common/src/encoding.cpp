#include "fluxmeet/common/encoding.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <array>
#include <cstdlib>

namespace fluxmeet {
namespace {

constexpr std::string_view kBase64UrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Maps a character to its 6-bit value, or -1 if it is not in the url-safe alphabet.
constexpr std::array<int8_t, 256> makeDecodeTable() {
  std::array<int8_t, 256> table{};
  for (auto& entry : table) entry = -1;
  for (size_t i = 0; i < kBase64UrlAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kBase64UrlAlphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}
constexpr std::array<int8_t, 256> kDecodeTable = makeDecodeTable();

}  // namespace

bool ensureSodiumInitialized() {
  // Function-local static: C++11 guarantees one thread-safe initialisation. sodium_init()
  // returns 0 on first success, 1 if already initialised, -1 on failure.
  static const bool initialized = sodium_init() >= 0;
  return initialized;
}

std::string base64UrlEncode(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out += kBase64UrlAlphabet[(n >> 18) & 0x3f];
    out += kBase64UrlAlphabet[(n >> 12) & 0x3f];
    out += kBase64UrlAlphabet[(n >> 6) & 0x3f];
    out += kBase64UrlAlphabet[n & 0x3f];
  }
  const size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t n = uint32_t{bytes[i]} << 16;
    out += kBase64UrlAlphabet[(n >> 18) & 0x3f];
    out += kBase64UrlAlphabet[(n >> 12) & 0x3f];
  } else if (rest == 2) {
    const uint32_t n = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8);
    out += kBase64UrlAlphabet[(n >> 18) & 0x3f];
    out += kBase64UrlAlphabet[(n >> 12) & 0x3f];
    out += kBase64UrlAlphabet[(n >> 6) & 0x3f];
  }
  return out;
}

std::string base64UrlEncode(std::string_view bytes) {
  return base64UrlEncode(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

std::optional<std::vector<uint8_t>> base64UrlDecode(std::string_view text) {
  // Unpadded length mod 4 can be 0, 2 or 3; 1 leftover character cannot encode a byte.
  if (text.size() % 4 == 1) return std::nullopt;
  std::vector<uint8_t> out;
  out.reserve(text.size() * 3 / 4);
  uint32_t accumulator = 0;
  int bits = 0;
  for (const char c : text) {
    const int8_t value = kDecodeTable[static_cast<unsigned char>(c)];
    if (value < 0) return std::nullopt;
    accumulator = (accumulator << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>((accumulator >> bits) & 0xff));
    }
  }
  // RFC 4648 section 3.5: the pad bits must be zero for a canonical encoding.
  if (bits > 0 && (accumulator & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string hexEncode(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0f];
  }
  return out;
}

std::string sha256Hex(std::string_view data) {
  std::array<uint8_t, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  // EVP_Digest is the one-shot form of EVP_DigestInit/Update/Final; it only fails on
  // allocation failure, which we treat as fatal like any other out-of-memory.
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    std::abort();
  }
  return hexEncode(std::span<const uint8_t>(digest.data(), length));
}

std::string randomToken(size_t bytes) {
  if (!ensureSodiumInitialized()) std::abort();  // no entropy: nothing secure can be made
  std::vector<uint8_t> buffer(bytes);
  randombytes_buf(buffer.data(), buffer.size());
  std::string token = base64UrlEncode(buffer);
  sodium_memzero(buffer.data(), buffer.size());
  return token;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  ensureSodiumInitialized();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool isValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    // RFC 3629 section 4 (UTF8-2 / UTF8-3 / UTF8-4 productions): the allowed range of the
    // second byte depends on the lead byte, which excludes overlongs and surrogates.
    size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
      length = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      length = 3;
      if (c == 0xe0) low = 0xa0;
      if (c == 0xed) high = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      length = 4;
      if (c == 0xf0) low = 0x90;
      if (c == 0xf4) high = 0x8f;
    } else {
      return false;
    }
    if (n - i < length) return false;
    if (p[i + 1] < low || p[i + 1] > high) return false;
    for (size_t k = 2; k < length; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xbf) return false;
    }
    i += length;
  }
  return true;
}

std::string jsonObjectText(std::initializer_list<std::pair<std::string_view, std::string_view>> members) {
  std::size_t size = 2;
  for (const auto& [key, value] : members) size += key.size() + value.size() + 4;
  std::string text;
  text.reserve(size);
  text += '{';
  for (const auto& [key, value] : members) {
    if (text.size() > 1) text += ',';
    text += '"';
    text += key;
    text += "\":";
    text += value;
  }
  text += '}';
  return text;
}

}  // namespace fluxmeet
