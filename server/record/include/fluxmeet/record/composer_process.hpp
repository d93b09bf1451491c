#pragma once
// ComposerProcess: runs one composition command (composition.hpp) as a niced child process and
// reports its progress. Blocking: call run() on a composition worker thread, never on a media or
// control thread. cancel() may be called from any thread (shutdown, a deleted recording).
#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <sys/types.h>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/record/composition.hpp"

namespace fluxmeet::record {

struct ComposerRunOptions {
  int64_t durationMs = 0;  // for the percentage
  std::string logPath;     // the child's stderr goes here (why it failed)
  int niceness = 10;
  // The child is stopped after this long: a composition never hangs a worker for good.
  std::chrono::seconds timeout{3600};
  // Called on the running thread with 0..99 as ffmpeg reports, at most once per percent.
  std::function<void(int percent)> onProgress;
};

class ComposerProcess {
 public:
  // Runs to the end. Errors: the program could not start, it failed (the last line it logged),
  // it was cancelled, or it timed out.
  Result<void> run(const CompositionCommand& command, const ComposerRunOptions& options);
  void cancel();
  bool cancelled() const { return cancelled_; }

 private:
  std::atomic<pid_t> child_{0};
  std::atomic<bool> cancelled_{false};
};

// ffmpeg's -progress output: the value of `out_time_us=` in one line, or -1.
int64_t parseProgressLine(std::string_view line);

}  // namespace fluxmeet::record
