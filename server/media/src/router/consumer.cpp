#include "fluxmeet/media/router/consumer.hpp"

#include <algorithm>
#include <cstring>
#include <random>
#include <utility>

#include "fluxmeet/media/codecs/keyframe.hpp"
#include "fluxmeet/media/rtcp/feedback.hpp"
#include "fluxmeet/media/rtcp/ntp_time.hpp"
#include "fluxmeet/media/rtp/header_extensions.hpp"

namespace fluxmeet::media::router {
namespace {

uint32_t unitsFor(Clock::duration elapsed, uint32_t clockRate) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
  return static_cast<uint32_t>(static_cast<uint64_t>(std::max<int64_t>(micros, 0)) * clockRate / 1000000);
}

}  // namespace

Consumer::Consumer(std::string id, std::string producerId, transport::WebRtcTransport& transport, Listener& listener,
                   ortc::MediaKind kind, ortc::RtpParameters rtpParameters, size_t producerStreams,
                   const ortc::RtpCapabilities& routerCapabilities)
    : id_(std::move(id)),
      producerId_(std::move(producerId)),
      transport_(transport),
      listener_(listener),
      kind_(kind),
      rtpParameters_(std::move(rtpParameters)),
      producerStreams_(std::max<size_t>(producerStreams, 1)),
      extensionIds_(ortc::unusedHeaderExtensionId(routerCapabilities)) {
  if (!rtpParameters_.encodings.empty()) {
    ssrc_ = rtpParameters_.encodings.front().ssrc.value_or(0);
    rtxSsrc_ = rtpParameters_.encodings.front().rtxSsrc.value_or(0);
  }
  for (const auto& codec : rtpParameters_.codecs) {
    if (ortc::isRtxMimeType(codec.mimeType)) continue;
    payloadType_ = static_cast<uint8_t>(codec.payloadType);
    clockRate_ = codec.clockRate;
    codec_ = codecs::codecFromMimeType(codec.mimeType);
    break;
  }
  for (const auto& codec : rtpParameters_.codecs) {
    if (ortc::isRtxMimeType(codec.mimeType) && ortc::integerParameter(codec.parameters, "apt") == payloadType_) {
      rtxPayloadType_ = static_cast<uint8_t>(codec.payloadType);
    }
  }
  for (const auto& extension : rtpParameters_.headerExtensions) {
    extensionIds_.set(static_cast<uint8_t>(extension.id), static_cast<uint8_t>(extension.id));
    if (extension.uri == ortc::kAbsSendTimeUri) absSendTimeId_ = static_cast<uint8_t>(extension.id);
  }
  if (codec_ == codecs::Codec::Vp8) vp8_ = std::make_unique<codecs::Vp8Rewriter>();
  if (kind_ == ortc::MediaKind::Video) retransmissions_ = std::make_unique<RetransmissionBuffer>();
  std::random_device random;
  lastSequence_ = static_cast<uint16_t>(random());
  lastTimestamp_ = random();
  rtxSequence_ = static_cast<uint16_t>(random());
  preferredSpatial_ = producerStreams_ - 1;
  if (producerStreams_ == 1) targetStream_ = 0;
}

void Consumer::setPaused(bool paused) {
  if (paused_ == paused) return;
  paused_ = paused;
  if (!paused_) {
    syncRequired_ = true;
    if (currentStream_ >= 0) requestKeyframe(static_cast<size_t>(currentStream_));
  }
}

void Consumer::setProducerPaused(bool paused) {
  if (producerPaused_ == paused) return;
  producerPaused_ = paused;
  if (!producerPaused_) syncRequired_ = true;
}

void Consumer::setPreferredLayers(size_t spatial, std::optional<uint8_t> temporal) {
  preferredSpatial_ = std::min(spatial, producerStreams_ - 1);
  preferredTemporal_ = temporal;
  if (vp8_ && temporal) vp8_->setTargetTemporalLayer(*temporal);
}

void Consumer::setTargetLayer(int layer) {
  if (!isSimulcast() || !active() || layer < 0 || layer == targetStream_) return;
  targetStream_ = std::min(layer, static_cast<int>(producerStreams_) - 1);
  if (targetStream_ != currentStream_) requestKeyframe(static_cast<size_t>(targetStream_));
}

