#pragma once
// Receiver reports (RFC 3550 section 6.4.2).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "fluxmeet/media/rtcp/common_header.hpp"
#include "fluxmeet/media/rtcp/report_block.hpp"

namespace fluxmeet::media::rtcp {

class ReceiverReportView {
 public:
  static std::optional<ReceiverReportView> parse(const RtcpPacket& packet);

  uint32_t senderSsrc() const;
  size_t reportCount() const { return reportCount_; }
  ReportBlock reportBlock(size_t index) const;  // index < reportCount()

 private:
  ReceiverReportView(std::span<const uint8_t> body, size_t count) : body_(body), reportCount_(count) {}
  std::span<const uint8_t> body_;
  size_t reportCount_;
};

std::optional<size_t> writeReceiverReport(std::span<uint8_t> out, uint32_t senderSsrc,
                                          std::span<const ReportBlock> reports);

}  // namespace fluxmeet::media::rtcp
