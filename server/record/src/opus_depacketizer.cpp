#include "fluxmeet/record/opus_depacketizer.hpp"

namespace fluxmeet::record {

OpusDepacketizer::OpusDepacketizer(FrameListener& listener, OpusDepacketizerOptions options)
    : listener_(listener), reorder_(options.reorderWindow, options.maxPacketSize) {}

PushResult OpusDepacketizer::push(const media::rtp::RtpPacketView& packet) {
  return push(OrderedPacket{packet.sequenceNumber(), packet.timestamp(), packet.marker(), packet.payload()});
}

PushResult OpusDepacketizer::push(const OrderedPacket& packet) {
  ++stats_.packets;
  reorder_.insert(packet, *this);
  return PushResult::Ok;
}

void OpusDepacketizer::onOrderedPacket(const OrderedPacket& packet) {
  // RFC 6716 section 3.1: every Opus packet has at least its TOC byte. An empty payload is
  // padding, not audio.
  if (packet.payload.empty()) return;
  ++stats_.frames;
  listener_.onFrame(EncodedFrame{packet.payload, packet.timestamp, true, 0, 0});
}

}  // namespace fluxmeet::record
