#pragma once
// Reception report blocks (RFC 3550 section 6.4.1), carried by SR and RR packets.
#include <cstddef>
#include <cstdint>

namespace fluxmeet::media::rtcp {

inline constexpr size_t kReportBlockSize = 24;
inline constexpr size_t kMaxReportBlocks = 31;  // the 5-bit RC field

struct ReportBlock {
  uint32_t ssrc = 0;
  uint8_t fractionLost = 0;
  int32_t cumulativeLost = 0;  // signed 24-bit on the wire
  uint32_t extendedHighestSequence = 0;
  uint32_t jitter = 0;
  uint32_t lastSenderReport = 0;       // LSR: middle 32 bits of the last SR's NTP timestamp
  uint32_t delaySinceLastSenderReport = 0;  // DLSR, 1/65536 s

  friend bool operator==(const ReportBlock&, const ReportBlock&) = default;
};

// `p` points at kReportBlockSize readable / writable bytes.
ReportBlock readReportBlock(const uint8_t* p);
void writeReportBlock(uint8_t* p, const ReportBlock& block);

}  // namespace fluxmeet::media::rtcp
