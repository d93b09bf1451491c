#include "fluxmeet/media/router/active_speaker.hpp"

#include <algorithm>

namespace fluxmeet::media::router {
namespace {

// Below -60 dBov is background noise; speech sits around -20..-40 dBov.
constexpr uint8_t kNoiseFloor = 60;
// Expected packets per interval at 20 ms ptime over 300 ms; fewer (DTX) lowers the energy.
constexpr double kPacketsPerInterval = 15.0;
constexpr double kSmoothing = 0.5;
constexpr double kMinScore = 5.0;   // a speaker must be at least this loud to take over
constexpr double kLeadFactor = 1.5; // and this much louder than the current one
constexpr int kLeadIntervalsToSwitch = 2;

}  // namespace

void ActiveSpeakerDetector::addLevel(Key key, uint8_t level) {
  auto it = std::find_if(entries_.begin(), entries_.end(), [key](const Entry& e) { return e.key == key; });
  if (it == entries_.end()) {
    entries_.push_back(Entry{.key = key});
    it = entries_.end() - 1;
  }
  level &= 0x7F;
  if (level < kNoiseFloor) it->energy += kNoiseFloor - level;
  ++it->packets;
}

void ActiveSpeakerDetector::remove(Key key) {
  std::erase_if(entries_, [key](const Entry& e) { return e.key == key; });
  if (current_ == key) current_ = nullptr;
}

ActiveSpeakerDetector::Key ActiveSpeakerDetector::evaluate() {
  Entry* loudest = nullptr;
  Entry* current = nullptr;
  for (auto& entry : entries_) {
    entry.score = kSmoothing * entry.score + (1 - kSmoothing) * (entry.energy / kPacketsPerInterval);
    entry.energy = 0;
    entry.packets = 0;
    if (entry.key == current_) current = &entry;
    if (!loudest || entry.score > loudest->score) loudest = &entry;
  }
  if (!loudest || loudest->key == current_ || loudest->score < kMinScore) {
    for (auto& entry : entries_) entry.leadIntervals = 0;
    return nullptr;
  }
  const double currentScore = current ? current->score : 0;
  if (loudest->score < currentScore * kLeadFactor) {
    loudest->leadIntervals = 0;
    return nullptr;
  }
  if (++loudest->leadIntervals < kLeadIntervalsToSwitch && current) return nullptr;
  for (auto& entry : entries_) entry.leadIntervals = 0;
  current_ = loudest->key;
  return current_;
}

}  // namespace fluxmeet::media::router
