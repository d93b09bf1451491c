// Router: the packet path (RTP fan-out, RTCP feedback) and the periodic work. Control methods
// are in router.cpp.
#include <algorithm>
#include <array>
#include <cstdint>

#include "fluxmeet/media/router/router.hpp"
#include "fluxmeet/media/rtcp/feedback.hpp"
#include "fluxmeet/media/rtcp/ntp_time.hpp"
#include "fluxmeet/media/rtcp/receiver_report.hpp"
#include "fluxmeet/media/rtcp/remb.hpp"
#include "fluxmeet/media/rtcp/sender_report.hpp"

namespace fluxmeet::media::router {
namespace {

constexpr auto kReportInterval = std::chrono::seconds(1);
constexpr auto kSpeakerInterval = std::chrono::milliseconds(300);

int64_t arrivalNs(Clock::time_point now) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
}

}  // namespace

namespace {

// When the producer signalled a MID extension, the packet must carry that MID (RFC 8843 demultiplexing).
bool carriesMidOf(rtp::RtpPacketView& packet, const Producer& producer) {
  if (producer.midExtensionId() == 0 || !producer.mid()) return true;
  const auto mid = packet.findExtension(producer.midExtensionId());
  return mid && std::string_view(reinterpret_cast<const char*>(mid->data()), mid->size()) == *producer.mid();
}

}  // namespace

std::optional<std::pair<Router::ProducerEntry*, size_t>> Router::matchProducer(TransportEntry& entry,
                                                                             rtp::RtpPacketView& packet) {
  if (const auto it = entry.producerStreams.find(packet.ssrc()); it != entry.producerStreams.end()) return it->second;
  // First packet of an SSRC the browser did not signal (simulcast by rid): find its producer by
  // MID, then its encoding by rid, and remember the SSRC (one allocation per new stream).
  for (auto* producerEntry : entry.producers) {
    Producer& producer = *producerEntry->producer;
    if (!carriesMidOf(packet, producer)) continue;
    if (const auto stream = producer.matchStream(packet)) {
      entry.producerStreams[packet.ssrc()] = {producerEntry, *stream};
      return std::pair{producerEntry, *stream};
    }
  }
  return std::nullopt;
}

std::optional<std::pair<Router::ProducerEntry*, size_t>> Router::matchRtxProducer(TransportEntry& entry,
                                                                                rtp::RtpPacketView& packet) {
  if (const auto it = entry.producerRtxStreams.find(packet.ssrc()); it != entry.producerRtxStreams.end()) {
    return it->second;
  }
  // First RTX packet of a rid-signalled encoding: its repaired-rid names the encoding (RFC 8852).
  for (auto* producerEntry : entry.producers) {
    Producer& producer = *producerEntry->producer;
    if (!carriesMidOf(packet, producer)) continue;
    if (const auto stream = producer.matchRtxStream(packet)) {
      entry.producerRtxStreams[packet.ssrc()] = {producerEntry, *stream};
      return std::pair{producerEntry, *stream};
    }
  }
  return std::nullopt;
}

void Router::onTransportRtp(transport::WebRtcTransport& transport, rtp::RtpPacketView& packet, Clock::time_point now) {
  auto* entry = entryOf(transport);
  if (!entry) return;
  if (const auto match = matchProducer(*entry, packet)) {
    forwardRtp(*match->first, match->second, packet, false, now);
    return;
  }
  // A repair we asked for (RFC 4588): unwrapped in place, then handled like the original.
  const auto rtx = matchRtxProducer(*entry, packet);
  if (!rtx) return;  // unknown SSRCs: counted by the transport, dropped
  auto [producerEntry, streamIndex] = *rtx;
  auto original = producerEntry->producer->unwrapRtx(packet, streamIndex);
  if (!original) return;  // padding-only bandwidth probes
  ++producerEntry->producer->stream(streamIndex).rtxPackets;
  forwardRtp(*producerEntry, streamIndex, *original, true, now);
}

