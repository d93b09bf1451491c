#include "fluxmeet/http/response.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

namespace fluxmeet::http {
namespace {

TEST(ResponseTest, ErrorStatusForEveryCode) {
  const std::vector<std::pair<ErrorCode, bhttp::status>> expected = {
      {ErrorCode::InvalidRequest, bhttp::status::bad_request},
      {ErrorCode::ValidationFailed, bhttp::status::bad_request},
      {ErrorCode::Unauthorized, bhttp::status::unauthorized},
      {ErrorCode::Forbidden, bhttp::status::forbidden},
      {ErrorCode::NotFound, bhttp::status::not_found},
      {ErrorCode::Conflict, bhttp::status::conflict},
      {ErrorCode::PayloadTooLarge, bhttp::status::payload_too_large},
      {ErrorCode::UnsupportedMediaType, bhttp::status::unsupported_media_type},
      {ErrorCode::Unprocessable, bhttp::status::unprocessable_entity},
      {ErrorCode::RateLimited, bhttp::status::too_many_requests},
      {ErrorCode::Unavailable, bhttp::status::service_unavailable},
      {ErrorCode::Internal, bhttp::status::internal_server_error},
  };
  for (const auto& [code, status] : expected) {
    EXPECT_EQ(errorStatus(code), status) << errorCodeName(code);
  }
  EXPECT_EQ(static_cast<unsigned>(errorStatus(ErrorCode::Unprocessable)), 422u);
  EXPECT_EQ(static_cast<unsigned>(errorStatus(ErrorCode::RateLimited)), 429u);
}

TEST(ResponseTest, ErrorBodyWithField) {
  auto response = errorResponse(ErrorCode::ValidationFailed, "email is required", "email");
  EXPECT_EQ(response.result(), bhttp::status::bad_request);
  EXPECT_EQ(response[bhttp::field::content_type], "application/json");
  EXPECT_EQ(response[bhttp::field::cache_control], "no-store");
  auto body = nlohmann::json::parse(response.body());
  EXPECT_EQ(body, nlohmann::json::parse(
                      R"({"error":{"code":"validation_failed","message":"email is required","field":"email"}})"));
}

TEST(ResponseTest, ErrorBodyWithoutField) {
  auto response = errorResponse(makeError(ErrorCode::NotFound, "no such meeting"));
  EXPECT_EQ(response.result(), bhttp::status::not_found);
  auto body = nlohmann::json::parse(response.body());
  EXPECT_EQ(body, nlohmann::json::parse(R"({"error":{"code":"not_found","message":"no such meeting"}})"));
  EXPECT_FALSE(body["error"].contains("field"));
}

TEST(ResponseTest, JsonResponseReplacesInvalidUtf8) {
  auto response = jsonResponse(bhttp::status::ok, {{"name", "bad\xFF"}});
  EXPECT_EQ(response.result(), bhttp::status::ok);
  EXPECT_EQ(response.body(), "{\"name\":\"bad\xEF\xBF\xBD\"}");  // U+FFFD REPLACEMENT CHARACTER
}

TEST(ResponseTest, NoContentAndText) {
  auto empty = noContent();
  EXPECT_EQ(empty.result(), bhttp::status::no_content);
  EXPECT_TRUE(empty.body().empty());
  EXPECT_EQ(empty[bhttp::field::cache_control], "no-store");

  auto text = textResponse(bhttp::status::ok, "# metrics\n", "text/plain; version=0.0.4");
  EXPECT_EQ(text.body(), "# metrics\n");
  EXPECT_EQ(text[bhttp::field::content_type], "text/plain; version=0.0.4");
}

}  // namespace
}  // namespace fluxmeet::http
