#pragma once
// Consumer: one producer's track sent to one subscriber. It chooses which encoding (simulcast
// layer) to forward, switches only on keyframes, and rewrites SSRC, sequence number, timestamp
// and (for VP8) picture ID/TL0PICIDX so the subscriber sees one continuous stream across layer
// switches, pauses and restarts. It answers NACKs from its own retransmission buffer (as RTX,
// RFC 4588, when negotiated) and writes sender reports that keep the publisher's NTP/RTP
// relation, so browsers keep audio and video in sync (RFC 3550 section 6.4.1).
//
// Threading: its Router's worker thread. forward() allocates nothing.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "fluxmeet/media/codecs/keyframe.hpp"
#include "fluxmeet/media/codecs/vp8_rewriter.hpp"
#include "fluxmeet/media/ortc/ortc.hpp"
#include "fluxmeet/media/router/producer.hpp"
#include "fluxmeet/media/router/retransmission_buffer.hpp"
#include "fluxmeet/media/router/sequence_rewriter.hpp"
#include "fluxmeet/media/rtcp/feedback.hpp"
#include "fluxmeet/media/rtcp/sender_report.hpp"
#include "fluxmeet/media/rtp/extension_id_map.hpp"
#include "fluxmeet/media/transport/webrtc_transport.hpp"

namespace fluxmeet::media::router {

struct ConsumerStats {
  uint64_t packetsSent = 0;
  uint64_t bytesSent = 0;
  uint64_t packetsDropped = 0;      // layer not selected, paused, waiting for a keyframe
  uint64_t nacksReceived = 0;
  uint64_t packetsRetransmitted = 0;
  uint64_t keyframeRequests = 0;    // PLI/FIR from the subscriber, and our own on switches
  uint8_t fractionLost = 0;         // from the subscriber's last receiver report
  double roundTripMs = 0;
  uint32_t bitrate = 0;             // bits/s sent over the last report interval
};

class Consumer {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // A keyframe of encoding `streamIndex` of the producer is needed (subscriber PLI/FIR, start,
    // resume or layer switch). The router rate-limits per stream.
    virtual void onConsumerKeyframeNeeded(Consumer& consumer, size_t streamIndex) = 0;
    // The forwarded simulcast encoding changed (at a keyframe). Rare: once per switch.
    virtual void onConsumerLayerChanged(Consumer& consumer) = 0;
  };

  Consumer(std::string id, std::string producerId, transport::WebRtcTransport& transport, Listener& listener,
           ortc::MediaKind kind, ortc::RtpParameters rtpParameters, size_t producerStreams,
           const ortc::RtpCapabilities& routerCapabilities);

  const std::string& id() const { return id_; }
  const std::string& producerId() const { return producerId_; }
  transport::WebRtcTransport& transport() const { return transport_; }
  ortc::MediaKind kind() const { return kind_; }
  const ortc::RtpParameters& rtpParameters() const { return rtpParameters_; }
  uint32_t ssrc() const { return ssrc_; }
  uint32_t rtxSsrc() const { return rtxSsrc_; }
  const ConsumerStats& stats() const { return stats_; }

  // Subscriber-side pause (not visible, or the client asked): nothing is sent.
  bool paused() const { return paused_; }
  void setPaused(bool paused);
  void setProducerPaused(bool paused);
  bool producerPaused() const { return producerPaused_; }
  bool active() const { return !paused_ && !producerPaused_; }

  // Preferred simulcast layer (encoding index, 0 = lowest) and VP8 temporal layer.
  void setPreferredLayers(size_t spatial, std::optional<uint8_t> temporal);
  size_t preferredSpatialLayer() const { return preferredSpatial_; }
  // The encoding being forwarded, or -1 before the first keyframe.
  int currentSpatialLayer() const { return currentStream_; }
  // The encoding the consumer is switching to (or forwarding).
  int targetSpatialLayer() const { return targetStream_; }
  bool isSimulcast() const { return producerStreams_ > 1; }
  // Simulcast: forward encoding `layer` from its next keyframe on (asked for at once); -1 or the
  // present target change nothing. The router decides with its LayerAllocator.
  void setTargetLayer(int layer);
  // Order in the transport's layer allocation: higher first (screen share, pinned tiles).
  uint8_t priority() const { return priority_; }
  void setPriority(uint8_t priority) { priority_ = priority; }
  // Bits per second sent since the last call (the router calls it once per report interval).
  void updateBitrate(Clock::time_point now);

  // One packet of the producer (router ids and payload types) from encoding `streamIndex`.
  void forward(const rtp::RtpPacketView& packet, size_t streamIndex, Clock::time_point now);

  // RTCP from the subscriber about this consumer's SSRC.
  void receiveNack(const rtcp::NackView& nack);
  void receiveKeyframeRequest();
  void receiveReportBlock(const rtcp::ReportBlock& block, Clock::time_point now);
  // Sender info for an SR, or nullopt before anything was sent.
  std::optional<rtcp::SenderInfo> senderInfo(const Producer& producer, Clock::time_point now) const;

 private:
  bool isKeyframe(std::span<const uint8_t> payload) const;
  void sync(const rtp::RtpPacketView& packet, Clock::time_point now);
  void requestKeyframe(size_t streamIndex);
  void retransmit(uint16_t sequenceNumber);

  std::string id_;
  std::string producerId_;
  transport::WebRtcTransport& transport_;
  Listener& listener_;
  ortc::MediaKind kind_;
  ortc::RtpParameters rtpParameters_;
  codecs::Codec codec_ = codecs::Codec::Unknown;
  uint32_t ssrc_ = 0;
  uint32_t rtxSsrc_ = 0;
  uint8_t payloadType_ = 0;     // the consumer's codec PT (router PT)
  uint8_t rtxPayloadType_ = 0;  // 0 = no RTX
  uint32_t clockRate_ = 90000;
  size_t producerStreams_ = 1;
  rtp::ExtensionIdMap extensionIds_;
  uint8_t absSendTimeId_ = 0;  // the subscriber's id for abs-send-time, 0 = not negotiated

  bool paused_ = false;
  bool producerPaused_ = false;
  size_t preferredSpatial_ = 0;
  uint8_t priority_ = 1;
  uint64_t bitrateBytes_ = 0;  // bytesSent at the last updateBitrate
  Clock::time_point bitrateAt_{};
  std::optional<uint8_t> preferredTemporal_;
  int currentStream_ = -1;
  int targetStream_ = -1;
  bool syncRequired_ = true;     // next forwarded packet starts a new run: re-base offsets

  SequenceRewriter sequences_;   // source -> output sequence numbers
  uint32_t timestampOffset_ = 0;
  uint16_t lastSequence_ = 0;    // last output values
  uint32_t lastTimestamp_ = 0;
  Clock::time_point lastSentAt_{};
  bool sentAny_ = false;
  uint16_t rtxSequence_ = 0;

  std::unique_ptr<codecs::Vp8Rewriter> vp8_;
  std::unique_ptr<RetransmissionBuffer> retransmissions_;  // video only
  ConsumerStats stats_;
};

}  // namespace fluxmeet::media::router
