#include "fluxmeet/media/net/tcp_send_queue.hpp"

#include <cstring>

#include "fluxmeet/media/net/tcp_frame_reassembler.hpp"

namespace fluxmeet::media::net {

bool TcpSendQueue::push(std::span<const uint8_t> packet) {
  constexpr size_t kPrefix = TcpFrameReassembler::kLengthPrefix;
  const size_t framed = kPrefix + packet.size();
  if (packet.empty() || packet.size() > 0xffff || framed > capacity_ - (tail_ - head_)) {
    ++dropped_;
    return false;
  }
  if (!buffer_) buffer_ = std::make_unique_for_overwrite<uint8_t[]>(capacity_);
  if (capacity_ - tail_ < framed) {
    // Only under back-pressure: move the unsent rest to the front, at most one queue's worth.
    std::memmove(buffer_.get(), buffer_.get() + head_, tail_ - head_);
    tail_ -= head_;
    head_ = 0;
  }
  writeTcpFrameHeader(std::span<uint8_t, kPrefix>(buffer_.get() + tail_, kPrefix), packet.size());
  std::memcpy(buffer_.get() + tail_ + kPrefix, packet.data(), packet.size());
  tail_ += framed;
  return true;
}

void TcpSendQueue::consume(size_t count) {
  head_ += count < tail_ - head_ ? count : tail_ - head_;
  if (head_ == tail_) head_ = tail_ = 0;
}

}  // namespace fluxmeet::media::net
