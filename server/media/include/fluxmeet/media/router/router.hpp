#pragma once
// Router: one meeting's media. It owns the meeting's WebRtcTransports, Producers and Consumers
// (mediasoup's object model, which mediasoup-client in the browser expects), routes every RTP
// packet of a producer to its consumers, RTCP feedback back to the producer, and runs the
// periodic work (RTCP reports, layer choice, active speaker).
//
// Ownership: Router -> transports, producers, consumers (unique_ptr); consumers and producers
// point at their transport; a transport is closed after its producers and consumers.
// Threading: the worker thread it lives on. Control methods are called through the worker's
// task queue; they return Result and never throw.
#include <chrono>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/dtls/dtls_certificate.hpp"
#include "fluxmeet/media/ortc/ortc.hpp"
#include "fluxmeet/media/router/active_speaker.hpp"
#include "fluxmeet/media/router/consumer.hpp"
#include "fluxmeet/media/router/layer_allocator.hpp"
#include "fluxmeet/media/router/producer.hpp"
#include "fluxmeet/media/router/rtp_tap.hpp"
#include "fluxmeet/media/transport/webrtc_transport.hpp"

namespace fluxmeet::media::router {

// Events for the control side, called on the worker thread (post them elsewhere).
class RouterListener {
 public:
  virtual ~RouterListener() = default;
  virtual void onTransportClosed(const std::string& routerId, const std::string& transportId, std::string_view reason) = 0;
  // The consumer closed because its producer closed.
  virtual void onConsumerClosed(const std::string& routerId, const std::string& consumerId) = 0;
  // A simulcast consumer now forwards encoding `spatialLayer` (0 = lowest).
  virtual void onConsumerLayersChanged(const std::string& routerId, const std::string& consumerId, int spatialLayer) {
    (void)routerId, (void)consumerId, (void)spatialLayer;
  }
  // The loudest audio producer changed (empty: silence).
  virtual void onActiveSpeaker(const std::string& routerId, const std::string& producerId) = 0;
};

struct RouterLimits {
  size_t maxTransports = 500;
  size_t maxProducersPerTransport = 8;
  size_t maxConsumersPerTransport = 500;
  // Cap on what one producer may send, bits/s: produce() refuses encodings whose maxBitrate sum
  // is above it, and REMB to each publisher says (video producers x cap + audio) so browsers
  // keep under it (MEDIA_MAX_PRODUCER_BITRATE). 0 = no cap.
  uint64_t maxProducerBitrate = 3'000'000;
};

struct TransportParameters {
  std::string id;
  std::string iceUfrag;
  std::string icePassword;
  std::string fingerprintSha256;
};

struct ConsumerParameters {
  std::string id;
  std::string producerId;
  ortc::MediaKind kind;
  ortc::RtpParameters rtpParameters;
  bool producerPaused = false;
};

struct TransportStats {
  std::string id;
  std::string state;
  std::string iceState;                   // "new", "connected", "completed", "disconnected", "closed"
  std::optional<std::string> tupleProtocol;  // of the selected tuple: "udp" or "tcp"; none while unselected
  transport::WebRtcTransportStats counters;
  uint32_t availableOutgoingBitrate = 0;  // REMB from the subscriber, 0 = unknown
  uint64_t maxIncomingBitrate = 0;        // what our REMB to the publisher allows, 0 = none sent
};

// One encoding of a producer as the SFU receives it.
struct ProducerStreamStats {
  uint32_t ssrc = 0;
  std::optional<std::string> rid;
  uint64_t packets = 0;             // repairs included
  uint64_t bytes = 0;
  uint32_t bitrate = 0;             // bits/s over the last second
  int64_t packetsLost = 0;          // RFC 3550 cumulative: expected - received
  double jitterMs = 0;
  uint64_t nacksSent = 0;           // NACK messages to the publisher
  uint64_t packetsRequested = 0;    // sequence numbers asked for (retries included)
  uint64_t packetsRepaired = 0;     // asked for and received
  uint64_t packetsUnrepaired = 0;   // given up on
  uint64_t rtxPackets = 0;          // repairs that came as RTX
  uint64_t keyframeRequests = 0;    // PLIs sent to the publisher
  double nackRoundTripMs = 0;       // first NACK -> repair, smoothed
};

struct ProducerStats {
  std::string id;
  std::string transportId;
  ortc::MediaKind kind = ortc::MediaKind::Audio;
  bool paused = false;
  std::vector<ProducerStreamStats> streams;
};

struct ConsumerStatsEntry {
  std::string id;
  std::string producerId;
  std::string transportId;
  ortc::MediaKind kind = ortc::MediaKind::Audio;
  bool paused = false;
  bool producerPaused = false;
  int currentLayer = -1;
  int targetLayer = -1;
  size_t preferredLayer = 0;
  uint8_t priority = 1;
  ConsumerStats counters;
};

// Totals since the router was created, closed objects included (for /metrics).
struct RouterCounters {
  uint64_t nacksSent = 0;             // NACK messages to publishers
  uint64_t nacksReceived = 0;         // NACK messages from subscribers
  uint64_t retransmittedPackets = 0;  // packets resent to subscribers
  uint64_t repairedPackets = 0;       // packets publishers resent on our NACK
  uint64_t keyframeRequests = 0;      // PLIs sent to publishers
  uint64_t packetsLost = 0;           // publisher packets never received (NACK gave up)
  RouterCounters& operator+=(const RouterCounters& other);
};

class Router : private transport::WebRtcTransport::Listener, private Consumer::Listener {
 public:
  Router(std::string id, ortc::RtpCapabilities capabilities, RouterListener& listener, net::DatagramSink& sink,
         transport::TransportRegistry& registry, std::shared_ptr<const dtls::DtlsCertificate> certificate,
         RouterLimits limits = {});
  ~Router() override;
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  const std::string& id() const { return id_; }
  const ortc::RtpCapabilities& rtpCapabilities() const { return capabilities_; }

