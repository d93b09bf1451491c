#pragma once
// Receiver Estimated Maximum Bitrate (draft-alvestrand-rmcat-remb-03 section 2.2): a PSFB
// application-layer message (FMT 15) whose FCI starts with "REMB".
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "fluxmeet/media/rtcp/common_header.hpp"

namespace fluxmeet::media::rtcp {

class RembView {
 public:
  static std::optional<RembView> parse(const RtcpPacket& packet);

  uint32_t senderSsrc() const { return senderSsrc_; }
  // BR Exp (6 bits) and BR Mantissa (18 bits): mantissa << exp bits per second, saturating.
  uint64_t bitrateBps() const { return bitrate_; }
  size_t ssrcCount() const { return (fci_.size() - 8) / 4; }
  uint32_t ssrc(size_t index) const;  // index < ssrcCount()

 private:
  RembView(uint32_t sender, uint64_t bitrate, std::span<const uint8_t> fci)
      : senderSsrc_(sender), bitrate_(bitrate), fci_(fci) {}
  uint32_t senderSsrc_;
  uint64_t bitrate_;
  std::span<const uint8_t> fci_;  // trimmed to the SSRCs the count announces
};

// Rounds the bitrate down to what 18 bits of mantissa can say.
std::optional<size_t> writeRemb(std::span<uint8_t> out, uint32_t senderSsrc, uint64_t bitrateBps,
                                std::span<const uint32_t> ssrcs);

}  // namespace fluxmeet::media::rtcp
