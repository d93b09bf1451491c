// Router: loss and bandwidth towards both sides - NACKs to publishers for what
// did not arrive, REMB to publishers capping what they send, and the
// per-subscriber layer allocation that keeps each subscriber's consumers within
// its estimate. Packet path in router_packets.cpp.
#include <array>

#include "fluxmeet/media/router/router.hpp"
#include "fluxmeet/media/rtcp/feedback.hpp"
#include "fluxmeet/media/rtcp/remb.hpp"

namespace fluxmeet::media::router {
namespace {

// What REMB allows an audio producer besides the video cap (Opus stays far
// below it).
constexpr uint64_t kAudioAllowance = 128'000;
// Reserved for an audio consumer before anything is measured (Opus speech at
// its usual rate).
constexpr uint64_t kAudioReserveDefault = 40'000;

}  // namespace

void Router::sendNacks(TransportEntry &entry, Clock::time_point now) {
  auto &transport = *entry.transport;
  if (transport.state() != transport::WebRtcTransport::State::Connected) return;
  // 64 sequence numbers per stream and tick: a 20 ms tick of a 3 Mbit/s stream
  // is ~6 packets.
  std::array<uint16_t, 64> due{};
  for (auto *producerEntry : entry.producers) {
    Producer &producer = *producerEntry->producer;
    for (size_t i = 0; i < producer.streamCount(); ++i) {
      auto &stream = producer.stream(i);
      if (!stream.nack || stream.nack->missingCount() == 0) continue;
      const size_t count = stream.nack->collectDue(now, due);
      if (count == 0) continue;
      auto buffer = transport.packetBuffer();
      // RFC 4585 section 6.2.1: generic NACK, PID + BLP entries, about the
      // encoding's SSRC.
      if (auto size = rtcp::writeNack(buffer, entry.rtcpSsrc, stream.ssrc, std::span(due.data(), count))) {
        transport.sendRtcp(buffer, *size);
        ++stream.nack->stats().nackPackets;
        ++counters_.nacksSent;
      }
    }
  }
}

void Router::sendRemb(TransportEntry &entry) {
  // draft-alvestrand-rmcat-remb: browsers treat the REMB they receive as a
  // ceiling on their send rate for the SSRCs it lists; the per-producer cap
  // becomes one for the whole transport.
  if (limits_.maxProducerBitrate == 0 || entry.producers.empty()) return;
  std::array<uint32_t, 16> ssrcs{};
  size_t count = 0;
  uint64_t allowed = 0;
  for (auto *producerEntry : entry.producers) {
    const Producer &producer = *producerEntry->producer;
    allowed += producer.kind() == ortc::MediaKind::Video ? limits_.maxProducerBitrate : kAudioAllowance;
    for (size_t i = 0; i < producer.streamCount() && count < ssrcs.size(); ++i) {
      if (producer.stream(i).ssrc != 0) ssrcs[count++] = producer.stream(i).ssrc;
    }
  }
  if (count == 0) return;
  auto &transport = *entry.transport;
  auto buffer = transport.packetBuffer();
  if (auto size = rtcp::writeRemb(buffer, entry.rtcpSsrc, allowed, std::span(ssrcs.data(), count))) {
    transport.sendRtcp(buffer, *size);
    entry.maxIncomingBitrate = allowed;
  }
}

void Router::allocateLayers(TransportEntry &entry, Clock::time_point now) {
  layerDemands_.clear();
  layerConsumers_.clear();
  uint64_t reserved = 0;
  for (auto *consumer : entry.consumers) {
    if (!consumer->active()) continue;
    const auto it = producers_.find(consumer->producerId());
    if (it == producers_.end()) continue;
    const Producer &producer = *it->second->producer;
    if (!consumer->isSimulcast()) {
      // Audio and single-encoding video are not ours to choose: they come off
      // the top.
      const uint32_t measured = producer.stream(0).bitrate;
      reserved += measured != 0 ? measured : (producer.kind() == ortc::MediaKind::Audio ? kAudioReserveDefault : 0);
      continue;
    }
    LayerDemand demand{.priority = consumer->priority(),
                       .preferred = consumer->preferredSpatialLayer(),
                       .current = consumer->targetSpatialLayer()};
    for (size_t i = 0; i < producer.streamCount() && i < kMaxEncodings; ++i) {
      demand.bitrate[i] = producer.stream(i).bitrate;
      demand.active[i] = producer.stream(i).active(now);
    }
    layerDemands_.push_back(demand);
    layerConsumers_.push_back(consumer);
  }
  if (layerDemands_.empty()) return;
  // With an estimate, what is left after the reservations (at least 1: "known
  // and short").
  const uint64_t available =
      entry.availableBitrate == 0
          ? 0
          : std::max<uint64_t>(entry.availableBitrate > reserved ? entry.availableBitrate - reserved : 0, 1);
  layerChoices_.assign(layerDemands_.size(), -1);
  router::allocateLayers(layerDemands_, available, layerChoices_);
  for (size_t i = 0; i < layerConsumers_.size(); ++i) layerConsumers_[i]->setTargetLayer(layerChoices_[i]);
}

}  // namespace fluxmeet::media::router
