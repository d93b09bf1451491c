#include "fluxmeet/http/metrics.hpp"

#include <fmt/format.h>

namespace fluxmeet::http {

void Metrics::recordRequest(std::string_view route, std::string_view method, unsigned status, double seconds) {
  std::lock_guard lock(mutex_);
  // Looked up by views: a known (route, method, status) allocates nothing.
  if (auto counter = requests_.find(std::make_tuple(route, method, status)); counter != requests_.end()) {
    ++counter->second;
  } else {
    requests_.emplace(std::make_tuple(std::string(route), std::string(method), status), 1);
  }
  auto it = latency_.find(route);
  if (it == latency_.end()) it = latency_.emplace(std::string(route), Histogram{}).first;
  Histogram& histogram = it->second;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++histogram.counts[i];
  }
  ++histogram.total;
  histogram.sum += seconds;
}

void Metrics::websocketOpened() {
  std::lock_guard lock(mutex_);
  ++openWebSockets_;
}

void Metrics::websocketClosed() {
  std::lock_guard lock(mutex_);
  --openWebSockets_;
}

void Metrics::countDatabaseError() {
  std::lock_guard lock(mutex_);
  ++databaseErrors_;
}

void Metrics::addGauge(std::string name, std::string help, std::function<double()> sample) {
  gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(sample)});
}

std::string Metrics::render() const {
  std::string out;
  std::unique_lock lock(mutex_);
  out += "# HELP fluxmeet_http_requests_total HTTP requests by route pattern, method and status.\n";
  out += "# TYPE fluxmeet_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out += fmt::format("fluxmeet_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n", route,
                       method, status, count);
  }
  out += "# HELP fluxmeet_http_request_duration_seconds Time from request read to response written.\n";
  out += "# TYPE fluxmeet_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : latency_) {
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("fluxmeet_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route,
                         kBuckets[i], histogram.counts[i]);
    }
    out += fmt::format("fluxmeet_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", route,
                       histogram.total);
    out += fmt::format("fluxmeet_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route, histogram.sum);
    out += fmt::format("fluxmeet_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route, histogram.total);
  }
  out += "# HELP fluxmeet_websocket_connections Open WebSocket connections.\n";
  out += "# TYPE fluxmeet_websocket_connections gauge\n";
  out += fmt::format("fluxmeet_websocket_connections {}\n", openWebSockets_);
  out += "# HELP fluxmeet_db_errors_total Database operations that failed unexpectedly.\n";
  out += "# TYPE fluxmeet_db_errors_total counter\n";
  out += fmt::format("fluxmeet_db_errors_total {}\n", databaseErrors_);
  lock.unlock();  // gauges sample other modules' state; never call out with the lock held
  for (const Gauge& gauge : gauges_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", gauge.name, gauge.help, gauge.name, gauge.name,
                       gauge.sample());
  }
  return out;
}

}  // namespace fluxmeet::http
