#include "fluxmeet/auth/credentials_policy.hpp"

#include <gtest/gtest.h>

namespace fluxmeet::auth {
namespace {

void expectFieldError(const Error& error, std::string_view field) {
  EXPECT_EQ(error.code, ErrorCode::ValidationFailed);
  EXPECT_EQ(error.field, field);
  EXPECT_FALSE(error.message.empty());
}

TEST(TrimWhitespaceTest, TrimsAsciiWhitespaceOnly) {
  EXPECT_EQ(trimWhitespace("  a b \t\r\n"), "a b");
  EXPECT_EQ(trimWhitespace("   "), "");
  EXPECT_EQ(trimWhitespace(""), "");
}

TEST(CheckUsernameTest, AcceptsReasonableNames) {
  for (std::string_view name : {"jo", "Ada Lovelace", "  bob  ", "Zoë", "李雷", "user_123-x.y",
                                "abcdefghijklmnopqrstuvwxyz012345"}) {
    EXPECT_TRUE(checkUsername(name).ok()) << name;
  }
}

TEST(CheckUsernameTest, CountsCharactersNotBytes) {
  EXPECT_TRUE(checkUsername("李雷").ok());  // 2 characters, 6 bytes
  std::string thirtyTwo;
  for (int i = 0; i < 32; ++i) thirtyTwo += "é";
  EXPECT_TRUE(checkUsername(thirtyTwo).ok());
  EXPECT_FALSE(checkUsername(thirtyTwo + "é").ok());
}

TEST(CheckUsernameTest, RejectsBadNames) {
  for (std::string_view name : {"", "a", "   a   ", "abcdefghijklmnopqrstuvwxyz0123456",
                                "tab\there", "new\nline", "del\x7fx", "c1\xC2\x85x",
                                "bidi\xE2\x80\xAE" "evil", "bad\xFFutf8", "sep\xE2\x80\xA8x"}) {
    const auto result = checkUsername(name);
    ASSERT_FALSE(result.ok()) << testing::PrintToString(std::string(name));
    expectFieldError(result.error(), "username");
  }
  EXPECT_FALSE(checkUsername(std::string_view("nul\0x", 5)).ok());
}

TEST(NormalizeEmailTest, TrimsAndLowerCases) {
  const auto email = normalizeEmail("  Ada.Lovelace+meet@Example.COM \n");
  ASSERT_TRUE(email.ok());
  EXPECT_EQ(*email, "ada.lovelace+meet@example.com");
  EXPECT_EQ(*normalizeEmail("a@b.co"), "a@b.co");
  EXPECT_EQ(*normalizeEmail("o'brien@mail.example-host.org"), "o'brien@mail.example-host.org");
}

TEST(NormalizeEmailTest, RejectsInvalidAddresses) {
  for (std::string_view bad : {"", "   ", "plainaddress", "@example.com", "user@", "user@localhost",
                               "user@@example.com", "a@b@example.com", "user name@example.com",
                               "user@exa mple.com", ".user@example.com", "user.@example.com",
                               "us..er@example.com", "user@example..com", "user@.example.com",
                               "user@example.com.", "user@-example.com", "user@example-.com",
                               "user@exam_ple.com", "\"quoted\"@example.com", "user@[1.2.3.4]",
                               "user@1.2.3.4", "usér@example.com", "user@exämple.com",
                               "user(comment)@example.com", "user@example.com\x01"}) {
    const auto result = normalizeEmail(bad);
    ASSERT_FALSE(result.ok()) << bad;
    expectFieldError(result.error(), "email");
  }
}

TEST(NormalizeEmailTest, EnforcesLengthLimits) {
  const std::string local64(64, 'a');
  EXPECT_TRUE(normalizeEmail(local64 + "@example.com").ok());
  EXPECT_FALSE(normalizeEmail(local64 + "a@example.com").ok());
  const std::string label63(63, 'b');
  EXPECT_TRUE(normalizeEmail("a@" + label63 + ".com").ok());
  EXPECT_FALSE(normalizeEmail("a@" + label63 + "b.com").ok());
  // 254 characters total is the maximum.
  const std::string domain = std::string(63, 'c') + "." + std::string(63, 'd') + "." +
                             std::string(61, 'e') + ".org";  // 63+1+63+1+61+4 = 193
  const std::string at254 = std::string(60, 'a') + "@" + domain;
  ASSERT_EQ(at254.size(), 254u);
  EXPECT_TRUE(normalizeEmail(at254).ok());
  const auto tooLong = normalizeEmail("a" + at254);
  ASSERT_FALSE(tooLong.ok());
  expectFieldError(tooLong.error(), "email");
}

TEST(CheckPasswordTest, AcceptsGoodPasswords) {
  for (std::string_view password : {"correct horse battery staple", "Tr0ub4dor&3x", "  spaced  ",
                                    "пароль-надёжный", "12345678a!Q"}) {
    EXPECT_TRUE(checkPassword(password).ok()) << password;
  }
  EXPECT_TRUE(checkPassword(std::string(256, 'x')).ok());
}

TEST(CheckPasswordTest, RejectsShortAndLong) {
  for (const std::string& password : {std::string(""), std::string("short"), std::string("1234567"),
                                      std::string(257, 'x')}) {
    const auto result = checkPassword(password);
    ASSERT_FALSE(result.ok()) << password.size();
    expectFieldError(result.error(), "password");
  }
  EXPECT_FALSE(checkPassword("ééééééé").ok());  // 7 characters although 14 bytes
  EXPECT_TRUE(checkPassword("éééééééé").ok());  // 8 characters
  EXPECT_FALSE(checkPassword("bad\xFFutf8pass").ok());
}

TEST(CheckPasswordTest, RejectsCommonPasswordsCaseInsensitively) {
  for (std::string_view password : {"password", "PASSWORD", "Password1", "12345678", "qwertyui",
                                    "iloveyou", "ILoveYou", "123456789", "sunshine", "qwerty123",
                                    "football", "p@ssw0rd", "trustno1"}) {
    const auto result = checkPassword(password);
    ASSERT_FALSE(result.ok()) << password;
    expectFieldError(result.error(), "password");
    EXPECT_NE(result.error().message.find("common"), std::string::npos);
  }
}

}  // namespace
}  // namespace fluxmeet::auth