void Consumer::updateBitrate(Clock::time_point now) {
  if (bitrateAt_ != Clock::time_point{} && now > bitrateAt_) {
    const double seconds = std::chrono::duration<double>(now - bitrateAt_).count();
    stats_.bitrate = static_cast<uint32_t>(static_cast<double>(stats_.bytesSent - bitrateBytes_) * 8 / seconds);
  }
  bitrateBytes_ = stats_.bytesSent;
  bitrateAt_ = now;
}

bool Consumer::isKeyframe(std::span<const uint8_t> payload) const {
  return kind_ != ortc::MediaKind::Video || codecs::isKeyframe(codec_, payload);
}

void Consumer::forward(const rtp::RtpPacketView& packet, size_t streamIndex, Clock::time_point now) {
  if (!active()) {
    ++stats_.packetsDropped;
    return;
  }
  const auto sourcePayload = packet.payload();
  bool layerSwitch = false;
  if (static_cast<int>(streamIndex) != currentStream_) {
    // Simulcast: only the target encoding may take over, and only at a keyframe (a decoder
    // cannot continue another encoding's picture sequence).
    if (static_cast<int>(streamIndex) != targetStream_ || !isKeyframe(sourcePayload)) {
      // Keep asking while the target's delta frames go by: the request made on the switch may
      // have been swallowed by the router's per-stream limiter (another consumer asked moments
      // ago and that keyframe has passed), and nothing else would ask again. The router
      // rate-limits, so this costs one lookup per packet while waiting.
      if (static_cast<int>(streamIndex) == targetStream_) requestKeyframe(streamIndex);
      ++stats_.packetsDropped;
      return;
    }
    currentStream_ = static_cast<int>(streamIndex);
    syncRequired_ = true;
    if (producerStreams_ > 1) listener_.onConsumerLayerChanged(*this);
  }
  if (syncRequired_) {
    if (kind_ == ortc::MediaKind::Video && !isKeyframe(sourcePayload)) {
      ++stats_.packetsDropped;
      requestKeyframe(streamIndex);
      return;
    }
    sync(packet, now);
    layerSwitch = true;
  }
  // Late packets (reordered, or repaired by a NACK to the publisher) take the place they had;
  // those from before the last re-base have none.
  const auto mapped = sequences_.map(packet.sequenceNumber());
  if (!mapped) {
    ++stats_.packetsDropped;
    return;
  }

  auto buffer = transport_.packetBuffer();
  const auto bytes = packet.bytes();
  if (bytes.size() + srtp::SrtpSession::kRtpTrailerRoom > buffer.size()) {
    sequences_.drop(packet.sequenceNumber());
    ++stats_.packetsDropped;
    return;
  }
  std::memcpy(buffer.data(), bytes.data(), bytes.size());
  auto out = rtp::RtpPacketView::parse(buffer.first(bytes.size()));
  if (!out) return;
  if (vp8_ && !vp8_->rewritePayload(out->payload(), layerSwitch)) {
    // A dropped temporal-layer packet must not leave a sequence gap the subscriber would NACK.
    sequences_.drop(packet.sequenceNumber());
    ++stats_.packetsDropped;
    return;
  }
  const uint16_t sequence = *mapped;
  const uint32_t timestamp = packet.timestamp() + timestampOffset_;
  out->setSsrc(ssrc_);
  out->setSequenceNumber(sequence);
  out->setTimestamp(timestamp);
  extensionIds_.apply(*out);
  if (absSendTimeId_ != 0) {
    // Our send time, so the subscriber's delay-based estimate (its REMB) measures our path.
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
    rtp::setAbsSendTime(*out, absSendTimeId_, rtp::absSendTimeFromMicros(static_cast<uint64_t>(micros)));
  }
  if (!sentAny_ || rtp::isNewerSequence(sequence, lastSequence_)) lastSequence_ = sequence;
  if (!sentAny_ || rtp::isNewerTimestamp(timestamp, lastTimestamp_)) {
    lastTimestamp_ = timestamp;
    lastSentAt_ = now;
  }
  sentAny_ = true;
  if (retransmissions_) retransmissions_->store(sequence, out->bytes());
  ++stats_.packetsSent;
  stats_.bytesSent += bytes.size();
  transport_.sendRtp(buffer, bytes.size());
}

