#include "fluxmeet/media/router/nack_generator.hpp"

#include <algorithm>

#include "fluxmeet/media/rtp/sequence_number.hpp"

namespace fluxmeet::media::router {

void NackGenerator::clear() {
  slots_.fill({});
  missingCount_ = 0;
}

// A slot is reused for a sequence number kWindow newer: whatever it still
// waited for is lost.
void NackGenerator::retire(Slot &slot) {
  if (slot.missing) {
    slot.missing = false;
    --missingCount_;
    ++stats_.lost;
  }
}

void NackGenerator::markMissing(uint16_t sequenceNumber, Clock::time_point now) {
  Slot &slot = slotFor(sequenceNumber);
  retire(slot);
  slot = {.sequenceNumber = sequenceNumber, .received = false, .missing = true, .retries = 0, .detectedAt = now};
  ++missingCount_;
}

NackGenerator::Arrival NackGenerator::receive(uint16_t sequenceNumber, Clock::time_point now) {
  const auto startOver = [&](Arrival arrival) {
    stats_.lost += missingCount_;
    clear();
    started_ = true;
    newest_ = sequenceNumber;
    slotFor(sequenceNumber) = {.sequenceNumber = sequenceNumber, .received = true};
    return arrival;
  };
  if (!started_) return startOver(Arrival::First);

  const int64_t ahead = rtp::serialDiff<uint16_t>(sequenceNumber, newest_);
  if (ahead > kMaxGap || -ahead > kMaxBackward) {
    ++stats_.resets;
    return startOver(Arrival::Reset);
  }
  if (ahead > 0) {
    for (uint16_t skipped = static_cast<uint16_t>(newest_ + 1); skipped != sequenceNumber; ++skipped) {
      markMissing(skipped, now);
    }
    Slot &slot = slotFor(sequenceNumber);
    retire(slot);
    slot = {.sequenceNumber = sequenceNumber, .received = true};
    newest_ = sequenceNumber;
    return Arrival::InOrder;
  }
  if (ahead == 0 || -ahead >= static_cast<int64_t>(kWindow)) {
    // The newest again, or older than anything we remember: forwarding it
    // cannot help.
    ++stats_.duplicates;
    return Arrival::Duplicate;
  }
  Slot &slot = slotFor(sequenceNumber);
  if (slot.sequenceNumber == sequenceNumber && slot.received) {
    ++stats_.duplicates;
    return Arrival::Duplicate;
  }
  const bool asked = slot.sequenceNumber == sequenceNumber && slot.missing && slot.retries > 0;
  if (asked) {
    ++stats_.repaired;
    if (slot.retries == 1) {
      // Only an unambiguous sample: the repair answers the one request made.
      const auto sample = std::min<Clock::duration>(now - slot.lastRequestAt, std::chrono::seconds(1));
      rtt_ += (sample - rtt_) / 8;
    }
  }
  if (slot.sequenceNumber == sequenceNumber && slot.missing) {
    slot.missing = false;
    --missingCount_;
  }
  retire(slot);  // a slot of an older lap (before the stream started): nothing
                 // waits on it
  slot = {.sequenceNumber = sequenceNumber, .received = true};
  return asked ? Arrival::Repaired : Arrival::Late;
}

size_t NackGenerator::collectDue(Clock::time_point now, std::span<uint16_t> out) {
  if (missingCount_ == 0) return 0;
  const auto interval = std::max(rtt_, options_.minRetryInterval);
  size_t count = 0;
  // Oldest first, so NACK entries (PID + 16-bit mask) pack densely.
  uint16_t sequenceNumber = static_cast<uint16_t>(newest_ - kWindow + 1);
  for (size_t i = 0; i < kWindow; ++i, ++sequenceNumber) {
    Slot &slot = slotFor(sequenceNumber);
    if (!slot.missing || slot.sequenceNumber != sequenceNumber) continue;
    const bool waited = slot.retries == 0 || now - slot.lastRequestAt >= interval;
    if (now - slot.detectedAt > options_.maxAge || (slot.retries >= options_.maxRetries && waited)) {
      retire(slot);
      continue;
    }
    if (!waited || slot.retries >= options_.maxRetries || count == out.size()) continue;
    out[count++] = sequenceNumber;
    ++slot.retries;
    slot.lastRequestAt = now;
    ++stats_.requested;
  }
  return count;
}

}  // namespace fluxmeet::media::router
