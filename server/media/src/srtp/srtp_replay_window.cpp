#include "fluxmeet/media/srtp/srtp_replay_window.hpp"

#include <algorithm>

namespace fluxmeet::media::srtp {

ReplayWindow::Verdict ReplayWindow::check(uint64_t index) const {
  if (!started_ || index > highest_) return Verdict::New;
  if (highest_ - index >= kSize) return Verdict::TooOld;
  return test(index) ? Verdict::Duplicate : Verdict::New;
}

void ReplayWindow::accept(uint64_t index) {
  if (!started_) {
    started_ = true;
    highest_ = index;
    bits_.fill(0);
  } else if (index > highest_) {
    // Forget the indices the window slides over: they now stand for the new ones.
    if (index - highest_ >= kSize) {
      bits_.fill(0);
    } else {
      clearRange(highest_ + 1, index);
    }
    highest_ = index;
  } else if (highest_ - index >= kSize) {
    return;
  }
  const uint64_t bit = index % kSize;
  bits_[bit / 64] |= uint64_t{1} << (bit % 64);
}

bool ReplayWindow::test(uint64_t index) const {
  const uint64_t bit = index % kSize;
  return (bits_[bit / 64] >> (bit % 64)) & 1u;
}

void ReplayWindow::clearRange(uint64_t first, uint64_t last) {
  for (uint64_t index = first; index <= last;) {
    const uint64_t bit = index % kSize;
    const uint64_t offset = bit % 64;
    const uint64_t count = std::min<uint64_t>(64 - offset, last - index + 1);
    const uint64_t mask = count == 64 ? ~uint64_t{0} : ((uint64_t{1} << count) - 1) << offset;
    bits_[bit / 64] &= ~mask;
    index += count;
  }
}

}  // namespace fluxmeet::media::srtp
