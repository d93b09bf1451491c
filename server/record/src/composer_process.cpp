#include "fluxmeet/record/composer_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <fstream>
#include <vector>

extern char** environ;

namespace fluxmeet::record {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kKillGrace = std::chrono::seconds(5);

std::string lastLogLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::string last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  if (last.size() > 300) last.resize(300);
  return last;
}

// Closes a descriptor once, however the function leaves.
struct FdGuard {
  int fd = -1;
  ~FdGuard() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

int64_t parseProgressLine(std::string_view line) {
  constexpr std::string_view kKey = "out_time_us=";
  if (!line.starts_with(kKey)) return -1;
  line.remove_prefix(kKey.size());
  int64_t value = -1;
  const auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), value);
  if (error != std::errc{} || value < 0) return -1;
  return value;
}

void ComposerProcess::cancel() {
  cancelled_ = true;
  const pid_t pid = child_.load();
  if (pid > 0) ::kill(pid, SIGTERM);
}

Result<void> ComposerProcess::run(const CompositionCommand& command, const ComposerRunOptions& options) {
  if (command.argv.empty()) return makeError(ErrorCode::InvalidRequest, "empty composition command");
  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC) != 0) return makeError(ErrorCode::Unavailable, "pipe: " + std::string(strerror(errno)));
  FdGuard readEnd{pipeFds[0]};
  FdGuard writeEnd{pipeFds[1]};

  // nice(1) rather than setpriority in a forked child: posix_spawn cannot run code in the child.
  const std::string niceness = std::to_string(options.niceness);
  std::vector<std::string> args = {"nice", "-n", niceness};
  args.insert(args.end(), command.argv.begin(), command.argv.end());
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, writeEnd.fd, 1);
  posix_spawn_file_actions_addopen(&actions, 2, options.logPath.empty() ? "/dev/null" : options.logPath.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0640);
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return makeError(ErrorCode::Unavailable, "cannot start nice/ffmpeg: " + std::string(strerror(spawned)));
  child_ = pid;
  ::close(writeEnd.fd);
  writeEnd.fd = -1;
  if (cancelled_) ::kill(pid, SIGTERM);  // cancelled between the check and the spawn

  const auto started = Clock::now();
  std::optional<Clock::time_point> termSentAt;
  bool timedOut = false;
  int lastPercent = -1;
  std::string pending;
  char buffer[4096];
  for (;;) {
    pollfd poller{readEnd.fd, POLLIN, 0};
    const int ready = ::poll(&poller, 1, 1000);
    if (ready > 0) {
      const ssize_t got = ::read(readEnd.fd, buffer, sizeof buffer);
      if (got == 0) break;  // the child closed stdout: it is exiting
      if (got < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        break;
      }
      pending.append(buffer, static_cast<size_t>(got));
      size_t newline;
      while ((newline = pending.find('\n')) != std::string::npos) {
        const int64_t outUs = parseProgressLine(std::string_view(pending).substr(0, newline));
        pending.erase(0, newline + 1);
        if (outUs < 0 || options.durationMs <= 0 || !options.onProgress) continue;
        const int percent = static_cast<int>(std::min<int64_t>(99, outUs / 10 / options.durationMs));
        if (percent > lastPercent) {
          lastPercent = percent;
          options.onProgress(percent);
        }
      }
      if (pending.size() > 65536) pending.clear();  // no newline in 64 KiB: not progress output
    }
    const auto now = Clock::now();
    if (!termSentAt && (cancelled_ || now - started > options.timeout)) {
      timedOut = !cancelled_;
      ::kill(pid, SIGTERM);
      termSentAt = now;
    } else if (termSentAt && now - *termSentAt > kKillGrace) {
      ::kill(pid, SIGKILL);
    }
  }
  child_ = 0;  // before reaping: cancel() must never signal a recycled pid
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (cancelled_) return makeError(ErrorCode::Unavailable, "composition cancelled");
  if (timedOut) return makeError(ErrorCode::Unavailable, "composition timed out");
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  std::string why = options.logPath.empty() ? "" : lastLogLine(options.logPath);
  if (why.empty()) {
    why = WIFEXITED(status) ? "ffmpeg exited with status " + std::to_string(WEXITSTATUS(status))
                            : "ffmpeg was killed by signal " + std::to_string(WTERMSIG(status));
  }
  return makeError(ErrorCode::Internal, "composition failed: " + why);
}

}  // namespace fluxmeet::record
