#include "fluxmeet/media/rtcp/feedback.hpp"

namespace fluxmeet::media::rtcp {
namespace {

constexpr size_t kNackEntrySize = 4;
constexpr size_t kFirEntrySize = 8;
constexpr size_t kMaxPacketBytes = 4 * 65536;  // the 16-bit length field's limit

void writeFeedbackHeader(std::span<uint8_t> out, uint8_t format, uint8_t packetType, size_t total,
                         uint32_t sender, uint32_t media) {
  writeCommonHeader(out.data(), format, packetType, total);
  net::storeU32(&out[4], sender);
  net::storeU32(&out[8], media);
}

}  // namespace

std::optional<FeedbackPacket> parseFeedback(const RtcpPacket& packet) {
  if ((packet.packetType != packet_type::kRtpFeedback &&
       packet.packetType != packet_type::kPayloadFeedback) ||
      packet.body.size() < kFeedbackHeaderSize) {
    return std::nullopt;
  }
  return FeedbackPacket{packet.count, packet.packetType, net::loadU32(&packet.body[0]),
                        net::loadU32(&packet.body[4]), packet.body.subspan(kFeedbackHeaderSize)};
}

std::optional<NackView> NackView::parse(const RtcpPacket& packet) {
  auto fb = parseFeedback(packet);
  if (!fb || fb->packetType != packet_type::kRtpFeedback || fb->format != fmt::kNack ||
      fb->fci.empty() || fb->fci.size() % kNackEntrySize != 0) {
    return std::nullopt;
  }
  return NackView(fb->senderSsrc, fb->mediaSsrc, fb->fci);
}

size_t NackView::expand(std::span<uint16_t> out) const {
  size_t n = 0;
  forEachLost([&](uint16_t seq) {
    if (n < out.size()) out[n++] = seq;
  });
  return n;
}

std::optional<size_t> writeNack(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc,
                                std::span<const uint16_t> lost) {
  if (lost.empty() || out.size() < kCommonHeaderSize + kFeedbackHeaderSize) return std::nullopt;
  size_t offset = kCommonHeaderSize + kFeedbackHeaderSize;
  size_t entryOffset = 0;
  uint16_t pid = 0;
  uint16_t blp = 0;
  bool open = false;
  for (uint16_t seq : lost) {
    const uint16_t distance = static_cast<uint16_t>(seq - pid);
    if (open && distance == 0) continue;  // duplicate
    if (open && distance >= 1 && distance <= 16) {
      blp = static_cast<uint16_t>(blp | (1U << (distance - 1)));
      net::storeU16(&out[entryOffset + 2], blp);
      continue;
    }
    if (out.size() - offset < kNackEntrySize || offset + kNackEntrySize > kMaxPacketBytes) {
      return std::nullopt;
    }
    entryOffset = offset;
    pid = seq;
    blp = 0;
    open = true;
    net::storeU16(&out[entryOffset], pid);
    net::storeU16(&out[entryOffset + 2], blp);
    offset += kNackEntrySize;
  }
  writeFeedbackHeader(out, fmt::kNack, packet_type::kRtpFeedback, offset, senderSsrc, mediaSsrc);
  return offset;
}

std::optional<Pli> parsePli(const RtcpPacket& packet) {
  auto fb = parseFeedback(packet);
  if (!fb || fb->packetType != packet_type::kPayloadFeedback || fb->format != fmt::kPli) {
    return std::nullopt;
  }
  return Pli{fb->senderSsrc, fb->mediaSsrc};
}

std::optional<size_t> writePli(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc) {
  constexpr size_t total = kCommonHeaderSize + kFeedbackHeaderSize;
  if (out.size() < total) return std::nullopt;
  writeFeedbackHeader(out, fmt::kPli, packet_type::kPayloadFeedback, total, senderSsrc, mediaSsrc);
  return total;
}

std::optional<FirView> FirView::parse(const RtcpPacket& packet) {
  auto fb = parseFeedback(packet);
  if (!fb || fb->packetType != packet_type::kPayloadFeedback || fb->format != fmt::kFir ||
      fb->fci.empty() || fb->fci.size() % kFirEntrySize != 0) {
    return std::nullopt;
  }
  return FirView(fb->senderSsrc, fb->fci);
}

FirEntry FirView::entry(size_t index) const {
  const uint8_t* p = &fci_[kFirEntrySize * index];
  return FirEntry{net::loadU32(p), p[4]};
}

// RFC 5104 section 4.3.1.2: the media source SSRC field is unused and set to 0.
std::optional<size_t> writeFir(std::span<uint8_t> out, uint32_t senderSsrc,
                               std::span<const FirEntry> entries) {
  const size_t total = kCommonHeaderSize + kFeedbackHeaderSize + kFirEntrySize * entries.size();
  if (entries.empty() || out.size() < total || total > kMaxPacketBytes) return std::nullopt;
  writeFeedbackHeader(out, fmt::kFir, packet_type::kPayloadFeedback, total, senderSsrc, 0);
  for (size_t i = 0; i < entries.size(); ++i) {
    uint8_t* p = &out[kCommonHeaderSize + kFeedbackHeaderSize + kFirEntrySize * i];
    net::storeU32(p, entries[i].ssrc);
    p[4] = entries[i].sequenceNumber;
    p[5] = p[6] = p[7] = 0;
  }
  return total;
}

}  // namespace fluxmeet::media::rtcp
