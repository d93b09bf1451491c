#pragma once
// RtpTap: a non-forwarding reader of one producer's stream (a recorder, later perhaps a
// transcriber). The Router calls it on its worker thread, from the packet path, for one encoding
// of the producer: with simulcast the highest active one (or the one the tap was attached for);
// never RTX. Packets come after SRTP, with the router's payload types and extension ids, as a
// consumer would see them before its own rewriting.
//
// Declared here, by the module that calls it, so that media knows nothing of its users
// (docs/STYLE rule 2): record::RecorderSink is adapted to it in server/meeting.
// Threading and lifetime: worker thread only; the Router does not own taps. Whoever attaches one
// detaches it (Router::detachTap) before destroying it; closing the producer detaches it too.
#include <cstdint>

#include "fluxmeet/media/rtcp/sender_report.hpp"
#include "fluxmeet/media/rtp/rtp_packet.hpp"

namespace fluxmeet::media::router {

class RtpTap {
 public:
  // `arrivalNs`: steady_clock time of arrival, in nanoseconds since its epoch.
  // Must not throw, lock or block: it runs inside the router's packet loop.
  virtual void onRtp(const rtp::RtpPacketView& packet, int64_t arrivalNs) = 0;
  // An RTCP sender report of the tapped encoding (RFC 3550 section 6.4.1).
  virtual void onSenderReport(const rtcp::SenderInfo& report, int64_t arrivalNs) = 0;

 protected:
  ~RtpTap() = default;
};

}  // namespace fluxmeet::media::router
