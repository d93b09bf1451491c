#include "fluxmeet/media/ice/turn_credentials.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fluxmeet::media::ice {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

// RFC 2202 section 3, test case 2: HMAC-SHA1("Jefe", "what do ya want for nothing?") =
// effcdf6ae5eb2fa2d27416d5f184df9c259a7c79, here base64-encoded.
TEST(TurnRestPassword, Rfc2202KnownAnswer) {
  EXPECT_EQ(turnRestPassword("Jefe", "what do ya want for nothing?"), "7/zfauXrL6LSdBbV8YTfnCWafHk=");
}

// Expected values from the command line, the way coturn's documentation derives them:
//   printf '%s' '1700000000:peerA1' | openssl dgst -sha1 -hmac '<secret>' -binary | base64
TEST(TurnRestPassword, MatchesOpensslCommandLine) {
  EXPECT_EQ(turnRestPassword("known-answer-turn-secret-0123456789abcdef", "1700000000:peerA1"),
            "a8vtzSfZhAN/BvZZ2+OQFuboEy4=");
  EXPECT_EQ(turnRestPassword("k", "4102444800:x"), "4F3+P9Z5A95puFGuiTE0YMUccs4=");
  // A key longer than SHA-1's 64-byte block is hashed first (RFC 2104 section 2).
  EXPECT_EQ(turnRestPassword(std::string(80, 'a'), "user"), "y7at4hCdJWfLl8xlbLGbpyOxIpk=");
}

TEST(MakeTurnCredential, UsernameIsExpiryColonId) {
  const auto expiry = system_clock::time_point(seconds(1700000000));
  const TurnCredential credential = makeTurnCredential("known-answer-turn-secret-0123456789abcdef", "peerA1", expiry);
  EXPECT_EQ(credential.username, "1700000000:peerA1");
  EXPECT_EQ(credential.credential, "a8vtzSfZhAN/BvZZ2+OQFuboEy4=");
}

TEST(MakeTurnCredential, SubSecondExpiryIsTruncatedAndSecretChangesTheCredential) {
  const auto expiry = system_clock::time_point(seconds(1700000000)) + std::chrono::milliseconds(999);
  const TurnCredential a = makeTurnCredential("secret-one", "p", expiry);
  const TurnCredential b = makeTurnCredential("secret-two", "p", expiry);
  EXPECT_EQ(a.username, "1700000000:p");
  EXPECT_EQ(a.username, b.username);
  EXPECT_NE(a.credential, b.credential);
  EXPECT_EQ(a.credential.size(), 28U);  // 20 bytes of HMAC-SHA1, base64 with one '='
  EXPECT_EQ(a.credential.back(), '=');
}

TEST(ValidateTurnUrl, AcceptsRfc7065Forms) {
  for (const char* url : {"turn:turn.example.com", "turn:turn.example.com:3478", "turns:turn.example.com:5349",
                          "turn:203.0.113.7:3478?transport=udp", "turn:203.0.113.7:3478?transport=tcp",
                          "turns:turn.example.com:443?transport=tcp", "turn:[2001:db8::1]:3478",
                          "turn:[2001:db8::1]", "turn:127.0.0.1:65535", "turn:my_turn-host"}) {
    EXPECT_TRUE(validateTurnUrl(url).ok()) << url;
  }
}

TEST(ValidateTurnUrl, RefusesWhatBrowsersOrCoturnWouldNotTake) {
  for (const char* url : {"", "stun:turn.example.com", "TURN:turn.example.com", "turn://turn.example.com:3478",
                          "turn:", "turn::3478", "turn:host:0", "turn:host:65536", "turn:host:", "turn:host:34x",
                          "turn:host:-1", "turn:user:pass@host:3478", "turn:host:3478?transport=sctp",
                          "turn:host:3478?transport=udp&x=1", "turn:host:3478?", "turn:host:3478/path",
                          "turn:ho st", "turn:[2001:db8::1", "turn:[zz::1]:3478", "turn:-host", "turn:host,other"}) {
    const auto result = validateTurnUrl(url);
    ASSERT_FALSE(result.ok()) << url;
    EXPECT_EQ(result.error().code, ErrorCode::ValidationFailed);
    EXPECT_FALSE(result.error().message.empty());
  }
}

TEST(ValidateTurnUrl, ErrorNeverEchoesUserInformation) {
  const auto result = validateTurnUrl("turn:alice:hunter2@turn.example.com");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message.find("hunter2"), std::string::npos);
}

TEST(TurnOptions, EnabledOnlyWithUrls) {
  TurnOptions options;
  EXPECT_FALSE(options.enabled());
  EXPECT_EQ(options.credentialTtl, kDefaultTurnCredentialTtl);
  options.urls.push_back("turn:127.0.0.1:3478");
  EXPECT_TRUE(options.enabled());
}

}  // namespace
}  // namespace fluxmeet::media::ice
