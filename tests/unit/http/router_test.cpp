#include "fluxmeet/http/router.hpp"

#include <gtest/gtest.h>

namespace fluxmeet::http {
namespace {

using Kind = RouteMatch::Kind;

// Matching never calls the handler, so routes carry an empty one.
class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add(bhttp::verb::get, "/api/v1/health", {});
    router_.add(bhttp::verb::get, "/api/v1/meetings", {});
    router_.add(bhttp::verb::post, "/api/v1/meetings", {}, RouteOptions{.bodyLimit = 1024});
    router_.add(bhttp::verb::get, "/api/v1/meetings/{code}", {});
    router_.add(bhttp::verb::delete_, "/api/v1/meetings/{code}", {});
    router_.add(bhttp::verb::get, "/api/v1/meetings/{code}/participants/{id}", {});
  }

  RouteMatch match(bhttp::verb method, const std::string& path) { return router_.match(method, path, request_); }

  Router router_;
  Request request_;
};

TEST_F(RouterTest, LiteralRoute) {
  auto found = match(bhttp::verb::get, "/api/v1/health");
  ASSERT_EQ(found.kind, Kind::Found);
  ASSERT_NE(found.route, nullptr);
  EXPECT_EQ(found.route->pattern, "/api/v1/health");
  EXPECT_TRUE(request_.params.empty());
}

TEST_F(RouterTest, MethodSelectsRouteAndOptions) {
  auto post = match(bhttp::verb::post, "/api/v1/meetings");
  ASSERT_EQ(post.kind, Kind::Found);
  EXPECT_EQ(post.route->method, bhttp::verb::post);
  EXPECT_EQ(post.route->options.bodyLimit, 1024u);
  auto get = match(bhttp::verb::get, "/api/v1/meetings");
  ASSERT_EQ(get.kind, Kind::Found);
  EXPECT_EQ(get.route->method, bhttp::verb::get);
  EXPECT_EQ(get.route->options.bodyLimit, 64u * 1024);
}

TEST_F(RouterTest, ParametersAreCaptured) {
  auto found = match(bhttp::verb::get, "/api/v1/meetings/abc-defg-hij/participants/42");
  ASSERT_EQ(found.kind, Kind::Found);
  EXPECT_EQ(found.route->pattern, "/api/v1/meetings/{code}/participants/{id}");
  EXPECT_EQ(request_.param("code"), "abc-defg-hij");
  EXPECT_EQ(request_.param("id"), "42");
  EXPECT_EQ(request_.param("missing"), "");

  // A later match replaces the earlier parameters.
  ASSERT_EQ(match(bhttp::verb::get, "/api/v1/meetings/xyz").kind, Kind::Found);
  EXPECT_EQ(request_.params.size(), 1u);
  EXPECT_EQ(request_.param("code"), "xyz");
}

TEST_F(RouterTest, ParameterMustNotBeEmpty) {
  EXPECT_EQ(match(bhttp::verb::get, "/api/v1/meetings/").kind, Kind::NotFound);
  EXPECT_EQ(match(bhttp::verb::get, "/api/v1/meetings//participants/1").kind, Kind::NotFound);
}

TEST_F(RouterTest, SegmentCountMustMatch) {
  EXPECT_EQ(match(bhttp::verb::get, "/api/v1").kind, Kind::NotFound);
  EXPECT_EQ(match(bhttp::verb::get, "/api/v1/meetings/abc/participants").kind, Kind::NotFound);
  EXPECT_EQ(match(bhttp::verb::get, "/api/v1/health/extra").kind, Kind::NotFound);
  EXPECT_EQ(match(bhttp::verb::get, "/api/v1/healthz").kind, Kind::NotFound);
  EXPECT_EQ(match(bhttp::verb::get, "/").kind, Kind::NotFound);
}

TEST_F(RouterTest, HeadMatchesGet) {
  auto head = match(bhttp::verb::head, "/api/v1/meetings/abc");
  ASSERT_EQ(head.kind, Kind::Found);
  EXPECT_EQ(head.route->method, bhttp::verb::get);
  EXPECT_EQ(request_.param("code"), "abc");
}

TEST_F(RouterTest, WrongMethodIs405WithAllowedMethods) {
  auto put = match(bhttp::verb::put, "/api/v1/meetings");
  EXPECT_EQ(put.kind, Kind::MethodNotAllowed);
  EXPECT_EQ(put.route, nullptr);
  EXPECT_EQ(put.allowedMethods, "GET, POST");

  auto post = match(bhttp::verb::post, "/api/v1/meetings/abc");
  EXPECT_EQ(post.kind, Kind::MethodNotAllowed);
  EXPECT_EQ(post.allowedMethods, "GET, DELETE");

  auto head = match(bhttp::verb::head, "/api/v1/meetings/abc/participants/1");
  EXPECT_EQ(head.kind, Kind::Found);
  auto del = match(bhttp::verb::delete_, "/api/v1/health");
  EXPECT_EQ(del.kind, Kind::MethodNotAllowed);
  EXPECT_EQ(del.allowedMethods, "GET");
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  auto missing = match(bhttp::verb::get, "/api/v2/meetings");
  EXPECT_EQ(missing.kind, Kind::NotFound);
  EXPECT_EQ(missing.route, nullptr);
  EXPECT_TRUE(missing.allowedMethods.empty());
}

TEST_F(RouterTest, Owns) {
  EXPECT_TRUE(router_.owns("/api/v1/health"));
  EXPECT_TRUE(router_.owns("/api/v1/meetings/anything"));
  EXPECT_TRUE(router_.owns("/api/v1/meetings/a/participants/b"));
  EXPECT_FALSE(router_.owns("/api/v1/meetings/"));
  EXPECT_FALSE(router_.owns("/meetings"));
  EXPECT_FALSE(router_.owns("/"));
  EXPECT_FALSE(router_.owns("/api/v1/unknown"));
}

TEST(RouterEmptyTest, NothingMatches) {
  Router router;
  Request request;
  EXPECT_EQ(router.match(bhttp::verb::get, "/", request).kind, Kind::NotFound);
  EXPECT_FALSE(router.owns("/anything"));
}

}  // namespace
}  // namespace fluxmeet::http
