#pragma once
// Dominant speaker from the RFC 6464 audio level each publisher puts in its packets: levels are
// summed per interval, smoothed across intervals, and the speaker changes only when someone is
// clearly louder than the current one for a while (hysteresis), so a cough does not flip the
// layout. Silence with DTX means no packets, which counts as quiet, not as an error.
#include <cstdint>
#include <vector>

namespace fluxmeet::media::router {

class ActiveSpeakerDetector {
 public:
  using Key = const void*;  // the audio producer

  // Level in -dBov, 0 (loudest) .. 127 (silence), from one packet. Allocates only for a new key.
  void addLevel(Key key, uint8_t level);
  void remove(Key key);
  // Called once per interval (~300 ms): the new dominant speaker, or nullptr if it did not change.
  Key evaluate();
  Key current() const { return current_; }

 private:
  struct Entry {
    Key key = nullptr;
    uint32_t energy = 0;   // this interval
    uint32_t packets = 0;
    double score = 0;      // smoothed
    int leadIntervals = 0; // consecutive intervals clearly above the current speaker
  };
  std::vector<Entry> entries_;
  Key current_ = nullptr;
};

}  // namespace fluxmeet::media::router
