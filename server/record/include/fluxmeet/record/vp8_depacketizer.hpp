#pragma once
// VP8 depacketizer (RFC 7741, https://www.rfc-editor.org/rfc/rfc7741): reassembles frames from
// RTP packets for the recorder.
//   - Packets are put in order by an RtpReorderBuffer; a hole it gives up on breaks the frame
//     it falls in.
//   - A frame is the packets of one RTP timestamp (section 4.1). It starts with the packet whose
//     payload descriptor has S = 1 and PID = 0 (section 4.2) and ends with the marker bit, or,
//     when the marker was lost or never set, with the next frame's first packet in sequence.
//   - Any loss or corruption drops the frame it hits and every frame after it until the next
//     keyframe (section 4.3, RFC 6386 section 9.1): a VP8 decoder fed a frame whose references
//     are broken shows garbage, and a recording must not contain that. The caller is told once
//     (PushResult::NeedKeyframe) so it can send a PLI.
//   - Frame width and height come from the keyframe header (RFC 6386 section 9.1).
// Threading: the producer's media worker; not thread-safe.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fluxmeet/record/depacketizer.hpp"

namespace fluxmeet::record {

struct Vp8DepacketizerOptions {
  size_t maxFrameSize = 4 * 1024 * 1024;
  size_t reorderWindow = 32;    // packets
  size_t maxPacketSize = 1500;  // RTP payload bytes
};

class Vp8Depacketizer final : public Depacketizer, private OrderedPacketListener {
 public:
  Vp8Depacketizer(FrameListener& listener, Vp8DepacketizerOptions options = {});

  PushResult push(const media::rtp::RtpPacketView& packet) override;
  // Takes a packet already split into its fields (tests, fuzzing, callers without a view).
  PushResult push(const OrderedPacket& packet);
  void flush() override;
  void reset() override;
  bool waitingForKeyframe() const override { return waitingForKeyframe_; }
  const DepacketizerStats& stats() const override { return stats_; }
  const ReorderStats& reorderStats() const override { return reorder_.stats(); }

 private:
  enum class State { Idle, Assembling, Discarding };

  void onOrderedPacket(const OrderedPacket& packet) override;
  void handleFrameStart(const OrderedPacket& packet, bool keyframe, uint16_t width, uint16_t height);
  void emitFrame();
  // Drops the frame in progress (if any) and every packet of timestamp `timestamp`.
  void discard(uint32_t timestamp, bool marker);
  void requireKeyframe();
  PushResult takeResult();

  FrameListener& listener_;
  Vp8DepacketizerOptions options_;
  RtpReorderBuffer reorder_;
  State state_ = State::Idle;
  uint32_t frameTimestamp_ = 0;
  bool frameKeyframe_ = false;
  std::vector<uint8_t> frame_;
  uint16_t width_ = 0;
  uint16_t height_ = 0;
  // A recording starts mid-stream, so the first frame written must be a keyframe too.
  bool waitingForKeyframe_ = true;
  bool keyframeRequested_ = false;  // since waitingForKeyframe_ became true
  bool requestPending_ = false;     // to report from the current push()
  DepacketizerStats stats_;
};

}  // namespace fluxmeet::record
