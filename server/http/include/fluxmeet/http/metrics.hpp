#pragma once
// Prometheus text-format metrics (https://prometheus.io/docs/instrumenting/exposition_formats/).
// Used on the control thread only: other threads report through posted tasks, so no locks.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace fluxmeet::http {

class Metrics {
 public:
  void recordRequest(std::string_view route, std::string_view method, unsigned status, double seconds);
  void websocketOpened() { ++openWebSockets_; }
  void websocketClosed() { --openWebSockets_; }
  void countDatabaseError() { ++databaseErrors_; }
  // Values owned elsewhere (media workers, meetings) sampled when /metrics is scraped.
  void addGauge(std::string name, std::string help, std::function<double()> sample);

  std::string render() const;

 private:
  static constexpr std::array<double, 11> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> counts{};
    std::uint64_t total = 0;
    double sum = 0;
  };
  struct Gauge {
    std::string name;
    std::string help;
    std::function<double()> sample;
  };

  std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t, std::less<>> requests_;
  std::map<std::string, Histogram, std::less<>> latency_;
  std::vector<Gauge> gauges_;
  std::int64_t openWebSockets_ = 0;
  std::uint64_t databaseErrors_ = 0;
};

}  // namespace fluxmeet::http
