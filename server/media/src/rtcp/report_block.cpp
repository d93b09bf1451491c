#include "fluxmeet/media/rtcp/report_block.hpp"

#include "fluxmeet/media/net/byte_io.hpp"

namespace fluxmeet::media::rtcp {

ReportBlock readReportBlock(const uint8_t* p) {
  ReportBlock block;
  block.ssrc = net::loadU32(p);
  block.fractionLost = p[4];
  // Sign-extend the 24-bit cumulative loss (it goes negative with duplicates).
  const uint32_t raw = net::loadU24(p + 5);
  block.cumulativeLost = (raw & 0x800000U) != 0 ? static_cast<int32_t>(raw | 0xFF000000U)
                                                : static_cast<int32_t>(raw);
  block.extendedHighestSequence = net::loadU32(p + 8);
  block.jitter = net::loadU32(p + 12);
  block.lastSenderReport = net::loadU32(p + 16);
  block.delaySinceLastSenderReport = net::loadU32(p + 20);
  return block;
}

void writeReportBlock(uint8_t* p, const ReportBlock& block) {
  net::storeU32(p, block.ssrc);
  p[4] = block.fractionLost;
  // Clamp to the 24-bit signed range rather than wrapping into a wrong sign.
  int32_t lost = block.cumulativeLost;
  if (lost > 0x7FFFFF) lost = 0x7FFFFF;
  if (lost < -0x800000) lost = -0x800000;
  net::storeU24(p + 5, static_cast<uint32_t>(lost) & 0xFFFFFFU);
  net::storeU32(p + 8, block.extendedHighestSequence);
  net::storeU32(p + 12, block.jitter);
  net::storeU32(p + 16, block.lastSenderReport);
  net::storeU32(p + 20, block.delaySinceLastSenderReport);
}

}  // namespace fluxmeet::media::rtcp
