#pragma once
// SequenceRewriter: a consumer's map from the forwarded producer stream's
// sequence numbers to the subscriber's, so the subscriber sees one gap-free
// sequence although the SFU re-bases it (layer switch, pause, producer restart)
// and drops packets on purpose (VP8 temporal layers), and although packets
// arrive late (reordering, or repaired by a NACK to the publisher):
//   output = source + offset, where each deliberate drop of the newest packet
//   lowers the offset for the packets after it. A late packet gets the output
//   its place had: the current offset plus the drops that happened after it
//   (kept as a bitmap over the last kHistory packets).
// Late packets from before the last re-base, or older than the history, have no
// place: dropped.
//
// Fixed memory; nothing allocates per packet. Threading: its consumer's.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace fluxmeet::media::router {

class SequenceRewriter {
 public:
  static constexpr size_t kHistory = 512;

  // Starts a new run: `source` is sent as `output`; earlier source numbers are
  // no longer mapped.
  void sync(uint16_t source, uint16_t output);
  // The output number for `source`, or nullopt when it has no place (see
  // above). A newer source becomes the newest.
  std::optional<uint16_t> map(uint16_t source);
  // `source` (just mapped) is not sent. When it is the newest, the packets
  // after it move down by one; a late one leaves its hole (packets after it
  // were sent already).
  void drop(uint16_t source);
  bool synced() const { return synced_; }

 private:
  size_t bit(uint16_t source) const { return source % kHistory; }
  bool dropped(uint16_t source) const { return (drops_[bit(source) / 64] >> (bit(source) % 64)) & 1U; }
  void setDropped(uint16_t source, bool value);

  bool synced_ = false;
  uint16_t runStart_ = 0;  // first source number of the run
  uint16_t newest_ = 0;
  uint16_t offset_ = 0;
  std::array<uint64_t, kHistory / 64> drops_{};
};

}  // namespace fluxmeet::media::router
