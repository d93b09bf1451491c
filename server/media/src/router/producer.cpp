#include "fluxmeet/media/router/producer.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "fluxmeet/media/net/byte_io.hpp"

#include "fluxmeet/media/rtcp/ntp_time.hpp"

namespace fluxmeet::media::router {
namespace {

constexpr auto kKeyframeRequestInterval = std::chrono::milliseconds(300);

}  // namespace

Producer::Producer(std::string id, std::string transportId, ortc::MediaKind kind, ortc::RtpParameters rtpParameters,
                   ortc::RtpParameters consumableParameters, const ortc::RtpMapping& mapping,
                   const ortc::RtpCapabilities& routerCapabilities)
    : id_(std::move(id)),
      transportId_(std::move(transportId)),
      kind_(kind),
      rtpParameters_(std::move(rtpParameters)),
      consumableParameters_(std::move(consumableParameters)),
      extensionIds_(ortc::unusedHeaderExtensionId(routerCapabilities)) {
  payloadTypeMap_.fill(-1);
  rtxAssociatedPayloadType_.fill(-1);
  for (const auto& codec : mapping.codecs) payloadTypeMap_[codec.payloadType & 0x7F] = static_cast<int16_t>(codec.mappedPayloadType);
  for (const auto& codec : rtpParameters_.codecs) {
    if (!ortc::isRtxMimeType(codec.mimeType)) continue;
    rtxPayloadTypes_[codec.payloadType & 0x7F] = true;
    if (const auto apt = ortc::integerParameter(codec.parameters, "apt"); apt && *apt >= 0 && *apt < 128) {
      rtxAssociatedPayloadType_[codec.payloadType & 0x7F] = static_cast<int16_t>(*apt);
    }
  }
  // NACK towards the publisher when its codec takes generic NACK (RFC 4585 "nack", no parameter).
  bool nack = false;
  for (const auto& codec : rtpParameters_.codecs) {
    if (ortc::isRtxMimeType(codec.mimeType)) continue;
    for (const auto& feedback : codec.rtcpFeedback) nack = nack || (feedback.type == "nack" && feedback.parameter.empty());
    break;
  }
  for (const auto& extension : rtpParameters_.headerExtensions) {
    const auto id = static_cast<uint8_t>(extension.id);
    if (extension.uri == ortc::kMidUri) midExtensionId_ = id;
    if (extension.uri == ortc::kRtpStreamIdUri) ridExtensionId_ = id;
    if (extension.uri == ortc::kRepairedRtpStreamIdUri) repairedRidExtensionId_ = id;
    for (const auto& supported : routerCapabilities.headerExtensions) {
      if (supported.uri != extension.uri || (supported.kind && *supported.kind != kind_)) continue;
      extensionIds_.set(id, static_cast<uint8_t>(supported.preferredId));
      if (extension.uri == ortc::kAudioLevelUri) audioLevelExtensionId_ = static_cast<uint8_t>(supported.preferredId);
    }
  }
  const uint32_t clockRate = rtpParameters_.codecs.empty() ? 90000 : rtpParameters_.codecs.front().clockRate;
  for (const auto& encoding : mapping.encodings) {
    ProducerStream stream;
    stream.ssrc = encoding.ssrc.value_or(0);
    stream.rid = encoding.rid;
    stream.mappedSsrc = encoding.mappedSsrc;
    stream.clockRate = clockRate;
    if (nack && kind_ == ortc::MediaKind::Video) stream.nack = std::make_unique<NackGenerator>();
    streams_.push_back(std::move(stream));
  }
  for (size_t i = 0; i < streams_.size() && i < rtpParameters_.encodings.size(); ++i) {
    streams_[i].rtxSsrc = rtpParameters_.encodings[i].rtxSsrc.value_or(0);
  }
}

std::optional<size_t> Producer::matchStream(const rtp::RtpPacketView& packet) {
  const uint32_t ssrc = packet.ssrc();
  for (size_t i = 0; i < streams_.size(); ++i) {
    if (streams_[i].ssrc == ssrc) return i;
  }
  if (isRtxPayloadType(packet.payloadType()) || ridExtensionId_ == 0) return std::nullopt;
  const auto rid = packet.findExtension(ridExtensionId_);
  if (!rid) return std::nullopt;
  const std::string_view value(reinterpret_cast<const char*>(rid->data()), rid->size());
  for (size_t i = 0; i < streams_.size(); ++i) {
    if (streams_[i].ssrc == 0 && streams_[i].rid && *streams_[i].rid == value) {
      streams_[i].ssrc = ssrc;
      return i;
    }
  }
  return std::nullopt;
}

std::optional<size_t> Producer::matchRtxStream(const rtp::RtpPacketView& packet) {
  if (!isRtxPayloadType(packet.payloadType())) return std::nullopt;
  const uint32_t ssrc = packet.ssrc();
  for (size_t i = 0; i < streams_.size(); ++i) {
    if (streams_[i].rtxSsrc == ssrc && ssrc != 0) return i;
  }
  if (repairedRidExtensionId_ == 0) return std::nullopt;
  const auto rid = packet.findExtension(repairedRidExtensionId_);
  if (!rid) return std::nullopt;
  const std::string_view value(reinterpret_cast<const char*>(rid->data()), rid->size());
  for (size_t i = 0; i < streams_.size(); ++i) {
    if (streams_[i].rtxSsrc == 0 && streams_[i].rid && *streams_[i].rid == value) {
      streams_[i].rtxSsrc = ssrc;
      return i;
    }
  }
  return std::nullopt;
}

std::optional<rtp::RtpPacketView> Producer::unwrapRtx(rtp::RtpPacketView& rtx, size_t streamIndex) {
  const int16_t originalPayloadType = rtxAssociatedPayloadType_[rtx.payloadType()];
  const auto& stream = streams_[streamIndex];
  if (originalPayloadType < 0 || stream.ssrc == 0 || rtx.payload().size() <= 2) return std::nullopt;
  const uint16_t originalSequence = net::loadU16(rtx.payload().data());
  const auto bytes = rtx.bytes();
  const size_t header = rtx.headerSize();
  std::memmove(bytes.data() + 2, bytes.data(), header);
  auto original = rtp::RtpPacketView::parse(bytes.subspan(2));
  if (!original) return std::nullopt;
  original->setSsrc(stream.ssrc);
  original->setSequenceNumber(originalSequence);
  original->setPayloadType(static_cast<uint8_t>(originalPayloadType));
  return original;
}

NackGenerator::Arrival Producer::trackSequence(size_t streamIndex, uint16_t sequenceNumber, Clock::time_point now) {
  auto& stream = streams_[streamIndex];
  if (!stream.nack) return NackGenerator::Arrival::InOrder;
  return stream.nack->receive(sequenceNumber, now);
}

bool Producer::receive(rtp::RtpPacketView& packet, size_t streamIndex, Clock::time_point now, bool repaired) {
  const int16_t mappedPayloadType = payloadTypeMap_[packet.payloadType()];
  if (mappedPayloadType < 0) return false;
  auto& stream = streams_[streamIndex];
  ++stream.packets;
  stream.bytes += packet.bytes().size();
  stream.lastPacketAt = now;
  const int64_t sequence = stream.sequence.unwrap(packet.sequenceNumber());
  if (stream.baseSequence < 0) stream.baseSequence = sequence;
  if (sequence > stream.highestSequence) stream.highestSequence = sequence;

  // Interarrival jitter, RFC 3550 appendix A.8, in RTP timestamp units.
  if (!repaired) {
    const auto arrival = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
    const auto arrivalUnits = static_cast<int64_t>(static_cast<double>(arrival) * stream.clockRate / 1e6);
    const int64_t transit = arrivalUnits - static_cast<int64_t>(packet.timestamp());
    if (stream.haveTransit) {
      const double delta = std::fabs(static_cast<double>(transit - stream.lastTransit));
      if (delta < 10.0 * stream.clockRate) stream.jitter += (delta - stream.jitter) / 16.0;
    }
    stream.lastTransit = transit;
    stream.haveTransit = true;
  }

  if (stream.windowStart == Clock::time_point{}) stream.windowStart = now;
  stream.windowBytes += packet.bytes().size();
  if (now - stream.windowStart >= std::chrono::seconds(1)) {
    const double seconds = std::chrono::duration<double>(now - stream.windowStart).count();
    stream.bitrate = static_cast<uint32_t>(static_cast<double>(stream.windowBytes) * 8 / seconds);
    stream.windowBytes = 0;
    stream.windowStart = now;
  }

  packet.setPayloadType(static_cast<uint8_t>(mappedPayloadType));
  if (packet.hasExtension()) extensionIds_.apply(packet);  // to router ids
  return true;
}

void Producer::receiveSenderReport(uint32_t ssrc, uint64_t ntp, uint32_t rtpTimestamp, Clock::time_point now) {
  for (auto& stream : streams_) {
    if (stream.ssrc != ssrc) continue;
    stream.lastSrNtp = ntp;
    stream.lastSrRtp = rtpTimestamp;
    stream.lastSrReceived = now;
  }
}

rtcp::ReportBlock Producer::makeReportBlock(size_t streamIndex, Clock::time_point now) {
  auto& stream = streams_[streamIndex];
  rtcp::ReportBlock block;
  block.ssrc = stream.ssrc;
  if (stream.baseSequence < 0) return block;
  // RFC 3550 appendix A.3.
  const uint64_t expected = static_cast<uint64_t>(stream.highestSequence - stream.baseSequence + 1);
  const int64_t lost = static_cast<int64_t>(expected) - static_cast<int64_t>(stream.packets);
  const uint64_t expectedInterval = expected - stream.expectedPrior;
  const uint64_t receivedInterval = stream.packets - stream.receivedPrior;
  stream.expectedPrior = expected;
  stream.receivedPrior = stream.packets;
  const int64_t lostInterval = static_cast<int64_t>(expectedInterval) - static_cast<int64_t>(receivedInterval);
  block.fractionLost = (expectedInterval == 0 || lostInterval <= 0)
                           ? 0
                           : static_cast<uint8_t>((lostInterval << 8) / static_cast<int64_t>(expectedInterval));
  block.cumulativeLost = static_cast<int32_t>(std::clamp<int64_t>(lost, -0x800000, 0x7FFFFF));
  block.extendedHighestSequence = static_cast<uint32_t>(stream.highestSequence);
  block.jitter = static_cast<uint32_t>(stream.jitter);
  if (stream.lastSrNtp != 0) {
    block.lastSenderReport = rtcp::compactNtp(stream.lastSrNtp);
    const auto delay = std::chrono::duration_cast<std::chrono::microseconds>(now - stream.lastSrReceived).count();
    block.delaySinceLastSenderReport = static_cast<uint32_t>(delay * 65536 / 1000000);  // 1/65536 s units
  }
  return block;
}

bool Producer::allowKeyframeRequest(size_t streamIndex, Clock::time_point now) {
  auto& stream = streams_[streamIndex];
  if (stream.lastKeyframeRequest != Clock::time_point{} && now - stream.lastKeyframeRequest < kKeyframeRequestInterval) {
    return false;
  }
  stream.lastKeyframeRequest = now;
  return true;
}

}  // namespace fluxmeet::media::router
