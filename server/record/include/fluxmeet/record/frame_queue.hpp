#pragma once
// Bounded single-producer single-consumer queue of encoded frames, from a media worker (the
// producer: a RecorderSink) to the recorder's writer thread (the consumer). Lock-free: the
// worker never waits for file I/O. Slots are allocated once and keep their buffers, so a push
// copies the frame without allocating once the buffers have grown to the stream's frame size.
// Bounded twice: by frames and by bytes. When full, push fails and the producer decides (the
// sink drops video until the next keyframe, audio frame by frame).
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace fluxmeet::record {

struct QueuedFrame {
  std::vector<uint8_t> data;
  int64_t timestampNs = 0;  // on the recording's clock
  bool keyframe = false;
  uint16_t width = 0;
  uint16_t height = 0;
};

class FrameQueue {
 public:
  FrameQueue(size_t capacity, size_t maxBytes);
  FrameQueue(const FrameQueue&) = delete;
  FrameQueue& operator=(const FrameQueue&) = delete;

  // Producer side. False when the queue is full (by count or bytes); nothing is copied then.
  bool tryPush(std::span<const uint8_t> data, int64_t timestampNs, bool keyframe, uint16_t width,
               uint16_t height);

  // Consumer side: the oldest frame, valid until pop(); nullptr when empty.
  QueuedFrame* front();
  void pop();

  size_t size() const;  // approximate from the other side's view
  size_t capacity() const { return slots_.size(); }
  size_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  std::vector<QueuedFrame> slots_;
  size_t maxBytes_;
  alignas(64) std::atomic<size_t> head_{0};  // next to pop; written by the consumer
  alignas(64) std::atomic<size_t> tail_{0};  // next to fill; written by the producer
  alignas(64) std::atomic<size_t> bytes_{0};
};

}  // namespace fluxmeet::record
