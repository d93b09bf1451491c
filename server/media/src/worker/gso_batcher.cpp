#include "fluxmeet/media/worker/gso_batcher.hpp"

#include <algorithm>

namespace fluxmeet::media::worker {
namespace {

uint16_t asSegmentSize(size_t length) { return static_cast<uint16_t>(std::min<size_t>(length, UINT16_MAX)); }

}  // namespace

void GsoBatcher::plan(std::span<const size_t> lengths, std::span<const ice::TransportAddress> destinations,
                      bool gso) {
  const size_t count = std::min({lengths.size(), destinations.size(), kMaxDatagrams});
  if (!gso) {
    planPlain(lengths.first(count));
    return;
  }
  if (++generation_ == 0) {
    // Wrapped: entries stamped with an old generation 0 would look live.
    table_.fill({});
    generation_ = 1;
  }
  runCount_ = 0;
  for (size_t i = 0; i < count; ++i) {
    const auto slot = static_cast<uint16_t>(i);
    const auto& destination = destinations[i];
    size_t index = ice::hashTransportAddress(destination) & (kTableSize - 1);
    while (table_[index].generation == generation_ && destinations[open_[table_[index].run].head] != destination) {
      index = (index + 1) & (kTableSize - 1);
    }
    TableEntry& entry = table_[index];
    if (entry.generation == generation_ && extend(open_[entry.run], slot, lengths[i])) continue;
    // A new destination, or its next datagram does not fit the open run: that run is over, and
    // this datagram opens the destination's next one.
    entry = {.generation = generation_, .run = startRun(slot, lengths[i])};
  }

  // Lay the runs out in the order of their first datagram.
  size_t position = 0;
  for (size_t r = 0; r < runCount_; ++r) {
    const OpenRun& run = open_[r];
    runs_[r] = {.first = static_cast<uint16_t>(position), .count = run.count, .segmentSize = run.segmentSize};
    uint16_t slot = run.head;
    for (uint16_t k = 0; k < run.count; ++k) {
      order_[position++] = slot;
      slot = next_[slot];
    }
  }
  datagramCount_ = position;
}

void GsoBatcher::planPlain(std::span<const size_t> lengths) {
  for (size_t i = 0; i < lengths.size(); ++i) {
    const auto slot = static_cast<uint16_t>(i);
    order_[i] = slot;
    runs_[i] = {.first = slot, .count = 1, .segmentSize = asSegmentSize(lengths[i])};
  }
  runCount_ = lengths.size();
  datagramCount_ = lengths.size();
}

bool GsoBatcher::extend(OpenRun& run, uint16_t slot, size_t length) {
  // UDP_SEGMENT's rule: every segment is segmentSize bytes but the last, which may be shorter
  // (not empty: an empty datagram would vanish in the split).
  if (run.closed || length == 0 || length > run.segmentSize || run.count >= kMaxSegments ||
      run.bytes + length > kMaxRunBytes) {
    return false;
  }
  next_[run.tail] = slot;
  run.tail = slot;
  ++run.count;
  run.bytes += length;
  run.closed = length < run.segmentSize;
  return true;
}

uint16_t GsoBatcher::startRun(uint16_t slot, size_t length) {
  const auto index = static_cast<uint16_t>(runCount_++);
  open_[index] = {.head = slot,
                  .tail = slot,
                  .count = 1,
                  .segmentSize = asSegmentSize(length),
                  .bytes = length,
                  .closed = length == 0};
  return index;
}

}  // namespace fluxmeet::media::worker
