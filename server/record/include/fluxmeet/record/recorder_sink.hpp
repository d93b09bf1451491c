#pragma once
// RecorderSink: records one producer (one track) into one WebM file. It is the consumer-like
// end a Router feeds on its worker thread:
//   - onRtp() for each RTP packet of the producer's stream (one encoding: with simulcast the
//     Router picks the layer, as for a consumer), after SRTP and RTX unwrapping;
//   - onSenderReport() for the producer's RTCP sender reports, which line the tracks up.
// It depacketizes into frames, stamps them on the recording's clock (RtpClock) and hands them to
// the RecordingWriter thread through a bounded queue. The worker never waits: when the queue is
// full, video is dropped until the next keyframe (and a keyframe is requested), audio frame by
// frame; both are counted. Keyframe requests go to the listener, which sends the PLI.
//
// Threading: everything but create() runs on the producer's worker thread. onRtp() and
// onSenderReport() take no locks, throw nothing and allocate only when a buffer grows to a bigger
// frame than before; close() wakes the writer (one short mutex), as the Router's control does.
// Lifetime: the RecordingWriter must outlive its sinks.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/codecs/keyframe.hpp"
#include "fluxmeet/media/rtcp/sender_report.hpp"
#include "fluxmeet/media/rtp/rtp_packet.hpp"
#include "fluxmeet/record/depacketizer.hpp"
#include "fluxmeet/record/recording_writer.hpp"
#include "fluxmeet/record/rtp_clock.hpp"

namespace fluxmeet::record {

class RecorderSinkListener {
 public:
  // The recording needs a keyframe of stream `ssrc`: send a PLI (RFC 4585 section 6.3.1).
  virtual void onKeyframeRequest(uint32_t ssrc) = 0;

 protected:
  ~RecorderSinkListener() = default;
};

struct RecorderSinkOptions {
  media::codecs::Codec codec = media::codecs::Codec::Vp8;  // Vp8 or Opus
  uint32_t clockRate = 0;  // 0: the codec's (90000 / 48000)
  // Packets of other payload types (RED, FEC, a second codec) are not recorded; unset: any.
  std::optional<uint8_t> payloadType;
  std::string path;        // the WebM file to create
  // The recording's start on the arrival clock: block timestamps count from here, so every
  // sink of one recording must get the same value.
  int64_t startNs = 0;
  // How much a crash may lose at most (WebmTrackOptions::maxClusterDuration).
  std::chrono::milliseconds maxClusterDuration{1000};
  // While waiting for a keyframe, the request is repeated this often (a PLI can be lost).
  int64_t keyframeRequestIntervalNs = 1'000'000'000;
  size_t queueFrames = 512;
  size_t queueBytes = 32 * 1024 * 1024;
};

struct RecorderSinkStats {
  uint64_t packets = 0;
  uint64_t foreignPackets = 0;   // other payload types are not the recorded codec
  uint64_t ssrcChanges = 0;
  uint64_t framesQueued = 0;
  uint64_t framesDroppedQueueFull = 0;
  uint64_t framesSkippedAfterQueueFull = 0;  // video deltas until the next keyframe
  uint64_t keyframeRequests = 0;
  uint64_t senderReports = 0;
};

class RecorderSink final : private FrameListener {
 public:
  // Control path: creates the file through `writer`. `listener` may be null (audio never asks).
  static Result<std::unique_ptr<RecorderSink>> create(RecordingWriter& writer, RecorderSinkOptions options,
                                                      RecorderSinkListener* listener);
  ~RecorderSink();  // close()
  RecorderSink(const RecorderSink&) = delete;
  RecorderSink& operator=(const RecorderSink&) = delete;

  // `arrivalNs`: when the packet/report arrived, on the recording's clock (see startNs).
  void onRtp(const media::rtp::RtpPacketView& packet, int64_t arrivalNs);
  void onSenderReport(const media::rtcp::SenderInfo& report, int64_t arrivalNs);
  // Flushes the reorder window and tells the writer to finalize the file. No packets after it.
  void close();

  // For waiting on the finalized file and reading what was written.
  const std::shared_ptr<RecordingTrack>& track() const { return track_; }
  const RecorderSinkStats& stats() const { return stats_; }
  const DepacketizerStats& depacketizerStats() const { return depacketizer_->stats(); }
  const ReorderStats& reorderStats() const { return depacketizer_->reorderStats(); }
  const RtpClock& clock() const { return clock_; }

 private:
  RecorderSink(RecordingWriter& writer, RecorderSinkOptions options, RecorderSinkListener* listener,
               std::shared_ptr<RecordingTrack> track);
  void onFrame(const EncodedFrame& frame) override;
  void requestKeyframe(int64_t nowNs);

  RecordingWriter& writer_;
  RecorderSinkOptions options_;
  RecorderSinkListener* listener_;
  std::shared_ptr<RecordingTrack> track_;
  std::unique_ptr<Depacketizer> depacketizer_;
  RtpClock clock_;
  bool video_;
  bool haveSsrc_ = false;
  uint32_t ssrc_ = 0;
  int64_t lastKeyframeRequestNs_ = 0;
  bool keyframeRequested_ = false;
  bool dropUntilKeyframe_ = false;  // the queue overflowed
  bool closed_ = false;
  RecorderSinkStats stats_;
};

}  // namespace fluxmeet::record
