#include "fluxmeet/media/srtp/srtp_stream_table.hpp"

#include <algorithm>
#include <bit>

namespace fluxmeet::media::srtp {

SrtpStreamTable::SrtpStreamTable(size_t initialCapacity) {
  const size_t capacity = std::clamp<size_t>(initialCapacity, 1, kMaxStreams);
  streams_.reserve(capacity);
  slots_.assign(std::bit_ceil(capacity * 2), kEmpty);
}

size_t SrtpStreamTable::home(uint32_t ssrc) const {
  // Fibonacci hashing: SSRCs are random, but a peer may still pick sequential ones.
  return (static_cast<uint64_t>(ssrc) * 0x9E3779B97F4A7C15ull >> 32) & (slots_.size() - 1);
}

size_t SrtpStreamTable::slotOf(uint32_t ssrc) const {
  const size_t mask = slots_.size() - 1;
  for (size_t slot = home(ssrc);; slot = (slot + 1) & mask) {
    const int32_t entry = slots_[slot];
    if (entry == kEmpty) return slots_.size();
    if (streams_[static_cast<size_t>(entry)].ssrc == ssrc) return slot;
  }
}

SrtpStream* SrtpStreamTable::find(uint32_t ssrc) {
  const size_t slot = slotOf(ssrc);
  if (slot == slots_.size()) return nullptr;
  SrtpStream& stream = streams_[static_cast<size_t>(slots_[slot])];
  stream.lastUsed = ++clock_;
  return &stream;
}

SrtpStream* SrtpStreamTable::insert(const SrtpStream& stream) {
  if (streams_.size() >= kMaxStreams) evictLeastRecentlyUsed();
  // Keep the load factor at most 1/2 so probe chains stay short.
  if ((streams_.size() + 1) * 2 > slots_.size()) rehash(slots_.size() * 2);
  streams_.push_back(stream);
  streams_.back().lastUsed = ++clock_;
  const size_t mask = slots_.size() - 1;
  size_t slot = home(stream.ssrc);
  while (slots_[slot] != kEmpty) slot = (slot + 1) & mask;
  slots_[slot] = static_cast<int32_t>(streams_.size() - 1);
  return &streams_.back();
}

bool SrtpStreamTable::remove(uint32_t ssrc) {
  size_t hole = slotOf(ssrc);
  if (hole == slots_.size()) return false;
  const auto dense = static_cast<size_t>(slots_[hole]);

  // Backward-shift deletion: pull later members of the probe chain into the hole so that no
  // lookup stops early at it, and no tombstones accumulate.
  const size_t mask = slots_.size() - 1;
  for (size_t next = (hole + 1) & mask; slots_[next] != kEmpty; next = (next + 1) & mask) {
    const size_t wanted = home(streams_[static_cast<size_t>(slots_[next])].ssrc);
    // The entry at `next` may move to `hole` only if its home is not cyclically in (hole, next].
    const bool homeBetween = hole <= next ? (wanted > hole && wanted <= next)
                                          : (wanted > hole || wanted <= next);
    if (homeBetween) continue;
    slots_[hole] = slots_[next];
    hole = next;
  }
  slots_[hole] = kEmpty;

  // Keep streams_ dense: the last stream takes the removed one's place.
  if (dense != streams_.size() - 1) {
    streams_[dense] = streams_.back();
    slots_[slotOf(streams_[dense].ssrc)] = static_cast<int32_t>(dense);
  }
  streams_.pop_back();
  return true;
}

void SrtpStreamTable::rehash(size_t slotCount) {
  slots_.assign(slotCount, kEmpty);
  const size_t mask = slotCount - 1;
  for (size_t i = 0; i < streams_.size(); ++i) {
    size_t slot = home(streams_[i].ssrc);
    while (slots_[slot] != kEmpty) slot = (slot + 1) & mask;
    slots_[slot] = static_cast<int32_t>(i);
  }
}

void SrtpStreamTable::evictLeastRecentlyUsed() {
  const auto oldest = std::min_element(
      streams_.begin(), streams_.end(),
      [](const SrtpStream& a, const SrtpStream& b) { return a.lastUsed < b.lastUsed; });
  if (oldest != streams_.end()) remove(oldest->ssrc);
}

}  // namespace fluxmeet::media::srtp
