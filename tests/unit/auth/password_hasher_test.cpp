#include "fluxmeet/auth/password_hasher.hpp"

#include <gtest/gtest.h>

#include <sodium.h>

namespace fluxmeet::auth {
namespace {

// testPasswordHashParams() keeps every hash well under a millisecond of Argon2 work.
class PasswordHasherTest : public ::testing::Test {
 protected:
  PasswordHasher hasher_{testPasswordHashParams()};
};

TEST_F(PasswordHasherTest, HashIsArgon2idAndVerifies) {
  const auto hash = hasher_.hash("correct horse battery staple");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$v=19$", 0), 0u) << *hash;
  EXPECT_EQ(hash->find("correct"), std::string::npos);
  EXPECT_TRUE(hasher_.verify(*hash, "correct horse battery staple"));
}

TEST_F(PasswordHasherTest, RejectsWrongPassword) {
  const auto hash = hasher_.hash("correct horse battery staple");
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(hasher_.verify(*hash, "correct horse battery stapl"));
  EXPECT_FALSE(hasher_.verify(*hash, "Correct horse battery staple"));
  EXPECT_FALSE(hasher_.verify(*hash, ""));
}

TEST_F(PasswordHasherTest, SaltsEachHash) {
  const auto first = hasher_.hash("same password");
  const auto second = hasher_.hash("same password");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*first, *second);
  EXPECT_TRUE(hasher_.verify(*first, "same password"));
  EXPECT_TRUE(hasher_.verify(*second, "same password"));
}

TEST_F(PasswordHasherTest, HandlesEmbeddedNulAndUnicode) {
  const std::string withNul("pass\0word", 9);
  const auto hash = hasher_.hash(withNul);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hasher_.verify(*hash, withNul));
  EXPECT_FALSE(hasher_.verify(*hash, "pass"));  // no truncation at NUL

  const auto unicode = hasher_.hash("pässwörd-会议");
  ASSERT_TRUE(unicode.ok());
  EXPECT_TRUE(hasher_.verify(*unicode, "pässwörd-会议"));
}

TEST_F(PasswordHasherTest, MalformedHashNeverVerifies) {
  EXPECT_FALSE(hasher_.verify("", "x"));
  EXPECT_FALSE(hasher_.verify("not a hash", "not a hash"));
  EXPECT_FALSE(hasher_.verify("$argon2id$v=19$m=8,t=1,p=1$", "x"));
  EXPECT_FALSE(hasher_.verify(std::string(500, 'a'), "x"));
}

TEST_F(PasswordHasherTest, NeedsRehashWhenParametersDiffer) {
  const auto hash = hasher_.hash("some password");
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(hasher_.needsRehash(*hash));

  const PasswordHashParams stronger{testPasswordHashParams().opsLimit + 1,
                                    testPasswordHashParams().memLimitBytes * 2};
  const PasswordHasher strongerHasher(stronger);
  EXPECT_TRUE(strongerHasher.needsRehash(*hash));
  EXPECT_TRUE(strongerHasher.verify(*hash, "some password"));  // old hashes still verify

  EXPECT_TRUE(hasher_.needsRehash(""));
  EXPECT_TRUE(hasher_.needsRehash("garbage"));
}

TEST_F(PasswordHasherTest, Argon2iHashVerifiesButNeedsRehash) {
  char legacy[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_argon2i_str(legacy, "legacy", 6, crypto_pwhash_argon2i_OPSLIMIT_MIN,
                                      crypto_pwhash_argon2i_MEMLIMIT_MIN),
            0);
  EXPECT_TRUE(hasher_.verify(legacy, "legacy"));
  EXPECT_TRUE(hasher_.needsRehash(legacy));
}

TEST(PasswordHashParamsTest, DefaultsAreStrongerThanTestParams) {
  const auto defaults = defaultPasswordHashParams();
  EXPECT_GE(defaults.opsLimit, 2u);
  EXPECT_GE(defaults.memLimitBytes, 32u * 1024 * 1024);
  EXPECT_EQ(testPasswordHashParams().opsLimit, crypto_pwhash_argon2id_OPSLIMIT_MIN);
  EXPECT_EQ(testPasswordHashParams().memLimitBytes, crypto_pwhash_argon2id_MEMLIMIT_MIN);
}

}  // namespace
}  // namespace fluxmeet::auth
