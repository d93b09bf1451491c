#pragma once
// Parses an RTP packet from a writable copy, reads every field and extension, then checks the
// in-place rewrites and build() round trip.
#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "fluxmeet/media/rtp/rtp_packet.hpp"
#include "media/fuzz_check.hpp"

namespace fluxmeet::fuzz {

inline void exerciseRtp(std::span<const uint8_t> input) {
  using namespace media::rtp;
  std::vector<uint8_t> data(input.begin(), input.end());
  auto packet = RtpPacketView::parse(data);
  if (!packet) return;
  for (size_t i = 0; i < packet->csrcCount(); ++i) (void)packet->csrc(i);
  for (unsigned id = 0; id < 256; ++id) {
    if (auto ext = packet->findExtension(static_cast<uint8_t>(id))) {
      FUZZ_CHECK(ext->data() >= data.data() && ext->data() + ext->size() <= data.data() + data.size());
    }
  }
  const auto payload = packet->payload();
  FUZZ_CHECK(packet->headerSize() + payload.size() + packet->paddingSize() == data.size());

  // Rewriting fields with their own values changes nothing.
  const std::vector<uint8_t> before = data;
  packet->setSsrc(packet->ssrc());
  packet->setSequenceNumber(packet->sequenceNumber());
  packet->setTimestamp(packet->timestamp());
  packet->setPayloadType(packet->payloadType());
  packet->setMarker(packet->marker());
  FUZZ_CHECK(data == before);

  // New values read back, and the packet still parses the same way.
  packet->setSsrc(~packet->ssrc());
  packet->setSequenceNumber(static_cast<uint16_t>(packet->sequenceNumber() + 1));
  packet->setPayloadType(static_cast<uint8_t>((packet->payloadType() + 1) & 0x7F));
  auto again = RtpPacketView::parse(data);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->ssrc() == packet->ssrc());
  FUZZ_CHECK(again->headerSize() == packet->headerSize());
  FUZZ_CHECK(again->payload().size() == payload.size());

  std::vector<uint8_t> built(12 + payload.size());
  RtpHeaderFields fields{again->marker(), again->payloadType(), again->sequenceNumber(),
                         again->timestamp(), again->ssrc()};
  auto size = RtpPacketView::build(built, fields, again->payload());
  FUZZ_CHECK(size.has_value() && *size == built.size());
  auto rebuilt = RtpPacketView::parse(built);
  FUZZ_CHECK(rebuilt.has_value());
  FUZZ_CHECK(rebuilt->sequenceNumber() == fields.sequenceNumber && rebuilt->ssrc() == fields.ssrc);
  FUZZ_CHECK(rebuilt->payload().size() == payload.size());
  FUZZ_CHECK(payload.empty() ||
             std::memcmp(rebuilt->payload().data(), again->payload().data(), payload.size()) == 0);
}

}  // namespace fluxmeet::fuzz
