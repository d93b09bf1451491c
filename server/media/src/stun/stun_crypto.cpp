#include "stun/stun_crypto.hpp"

#include <openssl/evp.h>

#include <memory>

namespace fluxmeet::media::stun {
namespace {

constexpr size_t kSha1BlockSize = 64;

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

// One digest context per thread: STUN checks run on the media worker's thread, and reusing
// the context keeps the connectivity-check path free of per-packet allocation.
EVP_MD_CTX* threadDigestContext() {
  thread_local MdCtxPtr ctx(EVP_MD_CTX_new());
  return ctx.get();
}

bool sha1(EVP_MD_CTX* ctx, std::initializer_list<std::span<const uint8_t>> parts, uint8_t* out) {
  if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr) != 1) {
    return false;
  }
  for (const auto& part : parts) {
    if (!part.empty() && EVP_DigestUpdate(ctx, part.data(), part.size()) != 1) {
      return false;
    }
  }
  unsigned int len = 0;
  return EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == 20;
}

constexpr std::array<uint32_t, 256> makeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) {
      c = (c & 1U) ? (0xEDB88320U ^ (c >> 1)) : (c >> 1);
    }
    table[i] = c;
  }
  return table;
}

constexpr std::array<uint32_t, 256> kCrcTable = makeCrcTable();

}  // namespace

// RFC 2104: H((K ^ opad) || H((K ^ ipad) || text)), with keys longer than a block hashed first.
bool hmacSha1(std::span<const uint8_t> key, std::initializer_list<std::span<const uint8_t>> parts,
              Sha1Digest& out) {
  EVP_MD_CTX* ctx = threadDigestContext();
  std::array<uint8_t, kSha1BlockSize> block{};
  if (key.size() > kSha1BlockSize) {
    if (!sha1(ctx, {key}, block.data())) {
      return false;
    }
  } else {
    for (size_t i = 0; i < key.size(); ++i) {
      block[i] = key[i];
    }
  }
  std::array<uint8_t, kSha1BlockSize> pad{};
  for (size_t i = 0; i < kSha1BlockSize; ++i) {
    pad[i] = block[i] ^ 0x36;
  }
  if (EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx, pad.data(), pad.size()) != 1) {
    return false;
  }
  for (const auto& part : parts) {
    if (!part.empty() && EVP_DigestUpdate(ctx, part.data(), part.size()) != 1) {
      return false;
    }
  }
  Sha1Digest inner{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx, inner.data(), &len) != 1) {
    return false;
  }
  for (size_t i = 0; i < kSha1BlockSize; ++i) {
    pad[i] = block[i] ^ 0x5c;
  }
  return sha1(ctx, {std::span<const uint8_t>(pad), std::span<const uint8_t>(inner)}, out.data());
}

uint32_t crc32(std::span<const uint8_t> data) {
  uint32_t c = 0xFFFFFFFFU;
  for (uint8_t b : data) {
    c = kCrcTable[(c ^ b) & 0xFFU] ^ (c >> 8);
  }
  return c ^ 0xFFFFFFFFU;
}

bool digestsEqual(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  if (a.size() != b.size()) {
    return false;
  }
  uint8_t diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<uint8_t>(a[i] ^ b[i]);
  }
  return diff == 0;
}

}  // namespace fluxmeet::media::stun