void Consumer::sync(const rtp::RtpPacketView& packet, Clock::time_point now) {
  sequences_.sync(packet.sequenceNumber(), static_cast<uint16_t>(lastSequence_ + 1));
  // Continue the timeline: the new run starts as much later as wall-clock time passed.
  const uint32_t elapsed = sentAny_ ? std::max<uint32_t>(unitsFor(now - lastSentAt_, clockRate_), 1) : 0;
  timestampOffset_ = lastTimestamp_ + elapsed - packet.timestamp();
  syncRequired_ = false;
}

void Consumer::requestKeyframe(size_t streamIndex) {
  if (kind_ != ortc::MediaKind::Video) return;
  listener_.onConsumerKeyframeNeeded(*this, streamIndex);
}

void Consumer::receiveKeyframeRequest() {
  ++stats_.keyframeRequests;
  if (currentStream_ >= 0) requestKeyframe(static_cast<size_t>(currentStream_));
}

void Consumer::receiveNack(const rtcp::NackView& nack) {
  ++stats_.nacksReceived;
  if (!retransmissions_) return;
  nack.forEachLost([this](uint16_t sequence) { retransmit(sequence); });
}

void Consumer::retransmit(uint16_t sequenceNumber) {
  const auto stored = retransmissions_->find(sequenceNumber);
  if (!stored) return;
  auto buffer = transport_.packetBuffer();
  const size_t needed = stored->size() + 2 + srtp::SrtpSession::kRtpTrailerRoom;
  if (needed > buffer.size()) return;
  size_t length = stored->size();
  std::memcpy(buffer.data(), stored->data(), stored->size());
  if (rtxPayloadType_ != 0 && rtxSsrc_ != 0) {
    // RFC 4588 section 4: RTX packet = original header with the RTX SSRC, PT and sequence,
    // then the original sequence number, then the original payload (padding removed).
    auto original = rtp::RtpPacketView::parse(buffer.first(length));
    if (!original) return;
    const size_t header = original->headerSize();
    const size_t payload = original->payload().size();
    std::memmove(buffer.data() + header + 2, stored->data() + header, payload);
    buffer[header] = static_cast<uint8_t>(sequenceNumber >> 8);
    buffer[header + 1] = static_cast<uint8_t>(sequenceNumber & 0xFF);
    buffer[0] &= static_cast<uint8_t>(~0x20);  // no padding any more
    length = header + 2 + payload;
    auto rtx = rtp::RtpPacketView::parse(buffer.first(length));
    if (!rtx) return;
    rtx->setSsrc(rtxSsrc_);
    rtx->setPayloadType(rtxPayloadType_);
    rtx->setSequenceNumber(rtxSequence_++);
  }
  ++stats_.packetsRetransmitted;
  transport_.sendRtp(buffer, length);
}

void Consumer::receiveReportBlock(const rtcp::ReportBlock& block, Clock::time_point now) {
  (void)now;
  stats_.fractionLost = block.fractionLost;
  if (block.lastSenderReport == 0) return;
  // RFC 3550 section 6.4.1: RTT = A - LSR - DLSR, in 1/65536 s.
  const uint32_t arrival = rtcp::compactNtp(rtcp::ntpNow());
  const uint32_t rtt = arrival - block.lastSenderReport - block.delaySinceLastSenderReport;
  if (rtt < 65536 * 10) stats_.roundTripMs = rtt * 1000.0 / 65536.0;
}

std::optional<rtcp::SenderInfo> Consumer::senderInfo(const Producer& producer, Clock::time_point now) const {
  if (!sentAny_ || currentStream_ < 0) return std::nullopt;
  rtcp::SenderInfo info;
  info.ssrc = ssrc_;
  info.ntpTimestamp = rtcp::ntpNow();
  const auto& stream = producer.stream(static_cast<size_t>(currentStream_));
  if (stream.lastSrNtp != 0) {
    // The publisher's own NTP/RTP relation, moved to now and to our timestamp base: audio and
    // video of one publisher then line up at the subscriber (lip sync).
    info.rtpTimestamp = stream.lastSrRtp + unitsFor(now - stream.lastSrReceived, clockRate_) + timestampOffset_;
  } else {
    info.rtpTimestamp = lastTimestamp_ + unitsFor(now - lastSentAt_, clockRate_);
  }
  info.packetCount = static_cast<uint32_t>(stats_.packetsSent);
  info.octetCount = static_cast<uint32_t>(stats_.bytesSent);
  return info;
}

}  // namespace fluxmeet::media::router
