#include "fluxmeet/media/rtcp/receiver_report.hpp"

#include "fluxmeet/media/net/byte_io.hpp"

namespace fluxmeet::media::rtcp {

std::optional<ReceiverReportView> ReceiverReportView::parse(const RtcpPacket& packet) {
  if (packet.packetType != packet_type::kReceiverReport ||
      packet.body.size() < 4 + kReportBlockSize * packet.count) {
    return std::nullopt;
  }
  return ReceiverReportView(packet.body, packet.count);
}

uint32_t ReceiverReportView::senderSsrc() const { return net::loadU32(body_.data()); }

ReportBlock ReceiverReportView::reportBlock(size_t index) const {
  return readReportBlock(&body_[4 + kReportBlockSize * index]);
}

std::optional<size_t> writeReceiverReport(std::span<uint8_t> out, uint32_t senderSsrc,
                                          std::span<const ReportBlock> reports) {
  const size_t total = kCommonHeaderSize + 4 + kReportBlockSize * reports.size();
  if (reports.size() > kMaxReportBlocks || out.size() < total) {
    return std::nullopt;
  }
  writeCommonHeader(out.data(), static_cast<uint8_t>(reports.size()), packet_type::kReceiverReport, total);
  net::storeU32(&out[4], senderSsrc);
  for (size_t i = 0; i < reports.size(); ++i) {
    writeReportBlock(&out[8 + kReportBlockSize * i], reports[i]);
  }
  return total;
}

}  // namespace fluxmeet::media::rtcp
