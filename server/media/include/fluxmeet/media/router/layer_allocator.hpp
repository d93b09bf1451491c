#pragma once
// Layer allocation for one subscriber transport: shares its bandwidth estimate
// (REMB, bits/s) among its simulcast video consumers so the sum fits, instead
// of letting each consumer take the whole estimate for itself. What is fixed
// (audio, single-encoding video) is reserved by the caller first. Then:
//   1. every consumer gets its lowest active encoding (a picture for everyone
//   before anyone gets
//      a sharper one - it is sent even when the estimate does not cover it);
//   2. in order of priority (screen share and pinned first), then of preferred
//   layer, each
//      consumer is raised to the highest encoding up to its preferred one that
//      the rest of the budget pays for.
// Hysteresis: going above the encoding a consumer already has needs
// kUpgradeHeadroom more than that encoding's bitrate, so an estimate hovering
// at a layer's bitrate does not flip the layer (and ask the publisher for a
// keyframe) on every evaluation.
//
// Pure logic, no clock; the router runs it on REMB and every 300 ms. Threading:
// any.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace fluxmeet::media::router {

inline constexpr size_t kMaxEncodings = 4;
inline constexpr double kUpgradeHeadroom = 1.2;

struct LayerDemand {
  uint8_t priority = 1;                           // higher is served first
  size_t preferred = 0;                           // highest encoding wanted
  int current = -1;                               // encoding targeted now, -1 = none
  std::array<uint32_t, kMaxEncodings> bitrate{};  // measured per encoding, bits/s
  std::array<bool, kMaxEncodings> active{};       // the publisher sends it
};

// Writes the chosen encoding of each demand into `chosen` (same size; -1 when
// no encoding up to the preferred one is active). `available` 0 means no
// estimate: everyone gets its preferred.
void allocateLayers(std::span<const LayerDemand> demands, uint64_t available, std::span<int> chosen);

}  // namespace fluxmeet::media::router
