#include "fluxmeet/media/router/router.hpp"

#include <algorithm>
#include <random>
#include <utility>

#include "fluxmeet/media/rtcp/feedback.hpp"

namespace fluxmeet::media::router {
namespace {

// Extensions a subscriber must not interpret: MID is per m-section of the subscriber (it
// demultiplexes by SSRC instead), transport-cc numbers the publisher's transport, rid names the
// publisher's layer. abs-send-time stays: each consumer writes its own send time into it.
bool forwardableToConsumer(std::string_view uri) {
  return uri != ortc::kMidUri && uri != ortc::kTransportWideCcUri && uri != ortc::kRtpStreamIdUri &&
         uri != ortc::kRepairedRtpStreamIdUri;
}

}  // namespace

Router::Router(std::string id, ortc::RtpCapabilities capabilities, RouterListener& listener, net::DatagramSink& sink,
               transport::TransportRegistry& registry, std::shared_ptr<const dtls::DtlsCertificate> certificate,
               RouterLimits limits)
    : id_(std::move(id)),
      capabilities_(std::move(capabilities)),
      listener_(listener),
      sink_(sink),
      registry_(registry),
      certificate_(std::move(certificate)),
      limits_(limits) {
  std::random_device random;
  nextSsrc_ = random() | 1U;
  reportJitter_.seed(random());
}

Router::~Router() {
  consumers_.clear();
  producers_.clear();
  for (auto& [id, entry] : transports_) entry->transport->close();
}

Router::TransportEntry* Router::entryOf(const transport::WebRtcTransport& transport) {
  const auto it = entryByTransport_.find(&transport);
  return it == entryByTransport_.end() ? nullptr : it->second;
}

Result<TransportParameters> Router::createWebRtcTransport(const std::string& transportId) {
  if (transports_.size() >= limits_.maxTransports) {
    return makeError(ErrorCode::RateLimited, "this meeting has reached its transport limit");
  }
  if (transports_.contains(transportId)) return makeError(ErrorCode::Conflict, "transport id in use");
  auto transport = transport::WebRtcTransport::create(transportId, sink_, registry_, *this, certificate_, {});
  if (!transport) return transport.error();
  auto entry = std::make_unique<TransportEntry>();
  entry->transport = std::move(*transport);
  entry->rtcpSsrc = nextSsrc_++;
  TransportParameters parameters{.id = transportId,
                                 .iceUfrag = std::string(entry->transport->iceUfrag()),
                                 .icePassword = std::string(entry->transport->icePassword()),
                                 .fingerprintSha256 = certificate_->fingerprintSha256()};
  entryByTransport_[entry->transport.get()] = entry.get();
  transports_.emplace(transportId, std::move(entry));
  return parameters;
}

Result<void> Router::connectTransport(const std::string& transportId, std::string_view role,
                                      std::string_view algorithm, std::string_view fingerprint) {
  const auto it = transports_.find(transportId);
  if (it == transports_.end()) return makeError(ErrorCode::NotFound, "no such transport", "transportId");
  return it->second->transport->connect(role, algorithm, fingerprint, Clock::now());
}

Result<ice::IceCredentials> Router::restartIce(const std::string& transportId) {
  const auto it = transports_.find(transportId);
  if (it == transports_.end()) return makeError(ErrorCode::NotFound, "no such transport", "transportId");
  return it->second->transport->restartIce();
}

void Router::closeTransport(const std::string& transportId) { removeTransport(transportId, false, {}); }

void Router::removeTransport(const std::string& transportId, bool notify, std::string_view reason) {
  const auto it = transports_.find(transportId);
  if (it == transports_.end()) return;
  TransportEntry& entry = *it->second;
  std::vector<std::string> producerIds;
  for (auto* producer : entry.producers) producerIds.push_back(producer->producer->id());
  for (const auto& id : producerIds) removeProducer(id);
  std::vector<std::string> consumerIds;
  for (auto* consumer : entry.consumers) consumerIds.push_back(consumer->id());
  for (const auto& id : consumerIds) removeConsumer(id, false);
  entry.transport->close();
  entryByTransport_.erase(entry.transport.get());
  transports_.erase(it);
  if (notify) listener_.onTransportClosed(id_, transportId, reason);
}

Result<void> Router::produce(const std::string& transportId, const std::string& producerId, ortc::MediaKind kind,
                             ortc::RtpParameters rtpParameters) {
  const auto it = transports_.find(transportId);
  if (it == transports_.end()) return makeError(ErrorCode::NotFound, "no such transport", "transportId");
  TransportEntry& entry = *it->second;
  if (entry.producers.size() >= limits_.maxProducersPerTransport) {
    return makeError(ErrorCode::RateLimited, "too many producers on this transport");
  }
  if (producers_.contains(producerId)) return makeError(ErrorCode::Conflict, "producer id in use");
  if (auto valid = ortc::validateProducerRtpParameters(kind, rtpParameters); !valid) return valid.error();
  if (limits_.maxProducerBitrate != 0) {
    uint64_t asked = 0;
    for (const auto& encoding : rtpParameters.encodings) asked += encoding.maxBitrate.value_or(0);
    if (asked > limits_.maxProducerBitrate) {
      return makeError(ErrorCode::ValidationFailed,
                       "the encodings ask for " + std::to_string(asked) + " bit/s in total; this server allows " +
                           std::to_string(limits_.maxProducerBitrate) + " bit/s per producer",
                       "rtpParameters.encodings");
    }
  }
  // Two producers of one transport must not claim one SSRC or MID: packets could not be routed.
  for (const auto& encoding : rtpParameters.encodings) {
    if (encoding.ssrc && entry.producerStreams.contains(*encoding.ssrc)) {
      return makeError(ErrorCode::Conflict, "SSRC already used by another producer", "rtpParameters.encodings");
    }
  }
  if (rtpParameters.mid) {
    for (auto* other : entry.producers) {
      if (other->producer->mid() == rtpParameters.mid) {
        return makeError(ErrorCode::Conflict, "MID already used by another producer", "rtpParameters.mid");
      }
    }
  }
  auto mapping = ortc::getProducerRtpParametersMapping(rtpParameters, capabilities_, nextSsrc_);
  if (!mapping) return mapping.error();
  nextSsrc_ += static_cast<uint32_t>(mapping->encodings.size());
  auto consumable = ortc::getConsumableRtpParameters(kind, rtpParameters, capabilities_, *mapping);
  auto producerEntry = std::make_unique<ProducerEntry>();
  producerEntry->producer = std::make_unique<Producer>(producerId, transportId, kind, std::move(rtpParameters),
                                                       std::move(consumable), *mapping, capabilities_);
  producerEntry->transport = &entry;
  for (size_t i = 0; i < producerEntry->producer->streamCount(); ++i) {
    const uint32_t ssrc = producerEntry->producer->stream(i).ssrc;
    if (ssrc != 0) entry.producerStreams[ssrc] = {producerEntry.get(), i};
    const uint32_t rtxSsrc = producerEntry->producer->stream(i).rtxSsrc;
    if (rtxSsrc != 0) entry.producerRtxStreams[rtxSsrc] = {producerEntry.get(), i};
  }
  entry.producers.push_back(producerEntry.get());
  producers_.emplace(producerId, std::move(producerEntry));
  return {};
}

void Router::closeProducer(const std::string& producerId) { removeProducer(producerId); }

void Router::removeProducer(const std::string& producerId) {
  const auto it = producers_.find(producerId);
  if (it == producers_.end()) return;
  ProducerEntry& entry = *it->second;
  std::vector<std::string> consumerIds;
  for (auto* consumer : entry.consumers) consumerIds.push_back(consumer->id());
  for (const auto& id : consumerIds) removeConsumer(id, true);
  for (auto* streams : {&entry.transport->producerStreams, &entry.transport->producerRtxStreams}) {
    std::erase_if(*streams, [&entry](const auto& item) { return item.second.first == &entry; });
  }
  retireCounters(*entry.producer);
  std::erase(entry.transport->producers, &entry);
  speakers_.remove(entry.producer.get());
  producers_.erase(it);
}

Result<void> Router::setProducerPaused(const std::string& producerId, bool paused) {
  const auto it = producers_.find(producerId);
  if (it == producers_.end()) return makeError(ErrorCode::NotFound, "no such producer", "producerId");
  ProducerEntry& entry = *it->second;
  if (entry.producer->paused() == paused) return {};
  entry.producer->setPaused(paused);
  const auto now = Clock::now();
  for (auto* consumer : entry.consumers) {
    consumer->setProducerPaused(paused);
  }
  if (!paused && entry.producer->kind() == ortc::MediaKind::Video) {
    for (size_t i = 0; i < entry.producer->streamCount(); ++i) sendKeyframeRequest(entry, i, now);
  }
  return {};
}

Result<void> Router::attachTap(const std::string& producerId, RtpTap& tap, std::optional<size_t> spatialLayer) {
  const auto it = producers_.find(producerId);
  if (it == producers_.end()) return makeError(ErrorCode::NotFound, "no such producer", "producerId");
  ProducerEntry& entry = *it->second;
  if (spatialLayer && *spatialLayer >= entry.producer->streamCount()) {
    return makeError(ErrorCode::ValidationFailed, "no such encoding", "spatialLayer");
  }
  for (const auto& attached : entry.taps) {
    if (attached.tap == &tap) return makeError(ErrorCode::Conflict, "tap already attached");
  }
  const auto now = Clock::now();
  if (entry.taps.empty()) {
    // Until the timer has seen packets, start with the highest encoding there is.
    entry.tapStream = entry.producer->streamCount() - 1;
    updateTapStream(entry, now);
  }
  entry.taps.push_back({&tap, spatialLayer});
  sendKeyframeRequest(entry, spatialLayer.value_or(entry.tapStream), now);
  return {};
}

void Router::detachTap(const std::string& producerId, RtpTap& tap) {
  const auto it = producers_.find(producerId);
  if (it == producers_.end()) return;
  std::erase_if(it->second->taps, [&tap](const auto& attached) { return attached.tap == &tap; });
}

Result<void> Router::requestTapKeyframe(const std::string& producerId, const RtpTap& tap) {
  const auto it = producers_.find(producerId);
  if (it == producers_.end()) return makeError(ErrorCode::NotFound, "no such producer", "producerId");
  ProducerEntry& entry = *it->second;
  for (const auto& attached : entry.taps) {
    if (attached.tap != &tap) continue;
    sendKeyframeRequest(entry, attached.layer.value_or(entry.tapStream), Clock::now());
    return {};
  }
  return makeError(ErrorCode::NotFound, "tap not attached");
}

size_t Router::tapCount(const std::string& producerId) const {
  const auto it = producers_.find(producerId);
  return it == producers_.end() ? 0 : it->second->taps.size();
}

bool Router::canConsume(const std::string& producerId, const ortc::RtpCapabilities& deviceCapabilities) const {
  const auto it = producers_.find(producerId);
  return it != producers_.end() && ortc::canConsume(it->second->producer->consumableParameters(), deviceCapabilities);
}

Result<ConsumerParameters> Router::consume(const std::string& transportId, const std::string& consumerId,
                                           const std::string& producerId,
                                           const ortc::RtpCapabilities& deviceCapabilities, bool paused) {
  const auto transportIt = transports_.find(transportId);
  if (transportIt == transports_.end()) return makeError(ErrorCode::NotFound, "no such transport", "transportId");
  const auto producerIt = producers_.find(producerId);
  if (producerIt == producers_.end()) return makeError(ErrorCode::NotFound, "no such producer", "producerId");
  TransportEntry& transportEntry = *transportIt->second;
  ProducerEntry& producerEntry = *producerIt->second;
  if (transportEntry.consumers.size() >= limits_.maxConsumersPerTransport) {
    return makeError(ErrorCode::RateLimited, "too many consumers on this transport");
  }
  if (consumers_.contains(consumerId)) return makeError(ErrorCode::Conflict, "consumer id in use");
  const Producer& producer = *producerEntry.producer;
  if (!ortc::canConsume(producer.consumableParameters(), deviceCapabilities)) {
    return makeError(ErrorCode::Unprocessable, "this device cannot decode the producer's codec", "rtpCapabilities");
  }
  const uint32_t ssrc = nextSsrc_++;
  const uint32_t rtxSsrc = nextSsrc_++;
  // Offer only extensions the SFU keeps meaningful per subscriber; ORTC then keeps the congestion
  // feedback that goes with them (REMB with abs-send-time, which each consumer rewrites).
  ortc::RtpCapabilities offered = deviceCapabilities;
  std::erase_if(offered.headerExtensions, [](const auto& e) { return !forwardableToConsumer(e.uri); });
  auto parameters = ortc::getConsumerRtpParameters(producer.consumableParameters(), offered, ssrc, rtxSsrc);
  if (!parameters) return parameters.error();
  parameters->mid = std::to_string(transportEntry.nextConsumerMid++);
  auto consumer = std::make_unique<Consumer>(consumerId, producerId, *transportEntry.transport,
                                             static_cast<Consumer::Listener&>(*this), producer.kind(),
                                             *parameters, producer.streamCount(), capabilities_);
  const auto now = Clock::now();
  consumer->setPaused(paused);
  consumer->setProducerPaused(producer.paused());
  consumersBySsrc_[consumer->ssrc()] = consumer.get();
  if (consumer->rtxSsrc() != 0) consumersBySsrc_[consumer->rtxSsrc()] = consumer.get();
  ConsumerParameters result{.id = consumerId,
                            .producerId = producerId,
                            .kind = producer.kind(),
                            .rtpParameters = std::move(*parameters),
                            .producerPaused = producer.paused()};
  producerEntry.consumers.push_back(consumer.get());
  transportEntry.consumers.push_back(consumer.get());
  consumers_.emplace(consumerId, std::move(consumer));
  allocateLayers(transportEntry, now);
  return result;
}

void Router::closeConsumer(const std::string& consumerId) { removeConsumer(consumerId, false); }

void Router::removeConsumer(const std::string& consumerId, bool notify) {
  const auto it = consumers_.find(consumerId);
  if (it == consumers_.end()) return;
  Consumer* consumer = it->second.get();
  if (auto producer = producers_.find(consumer->producerId()); producer != producers_.end()) {
    std::erase(producer->second->consumers, consumer);
  }
  if (auto* entry = entryOf(consumer->transport())) std::erase(entry->consumers, consumer);
  consumersBySsrc_.erase(consumer->ssrc());
  if (consumer->rtxSsrc() != 0) consumersBySsrc_.erase(consumer->rtxSsrc());
  for (uint32_t ssrc : {consumer->ssrc(), consumer->rtxSsrc()}) {
    if (ssrc != 0) consumer->transport().forgetOutboundStream(ssrc);
  }
  consumers_.erase(it);
  if (notify) listener_.onConsumerClosed(id_, consumerId);
}

Result<void> Router::setConsumerPaused(const std::string& consumerId, bool paused) {
  const auto it = consumers_.find(consumerId);
  if (it == consumers_.end()) return makeError(ErrorCode::NotFound, "no such consumer", "consumerId");
  it->second->setPaused(paused);
  if (auto* entry = entryOf(it->second->transport()); entry && !paused) allocateLayers(*entry, Clock::now());
  return {};
}

Result<void> Router::setPreferredLayers(const std::string& consumerId, size_t spatial, std::optional<uint8_t> temporal) {
  const auto it = consumers_.find(consumerId);
  if (it == consumers_.end()) return makeError(ErrorCode::NotFound, "no such consumer", "consumerId");
  Consumer& consumer = *it->second;
  consumer.setPreferredLayers(spatial, temporal);
  if (auto* entry = entryOf(consumer.transport())) allocateLayers(*entry, Clock::now());
  return {};
}

Result<void> Router::setConsumerPriority(const std::string& consumerId, uint8_t priority) {
  const auto it = consumers_.find(consumerId);
  if (it == consumers_.end()) return makeError(ErrorCode::NotFound, "no such consumer", "consumerId");
  it->second->setPriority(priority);
  if (auto* entry = entryOf(it->second->transport())) allocateLayers(*entry, Clock::now());
  return {};
}

Result<void> Router::requestConsumerKeyframe(const std::string& consumerId) {
  const auto it = consumers_.find(consumerId);
  if (it == consumers_.end()) return makeError(ErrorCode::NotFound, "no such consumer", "consumerId");
  it->second->receiveKeyframeRequest();
  return {};
}

const Consumer* Router::findConsumer(const std::string& consumerId) const {
  const auto it = consumers_.find(consumerId);
  return it == consumers_.end() ? nullptr : it->second.get();
}

const Producer* Router::findProducer(const std::string& producerId) const {
  const auto it = producers_.find(producerId);
  return it == producers_.end() ? nullptr : it->second->producer.get();
}

Consumer* Router::consumerBySsrc(uint32_t ssrc) {
  const auto it = consumersBySsrc_.find(ssrc);
  return it == consumersBySsrc_.end() ? nullptr : it->second;
}

std::vector<TransportStats> Router::transportStats() const {
  std::vector<TransportStats> stats;
  for (const auto& [id, entry] : transports_) {
    const auto& tuple = entry->transport->selectedTuple();
    std::optional<std::string> protocol;
    if (tuple) protocol = tuple->protocol == ice::TransportProtocol::Tcp ? "tcp" : "udp";
    stats.push_back({.id = id,
                     .state = std::string(transport::transportStateName(entry->transport->state())),
                     .iceState = std::string(ice::iceStateName(entry->transport->iceState())),
                     .tupleProtocol = std::move(protocol),
                     .counters = entry->transport->stats(),
                     .availableOutgoingBitrate = entry->availableBitrate,
                     .maxIncomingBitrate = entry->maxIncomingBitrate});
  }
  return stats;
}

void Router::onTransportConnected(transport::WebRtcTransport& transport) {
  // Consumers created before DTLS finished need a keyframe now that packets can flow.
  if (auto* entry = entryOf(transport)) {
    for (auto* consumer : entry->consumers) consumer->receiveKeyframeRequest();
  }
}

void Router::onTransportClosed(transport::WebRtcTransport& transport, std::string_view reason) {
  // Called from inside the transport: remove it on the next timer, never under its own feet.
  closing_.push_back(transport.id());
  listener_.onTransportClosed(id_, transport.id(), reason);
}

}  // namespace fluxmeet::media::router
