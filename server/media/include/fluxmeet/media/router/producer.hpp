#pragma once
// Producer: one track a browser sends (audio, camera, screen), with 1..4 encodings (simulcast
// layers by rid or SSRC, RFC 8853). It normalises what arrives so consumers see the router's
// world: payload types and header-extension ids mapped to the router's (mediasoup's "mapped"
// parameters), and it keeps per-stream receive statistics for RTCP receiver reports
// (RFC 3550 section 6.4.2 and appendix A.3/A.8).
//
// Threading: its Router's worker thread. The packet path allocates nothing.
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fluxmeet/media/ortc/ortc.hpp"
#include "fluxmeet/media/router/nack_generator.hpp"
#include "fluxmeet/media/rtcp/report_block.hpp"
#include "fluxmeet/media/rtp/extension_id_map.hpp"
#include "fluxmeet/media/rtp/rtp_packet.hpp"
#include "fluxmeet/media/rtp/sequence_number.hpp"

namespace fluxmeet::media::router {

using Clock = std::chrono::steady_clock;

// Receive side of one encoding.
struct ProducerStream {
  uint32_t ssrc = 0;           // 0 until learned from the first packet carrying its rid
  std::optional<std::string> rid;
  uint32_t mappedSsrc = 0;     // the SSRC consumers see in the consumable parameters
  uint32_t rtxSsrc = 0;        // RFC 4588 repair stream, signalled or learned by repaired-rid
  uint32_t clockRate = 90000;
  // Statistics (RFC 3550 appendix A.3).
  uint64_t packets = 0;
  uint64_t bytes = 0;
  rtp::SequenceUnwrapper sequence;
  int64_t baseSequence = -1;
  int64_t highestSequence = -1;
  uint64_t expectedPrior = 0;
  uint64_t receivedPrior = 0;
  double jitter = 0;           // RTP timestamp units
  int64_t lastTransit = 0;
  bool haveTransit = false;
  // Last sender report, for the RR's LSR/DLSR and for consumers' lip sync.
  uint64_t lastSrNtp = 0;
  uint32_t lastSrRtp = 0;
  Clock::time_point lastSrReceived{};
  Clock::time_point lastPacketAt{};
  Clock::time_point lastKeyframeRequest{};
  // Bitrate over the last second window, for stats and layer choice.
  uint64_t windowBytes = 0;
  Clock::time_point windowStart{};
  uint32_t bitrate = 0;        // bits per second
  // Loss repair towards the publisher (video with "nack" feedback only; null otherwise).
  std::unique_ptr<NackGenerator> nack;
  uint64_t keyframeRequests = 0;  // PLIs we sent for this encoding
  uint64_t rtxPackets = 0;        // repairs that came as RTX

  bool active(Clock::time_point now) const {
    return packets > 0 && now - lastPacketAt < std::chrono::milliseconds(1500);
  }
};

class Producer {
 public:
  Producer(std::string id, std::string transportId, ortc::MediaKind kind, ortc::RtpParameters rtpParameters,
           ortc::RtpParameters consumableParameters, const ortc::RtpMapping& mapping,
           const ortc::RtpCapabilities& routerCapabilities);

  const std::string& id() const { return id_; }
  const std::string& transportId() const { return transportId_; }
  ortc::MediaKind kind() const { return kind_; }
  const ortc::RtpParameters& rtpParameters() const { return rtpParameters_; }
  const ortc::RtpParameters& consumableParameters() const { return consumableParameters_; }
  bool paused() const { return paused_; }
  void setPaused(bool paused) { paused_ = paused; }
  bool isSimulcast() const { return streams_.size() > 1; }
  size_t streamCount() const { return streams_.size(); }
  ProducerStream& stream(size_t index) { return streams_[index]; }
  const ProducerStream& stream(size_t index) const { return streams_[index]; }

  // The encoding a packet belongs to: by SSRC, else by its rid header extension (whose SSRC is
  // then remembered). nullopt for packets that are not ours, RTX included (not negotiated back).
  std::optional<size_t> matchStream(const rtp::RtpPacketView& packet);
  // True when the SSRC belongs to this producer's RTX streams (RFC 4588), e.g. Chrome's padding
  // probes: the router drops them.
  bool isRtxPayloadType(uint8_t payloadType) const { return rtxPayloadTypes_[payloadType & 0x7F]; }
  const std::optional<std::string>& mid() const { return rtpParameters_.mid; }
  uint8_t midExtensionId() const { return midExtensionId_; }

  // An RTX packet (RFC 4588) of one of our encodings, by its RTX SSRC, else (first packet of a
  // rid-signalled encoding) by its repaired-rid extension, whose SSRC is then remembered.
  std::optional<size_t> matchRtxStream(const rtp::RtpPacketView& packet);
  // Turns the RTX packet into the original in place (RFC 4588 section 4: the payload starts
  // with the original sequence number): the header moves 2 bytes on over the OSN, and gets the
  // encoding's SSRC and the original payload type. nullopt for padding-only probes.
  std::optional<rtp::RtpPacketView> unwrapRtx(rtp::RtpPacketView& rtx, size_t streamIndex);
  // The NACK generator's verdict on a packet's sequence number (InOrder when NACK is off).
  NackGenerator::Arrival trackSequence(size_t streamIndex, uint16_t sequenceNumber, Clock::time_point now);

  // Accounts the packet and rewrites payload type and extension ids to the router's, in place.
  // False when the packet's payload type is not one of the producer's codecs (dropped).
  // Repaired packets do not feed the jitter estimate (their delay is the repair's).
  bool receive(rtp::RtpPacketView& packet, size_t streamIndex, Clock::time_point now, bool repaired = false);
  void receiveSenderReport(uint32_t ssrc, uint64_t ntp, uint32_t rtpTimestamp, Clock::time_point now);

  // RFC 3550 section 6.4.1 report block for one stream (updates the "prior" counters).
  rtcp::ReportBlock makeReportBlock(size_t streamIndex, Clock::time_point now);
  // Rate limit for keyframe requests towards the browser (RFC 4585 section 3.5.3 asks for
  // restraint; a PLI storm costs the sender bandwidth). True when one may be sent now.
  bool allowKeyframeRequest(size_t streamIndex, Clock::time_point now);

  // Audio: the last RFC 6464 level (0 = loudest .. 127 = silence), smoothed by the router.
  uint8_t audioLevelExtensionId() const { return audioLevelExtensionId_; }

 private:
  std::string id_;
  std::string transportId_;
  ortc::MediaKind kind_;
  ortc::RtpParameters rtpParameters_;
  ortc::RtpParameters consumableParameters_;
  bool paused_ = false;
  std::vector<ProducerStream> streams_;
  std::array<int16_t, 128> payloadTypeMap_{};  // producer PT -> router PT, -1 = not ours
  std::array<bool, 128> rtxPayloadTypes_{};
  std::array<int16_t, 128> rtxAssociatedPayloadType_{};  // RTX PT -> original PT (apt), -1 = none
  rtp::ExtensionIdMap extensionIds_;           // producer id -> router id; others -> an unused id
  uint8_t midExtensionId_ = 0;                 // producer-side ids
  uint8_t ridExtensionId_ = 0;
  uint8_t repairedRidExtensionId_ = 0;
  uint8_t audioLevelExtensionId_ = 0;          // router-side id (after mapping)
};

}  // namespace fluxmeet::media::router
