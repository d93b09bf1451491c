#pragma once
// BenchReceiver: what one benchmark subscriber counts about the streams the SFU sends it - per
// consumer SSRC the received and expected packets (from the rewritten, continuous sequence
// numbers) and, for every packet, the forwarding latency: the kernel's arrival stamp at the
// subscriber's socket minus the send time the publisher wrote into the payload trailer.
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "fluxmeet/media/rtp/rtp_packet.hpp"
#include "fluxmeet/media/rtp/sequence_number.hpp"

namespace fluxmeet::bench {

struct ReceiverTotals {
  uint64_t received = 0;
  uint64_t expected = 0;  // highest - lowest + 1 per stream, summed
  uint64_t streams = 0;
};

class BenchReceiver {
 public:
  // Counting starts (or restarts) here; packets before the first startWindow() are only used to
  // learn which streams exist.
  void startWindow();
  void stopWindow() { counting_ = false; }
  void onRtp(const media::rtp::RtpPacketView& packet, int64_t arrivalNs);

  // Streams that delivered at least one packet (any time).
  size_t streamsSeen() const { return streams_.size(); }
  ReceiverTotals totals() const;
  // Latency samples in microseconds, this window only.
  const std::vector<uint32_t>& latenciesUs() const { return latenciesUs_; }

 private:
  struct Stream {
    media::rtp::SequenceUnwrapper unwrapper;
    int64_t lowest = 0;
    int64_t highest = 0;
    uint64_t received = 0;
    bool inWindow = false;
  };

  std::unordered_map<uint32_t, Stream> streams_;
  std::vector<uint32_t> latenciesUs_;
  bool counting_ = false;
};

}  // namespace fluxmeet::bench
