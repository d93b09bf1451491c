#include "fluxmeet/record/rtp_reorder_buffer.hpp"

#include <algorithm>

#include "fluxmeet/media/rtp/sequence_number.hpp"

namespace fluxmeet::record {
namespace {

// The unwrapped sequence numbers start here so they stay positive when a stream begins with
// packets slightly out of order, and `% window` never sees a negative value.
constexpr int64_t kSequenceBase = int64_t{1} << 32;

}  // namespace

RtpReorderBuffer::RtpReorderBuffer(size_t window, size_t maxPacketSize)
    : slots_(std::max<size_t>(window, 1)), maxPacketSize_(maxPacketSize) {
  for (Slot& slot : slots_) slot.payload.reserve(maxPacketSize_);
}

void RtpReorderBuffer::reset() {
  for (Slot& slot : slots_) slot.used = false;
  started_ = false;
  gapPending_ = false;
  buffered_ = 0;
  consecutiveLate_ = 0;
}

void RtpReorderBuffer::deliver(Slot& slot, OrderedPacketListener& out) {
  slot.used = false;
  --buffered_;
  const OrderedPacket packet{static_cast<uint16_t>(slot.sequence), slot.timestamp, slot.marker,
                             slot.payload, gapPending_};
  gapPending_ = false;
  ++next_;
  out.onOrderedPacket(packet);
}

void RtpReorderBuffer::deliverReady(OrderedPacketListener& out) {
  while (buffered_ > 0) {
    Slot& slot = slotFor(next_);
    if (!slot.used || slot.sequence != next_) return;
    deliver(slot, out);
  }
}

// Gives up on every hole up to and including `last`, delivering what is buffered before it.
void RtpReorderBuffer::releaseThrough(int64_t last, OrderedPacketListener& out) {
  // Nothing is buffered past next_ + window - 1, so the scan is bounded by the window.
  const int64_t scanEnd = std::min<int64_t>(last, next_ + static_cast<int64_t>(slots_.size()) - 1);
  while (next_ <= scanEnd) {
    Slot& slot = slotFor(next_);
    if (slot.used && slot.sequence == next_) {
      deliver(slot, out);
    } else {
      ++stats_.lost;
      gapPending_ = true;
      ++next_;
    }
  }
  if (next_ <= last) {
    stats_.lost += static_cast<uint64_t>(last - next_ + 1);
    gapPending_ = true;
    next_ = last + 1;
  }
}

void RtpReorderBuffer::insert(const OrderedPacket& packet, OrderedPacketListener& out) {
  if (!started_) {
    started_ = true;
    next_ = kSequenceBase + packet.sequenceNumber;
  }
  const int64_t sequence =
      next_ + media::rtp::serialDiff<uint16_t>(packet.sequenceNumber, static_cast<uint16_t>(next_));
  if (sequence < next_) {
    ++stats_.late;
    // A sender that restarted its sequence numbers behind ours would otherwise be late forever.
    if (++consecutiveLate_ <= 2 * slots_.size()) return;
    ++stats_.restarts;
    flush(out);
    reset();
    started_ = true;
    gapPending_ = true;
    next_ = kSequenceBase + packet.sequenceNumber;
    insert(packet, out);
    return;
  }
  consecutiveLate_ = 0;
  if (packet.payload.size() > maxPacketSize_) {
    ++stats_.oversize;  // its sequence number becomes a hole, given up on like a lost packet
    return;
  }
  const auto window = static_cast<int64_t>(slots_.size());
  if (sequence >= next_ + window) {
    releaseThrough(sequence - window, out);
    deliverReady(out);
  }

  if (sequence == next_) {  // in order: no copy
    OrderedPacket ordered = packet;
    ordered.afterGap = gapPending_;
    gapPending_ = false;
    ++next_;
    out.onOrderedPacket(ordered);
    deliverReady(out);
    return;
  }
  Slot& slot = slotFor(sequence);
  if (slot.used) {
    ++stats_.duplicates;  // the only packet that can hold this slot is this very sequence number
    return;
  }
  slot.used = true;
  slot.sequence = sequence;
  slot.timestamp = packet.timestamp;
  slot.marker = packet.marker;
  slot.payload.assign(packet.payload.begin(), packet.payload.end());
  ++buffered_;
  ++stats_.reordered;
}

void RtpReorderBuffer::flush(OrderedPacketListener& out) {
  while (buffered_ > 0) {  // every buffered packet is within the window past next_
    Slot& slot = slotFor(next_);
    if (slot.used && slot.sequence == next_) {
      deliver(slot, out);
    } else {
      ++stats_.lost;
      gapPending_ = true;
      ++next_;
    }
  }
}

}  // namespace fluxmeet::record
