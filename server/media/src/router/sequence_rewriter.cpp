#include "fluxmeet/media/router/sequence_rewriter.hpp"

#include "fluxmeet/media/rtp/sequence_number.hpp"

namespace fluxmeet::media::router {

void SequenceRewriter::sync(uint16_t source, uint16_t output) {
  synced_ = true;
  runStart_ = source;
  newest_ = source;
  offset_ = static_cast<uint16_t>(output - source);
  drops_.fill(0);
}

void SequenceRewriter::setDropped(uint16_t source, bool value) {
  const uint64_t mask = uint64_t{1} << (bit(source) % 64);
  auto &word = drops_[bit(source) / 64];
  word = value ? (word | mask) : (word & ~mask);
}

std::optional<uint16_t> SequenceRewriter::map(uint16_t source) {
  if (!synced_) return std::nullopt;
  const int64_t ahead = rtp::serialDiff<uint16_t>(source, newest_);
  if (ahead > 0) {
    // Clear the bits of the numbers passed over (and this one): they are not
    // drops of this lap.
    const int64_t clearCount = ahead < static_cast<int64_t>(kHistory) ? ahead : static_cast<int64_t>(kHistory);
    for (int64_t i = 0; i < clearCount; ++i) setDropped(static_cast<uint16_t>(source - i), false);
    newest_ = source;
    return static_cast<uint16_t>(source + offset_);
  }
  const auto behind = static_cast<size_t>(-ahead);
  if (behind >= kHistory || rtp::isNewerSequence(runStart_, source) || dropped(source)) return std::nullopt;
  // The offset this packet had: every drop of a newer packet since lowered it
  // by one.
  uint16_t later = 0;
  for (uint16_t s = static_cast<uint16_t>(source + 1); s != static_cast<uint16_t>(newest_ + 1); ++s) {
    if (dropped(s)) ++later;
  }
  return static_cast<uint16_t>(source + offset_ + later);
}

void SequenceRewriter::drop(uint16_t source) {
  if (!synced_ || source != newest_ || dropped(source)) return;
  setDropped(source, true);
  --offset_;
}

}  // namespace fluxmeet::media::router
