#pragma once
// RecorderTap: adapts record::RecorderSink (one producer -> one WebM file) to the Router's
// media::router::RtpTap, and the sink's keyframe requests to Router::requestTapKeyframe. It lives
// here because meeting may depend on both media and record while neither knows the other.
//
// Threading: create() and the destructor on the control thread; everything else on the Router's
// worker thread (attach, detachAndClose, the RtpTap calls). Lifetime: attached to at most one
// producer of one Router; detachAndClose() must run on the worker before destruction when the
// Router still exists (RoomRecording does it in one worker task).
#include <cstdint>
#include <memory>
#include <string>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/router/router.hpp"
#include "fluxmeet/media/router/rtp_tap.hpp"
#include "fluxmeet/record/recorder_sink.hpp"

namespace fluxmeet::meeting {

class RecorderTap final : public media::router::RtpTap, private record::RecorderSinkListener {
 public:
  // Control path: creates the file through the writer (see RecorderSink::create).
  static Result<std::unique_ptr<RecorderTap>> create(record::RecordingWriter& writer, std::string producerId,
                                                     record::RecorderSinkOptions options);
  RecorderTap(const RecorderTap&) = delete;
  RecorderTap& operator=(const RecorderTap&) = delete;
  ~RecorderTap();

  // Worker thread.
  Result<void> attach(media::router::Router& router);
  // Stops the packets (if the router is still there) and finalizes the file.
  void detachAndClose(media::router::Router* router);

  void onRtp(const media::rtp::RtpPacketView& packet, int64_t arrivalNs) override;
  void onSenderReport(const media::rtcp::SenderInfo& report, int64_t arrivalNs) override;

  const std::string& producerId() const { return producerId_; }
  const record::RecorderSink& sink() const { return *sink_; }

 private:
  explicit RecorderTap(std::string producerId) : producerId_(std::move(producerId)) {}
  void onKeyframeRequest(uint32_t ssrc) override;

  std::string producerId_;
  std::unique_ptr<record::RecorderSink> sink_;
  media::router::Router* router_ = nullptr;  // while attached
};

}  // namespace fluxmeet::meeting
