// libFuzzer entry point; the checks live in exercise_stun.hpp so fuzz_packet_classifier shares them.
#include <cstddef>
#include <cstdint>

#include "media/exercise_stun.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fluxmeet::fuzz::exerciseStun({data, size});
  return 0;
}
