#pragma once
// Sender reports (RFC 3550 section 6.4.1).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "fluxmeet/media/rtcp/common_header.hpp"
#include "fluxmeet/media/rtcp/report_block.hpp"

namespace fluxmeet::media::rtcp {

struct SenderInfo {
  uint32_t ssrc = 0;
  uint64_t ntpTimestamp = 0;  // 32.32 fixed point seconds since 1900
  uint32_t rtpTimestamp = 0;
  uint32_t packetCount = 0;
  uint32_t octetCount = 0;

  friend bool operator==(const SenderInfo&, const SenderInfo&) = default;
};

class SenderReportView {
 public:
  static std::optional<SenderReportView> parse(const RtcpPacket& packet);

  SenderInfo senderInfo() const;
  size_t reportCount() const { return reportCount_; }
  ReportBlock reportBlock(size_t index) const;  // index < reportCount()

 private:
  SenderReportView(std::span<const uint8_t> body, size_t count) : body_(body), reportCount_(count) {}
  std::span<const uint8_t> body_;
  size_t reportCount_;
};

// Writes an SR with up to 31 report blocks. Returns the bytes written or nullopt if `out` is
// too small or there are too many blocks.
std::optional<size_t> writeSenderReport(std::span<uint8_t> out, const SenderInfo& info,
                                        std::span<const ReportBlock> reports);

}  // namespace fluxmeet::media::rtcp