void Router::forwardRtp(ProducerEntry& producerEntry, size_t streamIndex, rtp::RtpPacketView& packet, bool repaired,
                        Clock::time_point now) {
  Producer& producer = *producerEntry.producer;
  switch (producer.trackSequence(streamIndex, packet.sequenceNumber(), now)) {
    case NackGenerator::Arrival::Duplicate:
      return;  // each sequence number reaches the consumers once
    case NackGenerator::Arrival::Reset:
      sendKeyframeRequest(producerEntry, streamIndex, now);  // the hole is too big to repair
      break;
    case NackGenerator::Arrival::Repaired:
      repaired = true;
      ++counters_.repairedPackets;
      break;
    default:
      break;
  }
  if (!producer.receive(packet, streamIndex, now, repaired) || producer.paused()) return;
  if (const uint8_t id = producer.audioLevelExtensionId(); id != 0 && !repaired) {
    if (const auto level = packet.findExtension(id); level && !level->empty()) speakers_.addLevel(&producer, (*level)[0]);
  }
  for (Consumer* consumer : producerEntry.consumers) consumer->forward(packet, streamIndex, now);
  for (const auto& tap : producerEntry.taps) {
    if (streamIndex == tap.layer.value_or(producerEntry.tapStream)) tap.tap->onRtp(packet, arrivalNs(now));
  }
}

void Router::onTransportRtcp(transport::WebRtcTransport& transport, const rtcp::RtcpCompound& compound,
                             Clock::time_point now) {
  auto* entry = entryOf(transport);
  if (!entry) return;
  for (const auto& packet : compound) {
    switch (packet.packetType) {
      case rtcp::packet_type::kSenderReport:
        if (auto report = rtcp::SenderReportView::parse(packet)) {
          const auto info = report->senderInfo();
          if (const auto it = entry->producerStreams.find(info.ssrc); it != entry->producerStreams.end()) {
            auto [producerEntry, streamIndex] = it->second;
            producerEntry->producer->receiveSenderReport(info.ssrc, info.ntpTimestamp, info.rtpTimestamp, now);
            for (const auto& tap : producerEntry->taps) {
              if (streamIndex == tap.layer.value_or(producerEntry->tapStream)) {
                tap.tap->onSenderReport(info, arrivalNs(now));
              }
            }
          }
          for (size_t i = 0; i < report->reportCount(); ++i) {
            const auto block = report->reportBlock(i);
            if (auto* consumer = consumerBySsrc(block.ssrc)) consumer->receiveReportBlock(block, now);
          }
        }
        break;
      case rtcp::packet_type::kReceiverReport:
        if (auto report = rtcp::ReceiverReportView::parse(packet)) {
          for (size_t i = 0; i < report->reportCount(); ++i) {
            const auto block = report->reportBlock(i);
            if (auto* consumer = consumerBySsrc(block.ssrc)) consumer->receiveReportBlock(block, now);
          }
        }
        break;
      case rtcp::packet_type::kRtpFeedback:
      case rtcp::packet_type::kPayloadFeedback:
        handleFeedback(*entry, packet);
        break;
      default:
        break;  // SDES, BYE, APP: nothing to do
    }
  }
}

void Router::handleFeedback(TransportEntry& entry, const rtcp::RtcpPacket& packet) {
  if (packet.packetType == rtcp::packet_type::kRtpFeedback && packet.count == rtcp::fmt::kNack) {
    if (auto nack = rtcp::NackView::parse(packet)) {
      if (auto* consumer = consumerBySsrc(nack->mediaSsrc()); consumer && &consumer->transport() == entry.transport.get()) {
        const uint64_t before = consumer->stats().packetsRetransmitted;
        consumer->receiveNack(*nack);
        ++counters_.nacksReceived;
        counters_.retransmittedPackets += consumer->stats().packetsRetransmitted - before;
      }
    }
    return;
  }
  if (packet.packetType != rtcp::packet_type::kPayloadFeedback) return;
  if (packet.count == rtcp::fmt::kPli) {
    if (auto pli = rtcp::parsePli(packet)) {
      if (auto* consumer = consumerBySsrc(pli->mediaSsrc); consumer && &consumer->transport() == entry.transport.get()) {
        consumer->receiveKeyframeRequest();
      }
    }
  } else if (packet.count == rtcp::fmt::kFir) {
    if (auto fir = rtcp::FirView::parse(packet)) {
      for (size_t i = 0; i < fir->entryCount(); ++i) {
        auto* consumer = consumerBySsrc(fir->entry(i).ssrc);
        if (consumer && &consumer->transport() == entry.transport.get()) consumer->receiveKeyframeRequest();
      }
    }
  } else if (packet.count == rtcp::fmt::kApplicationLayer) {
    if (auto remb = rtcp::RembView::parse(packet)) {
      entry.availableBitrate = static_cast<uint32_t>(std::min<uint64_t>(remb->bitrateBps(), UINT32_MAX));
      allocateLayers(entry, Clock::now());
    }
  }
}

void Router::onConsumerKeyframeNeeded(Consumer& consumer, size_t streamIndex) {
  const auto it = producers_.find(consumer.producerId());
  if (it == producers_.end()) return;
  sendKeyframeRequest(*it->second, streamIndex, Clock::now());
}

