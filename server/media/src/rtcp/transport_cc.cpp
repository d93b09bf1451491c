#include "fluxmeet/media/rtcp/transport_cc.hpp"

#include "fluxmeet/media/rtcp/feedback.hpp"

namespace fluxmeet::media::rtcp {
namespace {

constexpr size_t kFixedFciSize = 8;  // base seq, status count, reference time, fb pkt count

}  // namespace

std::optional<TransportCcView> TransportCcView::parse(const RtcpPacket& packet) {
  auto fb = parseFeedback(packet);
  if (!fb || fb->packetType != packet_type::kRtpFeedback || fb->format != fmt::kTransportCc ||
      fb->fci.size() < kFixedFciSize) {
    return std::nullopt;
  }
  const auto fci = fb->fci;
  const size_t total = net::loadU16(&fci[2]);
  size_t offset = kFixedFciSize;
  size_t reported = 0;
  size_t deltaBytes = 0;
  while (reported < total) {
    if (fci.size() - offset < 2) return std::nullopt;
    const uint16_t chunk = net::loadU16(&fci[offset]);
    offset += 2;
    const size_t symbols = tcc_detail::chunkSymbolCount(chunk);
    if (symbols == 0) return std::nullopt;  // an empty run cannot make progress
    const size_t used = symbols < total - reported ? symbols : total - reported;
    if ((chunk & 0x8000) == 0) {
      // Run length: one symbol for the whole run.
      const uint8_t symbol = tcc_detail::chunkSymbol(chunk, 0);
      if (symbol == 3) return std::nullopt;
      deltaBytes += used * symbol;  // NotReceived 0, small 1 byte, large 2 bytes
    } else {
      for (size_t s = 0; s < used; ++s) {
        const uint8_t symbol = tcc_detail::chunkSymbol(chunk, s);
        if (symbol == 3) return std::nullopt;
        deltaBytes += symbol;
      }
    }
    reported += used;
  }
  if (fci.size() - offset < deltaBytes) return std::nullopt;
  TransportCcView view;
  view.senderSsrc_ = fb->senderSsrc;
  view.mediaSsrc_ = fb->mediaSsrc;
  view.fci_ = fci;
  view.chunks_ = fci.subspan(kFixedFciSize, offset - kFixedFciSize);
  view.deltas_ = fci.subspan(offset);
  return view;
}

int32_t TransportCcView::referenceTime() const {
  const uint32_t raw = net::loadU24(&fci_[4]);
  return (raw & 0x800000U) != 0 ? static_cast<int32_t>(raw | 0xFF000000U) : static_cast<int32_t>(raw);
}

}  // namespace fluxmeet::media::rtcp
