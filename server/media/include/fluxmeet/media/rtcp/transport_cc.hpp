#pragma once
// Transport-wide congestion control feedback
// (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1): RTPFB FMT 15 reporting, for
// a range of transport-wide sequence numbers, whether each packet arrived and when.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "fluxmeet/media/net/byte_io.hpp"
#include "fluxmeet/media/rtcp/common_header.hpp"

namespace fluxmeet::media::rtcp {

// Section 3.1.1 packet status symbols.
enum class TccStatus : uint8_t { NotReceived = 0, SmallDelta = 1, LargeDelta = 2 };

inline constexpr int64_t kTccDeltaTickUs = 250;       // receive deltas are multiples of 250 us
inline constexpr int64_t kTccReferenceTickUs = 64000;  // reference time is in multiples of 64 ms

namespace tcc_detail {
// Section 3.1.3 run length chunk: T=0 | S (2) | run length (13).
// Section 3.1.4 status vector chunk: T=1 | S (1) | 14 one-bit or 7 two-bit symbols.
inline size_t chunkSymbolCount(uint16_t chunk) {
  if ((chunk & 0x8000) == 0) return chunk & 0x1FFF;
  return (chunk & 0x4000) != 0 ? 7 : 14;
}
inline uint8_t chunkSymbol(uint16_t chunk, size_t index) {
  if ((chunk & 0x8000) == 0) return static_cast<uint8_t>((chunk >> 13) & 0x3);
  if ((chunk & 0x4000) != 0) return static_cast<uint8_t>((chunk >> (12 - 2 * index)) & 0x3);
  return static_cast<uint8_t>((chunk >> (13 - index)) & 0x1);
}
}  // namespace tcc_detail

class TransportCcView {
 public:
  // Validates that the chunks cover the packet status count, that no status is the reserved
  // value 3, and that every delta they announce is present.
  static std::optional<TransportCcView> parse(const RtcpPacket& packet);

  uint32_t senderSsrc() const { return senderSsrc_; }
  uint32_t mediaSsrc() const { return mediaSsrc_; }
  uint16_t baseSequence() const { return net::loadU16(&fci_[0]); }
  uint16_t packetStatusCount() const { return net::loadU16(&fci_[2]); }
  int32_t referenceTime() const;  // signed 24 bits, units of 64 ms
  int64_t referenceTimeUs() const { return int64_t{referenceTime()} * kTccReferenceTickUs; }
  uint8_t feedbackPacketCount() const { return fci_[7]; }

  // Calls f(uint16_t seq, TccStatus status, int32_t deltaTicks) for every reported packet in
  // order; deltaTicks (units of 250 us, relative to the previous received packet or the
  // reference time) is 0 for packets not received.
  template <class F>
  void forEachPacket(F&& f) const {
    const size_t total = packetStatusCount();
    size_t reported = 0;
    size_t deltaOffset = 0;
    for (size_t c = 0; reported < total; ++c) {
      const uint16_t chunk = net::loadU16(&chunks_[2 * c]);
      const size_t symbols = tcc_detail::chunkSymbolCount(chunk);
      for (size_t s = 0; s < symbols && reported < total; ++s, ++reported) {
        const auto status = static_cast<TccStatus>(tcc_detail::chunkSymbol(chunk, s));
        int32_t delta = 0;
        if (status == TccStatus::SmallDelta) {
          delta = deltas_[deltaOffset];
          deltaOffset += 1;
        } else if (status == TccStatus::LargeDelta) {
          delta = static_cast<int16_t>(net::loadU16(&deltas_[deltaOffset]));
          deltaOffset += 2;
        }
        f(static_cast<uint16_t>(baseSequence() + reported), status, delta);
      }
    }
  }

 private:
  TransportCcView() = default;
  uint32_t senderSsrc_ = 0;
  uint32_t mediaSsrc_ = 0;
  std::span<const uint8_t> fci_;     // the whole FCI
  std::span<const uint8_t> chunks_;  // packet chunks
  std::span<const uint8_t> deltas_;  // receive deltas (and any trailing padding)
};

}  // namespace fluxmeet::media::rtcp
