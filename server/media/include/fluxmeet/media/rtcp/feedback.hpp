#pragma once
// RTP/AVPF feedback messages (RFC 4585 section 6.1): generic NACK (section 6.2.1), PLI
// (section 6.3.1) and FIR (RFC 5104 section 4.3.1). REMB and transport-cc have own headers.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "fluxmeet/media/net/byte_io.hpp"
#include "fluxmeet/media/rtcp/common_header.hpp"

namespace fluxmeet::media::rtcp {

namespace fmt {
inline constexpr uint8_t kNack = 1;            // RTPFB, RFC 4585 section 6.2.1
inline constexpr uint8_t kTransportCc = 15;    // RTPFB, draft-holmer-rmcat-transport-wide-cc
inline constexpr uint8_t kPli = 1;             // PSFB, RFC 4585 section 6.3.1
inline constexpr uint8_t kFir = 4;             // PSFB, RFC 5104 section 4.3.1
inline constexpr uint8_t kApplicationLayer = 15;  // PSFB AFB, used by REMB
}  // namespace fmt

inline constexpr size_t kFeedbackHeaderSize = 8;  // sender SSRC + media source SSRC

// The part every feedback message shares: sender SSRC, media SSRC, FCI.
struct FeedbackPacket {
  uint8_t format = 0;
  uint8_t packetType = 0;
  uint32_t senderSsrc = 0;
  uint32_t mediaSsrc = 0;
  std::span<const uint8_t> fci;
};

std::optional<FeedbackPacket> parseFeedback(const RtcpPacket& packet);

// Generic NACK: each FCI entry is PID (a lost sequence number) and BLP, a bitmask of which of
// the following 16 sequence numbers are lost too.
class NackView {
 public:
  static std::optional<NackView> parse(const RtcpPacket& packet);

  uint32_t senderSsrc() const { return senderSsrc_; }
  uint32_t mediaSsrc() const { return mediaSsrc_; }
  size_t entryCount() const { return fci_.size() / 4; }

  // Calls f(uint16_t seq) for every lost sequence number, in wire order.
  template <class F>
  void forEachLost(F&& f) const {
    for (size_t i = 0; i + 4 <= fci_.size(); i += 4) {
      const uint16_t pid = net::loadU16(&fci_[i]);
      const uint16_t blp = net::loadU16(&fci_[i + 2]);
      f(pid);
      for (uint16_t bit = 0; bit < 16; ++bit) {
        if ((blp >> bit) & 1U) f(static_cast<uint16_t>(pid + bit + 1));
      }
    }
  }
  // Writes up to out.size() lost sequence numbers; returns how many were written.
  size_t expand(std::span<uint16_t> out) const;

 private:
  NackView(uint32_t sender, uint32_t media, std::span<const uint8_t> fci)
      : senderSsrc_(sender), mediaSsrc_(media), fci_(fci) {}
  uint32_t senderSsrc_;
  uint32_t mediaSsrc_;
  std::span<const uint8_t> fci_;
};

// Packs `lost` (best in ascending serial order) into as few PID+BLP entries as it can.
std::optional<size_t> writeNack(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc,
                                std::span<const uint16_t> lost);

// Picture Loss Indication: no FCI.
struct Pli {
  uint32_t senderSsrc = 0;
  uint32_t mediaSsrc = 0;
};
std::optional<Pli> parsePli(const RtcpPacket& packet);
std::optional<size_t> writePli(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc);

// Full Intra Request: FCI entries of SSRC + command sequence number (RFC 5104 section 4.3.1.1).
struct FirEntry {
  uint32_t ssrc = 0;
  uint8_t sequenceNumber = 0;
  friend bool operator==(const FirEntry&, const FirEntry&) = default;
};

class FirView {
 public:
  static std::optional<FirView> parse(const RtcpPacket& packet);
  uint32_t senderSsrc() const { return senderSsrc_; }
  size_t entryCount() const { return fci_.size() / 8; }
  FirEntry entry(size_t index) const;  // index < entryCount()

 private:
  FirView(uint32_t sender, std::span<const uint8_t> fci) : senderSsrc_(sender), fci_(fci) {}
  uint32_t senderSsrc_;
  std::span<const uint8_t> fci_;
};

std::optional<size_t> writeFir(std::span<uint8_t> out, uint32_t senderSsrc,
                               std::span<const FirEntry> entries);

}  // namespace fluxmeet::media::rtcp
