#pragma once
// Parses a compound RTCP packet, runs every view over every packet, and rebuilds each packet
// type that has a builder, checking the rebuilt packet parses to the same values.
#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "fluxmeet/media/rtcp/bye.hpp"
#include "fluxmeet/media/rtcp/compound.hpp"
#include "fluxmeet/media/rtcp/feedback.hpp"
#include "fluxmeet/media/rtcp/receiver_report.hpp"
#include "fluxmeet/media/rtcp/remb.hpp"
#include "fluxmeet/media/rtcp/sdes.hpp"
#include "fluxmeet/media/rtcp/sender_report.hpp"
#include "fluxmeet/media/rtcp/transport_cc.hpp"
#include "media/fuzz_check.hpp"

namespace fluxmeet::fuzz {
namespace rtcp_detail {

using namespace media::rtcp;

inline RtcpPacket reparse(std::span<const uint8_t> bytes) {
  auto packet = parseRtcpPacket(bytes);
  FUZZ_CHECK(packet.has_value() && packet->bytes.size() == bytes.size());
  return *packet;
}

inline void reports(const RtcpPacket& packet, std::vector<uint8_t>& out) {
  if (auto sr = SenderReportView::parse(packet)) {
    std::vector<ReportBlock> blocks;
    for (size_t i = 0; i < sr->reportCount(); ++i) blocks.push_back(sr->reportBlock(i));
    auto size = writeSenderReport(out, sr->senderInfo(), blocks);
    FUZZ_CHECK(size.has_value());
    auto again = SenderReportView::parse(reparse(std::span(out).first(*size)));
    FUZZ_CHECK(again.has_value() && again->senderInfo() == sr->senderInfo());
    for (size_t i = 0; i < blocks.size(); ++i) FUZZ_CHECK(again->reportBlock(i) == blocks[i]);
  }
  if (auto rr = ReceiverReportView::parse(packet)) {
    std::vector<ReportBlock> blocks;
    for (size_t i = 0; i < rr->reportCount(); ++i) blocks.push_back(rr->reportBlock(i));
    auto size = writeReceiverReport(out, rr->senderSsrc(), blocks);
    FUZZ_CHECK(size.has_value());
    auto again = ReceiverReportView::parse(reparse(std::span(out).first(*size)));
    FUZZ_CHECK(again.has_value() && again->senderSsrc() == rr->senderSsrc());
    for (size_t i = 0; i < blocks.size(); ++i) FUZZ_CHECK(again->reportBlock(i) == blocks[i]);
  }
  if (auto sdes = SdesView::parse(packet)) {
    std::vector<SdesChunk> chunks;
    for (size_t i = 0; i < sdes->chunkCount(); ++i) chunks.push_back(sdes->chunk(i));
    auto size = writeSdes(out, chunks);
    FUZZ_CHECK(size.has_value());
    auto again = SdesView::parse(reparse(std::span(out).first(*size)));
    FUZZ_CHECK(again.has_value() && again->chunkCount() == chunks.size());
    for (size_t i = 0; i < chunks.size(); ++i) {
      FUZZ_CHECK(again->chunk(i).ssrc == chunks[i].ssrc && again->chunk(i).cname == chunks[i].cname);
    }
  }
  if (auto bye = ByeView::parse(packet)) {
    std::vector<uint32_t> ssrcs;
    for (size_t i = 0; i < bye->ssrcCount(); ++i) ssrcs.push_back(bye->ssrc(i));
    auto size = writeBye(out, ssrcs, bye->reason());
    FUZZ_CHECK(size.has_value());
    auto again = ByeView::parse(reparse(std::span(out).first(*size)));
    FUZZ_CHECK(again.has_value() && again->ssrcCount() == ssrcs.size() && again->reason() == bye->reason());
  }
}

inline void feedback(const RtcpPacket& packet, std::vector<uint8_t>& out) {
  if (auto nack = NackView::parse(packet)) {
    std::vector<uint16_t> lost;
    nack->forEachLost([&](uint16_t seq) { lost.push_back(seq); });
    auto size = writeNack(out, nack->senderSsrc(), nack->mediaSsrc(), lost);
    FUZZ_CHECK(size.has_value());
    auto again = NackView::parse(reparse(std::span(out).first(*size)));
    FUZZ_CHECK(again.has_value());
    std::vector<uint16_t> rebuilt;
    again->forEachLost([&](uint16_t seq) { rebuilt.push_back(seq); });
    // The builder may merge entries, so compare the sets of sequence numbers.
    std::sort(lost.begin(), lost.end());
    lost.erase(std::unique(lost.begin(), lost.end()), lost.end());
    std::sort(rebuilt.begin(), rebuilt.end());
    rebuilt.erase(std::unique(rebuilt.begin(), rebuilt.end()), rebuilt.end());
    FUZZ_CHECK(lost == rebuilt);
  }
  if (auto pli = parsePli(packet)) {
    auto size = writePli(out, pli->senderSsrc, pli->mediaSsrc);
    FUZZ_CHECK(size.has_value());
    auto again = parsePli(reparse(std::span(out).first(*size)));
    FUZZ_CHECK(again.has_value() && again->mediaSsrc == pli->mediaSsrc);
  }
  if (auto fir = FirView::parse(packet)) {
    std::vector<FirEntry> entries;
    for (size_t i = 0; i < fir->entryCount(); ++i) entries.push_back(fir->entry(i));
    auto size = writeFir(out, fir->senderSsrc(), entries);
    FUZZ_CHECK(size.has_value());
    auto again = FirView::parse(reparse(std::span(out).first(*size)));
    FUZZ_CHECK(again.has_value() && again->entryCount() == entries.size());
    for (size_t i = 0; i < entries.size(); ++i) FUZZ_CHECK(again->entry(i) == entries[i]);
  }
  if (auto remb = RembView::parse(packet)) {
    std::vector<uint32_t> ssrcs;
    for (size_t i = 0; i < remb->ssrcCount(); ++i) ssrcs.push_back(remb->ssrc(i));
    auto size = writeRemb(out, remb->senderSsrc(), remb->bitrateBps(), ssrcs);
    FUZZ_CHECK(size.has_value());
    auto again = RembView::parse(reparse(std::span(out).first(*size)));
    FUZZ_CHECK(again.has_value() && again->ssrcCount() == ssrcs.size());
    if (remb->bitrateBps() != UINT64_MAX) FUZZ_CHECK(again->bitrateBps() == remb->bitrateBps());
  }
  if (auto tcc = TransportCcView::parse(packet)) {
    size_t count = 0;
    tcc->forEachPacket([&](uint16_t seq, TccStatus status, int32_t delta) {
      FUZZ_CHECK(seq == static_cast<uint16_t>(tcc->baseSequence() + count));
      FUZZ_CHECK(status != TccStatus::NotReceived || delta == 0);
      ++count;
    });
    FUZZ_CHECK(count == tcc->packetStatusCount());
  }
}

}  // namespace rtcp_detail

inline void exerciseRtcp(std::span<const uint8_t> data) {
  auto compound = media::rtcp::RtcpCompound::parse(data);
  if (!compound) return;
  std::vector<uint8_t> out(data.size() + 4096);
  size_t packets = 0;
  size_t bytes = 0;
  for (const auto& packet : *compound) {
    ++packets;
    bytes += packet.bytes.size();
    rtcp_detail::reports(packet, out);
    rtcp_detail::feedback(packet, out);
  }
  FUZZ_CHECK(packets == compound->packetCount() && bytes == data.size());
}

}  // namespace fluxmeet::fuzz
