#pragma once
// Wall-clock time as Unix seconds (UTC) and its RFC 3339 text form, as used by the REST API
// ("2026-11-25T10:00:00Z") and the store. Monotonic time for timeouts and rate limits is
// std::chrono::steady_clock, not this.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fluxmeet {

using UnixTime = std::int64_t;

// Seconds since 1970-01-01T00:00:00Z from the system clock.
UnixTime unixNow();

// "YYYY-MM-DDTHH:MM:SSZ" (RFC 3339 section 5.6, always UTC, no fraction). Times outside the
// years 0000-9999 are clamped to that range.
std::string isoUtc(UnixTime time);

// Parses an RFC 3339 date-time (section 5.6) with these accepted forms:
//   2026-11-25T10:00:00Z   2026-11-25T10:00:00.123Z   2026-11-25T10:00:00+02:00
//   2026-11-25T10:00-05:30 (seconds omitted, an ISO 8601 form clients commonly send)
// The offset ("Z" or +HH:MM / -HH:MM) is required: a time without one is ambiguous. Fractions
// are truncated. Out-of-range fields (month 13, Feb 30, hour 24, second 60 — leap seconds are
// not representable in Unix time) are rejected, as is anything else (lower-case 't'/'z',
// spaces, trailing characters, years before 0000 or after 9999).
std::optional<UnixTime> parseIso8601(std::string_view text);

}  // namespace fluxmeet
