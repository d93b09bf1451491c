#pragma once
// Source description packets (RFC 3550 section 6.5). The SFU only needs CNAME (section 6.5.1).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "fluxmeet/media/rtcp/common_header.hpp"

namespace fluxmeet::media::rtcp {

inline constexpr uint8_t kSdesCname = 1;

struct SdesChunk {
  uint32_t ssrc = 0;
  std::string_view cname;  // empty if the chunk has no CNAME item; points into the packet
};

class SdesView {
 public:
  // Validates every chunk: items within bounds, each list ended by a null item and padded to a
  // 32-bit boundary.
  static std::optional<SdesView> parse(const RtcpPacket& packet);

  size_t chunkCount() const { return chunkCount_; }
  SdesChunk chunk(size_t index) const;  // index < chunkCount(); walks from the start
  std::optional<std::string_view> cnameFor(uint32_t ssrc) const;

 private:
  SdesView(std::span<const uint8_t> body, size_t count) : body_(body), chunkCount_(count) {}
  std::span<const uint8_t> body_;
  size_t chunkCount_;
};

// Writes one SDES packet with a CNAME item per chunk (each CNAME at most 255 bytes).
std::optional<size_t> writeSdes(std::span<uint8_t> out, std::span<const SdesChunk> chunks);

}  // namespace fluxmeet::media::rtcp
