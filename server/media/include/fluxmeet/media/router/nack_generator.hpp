#pragma once
// NackGenerator: the receive side of one producer stream's sequence numbers. It
// sees every packet the publisher sends us (originals and repairs), finds the
// gaps, and says which missing sequence numbers to ask for again in a generic
// NACK (RFC 4585 section 6.2.1,
// https://www.rfc-editor.org/rfc/rfc4585#section-6.2.1): at once, then again
// every round trip, until the packet comes or a retry/age limit is reached. It
// also tells duplicates (a repair of a packet that came after all, or a second
// repair) from useful late packets, so the router forwards each sequence number
// once.
//
// Fixed memory: a window of kWindow sequence numbers behind the newest, one
// slot each, indexed by sequence number modulo kWindow. Nothing allocates per
// packet. Threading: its Router's worker thread.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

namespace fluxmeet::media::router {

class NackGenerator {
 public:
  using Clock = std::chrono::steady_clock;

  // 512 packets is ~1.5 s of 2.5 Mbit/s video; a hole older than that is better
  // healed by a keyframe.
  static constexpr size_t kWindow = 512;
  // A forward jump larger than this is a burst too big to repair (or a
  // restarted stream): start over and ask for a keyframe instead.
  static constexpr uint16_t kMaxGap = 256;
  // A packet this far behind the newest is not a late one but a restarted
  // sequence.
  static constexpr uint16_t kMaxBackward = 3000;

  struct Options {
    uint8_t maxRetries = 10;                                           // as libwebrtc's NackRequester
    Clock::duration maxAge = std::chrono::milliseconds(1000);          // from detection
    Clock::duration minRetryInterval = std::chrono::milliseconds(20);  // floor on the RTT
    Clock::duration initialRtt = std::chrono::milliseconds(100);       // until a repair measures it
  };

  enum class Arrival {
    First,      // the first packet of the stream
    InOrder,    // newer than everything before (possibly after a gap)
    Late,       // older than the newest, not seen before, never asked for
                // (reordering)
    Repaired,   // a packet we asked for arrived
    Duplicate,  // seen already: drop it
    Reset,      // jump too large: history forgotten, the newest is this one (ask for
                // a keyframe)
  };

  struct Stats {
    uint64_t nackPackets = 0;  // NACK messages the router sent (counted by the caller)
    uint64_t requested = 0;    // sequence numbers asked for, retries included
    uint64_t repaired = 0;     // asked for and received
    uint64_t lost = 0;         // given up after the retries or the age limit, or lost to a reset
    uint64_t duplicates = 0;
    uint64_t resets = 0;
  };

  NackGenerator() : NackGenerator(Options{}) {}
  explicit NackGenerator(Options options) : options_(options), rtt_(options.initialRtt) {}

  Arrival receive(uint16_t sequenceNumber, Clock::time_point now);

  // Writes the sequence numbers to ask for now (ascending serial order, at most
  // out.size()), counting a retry for each and giving up on those past the
  // limits. Returns how many.
  size_t collectDue(Clock::time_point now, std::span<uint16_t> out);

  size_t missingCount() const { return missingCount_; }
  // Smoothed time from a first NACK to its repair (RFC 6298 style, alpha 1/8):
  // the retry period.
  Clock::duration roundTrip() const { return rtt_; }
  const Stats &stats() const { return stats_; }
  Stats &stats() { return stats_; }

 private:
  struct Slot {
    uint16_t sequenceNumber = 0;
    bool received = false;
    bool missing = false;
    uint8_t retries = 0;
    Clock::time_point detectedAt{};
    Clock::time_point lastRequestAt{};
  };

  Slot &slotFor(uint16_t sequenceNumber) { return slots_[sequenceNumber % kWindow]; }
  void clear();
  void markMissing(uint16_t sequenceNumber, Clock::time_point now);
  void retire(Slot &slot);

  Options options_;
  std::array<Slot, kWindow> slots_{};
  bool started_ = false;
  uint16_t newest_ = 0;
  size_t missingCount_ = 0;
  Clock::duration rtt_;
  Stats stats_;
};

}  // namespace fluxmeet::media::router
