#pragma once
// Rewrites RTP header-extension ids in place (RFC 8285). A producer's browser numbers its
// extensions one way, the router another, and each consumer's browser knows only the subset it
// negotiated; the SFU renumbers instead of rebuilding the header, so forwarding never copies
// extension data or changes the packet length. Elements a receiver must not interpret are
// renumbered to an id it has not negotiated, which RFC 8285 section 4.1 says it ignores.
#include <array>
#include <cstdint>

#include "fluxmeet/media/rtp/rtp_packet.hpp"

namespace fluxmeet::media::rtp {

class ExtensionIdMap {
 public:
  // Every id maps to `unknownId` until set(); `unknownId` must be an id nobody negotiated.
  explicit ExtensionIdMap(uint8_t unknownId = 15) { map_.fill(unknownId); }

  void set(uint8_t from, uint8_t to) { map_[from] = to; }
  uint8_t operator[](uint8_t from) const { return map_[from]; }

  // One-byte (ids 1..14) and two-byte (1..255) elements; other profiles are left alone.
  // Stops at malformed data, leaving the rest as it was (the view already validated lengths).
  void apply(RtpPacketView& packet) const;

 private:
  std::array<uint8_t, 256> map_{};
};

}  // namespace fluxmeet::media::rtp
