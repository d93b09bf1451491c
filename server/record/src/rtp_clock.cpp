#include "fluxmeet/record/rtp_clock.hpp"

#include <algorithm>

#include "fluxmeet/media/rtp/sequence_number.hpp"

namespace fluxmeet::record {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;

}  // namespace

int64_t ntpToNanoseconds(uint64_t ntpTimestamp) {
  const auto seconds = static_cast<int64_t>(ntpTimestamp >> 32);
  const uint64_t fraction = ntpTimestamp & 0xFFFFFFFFULL;
  return seconds * kNanosPerSecond + static_cast<int64_t>((fraction * kNanosPerSecond) >> 32);
}

RtpClock::RtpClock(uint32_t clockRate) : clockRate_(clockRate == 0 ? 90000 : clockRate) {}

int64_t RtpClock::unwrapNear(uint32_t rtpTimestamp) const {
  if (!started_) return rtpTimestamp;
  return lastUnwrapped_ + media::rtp::serialDiff<uint32_t>(rtpTimestamp, last_);
}

int64_t RtpClock::localNs(int64_t unwrappedRtp) const {
  // Split to keep (delta * 1e9) inside int64 for any realistic delta (hours of RTP time).
  const int64_t delta = unwrappedRtp - anchorRtp_;
  const int64_t rate = clockRate_;
  const int64_t whole = delta / rate;
  const int64_t rest = delta % rate;
  return anchorNs_ + whole * kNanosPerSecond + rest * kNanosPerSecond / rate;
}

int64_t RtpClock::minimumOffset() const {
  const size_t count = std::min(senderReports_, kSenderReportWindow);
  return *std::min_element(offsets_.begin(), offsets_.begin() + static_cast<std::ptrdiff_t>(count));
}

int64_t RtpClock::onPacket(uint32_t rtpTimestamp, int64_t arrivalNs) {
  const int64_t unwrapped = unwrapNear(rtpTimestamp);
  if (!started_) {
    started_ = true;
    anchorRtp_ = unwrapped;
    anchorNs_ = arrivalNs;
  }
  last_ = rtpTimestamp;
  lastUnwrapped_ = unwrapped;
  return localNs(unwrapped);
}

void RtpClock::onSenderReport(uint64_t ntpTimestamp, uint32_t rtpTimestamp, int64_t arrivalNs) {
  const int64_t senderNs = ntpToNanoseconds(ntpTimestamp);
  offsets_[senderReports_ % kSenderReportWindow] = arrivalNs - senderNs;
  ++senderReports_;
  const int64_t unwrapped = unwrapNear(rtpTimestamp);
  if (!started_) {
    started_ = true;
    last_ = rtpTimestamp;
    lastUnwrapped_ = unwrapped;
  }
  anchorRtp_ = unwrapped;
  anchorNs_ = senderNs + minimumOffset();
}

std::optional<int64_t> RtpClock::toLocalNs(uint32_t rtpTimestamp) const {
  if (!started_) return std::nullopt;
  return localNs(unwrapNear(rtpTimestamp));
}

}  // namespace fluxmeet::record
