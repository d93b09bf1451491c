#pragma once
// The receiver's replay list for one SRTP or SRTCP stream (RFC 3711 section 3.3.2): a sliding
// bitmap of the kSize packet indices up to the highest one authenticated so far. SRTP feeds it
// 48-bit packet indices (ROC || SEQ, section 3.3.1), SRTCP the 31-bit SRTCP index (section 3.4).
// https://www.rfc-editor.org/rfc/rfc3711#section-3.3.2
//
// Fixed size, no allocation: lives inside an SrtpStream. Check before authenticating, accept
// only after the tag verified, so forged packets never move the window.
#include <array>
#include <cstddef>
#include <cstdint>

namespace fluxmeet::media::srtp {

class ReplayWindow {
 public:
  // RFC 3711 asks for at least 64; libwebrtc and mediasoup use 1024 so that reordering across a
  // video keyframe burst is not mistaken for replay.
  static constexpr uint64_t kSize = 1024;

  enum class Verdict { New, Duplicate, TooOld };

  bool empty() const { return !started_; }
  // The highest accepted index; meaningless while empty().
  uint64_t highest() const { return highest_; }

  Verdict check(uint64_t index) const;
  // Marks `index` as received and slides the window when it is the new highest. An index older
  // than the window is ignored (check() reports it TooOld).
  void accept(uint64_t index);

 private:
  static constexpr size_t kWords = kSize / 64;
  bool test(uint64_t index) const;
  void clearRange(uint64_t first, uint64_t last);  // inclusive, last - first < kSize

  bool started_ = false;
  uint64_t highest_ = 0;
  // Bit (index % kSize) stands for `index` while highest_ - kSize < index <= highest_.
  std::array<uint64_t, kWords> bits_{};
};

}  // namespace fluxmeet::media::srtp
