#include "fluxmeet/media/rtcp/sdes.hpp"

#include <cstring>

#include "fluxmeet/media/net/byte_io.hpp"

namespace fluxmeet::media::rtcp {
namespace {

constexpr size_t kMaxChunks = 31;

// Parses the chunk at `offset`; returns the next chunk's offset or nullopt if malformed.
std::optional<size_t> walkChunk(std::span<const uint8_t> body, size_t offset, SdesChunk* out) {
  if (body.size() - offset < 4) return std::nullopt;
  SdesChunk chunk;
  chunk.ssrc = net::loadU32(&body[offset]);
  offset += 4;
  while (true) {
    if (offset >= body.size()) return std::nullopt;
    const uint8_t type = body[offset];
    if (type == 0) {
      // Null item ends the list; skip it and pad to the next 32-bit boundary (section 6.5).
      offset = (offset + 4) & ~static_cast<size_t>(3);
      if (offset > body.size()) return std::nullopt;
      break;
    }
    if (body.size() - offset < 2) return std::nullopt;
    const size_t length = body[offset + 1];
    if (length > body.size() - offset - 2) return std::nullopt;
    if (type == kSdesCname && chunk.cname.empty()) {
      chunk.cname = std::string_view(reinterpret_cast<const char*>(&body[offset + 2]), length);
    }
    offset += 2 + length;
  }
  if (out != nullptr) *out = chunk;
  return offset;
}

}  // namespace

std::optional<SdesView> SdesView::parse(const RtcpPacket& packet) {
  if (packet.packetType != packet_type::kSdes) return std::nullopt;
  size_t offset = 0;
  for (size_t i = 0; i < packet.count; ++i) {
    auto next = walkChunk(packet.body, offset, nullptr);
    if (!next) return std::nullopt;
    offset = *next;
  }
  return SdesView(packet.body, packet.count);
}

SdesChunk SdesView::chunk(size_t index) const {
  SdesChunk chunk;
  size_t offset = 0;
  for (size_t i = 0; i <= index; ++i) {
    offset = walkChunk(body_, offset, &chunk).value_or(body_.size());
  }
  return chunk;
}

std::optional<std::string_view> SdesView::cnameFor(uint32_t ssrc) const {
  SdesChunk chunk;
  size_t offset = 0;
  for (size_t i = 0; i < chunkCount_; ++i) {
    offset = walkChunk(body_, offset, &chunk).value_or(body_.size());
    if (chunk.ssrc == ssrc && !chunk.cname.empty()) return chunk.cname;
  }
  return std::nullopt;
}

std::optional<size_t> writeSdes(std::span<uint8_t> out, std::span<const SdesChunk> chunks) {
  if (chunks.size() > kMaxChunks) return std::nullopt;
  size_t total = kCommonHeaderSize;
  for (const auto& chunk : chunks) {
    if (chunk.cname.size() > 255) return std::nullopt;
    // SSRC + CNAME item + at least one null octet, padded to 32 bits.
    total += (4 + 2 + chunk.cname.size() + 1 + 3) & ~static_cast<size_t>(3);
  }
  if (out.size() < total) return std::nullopt;
  size_t offset = kCommonHeaderSize;
  for (const auto& chunk : chunks) {
    net::storeU32(&out[offset], chunk.ssrc);
    out[offset + 4] = kSdesCname;
    out[offset + 5] = static_cast<uint8_t>(chunk.cname.size());
    if (!chunk.cname.empty()) {  // an empty view may have a null data()
      std::memcpy(&out[offset + 6], chunk.cname.data(), chunk.cname.size());
    }
    const size_t end = offset + 6 + chunk.cname.size();
    const size_t padded = (end + 1 + 3) & ~static_cast<size_t>(3);
    std::memset(&out[end], 0, padded - end);
    offset = padded;
  }
  writeCommonHeader(out.data(), static_cast<uint8_t>(chunks.size()), packet_type::kSdes, total);
  return total;
}

}  // namespace fluxmeet::media::rtcp
