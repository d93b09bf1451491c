#pragma once
// Prometheus text-format metrics (https://prometheus.io/docs/instrumenting/exposition_formats/).
// Requests are counted by the HTTP I/O threads as they finish, WebSockets and database errors on the
// control thread: one mutex, held for a few map updates (never per media packet). Gauges are
// registered before the server starts and sampled (on the scraping thread) when /metrics is read.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace fluxmeet::http {

class Metrics {
 public:
  void recordRequest(std::string_view route, std::string_view method, unsigned status, double seconds);
  void websocketOpened();
  void websocketClosed();
  void countDatabaseError();
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

  mutable std::mutex mutex_;  // guards the counters below (not gauges_, fixed before threads start)
  std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t, std::less<>> requests_;
  std::map<std::string, Histogram, std::less<>> latency_;
  std::vector<Gauge> gauges_;
  std::int64_t openWebSockets_ = 0;
  std::uint64_t databaseErrors_ = 0;
};

}  // namespace fluxmeet::http
