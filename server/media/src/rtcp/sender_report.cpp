#include "fluxmeet/media/rtcp/sender_report.hpp"

#include "fluxmeet/media/net/byte_io.hpp"

namespace fluxmeet::media::rtcp {
namespace {

constexpr size_t kSenderInfoSize = 24;  // SSRC + NTP (8) + RTP ts + packet count + octet count

}  // namespace

std::optional<SenderReportView> SenderReportView::parse(const RtcpPacket& packet) {
  if (packet.packetType != packet_type::kSenderReport ||
      packet.body.size() < kSenderInfoSize + kReportBlockSize * packet.count) {
    return std::nullopt;
  }
  return SenderReportView(packet.body, packet.count);
}

SenderInfo SenderReportView::senderInfo() const {
  const uint8_t* p = body_.data();
  return SenderInfo{net::loadU32(p), net::loadU64(p + 4), net::loadU32(p + 12), net::loadU32(p + 16),
                    net::loadU32(p + 20)};
}

ReportBlock SenderReportView::reportBlock(size_t index) const {
  return readReportBlock(&body_[kSenderInfoSize + kReportBlockSize * index]);
}

std::optional<size_t> writeSenderReport(std::span<uint8_t> out, const SenderInfo& info,
                                        std::span<const ReportBlock> reports) {
  const size_t total = kCommonHeaderSize + kSenderInfoSize + kReportBlockSize * reports.size();
  if (reports.size() > kMaxReportBlocks || out.size() < total) {
    return std::nullopt;
  }
  uint8_t* p = out.data();
  writeCommonHeader(p, static_cast<uint8_t>(reports.size()), packet_type::kSenderReport, total);
  net::storeU32(p + 4, info.ssrc);
  net::storeU64(p + 8, info.ntpTimestamp);
  net::storeU32(p + 16, info.rtpTimestamp);
  net::storeU32(p + 20, info.packetCount);
  net::storeU32(p + 24, info.octetCount);
  for (size_t i = 0; i < reports.size(); ++i) {
    writeReportBlock(p + kCommonHeaderSize + kSenderInfoSize + kReportBlockSize * i, reports[i]);
  }
  return total;
}

}  // namespace fluxmeet::media::rtcp
