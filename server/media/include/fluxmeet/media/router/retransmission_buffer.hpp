#pragma once
// The last packets a consumer sent, kept so that a NACK (RFC 4585 section 6.2.1) can be answered
// without asking the publisher. Fixed slots indexed by sequence number: storing and finding
// allocate nothing; memory is reserved once, when the consumer is created.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace fluxmeet::media::router {

class RetransmissionBuffer {
 public:
  // 256 packets is ~0.5 s of 2-3 Mbit/s video: several LAN/Internet RTTs; older losses are
  // better repaired by a keyframe. 1300 bytes covers browsers' ~1200-byte RTP packets plus
  // extensions. (~330 KiB per video consumer; sharing one buffer per producer stream is the
  // next step if memory per consumer matters.)
  static constexpr size_t kSlots = 256;
  static constexpr size_t kMaxPacket = 1300;

  RetransmissionBuffer() : slots_(kSlots) {}

  // Keeps a copy of a plain (unencrypted) RTP packet sent with `sequenceNumber`.
  void store(uint16_t sequenceNumber, std::span<const uint8_t> packet);
  // The stored packet, if still there.
  std::optional<std::span<const uint8_t>> find(uint16_t sequenceNumber) const;

 private:
  struct Slot {
    bool used = false;
    uint16_t sequenceNumber = 0;
    uint16_t length = 0;
    std::array<uint8_t, kMaxPacket> data;
  };
  std::vector<Slot> slots_;
};

}  // namespace fluxmeet::media::router
