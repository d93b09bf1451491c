#include "console_log.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>

namespace fluxmeet::app {
namespace {

// Formats and writes to stdout without flushing; flush() is left to spdlog's policies.
class BufferedStdoutSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(message, formatted);
    std::fwrite(formatted.data(), 1, formatted.size(), stdout);
  }
  void flush_() override { std::fflush(stdout); }
};

constexpr auto kFlushInterval = std::chrono::seconds(1);

}  // namespace

void installConsoleLog(const std::string& level) {
  spdlog::sink_ptr sink;
  if (::isatty(STDOUT_FILENO)) {
    sink = std::make_shared<spdlog::sinks::stdout_color_sink_mt>();
  } else {
    sink = std::make_shared<BufferedStdoutSink>();
  }
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("", std::move(sink)));
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::flush_on(spdlog::level::warn);
  spdlog::flush_every(kFlushInterval);
}

void flushConsoleLog() { spdlog::default_logger()->flush(); }

}  // namespace fluxmeet::app
