#include "fluxmeet/common/clock.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace fluxmeet {
namespace {

constexpr UnixTime kNov25At10Utc = 1795600800;  // 2026-11-25T10:00:00Z

TEST(ClockTest, UnixNowIsPlausible) {
  EXPECT_GT(unixNow(), 1700000000);  // after 2023-11-14
}

TEST(ClockTest, FormatsUtc) {
  EXPECT_EQ(isoUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(isoUtc(kNov25At10Utc), "2026-11-25T10:00:00Z");
  EXPECT_EQ(isoUtc(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(isoUtc(951782400), "2000-02-29T00:00:00Z");
  EXPECT_EQ(isoUtc(253402300799), "9999-12-31T23:59:59Z");
  EXPECT_EQ(isoUtc(-62167219200), "0000-01-01T00:00:00Z");
  // Out of the representable range: clamped, never undefined behaviour.
  EXPECT_EQ(isoUtc(INT64_MAX), "9999-12-31T23:59:59Z");
  EXPECT_EQ(isoUtc(INT64_MIN), "0000-01-01T00:00:00Z");
}

TEST(ClockTest, ParsesAcceptedForms) {
  EXPECT_EQ(parseIso8601("2026-11-25T10:00:00Z"), kNov25At10Utc);
  EXPECT_EQ(parseIso8601("2026-11-25T10:00:00.123Z"), kNov25At10Utc);
  EXPECT_EQ(parseIso8601("2026-11-25T10:00:00.999999999Z"), kNov25At10Utc);
  EXPECT_EQ(parseIso8601("2026-11-25T10:00Z"), kNov25At10Utc);
  EXPECT_EQ(parseIso8601("2026-11-25T12:00:00+02:00"), kNov25At10Utc);
  EXPECT_EQ(parseIso8601("2026-11-25T10:00:00+02:00"), kNov25At10Utc - 2 * 3600);
  EXPECT_EQ(parseIso8601("2026-11-25T10:00-05:30"), kNov25At10Utc + 5 * 3600 + 30 * 60);
  EXPECT_EQ(parseIso8601("2026-11-25T04:30:00.5-05:30"), kNov25At10Utc);
  EXPECT_EQ(parseIso8601("2026-11-25T10:00:00+00:00"), kNov25At10Utc);
  EXPECT_EQ(parseIso8601("2026-11-25T10:00:00-00:00"), kNov25At10Utc);
  EXPECT_EQ(parseIso8601("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parseIso8601("1969-12-31T23:59:59Z"), -1);
  // Crossing a day boundary through the offset.
  EXPECT_EQ(parseIso8601("2026-11-26T01:00:00+15:00"), kNov25At10Utc);
}

TEST(ClockTest, HandlesLeapYears) {
  EXPECT_EQ(parseIso8601("2000-02-29T00:00:00Z"), 951782400);
  EXPECT_TRUE(parseIso8601("2024-02-29T00:00:00Z"));
  EXPECT_FALSE(parseIso8601("2023-02-29T00:00:00Z"));
  EXPECT_FALSE(parseIso8601("2100-02-29T00:00:00Z"));
}

TEST(ClockTest, RoundTrips) {
  for (UnixTime t : {UnixTime{0}, UnixTime{1}, kNov25At10Utc, UnixTime{4102444799}, UnixTime{-86401},
                     UnixTime{-62167219200}, UnixTime{253402300799}}) {
    EXPECT_EQ(parseIso8601(isoUtc(t)), t) << t;
  }
}

TEST(ClockTest, RejectsEverythingElse) {
  for (std::string_view bad : {
           "",
           "2026-11-25",                   // date only
           "2026-11-25T10:00:00",          // no offset
           "2026-11-25T10:00",             // no offset
           "2026-11-25 10:00:00Z",         // space separator
           "2026-11-25t10:00:00Z",         // lower-case t
           "2026-11-25T10:00:00z",         // lower-case z
           "2026-11-25T10:00:00+0200",     // offset without colon
           "2026-11-25T10:00:00+02",       // short offset
           "2026-11-25T10:00:00+24:00",    // offset hour out of range
           "2026-11-25T10:00:00+02:60",    // offset minute out of range
           "2026-13-25T10:00:00Z",         // month 13
           "2026-00-25T10:00:00Z",         // month 0
           "2026-11-00T10:00:00Z",         // day 0
           "2026-11-31T10:00:00Z",         // November has 30 days
           "2026-11-25T24:00:00Z",         // hour 24
           "2026-11-25T10:60:00Z",         // minute 60
           "2026-11-25T10:00:60Z",         // leap second
           "2026-11-25T10:00:00.Z",        // empty fraction
           "2026-11-25T10:00:00.1234567890Z",  // fraction too long
           "2026-11-25T10:00:00ZZ",        // trailing characters
           "2026-11-25T10:00:00Z ",        // trailing space
           " 2026-11-25T10:00:00Z",        // leading space
           "26-11-25T10:00:00Z",           // two-digit year
           "+2026-11-25T10:00:00Z",        // signed year
           "2026-1-25T10:00:00Z",          // one-digit month
           "2026-11-25T1:00:00Z",          // one-digit hour
           "2026-11-25T10:00:0Z",          // one-digit second
           "2026-11-25T10Z",               // no minutes
           "2026/11/25T10:00:00Z",         // wrong separators
           "2026-11-25T10:00:00+02:00:00", // offset with seconds
           "2026-11-25T10:0a:00Z",         // non-digit
       }) {
    EXPECT_FALSE(parseIso8601(bad)) << bad;
  }
  EXPECT_FALSE(parseIso8601(std::string_view("2026-11-25T10:00:00Z\0", 21)));
}

}  // namespace
}  // namespace fluxmeet
