// Router: statistics for the control side (signaling "media.stats") and
// counters for /metrics.
#include "fluxmeet/media/router/router.hpp"

namespace fluxmeet::media::router {
namespace {

// A producer's NACK figures, as RouterCounters.
RouterCounters nackCountersOf(const Producer &producer) {
  RouterCounters counters;
  for (size_t i = 0; i < producer.streamCount(); ++i) {
    if (const auto &nack = producer.stream(i).nack) counters.packetsLost += nack->stats().lost;
  }
  return counters;
}

}  // namespace

RouterCounters &RouterCounters::operator+=(const RouterCounters &other) {
  nacksSent += other.nacksSent;
  nacksReceived += other.nacksReceived;
  retransmittedPackets += other.retransmittedPackets;
  repairedPackets += other.repairedPackets;
  keyframeRequests += other.keyframeRequests;
  packetsLost += other.packetsLost;
  return *this;
}

void Router::retireCounters(const Producer &producer) { counters_ += nackCountersOf(producer); }

RouterCounters Router::counters() const {
  RouterCounters total = counters_;
  for (const auto &[id, entry] : producers_) total += nackCountersOf(*entry->producer);
  return total;
}

std::vector<ProducerStats> Router::producerStats() const {
  std::vector<ProducerStats> result;
  for (const auto &[id, entry] : producers_) {
    const Producer &producer = *entry->producer;
    ProducerStats stats{
        .id = id, .transportId = producer.transportId(), .kind = producer.kind(), .paused = producer.paused()};
    for (size_t i = 0; i < producer.streamCount(); ++i) {
      const auto &stream = producer.stream(i);
      ProducerStreamStats item{.ssrc = stream.ssrc,
                               .rid = stream.rid,
                               .packets = stream.packets,
                               .bytes = stream.bytes,
                               .bitrate = stream.bitrate,
                               .jitterMs = stream.jitter * 1000.0 / stream.clockRate,
                               .rtxPackets = stream.rtxPackets,
                               .keyframeRequests = stream.keyframeRequests};
      if (stream.baseSequence >= 0) {
        item.packetsLost = stream.highestSequence - stream.baseSequence + 1 - static_cast<int64_t>(stream.packets);
      }
      if (stream.nack) {
        const auto &nack = stream.nack->stats();
        item.nacksSent = nack.nackPackets;
        item.packetsRequested = nack.requested;
        item.packetsRepaired = nack.repaired;
        item.packetsUnrepaired = nack.lost;
        item.nackRoundTripMs = std::chrono::duration<double, std::milli>(stream.nack->roundTrip()).count();
      }
      stats.streams.push_back(std::move(item));
    }
    result.push_back(std::move(stats));
  }
  return result;
}

std::vector<ConsumerStatsEntry> Router::consumerStats() const {
  std::vector<ConsumerStatsEntry> result;
  for (const auto &[id, consumer] : consumers_) {
    result.push_back({.id = id,
                      .producerId = consumer->producerId(),
                      .transportId = consumer->transport().id(),
                      .kind = consumer->kind(),
                      .paused = consumer->paused(),
                      .producerPaused = consumer->producerPaused(),
                      .currentLayer = consumer->currentSpatialLayer(),
                      .targetLayer = consumer->targetSpatialLayer(),
                      .preferredLayer = consumer->preferredSpatialLayer(),
                      .priority = consumer->priority(),
                      .counters = consumer->stats()});
  }
  return result;
}

}  // namespace fluxmeet::media::router
