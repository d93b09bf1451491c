#include "ics.hpp"

#include <ctime>

namespace fluxmeet::api {
namespace {

std::string icsTime(UnixTime time) {
  std::time_t t = static_cast<std::time_t>(time);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

// RFC 5545 section 3.3.11: backslash, semicolon, comma and newlines are escaped in TEXT values.
std::string escapeText(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

// RFC 5545 section 3.1: lines longer than 75 octets are folded with CRLF + space, never inside
// a UTF-8 sequence.
std::string foldLine(const std::string& line) {
  std::string out;
  size_t count = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    bool continuation = (c & 0xC0) == 0x80;
    if (count >= 74 && !continuation) {
      out += "\r\n ";
      count = 1;
    }
    out += line[i];
    ++count;
  }
  return out + "\r\n";
}

}  // namespace

std::string buildIcsInvite(const store::Meeting& meeting, const std::string& baseUrl, const std::string& host,
                           bool includePasscode, UnixTime now) {
  const std::string joinUrl = baseUrl + "/m/" + meeting.code;
  std::string description = "Join the Flux Meet meeting: " + joinUrl + "\nMeeting code: " + meeting.code;
  if (includePasscode && !meeting.passcode.empty()) description += "\nPasscode: " + meeting.passcode;
  const UnixTime start = meeting.startsAt.value_or(now);
  std::string out;
  out += foldLine("BEGIN:VCALENDAR");
  out += foldLine("VERSION:2.0");
  out += foldLine("PRODID:-//Flux Meet//Flux Meet 0.1//EN");
  out += foldLine("CALSCALE:GREGORIAN");
  out += foldLine("METHOD:PUBLISH");
  out += foldLine("BEGIN:VEVENT");
  out += foldLine("UID:" + meeting.code + "@" + host);
  out += foldLine("DTSTAMP:" + icsTime(now));
  out += foldLine("DTSTART:" + icsTime(start));
  out += foldLine("DTEND:" + icsTime(start + static_cast<UnixTime>(meeting.durationMinutes) * 60));
  out += foldLine("SUMMARY:" + escapeText(meeting.title));
  out += foldLine("DESCRIPTION:" + escapeText(description));
  out += foldLine("URL:" + joinUrl);
  out += foldLine("LOCATION:" + escapeText(joinUrl));
  if (!meeting.hostName.empty()) out += foldLine("ORGANIZER;CN=" + escapeText(meeting.hostName) + ":invalid:nomail");
  out += foldLine("END:VEVENT");
  out += foldLine("END:VCALENDAR");
  return out;
}

}  // namespace fluxmeet::api