  Result<TransportParameters> createWebRtcTransport(const std::string& transportId);
  Result<void> connectTransport(const std::string& transportId, std::string_view role, std::string_view algorithm,
                                std::string_view fingerprint);
  Result<ice::IceCredentials> restartIce(const std::string& transportId);
  void closeTransport(const std::string& transportId);

  Result<void> produce(const std::string& transportId, const std::string& producerId, ortc::MediaKind kind,
                       ortc::RtpParameters rtpParameters);
  void closeProducer(const std::string& producerId);
  Result<void> setProducerPaused(const std::string& producerId, bool paused);

  Result<ConsumerParameters> consume(const std::string& transportId, const std::string& consumerId,
                                     const std::string& producerId, const ortc::RtpCapabilities& deviceCapabilities,
                                     bool paused);
  void closeConsumer(const std::string& consumerId);
  Result<void> setConsumerPaused(const std::string& consumerId, bool paused);
  Result<void> setPreferredLayers(const std::string& consumerId, size_t spatial, std::optional<uint8_t> temporal);
  // Higher priority consumers get their layers first when the subscriber's bandwidth is short.
  Result<void> setConsumerPriority(const std::string& consumerId, uint8_t priority);
  Result<void> requestConsumerKeyframe(const std::string& consumerId);

  // Taps (rtp_tap.hpp): `tap` reads the producer's packets until detached or the producer closes.
  // `spatialLayer` pins the encoding (0 = lowest); unset follows the highest active one. Video
  // taps get a keyframe request at once. Changes the tap list only here, never per packet.
  Result<void> attachTap(const std::string& producerId, RtpTap& tap, std::optional<size_t> spatialLayer = {});
  void detachTap(const std::string& producerId, RtpTap& tap);
  // PLI to the publisher for the encoding `tap` reads, through the per-stream rate limit.
  Result<void> requestTapKeyframe(const std::string& producerId, const RtpTap& tap);
  size_t tapCount(const std::string& producerId) const;

  bool canConsume(const std::string& producerId, const ortc::RtpCapabilities& deviceCapabilities) const;

  // Periodic work: transport timers (every call), RTCP reports, layers and speakers.
  void onTimer(Clock::time_point now);

  std::vector<TransportStats> transportStats() const;
  std::vector<ProducerStats> producerStats() const;
  std::vector<ConsumerStatsEntry> consumerStats() const;
  RouterCounters counters() const;
  size_t transportCount() const { return transports_.size(); }
  size_t producerCount() const { return producers_.size(); }
  size_t consumerCount() const { return consumers_.size(); }
  const Consumer* findConsumer(const std::string& consumerId) const;
  const Producer* findProducer(const std::string& producerId) const;

