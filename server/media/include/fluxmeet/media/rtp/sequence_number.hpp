#pragma once
// Serial-number arithmetic (RFC 1982, https://www.rfc-editor.org/rfc/rfc1982#section-3.2) for
// RTP's wrapping 16-bit sequence numbers and 32-bit timestamps, and an unwrapper that extends
// them to 64 bits so buffers and statistics can use plain ordering.
#include <cstdint>
#include <optional>
#include <type_traits>

namespace fluxmeet::media::rtp {

// True if `a` is after `b` in serial order. When they are exactly half the space apart the
// comparison is undefined in RFC 1982; we say the numerically larger one is newer, as libwebrtc.
template <class T>
constexpr bool isNewer(T a, T b) {
  static_assert(std::is_unsigned_v<T>);
  constexpr T kHalf = static_cast<T>(T(1) << (sizeof(T) * 8 - 1));
  if (static_cast<T>(a - b) == kHalf) return a > b;
  return a != b && static_cast<T>(a - b) < kHalf;
}

inline constexpr bool isNewerSequence(uint16_t a, uint16_t b) { return isNewer<uint16_t>(a, b); }
inline constexpr bool isNewerTimestamp(uint32_t a, uint32_t b) { return isNewer<uint32_t>(a, b); }

// Signed forward distance from `b` to `a` in serial space, in (-half, half].
template <class T>
constexpr int64_t serialDiff(T a, T b) {
  static_assert(std::is_unsigned_v<T>);
  constexpr uint64_t kSpace = uint64_t(1) << (sizeof(T) * 8);
  const uint64_t forward = static_cast<T>(a - b);
  return forward <= kSpace / 2 ? static_cast<int64_t>(forward)
                               : static_cast<int64_t>(forward) - static_cast<int64_t>(kSpace);
}

// Extends wrapping counters to int64 relative to the last value seen. Out-of-order values are
// placed on whichever side of the last value is nearer; values before the first one may be
// negative.
template <class T>
class SerialUnwrapper {
 public:
  int64_t unwrap(T value) {
    if (!last_) {
      last_ = value;
      lastUnwrapped_ = value;
      return lastUnwrapped_;
    }
    lastUnwrapped_ += serialDiff<T>(value, *last_);
    last_ = value;
    return lastUnwrapped_;
  }
  void reset() { last_.reset(); }

 private:
  std::optional<T> last_;
  int64_t lastUnwrapped_ = 0;
};

using SequenceUnwrapper = SerialUnwrapper<uint16_t>;
using TimestampUnwrapper = SerialUnwrapper<uint32_t>;

}  // namespace fluxmeet::media::rtp