void Router::onConsumerLayerChanged(Consumer& consumer) {
  listener_.onConsumerLayersChanged(id_, consumer.id(), consumer.currentSpatialLayer());
}

void Router::sendKeyframeRequest(ProducerEntry& producerEntry, size_t streamIndex, Clock::time_point now) {
  Producer& producer = *producerEntry.producer;
  if (producer.kind() != ortc::MediaKind::Video || streamIndex >= producer.streamCount()) return;
  const uint32_t mediaSsrc = producer.stream(streamIndex).ssrc;
  if (mediaSsrc == 0 || !producer.allowKeyframeRequest(streamIndex, now)) return;
  auto& transport = *producerEntry.transport->transport;
  auto buffer = transport.packetBuffer();
  if (auto size = rtcp::writePli(buffer, producerEntry.transport->rtcpSsrc, mediaSsrc)) {
    transport.sendRtcp(buffer, *size);
    ++producer.stream(streamIndex).keyframeRequests;
    ++counters_.keyframeRequests;
  }
}

void Router::onTimer(Clock::time_point now) {
  for (const auto& id : closing_) removeTransport(id, false, {});
  closing_.clear();
  for (auto& [id, entry] : transports_) {
    entry->transport->onTimer(now);
    sendNacks(*entry, now);
  }
  if (now - lastSpeakerCheck_ >= kSpeakerInterval) {
    lastSpeakerCheck_ = now;
    if (const auto* speaker = static_cast<const Producer*>(speakers_.evaluate())) {
      listener_.onActiveSpeaker(id_, speaker->id());
    }
    for (auto& [id, producer] : producers_) {
      if (!producer->taps.empty()) updateTapStream(*producer, now);
    }
    for (auto& [id, entry] : transports_) allocateLayers(*entry, now);
  }
  sendReports(now);
}

Clock::duration Router::reportDelay() {
  // Uniform in [0.5, 1.5) intervals: the average stays kReportInterval.
  const auto spread = std::chrono::duration_cast<Clock::duration>(kReportInterval);
  return spread / 2 + spread * (reportJitter_() % 1000) / 1000;
}

void Router::updateTapStream(ProducerEntry& entry, Clock::time_point now) {
  // Record the best picture there is: the highest encoding still flowing. A switch changes the
  // SSRC the tap sees; it needs a keyframe of the new encoding to go on.
  const Producer& producer = *entry.producer;
  for (size_t i = producer.streamCount(); i-- > 0;) {
    if (!producer.stream(i).active(now)) continue;
    if (i != entry.tapStream) {
      entry.tapStream = i;
      sendKeyframeRequest(entry, i, now);
    }
    return;
  }
}

void Router::sendReports(Clock::time_point now) {
  // Receiver reports to publishers (their loss-based bandwidth estimate and RTT depend on them)
  // and sender reports to subscribers (lip sync, RTT), one compound per transport and kind.
  for (auto& [id, entry] : transports_) {
    auto& transport = *entry->transport;
    if (transport.state() != transport::WebRtcTransport::State::Connected) continue;
    if (entry->nextReports == Clock::time_point{}) entry->nextReports = now + reportDelay() / 2;
    if (now < entry->nextReports) continue;
    entry->nextReports = now + reportDelay();
    std::array<rtcp::ReportBlock, 31> blocks;  // RFC 3550: at most 31 per report
    size_t count = 0;
    for (auto* producerEntry : entry->producers) {
      for (size_t i = 0; i < producerEntry->producer->streamCount() && count < blocks.size(); ++i) {
        if (producerEntry->producer->stream(i).packets == 0) continue;
        blocks[count++] = producerEntry->producer->makeReportBlock(i, now);
      }
    }
    if (count > 0) {
      auto buffer = transport.packetBuffer();
      if (auto size = rtcp::writeReceiverReport(buffer, entry->rtcpSsrc, std::span(blocks.data(), count))) {
        transport.sendRtcp(buffer, *size);
      }
    }
    sendRemb(*entry);
    for (auto* consumer : entry->consumers) {
      consumer->updateBitrate(now);
      const auto producer = producers_.find(consumer->producerId());
      if (producer == producers_.end()) continue;
      const auto info = consumer->senderInfo(*producer->second->producer, now);
      if (!info) continue;
      auto buffer = transport.packetBuffer();
      if (auto size = rtcp::writeSenderReport(buffer, *info, {})) transport.sendRtcp(buffer, *size);
    }
  }
}

}  // namespace fluxmeet::media::router
