#pragma once
// Opus depacketizer (RFC 7587, https://www.rfc-editor.org/rfc/rfc7587#section-4.2): the payload
// of one RTP packet is exactly one Opus packet, decodable on its own, so loss costs only the
// lost packet (the decoder conceals it) and needs no keyframe. Gaps in RTP time without lost
// sequence numbers are DTX (section 4.4) and are fine: block timestamps keep the silence.
// Packets are put in order by a small RtpReorderBuffer so the file's timestamps only increase.
// Threading: the producer's media worker; not thread-safe.
#include <cstddef>

#include "fluxmeet/record/depacketizer.hpp"

namespace fluxmeet::record {

struct OpusDepacketizerOptions {
  // RFC 6716 section 3.2.1 caps a frame at 1275 bytes; a packet of up to 120 ms holds several.
  size_t maxPacketSize = 4000;
  size_t reorderWindow = 8;
};

class OpusDepacketizer final : public Depacketizer, private OrderedPacketListener {
 public:
  OpusDepacketizer(FrameListener& listener, OpusDepacketizerOptions options = {});

  PushResult push(const media::rtp::RtpPacketView& packet) override;
  PushResult push(const OrderedPacket& packet);
  void flush() override { reorder_.flush(*this); }
  void reset() override { reorder_.reset(); }
  bool waitingForKeyframe() const override { return false; }
  const DepacketizerStats& stats() const override { return stats_; }
  const ReorderStats& reorderStats() const override { return reorder_.stats(); }

 private:
  void onOrderedPacket(const OrderedPacket& packet) override;

  FrameListener& listener_;
  RtpReorderBuffer reorder_;
  DepacketizerStats stats_;
};

}  // namespace fluxmeet::record
