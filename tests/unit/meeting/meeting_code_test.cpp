#include "fluxmeet/meeting/meeting_code.hpp"

#include <gtest/gtest.h>

#include <array>
#include <unordered_set>

namespace fluxmeet::meeting {
namespace {

TEST(MeetingCodeTest, HasThreeFourThreeLowerCaseFormat) {
  const std::string code = generateMeetingCode();
  ASSERT_EQ(code.size(), 12u);
  EXPECT_EQ(code[3], '-');
  EXPECT_EQ(code[8], '-');
  for (size_t i : {0, 1, 2, 4, 5, 6, 7, 9, 10, 11}) {
    EXPECT_GE(code[i], 'a') << code;
    EXPECT_LE(code[i], 'z') << code;
  }
  EXPECT_TRUE(isValidMeetingCode(code));
}

TEST(MeetingCodeTest, ValidatorAcceptsOnlyTheExactFormat) {
  EXPECT_TRUE(isValidMeetingCode("abc-defg-hij"));
  EXPECT_TRUE(isValidMeetingCode("zzz-aaaa-mmm"));
  for (std::string_view bad : {"", "abc-defg-hi", "abc-defg-hijk", "abcdefghij", "abc-defghij",
                               "ab-cdefg-hij", "abcd-efg-hij", "ABC-DEFG-HIJ", "abc-dEfg-hij",
                               "abc_defg_hij", "ab1-defg-hij", "abc-defg-hi ", " bc-defg-hij",
                               "abc-de-g-hij", "abc-defg-hij\n", "abc--efg-hij", "ab\xC3\xA9-defg-hi"}) {
    EXPECT_FALSE(isValidMeetingCode(bad)) << bad;
  }
  EXPECT_FALSE(isValidMeetingCode(std::string_view("abc-defg-hi\0", 12)));
}

TEST(MeetingCodeTest, TenThousandCodesAreValidAndUnique) {
  // With 26^10 possibilities the chance of any collision among 10,000 codes is about
  // 10^8 / (2 * 1.4e14) ~= 4e-7: a duplicate here means the generator is broken.
  std::unordered_set<std::string> seen;
  std::array<int, 26> letterCounts{};
  for (int i = 0; i < 10000; ++i) {
    const std::string code = generateMeetingCode();
    ASSERT_TRUE(isValidMeetingCode(code)) << code;
    ASSERT_TRUE(seen.insert(code).second) << "duplicate " << code;
    for (const char c : code) {
      if (c != '-') ++letterCounts[static_cast<size_t>(c - 'a')];
    }
  }
  // Crude uniformity check over 100,000 letters: each letter is expected ~3,846 times
  // (sd ~61); every letter must appear, and none may be wildly over- or under-represented.
  for (size_t letter = 0; letter < letterCounts.size(); ++letter) {
    EXPECT_GT(letterCounts[letter], 3000) << static_cast<char>('a' + letter);
    EXPECT_LT(letterCounts[letter], 4700) << static_cast<char>('a' + letter);
  }
}

}  // namespace
}  // namespace fluxmeet::meeting
