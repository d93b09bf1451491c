#include "fluxmeet/media/ice/ice_credentials.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace fluxmeet::media::ice {
namespace {

bool allIceChars(const std::string& text) {
  for (char c : text) {
    if (!isIceChar(c)) return false;
  }
  return true;
}

TEST(IceCredentials, LengthsAndCharsetFollowRfc8445Section5_3) {
  auto credentials = IceCredentials::generate();
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(credentials->ufrag.size(), kUfragLength);
  EXPECT_EQ(credentials->password.size(), kPasswordLength);
  EXPECT_GE(credentials->ufrag.size(), kMinUfragLength);
  EXPECT_GE(credentials->password.size(), kMinPasswordLength);
  EXPECT_TRUE(allIceChars(credentials->ufrag));
  EXPECT_TRUE(allIceChars(credentials->password));
  EXPECT_TRUE(isValidIceString(credentials->ufrag, kMinUfragLength));
  EXPECT_TRUE(isValidIceString(credentials->password, kMinPasswordLength));
}

TEST(IceCredentials, AreUniqueAndCoverTheWholeAlphabet) {
  std::set<std::string> ufrags;
  std::set<char> seen;
  for (int i = 0; i < 200; ++i) {
    auto credentials = IceCredentials::generate();
    ASSERT_TRUE(credentials.ok());
    ufrags.insert(credentials->ufrag);
    seen.insert(credentials->password.begin(), credentials->password.end());
  }
  EXPECT_EQ(ufrags.size(), 200U);
  // 4800 draws from 64 symbols: missing any one has probability ~64 * e^-75.
  EXPECT_EQ(seen.size(), 64U);
  EXPECT_TRUE(seen.count('+') == 1 && seen.count('/') == 1);
}

TEST(IceCredentials, IceCharClassification) {
  for (char c : std::string("AZaz09+/")) EXPECT_TRUE(isIceChar(c)) << c;
  for (char c : std::string(":-_= \n@\x7f")) EXPECT_FALSE(isIceChar(c)) << static_cast<int>(c);
  EXPECT_FALSE(isIceChar('\0'));
  EXPECT_FALSE(isValidIceString("abc", kMinUfragLength));
  EXPECT_TRUE(isValidIceString("abcd", kMinUfragLength));
  EXPECT_FALSE(isValidIceString("ab:d", kMinUfragLength));
  EXPECT_FALSE(isValidIceString(std::string(257, 'a'), kMinUfragLength));
}

}  // namespace
}  // namespace fluxmeet::media::ice
