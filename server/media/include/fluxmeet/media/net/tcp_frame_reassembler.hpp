#pragma once
// TcpFrameReassembler: cuts the byte stream of one ICE-TCP connection back into the packets it
// carries. RFC 6544 section 3 frames every STUN, DTLS, RTP and RTCP packet the RFC 4571 way
// (https://www.rfc-editor.org/rfc/rfc4571#section-2):
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   -----------------------------------------------------------------
//   |             LENGTH            |  packet (LENGTH bytes) ...    |
//   -----------------------------------------------------------------
//
// TCP may deliver a frame in pieces or several frames in one read; this class keeps the partial
// one. Its buffer is fixed (allocated with the object): a LENGTH of 0 or above kMaxFrame is an
// error that ends the connection - a peer cannot make us buffer more, and WebRTC packets stay
// far below it (the UDP path drops datagrams over the same size).
//
// Use: read(2) into writable(), then consume(bytes read, onFrame). Frames are handed out as
// writable spans into the buffer (SRTP decrypts in place), valid during the callback only.
// Threading: one thread. Never throws, never allocates after construction.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace fluxmeet::media::net {

class TcpFrameReassembler {
 public:
  // Same bound as the UDP socket's largest datagram (worker::UdpSocket::kMaxDatagram).
  static constexpr size_t kMaxFrame = 2048;
  static constexpr size_t kLengthPrefix = 2;
  // Room for several full frames, so one read(2) may carry a burst.
  static constexpr size_t kBufferSize = 8 * (kLengthPrefix + kMaxFrame);

  enum class Status { Ok, BadLength };

  // Where the next read(2) goes; never empty while status() is Ok (a partial frame occupies at
  // most kLengthPrefix + kMaxFrame - 1 bytes).
  std::span<uint8_t> writable() { return std::span<uint8_t>(buffer_).subspan(used_); }

  // Accounts `count` bytes just read into writable() and calls onFrame(std::span<uint8_t>) for
  // every complete frame, in order. onFrame returns false to stop (the connection closed under
  // it); the rest is then discarded. Returns BadLength (and keeps returning it) once a frame
  // announces a length of 0 or above kMaxFrame; frames before it were delivered.
  template <class OnFrame>
  Status consume(size_t count, OnFrame&& onFrame) {
    if (status_ != Status::Ok) return status_;
    used_ += count < buffer_.size() - used_ ? count : buffer_.size() - used_;
    size_t offset = 0;
    while (used_ - offset >= kLengthPrefix) {
      const size_t length = (static_cast<size_t>(buffer_[offset]) << 8) | buffer_[offset + 1];
      if (length == 0 || length > kMaxFrame) {
        status_ = Status::BadLength;
        used_ = 0;
        return status_;
      }
      if (used_ - offset < kLengthPrefix + length) break;
      ++frames_;
      if (!onFrame(std::span<uint8_t>(buffer_.data() + offset + kLengthPrefix, length))) {
        used_ = 0;
        return status_;
      }
      offset += kLengthPrefix + length;
    }
    compact(offset);
    return status_;
  }

  Status status() const { return status_; }
  // Bytes of a frame not complete yet.
  size_t pending() const { return used_; }
  uint64_t frames() const { return frames_; }

 private:
  // Moves the partial frame after `offset` to the front (at most one frame's bytes).
  void compact(size_t offset);

  std::array<uint8_t, kBufferSize> buffer_{};
  size_t used_ = 0;
  uint64_t frames_ = 0;
  Status status_ = Status::Ok;
};

// Writes the RFC 4571 length prefix of a `length`-byte packet into `out[0..1]`; false when the
// length cannot be framed (0 or above 65535).
bool writeTcpFrameHeader(std::span<uint8_t, TcpFrameReassembler::kLengthPrefix> out, size_t length);

}  // namespace fluxmeet::media::net
