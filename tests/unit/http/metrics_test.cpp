#include "fluxmeet/http/metrics.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fluxmeet::http {
namespace {

bool hasLine(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST(MetricsTest, EmptyRenderHasFixedSeries) {
  Metrics metrics;
  std::string text = metrics.render();
  EXPECT_TRUE(hasLine(text, "# TYPE fluxmeet_http_requests_total counter")) << text;
  EXPECT_TRUE(hasLine(text, "# TYPE fluxmeet_http_request_duration_seconds histogram")) << text;
  EXPECT_TRUE(hasLine(text, "# TYPE fluxmeet_websocket_connections gauge")) << text;
  EXPECT_TRUE(hasLine(text, "fluxmeet_websocket_connections 0")) << text;
  EXPECT_TRUE(hasLine(text, "fluxmeet_db_errors_total 0")) << text;
  EXPECT_EQ(text.find("fluxmeet_http_requests_total{"), std::string::npos);
  EXPECT_EQ(text.back(), '\n');  // the exposition format ends every line, including the last
}

TEST(MetricsTest, CountersCarryLabels) {
  Metrics metrics;
  metrics.recordRequest("/api/v1/meetings/{code}", "GET", 200, 0.002);
  metrics.recordRequest("/api/v1/meetings/{code}", "GET", 200, 0.003);
  metrics.recordRequest("/api/v1/meetings/{code}", "GET", 404, 0.001);
  metrics.recordRequest("/api/v1/meetings", "POST", 201, 0.02);
  std::string text = metrics.render();
  EXPECT_TRUE(hasLine(text, R"(fluxmeet_http_requests_total{route="/api/v1/meetings/{code}",method="GET",status="200"} 2)"))
      << text;
  EXPECT_TRUE(hasLine(text, R"(fluxmeet_http_requests_total{route="/api/v1/meetings/{code}",method="GET",status="404"} 1)"))
      << text;
  EXPECT_TRUE(hasLine(text, R"(fluxmeet_http_requests_total{route="/api/v1/meetings",method="POST",status="201"} 1)"))
      << text;
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  Metrics metrics;
  const std::string route = "/api/v1/health";
  metrics.recordRequest(route, "GET", 200, 0.0004);  // in every bucket
  metrics.recordRequest(route, "GET", 200, 0.003);   // le >= 0.005
  metrics.recordRequest(route, "GET", 200, 0.01);    // le >= 0.01 (inclusive upper bound)
  metrics.recordRequest(route, "GET", 200, 2.5);     // only +Inf
  std::string text = metrics.render();
  auto bucket = [&](const std::string& le, int count) {
    return "fluxmeet_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"" + le + "\"} " +
           std::to_string(count);
  };
  EXPECT_TRUE(hasLine(text, bucket("0.0005", 1))) << text;
  EXPECT_TRUE(hasLine(text, bucket("0.001", 1))) << text;
  EXPECT_TRUE(hasLine(text, bucket("0.0025", 1))) << text;
  EXPECT_TRUE(hasLine(text, bucket("0.005", 2))) << text;
  EXPECT_TRUE(hasLine(text, bucket("0.01", 3))) << text;
  EXPECT_TRUE(hasLine(text, bucket("0.5", 3))) << text;
  EXPECT_TRUE(hasLine(text, bucket("1", 3))) << text;
  EXPECT_TRUE(hasLine(text, bucket("+Inf", 4))) << text;
  EXPECT_TRUE(hasLine(text, "fluxmeet_http_request_duration_seconds_count{route=\"" + route + "\"} 4")) << text;
  auto sumAt = text.find("fluxmeet_http_request_duration_seconds_sum{route=\"" + route + "\"} ");
  ASSERT_NE(sumAt, std::string::npos) << text;
  auto valueAt = text.find("} ", sumAt) + 2;
  EXPECT_NEAR(std::stod(text.substr(valueAt, text.find('\n', valueAt) - valueAt)), 2.5134, 1e-9);

  // Buckets appear in increasing order of le, +Inf last.
  EXPECT_LT(text.find(bucket("0.0005", 1)), text.find(bucket("0.001", 1)));
  EXPECT_LT(text.find(bucket("1", 3)), text.find(bucket("+Inf", 4)));
}

TEST(MetricsTest, WebSocketAndDatabaseCounters) {
  Metrics metrics;
  metrics.websocketOpened();
  metrics.websocketOpened();
  metrics.websocketOpened();
  metrics.websocketClosed();
  metrics.countDatabaseError();
  std::string text = metrics.render();
  EXPECT_TRUE(hasLine(text, "fluxmeet_websocket_connections 2")) << text;
  EXPECT_TRUE(hasLine(text, "fluxmeet_db_errors_total 1")) << text;
}

TEST(MetricsTest, GaugesAreSampledAtRender) {
  Metrics metrics;
  double rooms = 3;
  metrics.addGauge("fluxmeet_active_meetings", "Meetings with at least one participant.", [&] { return rooms; });
  metrics.addGauge("fluxmeet_media_load", "Average worker load.", [] { return 0.25; });
  std::string text = metrics.render();
  EXPECT_TRUE(hasLine(text, "# HELP fluxmeet_active_meetings Meetings with at least one participant.")) << text;
  EXPECT_TRUE(hasLine(text, "# TYPE fluxmeet_active_meetings gauge")) << text;
  EXPECT_TRUE(hasLine(text, "fluxmeet_active_meetings 3")) << text;
  EXPECT_TRUE(hasLine(text, "# TYPE fluxmeet_media_load gauge")) << text;
  EXPECT_TRUE(hasLine(text, "fluxmeet_media_load 0.25")) << text;
  rooms = 7;
  EXPECT_TRUE(hasLine(metrics.render(), "fluxmeet_active_meetings 7"));
}

}  // namespace
}  // namespace fluxmeet::http
