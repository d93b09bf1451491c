#pragma once
// Depacketizers turn one producer's RTP packets into whole encoded frames for the recorder.
// They run on the media worker thread of the producer's Router: no locks, no exceptions, and no
// allocation per packet once their buffers have grown to the stream's frame size.
#include <cstdint>
#include <span>

#include "fluxmeet/media/rtp/rtp_packet.hpp"
#include "fluxmeet/record/rtp_reorder_buffer.hpp"

namespace fluxmeet::record {

struct EncodedFrame {
  std::span<const uint8_t> data;  // the codec's frame (no RTP payload headers); valid during the call
  uint32_t rtpTimestamp = 0;
  bool keyframe = false;  // always true for audio
  uint16_t width = 0;     // video: from the last keyframe header
  uint16_t height = 0;
};

class FrameListener {
 public:
  virtual void onFrame(const EncodedFrame& frame) = 0;

 protected:
  ~FrameListener() = default;
};

enum class PushResult {
  Ok,
  // The depacketizer lost the picture chain and drops frames until a keyframe comes: the
  // caller should send a keyframe request (RTCP PLI, RFC 4585 section 6.3.1). Reported once per
  // loss; while waitingForKeyframe() stays true the caller may repeat its request on a timer.
  NeedKeyframe,
};

struct DepacketizerStats {
  uint64_t packets = 0;
  uint64_t malformed = 0;        // payloads that could not be parsed
  uint64_t frames = 0;           // frames handed to the listener
  uint64_t framesDropped = 0;    // incomplete or corrupt (loss, oversize, bad partition order)
  uint64_t framesSkipped = 0;    // whole frames not written while waiting for a keyframe
  uint64_t oversizeFrames = 0;   // larger than the frame limit
  uint64_t keyframeRequests = 0; // NeedKeyframe results
};

class Depacketizer {
 public:
  virtual ~Depacketizer() = default;

  // Takes one RTP packet of the stream; frames it completes go to the listener before it returns.
  virtual PushResult push(const media::rtp::RtpPacketView& packet) = 0;
  // End of stream: delivers what the reorder window still holds.
  virtual void flush() = 0;
  // Forgets the stream (e.g. the sender's SSRC changed); video then waits for a keyframe.
  virtual void reset() = 0;
  virtual bool waitingForKeyframe() const = 0;
  virtual const DepacketizerStats& stats() const = 0;
  virtual const ReorderStats& reorderStats() const = 0;
};

}  // namespace fluxmeet::record
