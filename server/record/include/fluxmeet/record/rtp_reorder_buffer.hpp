#pragma once
// Puts one RTP stream's packets back in sequence-number order (RFC 3550 section 5.1) within a
// small window, drops duplicates and late packets, and declares packets lost when the window
// overflows, so a depacketizer sees an ordered stream with explicit gaps.
//
// A packet that arrives in order is passed on straight from the caller's buffer; only packets
// that arrive ahead of a hole are copied, into slots allocated once. A hole is given up on when
// a packet `window` sequence numbers past it arrives (or on flush()), never on a timer: the
// recorder is not latency sensitive, and with the SFU's NACKs a retransmission usually fills the
// hole first.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace fluxmeet::record {

struct OrderedPacket {
  uint16_t sequenceNumber = 0;
  uint32_t timestamp = 0;
  bool marker = false;
  std::span<const uint8_t> payload;  // valid during the call only
  bool afterGap = false;             // one or more packets before this one were lost
};

class OrderedPacketListener {
 public:
  virtual void onOrderedPacket(const OrderedPacket& packet) = 0;

 protected:
  ~OrderedPacketListener() = default;
};

struct ReorderStats {
  uint64_t reordered = 0;   // arrived ahead of a hole and were buffered
  uint64_t duplicates = 0;
  uint64_t late = 0;        // arrived after their place was passed
  uint64_t lost = 0;        // sequence numbers given up on
  uint64_t oversize = 0;    // larger than maxPacketSize, treated as lost
  uint64_t restarts = 0;    // sequence numbers jumped backwards for good
};

class RtpReorderBuffer {
 public:
  RtpReorderBuffer(size_t window, size_t maxPacketSize);

  // Delivers to `out`, in order, every packet that `packet` makes ready (possibly none).
  void insert(const OrderedPacket& packet, OrderedPacketListener& out);
  // Delivers everything still buffered, holes counted as lost (end of stream).
  void flush(OrderedPacketListener& out);
  // Forgets the stream: the next packet starts it again (after a gap).
  void reset();

  size_t window() const { return slots_.size(); }
  size_t buffered() const { return buffered_; }
  const ReorderStats& stats() const { return stats_; }

 private:
  struct Slot {
    bool used = false;
    int64_t sequence = 0;
    uint32_t timestamp = 0;
    bool marker = false;
    std::vector<uint8_t> payload;
  };

  Slot& slotFor(int64_t sequence) { return slots_[static_cast<size_t>(sequence) % slots_.size()]; }
  void deliver(Slot& slot, OrderedPacketListener& out);
  void deliverReady(OrderedPacketListener& out);
  void releaseThrough(int64_t last, OrderedPacketListener& out);

  std::vector<Slot> slots_;
  size_t maxPacketSize_;
  bool started_ = false;
  int64_t next_ = 0;  // unwrapped sequence number expected next (kept >= 0)
  bool gapPending_ = false;
  size_t buffered_ = 0;
  size_t consecutiveLate_ = 0;
  ReorderStats stats_;
};

}  // namespace fluxmeet::record
