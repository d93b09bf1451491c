#include "fluxmeet/http/request.hpp"

#include <gtest/gtest.h>

namespace fluxmeet::http {
namespace {

TEST(PercentDecodeTest, DecodesEscapes) {
  EXPECT_EQ(percentDecode("", false), "");
  EXPECT_EQ(percentDecode("plain", false), "plain");
  EXPECT_EQ(percentDecode("a%20b", false), "a b");
  EXPECT_EQ(percentDecode("%41%62%3d%3D", false), "Ab==");  // hex digits in either case
  EXPECT_EQ(percentDecode("caf%C3%A9", false), "caf\xC3\xA9");
  EXPECT_EQ(percentDecode("%2F..%2F", false), "/../");
  EXPECT_EQ(percentDecode("100%25", false), "100%");
}

TEST(PercentDecodeTest, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(percentDecode("a+b", true), "a b");
  EXPECT_EQ(percentDecode("a+b", false), "a+b");
  EXPECT_EQ(percentDecode("a%2Bb", true), "a+b");  // an escaped plus stays a plus
}

TEST(PercentDecodeTest, RefusesMalformedEscapes) {
  for (const char* text : {"%", "%4", "a%", "a%4", "%G1", "%1G", "%%", "%-1", "% 1", "ab%zz"}) {
    EXPECT_EQ(percentDecode(text, false), std::nullopt) << text;
  }
}

TEST(PercentDecodeTest, RefusesNul) {
  EXPECT_EQ(percentDecode("a%00b", false), std::nullopt);
  EXPECT_EQ(percentDecode("%00", true), std::nullopt);
  EXPECT_EQ(percentDecode(std::string_view("a\0b", 3), false), std::nullopt);
}

Request withQuery(std::string query) {
  Request request;
  request.query = std::move(query);
  return request;
}

TEST(RequestTest, QueryParam) {
  auto request = withQuery("q=hello+world&name=a%20b&empty=&flag&enc%6Fded=yes&dup=1&dup=2");
  EXPECT_EQ(request.queryParam("q"), "hello world");
  EXPECT_EQ(request.queryParam("name"), "a b");
  EXPECT_EQ(request.queryParam("empty"), "");
  EXPECT_EQ(request.queryParam("flag"), "");
  EXPECT_EQ(request.queryParam("encoded"), "yes");
  EXPECT_EQ(request.queryParam("dup"), "1");  // the first occurrence wins
  EXPECT_EQ(request.queryParam("missing"), std::nullopt);
  EXPECT_EQ(request.queryParam("hello"), std::nullopt);
}

TEST(RequestTest, QueryParamWithMalformedValue) {
  auto request = withQuery("bad=%zz&nul=%00&good=1");
  EXPECT_EQ(request.queryParam("bad"), std::nullopt);
  EXPECT_EQ(request.queryParam("nul"), std::nullopt);
  EXPECT_EQ(request.queryParam("good"), "1");
  EXPECT_EQ(withQuery("").queryParam("a"), std::nullopt);
}

TEST(RequestTest, Cookies) {
  Request request;
  request.message.set(bhttp::field::cookie, "theme=dark;  refresh=abc.def ;session=s%20x;  empty=; noequals");
  EXPECT_EQ(request.cookie("theme"), "dark");
  EXPECT_EQ(request.cookie("refresh"), "abc.def");
  EXPECT_EQ(request.cookie("session"), "s%20x");  // cookie values are not percent-decoded
  EXPECT_EQ(request.cookie("empty"), "");
  EXPECT_EQ(request.cookie("noequals"), std::nullopt);
  EXPECT_EQ(request.cookie("missing"), std::nullopt);
  EXPECT_EQ(request.cookie("fresh"), std::nullopt);  // no suffix matches

  Request none;
  EXPECT_EQ(none.cookie("theme"), std::nullopt);
}

TEST(RequestTest, BearerToken) {
  Request request;
  EXPECT_EQ(request.bearerToken(), "");  // absent
  request.message.set(bhttp::field::authorization, "Bearer abc.def.ghi");
  EXPECT_EQ(request.bearerToken(), "abc.def.ghi");
  request.message.set(bhttp::field::authorization, "bearer abc");
  EXPECT_EQ(request.bearerToken(), "abc");
  request.message.set(bhttp::field::authorization, "BEARER   abc  ");
  EXPECT_EQ(request.bearerToken(), "abc");
  request.message.set(bhttp::field::authorization, "Basic dXNlcjpwYXNz");
  EXPECT_EQ(request.bearerToken(), "");
  request.message.set(bhttp::field::authorization, "Bearer ");
  EXPECT_EQ(request.bearerToken(), "");
  request.message.set(bhttp::field::authorization, "Bearerabc");
  EXPECT_EQ(request.bearerToken(), "");
}

TEST(RequestTest, HeadersByFieldAndName) {
  Request request;
  request.message.set(bhttp::field::user_agent, "test/1.0");
  request.message.set("X-Custom", "value");
  EXPECT_EQ(request.header(bhttp::field::user_agent), "test/1.0");
  EXPECT_EQ(request.header("user-agent"), "test/1.0");
  EXPECT_EQ(request.header("x-custom"), "value");
  EXPECT_EQ(request.header("x-missing"), "");
  EXPECT_EQ(request.header(bhttp::field::host), "");
}

}  // namespace
}  // namespace fluxmeet::http
