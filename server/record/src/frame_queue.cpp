#include "fluxmeet/record/frame_queue.hpp"

#include <algorithm>

namespace fluxmeet::record {
namespace {

// Buffers that grew past this for one big keyframe are released after use.
constexpr size_t kKeepCapacity = 512 * 1024;

}  // namespace

FrameQueue::FrameQueue(size_t capacity, size_t maxBytes)
    : slots_(std::max<size_t>(capacity, 1) + 1), maxBytes_(maxBytes) {}  // one slot stays empty

bool FrameQueue::tryPush(std::span<const uint8_t> data, int64_t timestampNs, bool keyframe, uint16_t width,
                         uint16_t height) {
  const size_t tail = tail_.load(std::memory_order_relaxed);
  const size_t next = (tail + 1) % slots_.size();
  if (next == head_.load(std::memory_order_acquire)) return false;
  // One frame alone may exceed the byte bound, or a keyframe bigger than it could never pass.
  const size_t queued = bytes_.load(std::memory_order_relaxed);
  if (queued > 0 && queued + data.size() > maxBytes_) return false;
  QueuedFrame& slot = slots_[tail];
  slot.data.assign(data.begin(), data.end());
  slot.timestampNs = timestampNs;
  slot.keyframe = keyframe;
  slot.width = width;
  slot.height = height;
  bytes_.fetch_add(data.size(), std::memory_order_relaxed);
  tail_.store(next, std::memory_order_release);
  return true;
}

QueuedFrame* FrameQueue::front() {
  const size_t head = head_.load(std::memory_order_relaxed);
  if (head == tail_.load(std::memory_order_acquire)) return nullptr;
  return &slots_[head];
}

void FrameQueue::pop() {
  const size_t head = head_.load(std::memory_order_relaxed);
  if (head == tail_.load(std::memory_order_acquire)) return;
  QueuedFrame& slot = slots_[head];
  bytes_.fetch_sub(slot.data.size(), std::memory_order_relaxed);
  if (slot.data.capacity() > kKeepCapacity) slot.data = {};
  head_.store((head + 1) % slots_.size(), std::memory_order_release);
}

size_t FrameQueue::size() const {
  const size_t head = head_.load(std::memory_order_acquire);
  const size_t tail = tail_.load(std::memory_order_acquire);
  return (tail + slots_.size() - head) % slots_.size();
}

}  // namespace fluxmeet::record
