#include "fluxmeet/media/rtcp/remb.hpp"

#include <limits>

#include "fluxmeet/media/net/byte_io.hpp"
#include "fluxmeet/media/rtcp/feedback.hpp"

namespace fluxmeet::media::rtcp {
namespace {

constexpr uint8_t kIdentifier[4] = {'R', 'E', 'M', 'B'};
constexpr uint32_t kMaxMantissa = (1U << 18) - 1;

}  // namespace

std::optional<RembView> RembView::parse(const RtcpPacket& packet) {
  auto fb = parseFeedback(packet);
  if (!fb || fb->packetType != packet_type::kPayloadFeedback ||
      fb->format != fmt::kApplicationLayer || fb->fci.size() < 8) {
    return std::nullopt;
  }
  const auto fci = fb->fci;
  for (size_t i = 0; i < 4; ++i) {
    if (fci[i] != kIdentifier[i]) return std::nullopt;
  }
  const size_t count = fci[4];
  if (fci.size() - 8 < 4 * count) return std::nullopt;
  const uint8_t exponent = fci[5] >> 2;
  const uint64_t mantissa = net::loadU24(&fci[5]) & 0x3FFFFU;
  uint64_t bitrate = mantissa << exponent;
  if (exponent > 46 && (mantissa >> (64 - exponent)) != 0) {
    bitrate = std::numeric_limits<uint64_t>::max();  // would overflow: saturate
  }
  return RembView(fb->senderSsrc, bitrate, fci.first(8 + 4 * count));
}

uint32_t RembView::ssrc(size_t index) const { return net::loadU32(&fci_[8 + 4 * index]); }

std::optional<size_t> writeRemb(std::span<uint8_t> out, uint32_t senderSsrc, uint64_t bitrateBps,
                                std::span<const uint32_t> ssrcs) {
  const size_t total = kCommonHeaderSize + kFeedbackHeaderSize + 8 + 4 * ssrcs.size();
  if (ssrcs.size() > 255 || out.size() < total) return std::nullopt;
  uint8_t exponent = 0;
  while ((bitrateBps >> exponent) > kMaxMantissa) ++exponent;
  const uint32_t mantissa = static_cast<uint32_t>(bitrateBps >> exponent);
  writeCommonHeader(out.data(), fmt::kApplicationLayer, packet_type::kPayloadFeedback, total);
  net::storeU32(&out[4], senderSsrc);
  net::storeU32(&out[8], 0);  // media source SSRC is unused (section 2.2)
  for (size_t i = 0; i < 4; ++i) out[12 + i] = kIdentifier[i];
  out[16] = static_cast<uint8_t>(ssrcs.size());
  net::storeU24(&out[17], (static_cast<uint32_t>(exponent) << 18) | mantissa);
  for (size_t i = 0; i < ssrcs.size(); ++i) {
    net::storeU32(&out[20 + 4 * i], ssrcs[i]);
  }
  return total;
}

}  // namespace fluxmeet::media::rtcp