 private:
  struct TransportEntry;
  struct ProducerEntry {
    std::unique_ptr<Producer> producer;
    TransportEntry* transport = nullptr;
    std::vector<Consumer*> consumers;
    struct Tap {
      RtpTap* tap = nullptr;
      std::optional<size_t> layer;  // pinned encoding, else tapStream
    };
    std::vector<Tap> taps;
    size_t tapStream = 0;  // the highest active encoding, updated by the timer
  };
  struct TransportEntry {
    std::unique_ptr<transport::WebRtcTransport> transport;
    std::vector<ProducerEntry*> producers;
    std::vector<Consumer*> consumers;
    std::unordered_map<uint32_t, std::pair<ProducerEntry*, size_t>> producerStreams;  // by SSRC
    std::unordered_map<uint32_t, std::pair<ProducerEntry*, size_t>> producerRtxStreams;  // by RTX SSRC
    uint32_t rtcpSsrc = 0;             // our SSRC in RTCP we send on this transport
    uint32_t nextConsumerMid = 0;      // each consumer is its own m-section at the subscriber
    uint32_t availableBitrate = 0;     // REMB
    uint64_t maxIncomingBitrate = 0;   // our last REMB to the publisher
    Clock::time_point nextReports{};   // its RR/SR/REMB compound; epoch = not scheduled yet
  };

  // transport::WebRtcTransport::Listener
  void onTransportRtp(transport::WebRtcTransport& transport, rtp::RtpPacketView& packet, Clock::time_point now) override;
  void onTransportRtcp(transport::WebRtcTransport& transport, const rtcp::RtcpCompound& compound,
                       Clock::time_point now) override;
  void onTransportConnected(transport::WebRtcTransport& transport) override;
  void onTransportClosed(transport::WebRtcTransport& transport, std::string_view reason) override;
  // Consumer::Listener
  void onConsumerKeyframeNeeded(Consumer& consumer, size_t streamIndex) override;
  void onConsumerLayerChanged(Consumer& consumer) override;

  TransportEntry* entryOf(const transport::WebRtcTransport& transport);
  std::optional<std::pair<ProducerEntry*, size_t>> matchProducer(TransportEntry& entry, rtp::RtpPacketView& packet);
  std::optional<std::pair<ProducerEntry*, size_t>> matchRtxProducer(TransportEntry& entry, rtp::RtpPacketView& packet);
  void forwardRtp(ProducerEntry& producerEntry, size_t streamIndex, rtp::RtpPacketView& packet, bool repaired,
                  Clock::time_point now);
  void sendNacks(TransportEntry& entry, Clock::time_point now);
  void sendRemb(TransportEntry& entry);
  void allocateLayers(TransportEntry& entry, Clock::time_point now);
  void retireCounters(const Producer& producer);
  void sendKeyframeRequest(ProducerEntry& producer, size_t streamIndex, Clock::time_point now);
  void sendReports(Clock::time_point now);
  void updateTapStream(ProducerEntry& producer, Clock::time_point now);
  void handleFeedback(TransportEntry& entry, const rtcp::RtcpPacket& packet);
  Consumer* consumerBySsrc(uint32_t ssrc);
  void removeConsumer(const std::string& consumerId, bool notify);
  void removeProducer(const std::string& producerId);
  void removeTransport(const std::string& transportId, bool notify, std::string_view reason);

  std::string id_;
  ortc::RtpCapabilities capabilities_;
  RouterListener& listener_;
  net::DatagramSink& sink_;
  transport::TransportRegistry& registry_;
  std::shared_ptr<const dtls::DtlsCertificate> certificate_;
  RouterLimits limits_;

  std::unordered_map<std::string, std::unique_ptr<TransportEntry>> transports_;
  std::unordered_map<const transport::WebRtcTransport*, TransportEntry*> entryByTransport_;
  std::unordered_map<std::string, std::unique_ptr<ProducerEntry>> producers_;
  std::unordered_map<std::string, std::unique_ptr<Consumer>> consumers_;
  std::unordered_map<uint32_t, Consumer*> consumersBySsrc_;  // consumer and RTX SSRCs
  uint32_t nextSsrc_;
  ActiveSpeakerDetector speakers_;
  // RFC 3550 section 6.3.1: each transport's reports go at a randomised point of the interval,
  // so a big room's thousands of reports do not fall into one timer tick (a pause the packets
  // arriving meanwhile would wait out).
  Clock::duration reportDelay();
  std::minstd_rand reportJitter_;
  Clock::time_point lastSpeakerCheck_{};
  std::vector<std::string> closing_;  // transports closed from inside a callback, removed on the next timer
  RouterCounters counters_;           // event counts; per-producer NACK figures join when it closes
  std::vector<LayerDemand> layerDemands_;  // scratch for allocateLayers, reused
  std::vector<Consumer*> layerConsumers_;
  std::vector<int> layerChoices_;
};

}  // namespace fluxmeet::media::router
