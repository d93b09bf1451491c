#include "fluxmeet/meeting/recorder_tap.hpp"

#include <utility>

namespace fluxmeet::meeting {

Result<std::unique_ptr<RecorderTap>> RecorderTap::create(record::RecordingWriter& writer, std::string producerId,
                                                         record::RecorderSinkOptions options) {
  std::unique_ptr<RecorderTap> tap(new RecorderTap(std::move(producerId)));
  auto sink = record::RecorderSink::create(writer, std::move(options), tap.get());
  if (!sink) return sink.error();
  tap->sink_ = std::move(*sink);
  return tap;
}

RecorderTap::~RecorderTap() = default;

Result<void> RecorderTap::attach(media::router::Router& router) {
  if (auto attached = router.attachTap(producerId_, *this); !attached) return attached;
  router_ = &router;
  return {};
}

void RecorderTap::detachAndClose(media::router::Router* router) {
  if (router) router->detachTap(producerId_, *this);
  router_ = nullptr;
  sink_->close();
}

void RecorderTap::onRtp(const media::rtp::RtpPacketView& packet, int64_t arrivalNs) { sink_->onRtp(packet, arrivalNs); }

void RecorderTap::onSenderReport(const media::rtcp::SenderInfo& report, int64_t arrivalNs) {
  sink_->onSenderReport(report, arrivalNs);
}

void RecorderTap::onKeyframeRequest(uint32_t ssrc) {
  // The router knows which encoding this tap reads; the SSRC is the sink's view of the same.
  (void)ssrc;
  if (router_) (void)router_->requestTapKeyframe(producerId_, *this);
}

}  // namespace fluxmeet::meeting
