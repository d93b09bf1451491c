#include "fluxmeet/record/recorder_sink.hpp"

#include "fluxmeet/record/opus_depacketizer.hpp"
#include "fluxmeet/record/vp8_depacketizer.hpp"

namespace fluxmeet::record {
namespace {

using media::codecs::Codec;

uint32_t defaultClockRate(Codec codec) { return codec == Codec::Opus ? 48000 : 90000; }

}  // namespace

Result<std::unique_ptr<RecorderSink>> RecorderSink::create(RecordingWriter& writer, RecorderSinkOptions options,
                                                           RecorderSinkListener* listener) {
  if (options.codec != Codec::Vp8 && options.codec != Codec::Opus) {
    return makeError(ErrorCode::UnsupportedMediaType, "only VP8 and Opus can be recorded", "codec");
  }
  if (options.clockRate == 0) options.clockRate = defaultClockRate(options.codec);
  RecordingTrackOptions trackOptions;
  trackOptions.path = options.path;
  trackOptions.webm.kind = options.codec == Codec::Opus ? TrackKind::Audio : TrackKind::Video;
  trackOptions.webm.startNs = options.startNs;
  trackOptions.webm.maxClusterDuration = options.maxClusterDuration;
  trackOptions.queueFrames = options.queueFrames;
  trackOptions.queueBytes = options.queueBytes;
  auto track = writer.addTrack(std::move(trackOptions));
  if (!track) return std::move(track).takeError();
  return std::unique_ptr<RecorderSink>(
      new RecorderSink(writer, std::move(options), listener, std::move(track).value()));
}

RecorderSink::RecorderSink(RecordingWriter& writer, RecorderSinkOptions options, RecorderSinkListener* listener,
                           std::shared_ptr<RecordingTrack> track)
    : writer_(writer),
      options_(std::move(options)),
      listener_(listener),
      track_(std::move(track)),
      clock_(options_.clockRate),
      video_(options_.codec == Codec::Vp8) {
  FrameListener& frames = *this;  // a private base: convert here, where it is accessible
  if (video_) {
    depacketizer_ = std::make_unique<Vp8Depacketizer>(frames);
  } else {
    depacketizer_ = std::make_unique<OpusDepacketizer>(frames);
  }
}

RecorderSink::~RecorderSink() { close(); }

void RecorderSink::close() {
  if (closed_) return;
  depacketizer_->flush();
  closed_ = true;
  track_->requestClose();
  writer_.wake();  // control path: a mutex here is fine
}

void RecorderSink::requestKeyframe(int64_t nowNs) {
  keyframeRequested_ = true;
  lastKeyframeRequestNs_ = nowNs;
  ++stats_.keyframeRequests;
  if (listener_ != nullptr) listener_->onKeyframeRequest(ssrc_);
}

void RecorderSink::onRtp(const media::rtp::RtpPacketView& packet, int64_t arrivalNs) {
  if (closed_) return;
  ++stats_.packets;
  if (options_.payloadType && packet.payloadType() != *options_.payloadType) {
    ++stats_.foreignPackets;
    return;
  }
  if (haveSsrc_ && packet.ssrc() != ssrc_) {
    // The sender restarted its stream (new SSRC, sequence numbers and RTP timestamps): start
    // over from its first keyframe, timed from this packet's arrival.
    ++stats_.ssrcChanges;
    depacketizer_->flush();
    depacketizer_->reset();
    clock_ = RtpClock(options_.clockRate);
  }
  haveSsrc_ = true;
  ssrc_ = packet.ssrc();
  clock_.onPacket(packet.timestamp(), arrivalNs);

  const PushResult result = depacketizer_->push(packet);
  const bool waiting = depacketizer_->waitingForKeyframe() || dropUntilKeyframe_;
  if (!waiting) {
    keyframeRequested_ = false;
  } else if (result == PushResult::NeedKeyframe || !keyframeRequested_ ||
             arrivalNs - lastKeyframeRequestNs_ >= options_.keyframeRequestIntervalNs) {
    requestKeyframe(arrivalNs);
  }
}

void RecorderSink::onSenderReport(const media::rtcp::SenderInfo& report, int64_t arrivalNs) {
  if (closed_ || (haveSsrc_ && report.ssrc != ssrc_)) return;
  ++stats_.senderReports;
  clock_.onSenderReport(report.ntpTimestamp, report.rtpTimestamp, arrivalNs);
}

void RecorderSink::onFrame(const EncodedFrame& frame) {
  if (video_ && dropUntilKeyframe_) {
    if (!frame.keyframe) {
      ++stats_.framesSkippedAfterQueueFull;
      return;
    }
    dropUntilKeyframe_ = false;
  }
  // Frames come out near the packet just seen, so the clock unwraps them correctly.
  const int64_t timestampNs = clock_.toLocalNs(frame.rtpTimestamp).value_or(options_.startNs);
  if (track_->queue().tryPush(frame.data, timestampNs, frame.keyframe, frame.width, frame.height)) {
    ++stats_.framesQueued;
    return;
  }
  ++stats_.framesDroppedQueueFull;
  // A lost video frame breaks every frame that references it: skip to the next keyframe.
  if (video_) dropUntilKeyframe_ = true;
}

}  // namespace fluxmeet::record
