#pragma once
// Maps one RTP stream's timestamps onto the receiver's clock, so the tracks of one recording can
// be written against a common start time and line up.
//
// Within a stream, time follows the RTP timestamps (the sender's media clock, RFC 3550 section
// 5.1), never packet arrival times, which carry network jitter. What anchors the RTP timeline to
// the receiver's clock:
//   - before any sender report: the first packet's arrival time;
//   - after sender reports (RFC 3550 section 6.4.1): the SR's RTP/NTP pair maps RTP time onto
//     the sender's wall clock, and the smallest (arrival - NTP) over the last few SRs maps that
//     onto ours. Every track of one sender shares that wall clock, so audio and video of a
//     participant line up (lip sync) up to the difference of their minimum transit times.
// The minimum is windowed so a drifting sender clock is followed; queueing only ever adds delay,
// so the minimum is the estimate least disturbed by jitter.
//
// "Local" times are nanoseconds on whatever clock the caller reads arrival times from (one clock
// for all streams of a recording, e.g. steady_clock). Pure logic; not thread-safe.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace fluxmeet::record {

class RtpClock {
 public:
  static constexpr size_t kSenderReportWindow = 8;

  explicit RtpClock(uint32_t clockRate);

  uint32_t clockRate() const { return clockRate_; }

  // Returns the local time of a packet's RTP timestamp. The first call anchors the timeline at
  // `arrivalNs` unless a sender report already did.
  int64_t onPacket(uint32_t rtpTimestamp, int64_t arrivalNs);

  // RFC 3550 section 6.4.1: `ntpTimestamp` (32.32 fixed point seconds) is the sender's wall clock
  // at the instant that `rtpTimestamp` denotes.
  void onSenderReport(uint64_t ntpTimestamp, uint32_t rtpTimestamp, int64_t arrivalNs);

  // The local time of `rtpTimestamp` (unwrapped near the last packet) without recording it;
  // nullopt before the first packet or sender report.
  std::optional<int64_t> toLocalNs(uint32_t rtpTimestamp) const;

  bool synchronized() const { return senderReports_ > 0; }  // mapped through an SR
  bool started() const { return started_; }

 private:
  int64_t unwrapNear(uint32_t rtpTimestamp) const;
  int64_t localNs(int64_t unwrappedRtp) const;
  int64_t minimumOffset() const;

  uint32_t clockRate_;
  bool started_ = false;
  uint32_t last_ = 0;          // last RTP timestamp seen (packet or SR)
  int64_t lastUnwrapped_ = 0;  // the same, extended to 64 bits
  int64_t anchorRtp_ = 0;      // unwrapped RTP timestamp ...
  int64_t anchorNs_ = 0;       // ... and its local time
  std::array<int64_t, kSenderReportWindow> offsets_{};  // arrival - sender NTP, ns
  size_t senderReports_ = 0;
};

// 32.32 fixed point NTP seconds to nanoseconds since the NTP epoch.
int64_t ntpToNanoseconds(uint64_t ntpTimestamp);

}  // namespace fluxmeet::record
