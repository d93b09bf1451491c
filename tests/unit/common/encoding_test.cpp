#include "fluxmeet/common/encoding.hpp"

#include <gtest/gtest.h>

#include <set>

namespace fluxmeet {
namespace {

std::string decodeToString(std::string_view text) {
  const auto bytes = base64UrlDecode(text);
  EXPECT_TRUE(bytes.has_value()) << text;
  return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
}

// RFC 4648 section 10 test vectors, without the padding that base64url omits here.
TEST(Base64UrlTest, Rfc4648Vectors) {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},          {"f", "Zg"},         {"fo", "Zm8"},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64UrlEncode(plain), encoded);
    EXPECT_EQ(decodeToString(encoded), plain);
  }
}

TEST(Base64UrlTest, UsesUrlSafeAlphabet) {
  // Standard base64 of FB FF BF is "+/+/"; section 5 replaces '+' with '-' and '/' with '_'.
  const uint8_t bytes[] = {0xfb, 0xff, 0xbf};
  EXPECT_EQ(base64UrlEncode(bytes), "-_-_");
  const auto decoded = base64UrlDecode("-_-_");
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, std::vector<uint8_t>(std::begin(bytes), std::end(bytes)));
}

TEST(Base64UrlTest, RoundTripsAllByteValuesAndLengths) {
  std::vector<uint8_t> data;
  for (int i = 0; i < 256; ++i) data.push_back(static_cast<uint8_t>(i));
  for (size_t length = 0; length <= data.size(); length += 7) {
    const std::span<const uint8_t> slice(data.data(), length);
    const std::string encoded = base64UrlEncode(slice);
    EXPECT_EQ(encoded.find_first_of("+/="), std::string::npos);
    const auto decoded = base64UrlDecode(encoded);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, std::vector<uint8_t>(slice.begin(), slice.end()));
  }
}

TEST(Base64UrlTest, RejectsNonCanonicalOrInvalidInput) {
  for (std::string_view bad : {"Zg==", "Zm8=", "Z", "Zm9vY", "Zh", "Zm9", "Zm+v", "Zm/v", "Zm9v\n",
                               " Zm9v", "Zm.v", "Zm9v!"}) {
    // "Zh" and "Zm9" carry non-zero bits after the last byte (RFC 4648 section 3.5).
    EXPECT_FALSE(base64UrlDecode(bad)) << bad;
  }
  EXPECT_FALSE(base64UrlDecode(std::string_view("Zm\0v", 4)));
}

TEST(HexTest, EncodesLowerCase) {
  const uint8_t bytes[] = {0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(hexEncode(bytes), "000fa5ff");
  EXPECT_EQ(hexEncode({}), "");
}

// FIPS 180-4 examples (NIST CSRC "SHA256.pdf").
TEST(Sha256Test, NistVectors) {
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(RandomTokenTest, HasExpectedLengthAndIsUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string token = randomToken();
    EXPECT_EQ(token.size(), 43u);  // 32 bytes -> ceil(256 / 6)
    const auto decoded = base64UrlDecode(token);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->size(), 32u);
    EXPECT_TRUE(seen.insert(token).second);
  }
  EXPECT_EQ(randomToken(16).size(), 22u);
}

TEST(ConstantTimeEqualsTest, ComparesContentAndLength) {
  EXPECT_TRUE(constantTimeEquals("", ""));
  EXPECT_TRUE(constantTimeEquals("secret", "secret"));
  EXPECT_FALSE(constantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(constantTimeEquals("secret", "secret2"));
  EXPECT_FALSE(constantTimeEquals("", "x"));
  EXPECT_TRUE(constantTimeEquals(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
  EXPECT_FALSE(constantTimeEquals(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(isValidUtf8(""));
  EXPECT_TRUE(isValidUtf8("plain ascii"));
  EXPECT_TRUE(isValidUtf8("Zoë"));                      // 2-byte
  EXPECT_TRUE(isValidUtf8("会议"));                     // 3-byte
  EXPECT_TRUE(isValidUtf8("\xF0\x9F\x8E\xA5 camera"));  // U+1F3A5, 4-byte
  EXPECT_TRUE(isValidUtf8("\xF4\x8F\xBF\xBF"));         // U+10FFFF, the maximum
  EXPECT_TRUE(isValidUtf8(std::string_view("a\0b", 3)));
}

// Cases from RFC 3629 section 10 and Markus Kuhn's UTF-8 decoder stress test.
TEST(Utf8Test, RejectsMalformedText) {
  for (std::string_view bad : {
           "\x80",              // lone continuation byte
           "\xC3",              // truncated 2-byte sequence
           "\xC0\xAF",          // overlong '/'
           "\xC1\xBF",          // overlong
           "\xE0\x80\xAF",      // overlong 3-byte
           "\xED\xA0\x80",      // surrogate U+D800
           "\xF0\x80\x80\xAF",  // overlong 4-byte
           "\xF4\x90\x80\x80",  // U+110000, beyond Unicode
           "\xF5\x80\x80\x80",  // invalid lead byte
           "\xFF",              // never valid
           "abc\xE2\x82",       // truncated at end
           "\xE2\x28\xA1",      // bad continuation
       }) {
    EXPECT_FALSE(isValidUtf8(bad)) << testing::PrintToString(std::string(bad));
  }
}

TEST(JsonObjectTextTest, JoinsMembersThatAreAlreadyJson) {
  EXPECT_EQ(jsonObjectText({}), "{}");
  EXPECT_EQ(jsonObjectText({{"a", "[1,{\"b\":null}]"}, {"c", "\"x\""}, {"d", "true"}}),
            R"({"a":[1,{"b":null}],"c":"x","d":true})");
}

}  // namespace
}  // namespace fluxmeet
