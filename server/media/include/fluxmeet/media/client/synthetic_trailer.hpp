#pragma once
// The last 16 bytes of every payload MediaClient's synthetic sources send (test and benchmark
// code, see media_client.hpp): which simulcast layer and frame the packet belongs to and when
// it was sent, so a subscriber can tell layers apart and measure forwarding latency. The SFU
// never reads past the codec's payload descriptor, so the trailer arrives untouched.
//
//   "FX" (2) | layer (1) | flags (1) | frame number (4) | send time, ns CLOCK_REALTIME (8)
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "fluxmeet/media/net/byte_io.hpp"

namespace fluxmeet::media::client {

inline constexpr size_t kSyntheticTrailerSize = 16;

struct SyntheticTrailer {
  uint8_t layer = 0;  // simulcast encoding index (0 = lowest); 0 for audio
  bool keyframe = false;
  uint32_t frame = 0;  // frame counter of that layer
  int64_t sendTimeNs = 0;
};

// `payload` is the whole RTP payload; the trailer goes in its last 16 bytes.
inline bool writeSyntheticTrailer(std::span<uint8_t> payload, const SyntheticTrailer& trailer) {
  if (payload.size() < kSyntheticTrailerSize) return false;
  uint8_t* p = payload.data() + payload.size() - kSyntheticTrailerSize;
  p[0] = 'F';
  p[1] = 'X';
  p[2] = trailer.layer;
  p[3] = trailer.keyframe ? 1 : 0;
  net::storeU32(p + 4, trailer.frame);
  net::storeU64(p + 8, static_cast<uint64_t>(trailer.sendTimeNs));
  return true;
}

inline std::optional<SyntheticTrailer> readSyntheticTrailer(std::span<const uint8_t> payload) {
  if (payload.size() < kSyntheticTrailerSize) return std::nullopt;
  const uint8_t* p = payload.data() + payload.size() - kSyntheticTrailerSize;
  if (p[0] != 'F' || p[1] != 'X') return std::nullopt;
  return SyntheticTrailer{.layer = p[2],
                          .keyframe = (p[3] & 1) != 0,
                          .frame = net::loadU32(p + 4),
                          .sendTimeNs = static_cast<int64_t>(net::loadU64(p + 8))};
}

}  // namespace fluxmeet::media::client
