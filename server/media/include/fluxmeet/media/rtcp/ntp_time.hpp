#pragma once
// NTP timestamps (RFC 3550 section 4: 32.32 fixed-point seconds since 1900-01-01) from the
// system clock, for sender reports and round-trip times (RFC 3550 section 6.4.1).
#include <chrono>
#include <cstdint>

namespace fluxmeet::media::rtcp {

inline constexpr uint64_t kNtpUnixEpochOffset = 2208988800ULL;  // 1900 -> 1970 in seconds

inline uint64_t toNtp(std::chrono::system_clock::time_point time) {
  const auto since = std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
  const uint64_t seconds = static_cast<uint64_t>(since / 1000000000) + kNtpUnixEpochOffset;
  const uint64_t fraction = (static_cast<uint64_t>(since % 1000000000) << 32) / 1000000000;
  return (seconds << 32) | fraction;
}

inline uint64_t ntpNow() { return toNtp(std::chrono::system_clock::now()); }

// The middle 32 bits, as LSR carries them (16.16 fixed point).
inline uint32_t compactNtp(uint64_t ntp) { return static_cast<uint32_t>(ntp >> 16); }

}  // namespace fluxmeet::media::rtcp
