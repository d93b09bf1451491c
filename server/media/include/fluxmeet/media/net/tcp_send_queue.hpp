#pragma once
// TcpSendQueue: the bounded outgoing byte queue of one ICE-TCP connection. Packets are queued
// whole with their RFC 4571 length prefix (see tcp_frame_reassembler.hpp) or not at all: when
// the peer reads too slowly for the queue to take a packet, the packet is dropped and counted,
// never the connection's stream corrupted, and never the worker stalled waiting (STYLE.md rule
// 7: a slow peer loses media, as it would on UDP; STUN and DTLS retransmit).
//
// One buffer of `capacity` bytes, allocated by the first push (most connections of a scan or a
// failed check never send); the unsent bytes are kept contiguous so one send(2) takes them all.
// Threading: one thread. Never throws; no allocation after the first push.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace fluxmeet::media::net {

class TcpSendQueue {
 public:
  explicit TcpSendQueue(size_t capacity) : capacity_(capacity) {}

  // Queues `packet` framed; false (dropped, counted) if it does not fit or cannot be framed.
  bool push(std::span<const uint8_t> packet);
  // The bytes waiting to be written, oldest first.
  std::span<const uint8_t> pending() const { return {buffer_.get() + head_, tail_ - head_}; }
  // `count` bytes of pending() were written.
  void consume(size_t count);

  bool empty() const { return head_ == tail_; }
  size_t capacity() const { return capacity_; }
  uint64_t dropped() const { return dropped_; }

 private:
  size_t capacity_;
  std::unique_ptr<uint8_t[]> buffer_;
  size_t head_ = 0;
  size_t tail_ = 0;
  uint64_t dropped_ = 0;
};

}  // namespace fluxmeet::media::net
