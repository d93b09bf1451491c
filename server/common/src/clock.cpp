#include "fluxmeet/common/clock.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace fluxmeet {
namespace {

// Reads exactly `count` decimal digits starting at `pos`; advances `pos` on success.
bool readDigits(std::string_view text, size_t& pos, size_t count, int& out) {
  if (pos > text.size() || text.size() - pos < count) return false;
  int value = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  pos += count;
  return true;
}

bool expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

UnixTime unixNow() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::string isoUtc(UnixTime time) {
  using namespace std::chrono;
  // Clamp to the years 0000-9999 that the format can express; this also keeps the calendar
  // arithmetic below far from integer overflow for absurd inputs.
  constexpr UnixTime kMin = -62167219200;  // 0000-01-01T00:00:00Z
  constexpr UnixTime kMax = 253402300799;  // 9999-12-31T23:59:59Z
  const sys_seconds point{seconds{std::clamp(time, kMin, kMax)}};
  const sys_days day = floor<days>(point);
  const year_month_day ymd{day};
  const hh_mm_ss hms{point - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buffer;
}

std::optional<UnixTime> parseIso8601(std::string_view text) {
  using namespace std::chrono;
  // Longest accepted form: "YYYY-MM-DDTHH:MM:SS." + 9 fraction digits + "+HH:MM" = 35.
  if (text.size() > 40) return std::nullopt;
  size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  // RFC 3339 section 5.6: full-date "T" partial-time time-offset.
  if (!readDigits(text, pos, 4, y) || !expect(text, pos, '-') || !readDigits(text, pos, 2, mo) ||
      !expect(text, pos, '-') || !readDigits(text, pos, 2, d) || !expect(text, pos, 'T') ||
      !readDigits(text, pos, 2, h) || !expect(text, pos, ':') || !readDigits(text, pos, 2, mi)) {
    return std::nullopt;
  }
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    if (!readDigits(text, pos, 2, s)) return std::nullopt;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      size_t digits = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        ++pos;
        ++digits;
      }
      if (digits == 0 || digits > 9) return std::nullopt;
    }
  }
  int offsetSeconds = 0;
  if (pos >= text.size()) return std::nullopt;  // offset required
  const char sign = text[pos++];
  if (sign == 'Z') {
    offsetSeconds = 0;
  } else if (sign == '+' || sign == '-') {
    int oh = 0, om = 0;
    if (!readDigits(text, pos, 2, oh) || !expect(text, pos, ':') || !readDigits(text, pos, 2, om)) {
      return std::nullopt;
    }
    if (oh > 23 || om > 59) return std::nullopt;
    offsetSeconds = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  if (h > 23 || mi > 59 || s > 59) return std::nullopt;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;  // checks month 1-12 and the day against the month/leap year
  const sys_seconds local = sys_days{ymd} + hours{h} + minutes{mi} + seconds{s};
  // local time = UTC + offset, so UTC = local - offset.
  return local.time_since_epoch().count() - offsetSeconds;
}

}  // namespace fluxmeet
