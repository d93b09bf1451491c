#include "proc_stats.hpp"

#include <fstream>
#include <iterator>
#include <sstream>

namespace fluxmeet::bench {

int64_t threadCpuNs(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return static_cast<int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
}

int64_t procStatusKiB(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1));
  }
  return 0;
}

std::pair<int64_t, int64_t> schedstat(pid_t tid) {
  std::ifstream file("/proc/self/task/" + std::to_string(tid) + "/schedstat");
  int64_t running = 0, waiting = 0;
  file >> running >> waiting;
  return {running, waiting};
}

std::pair<int64_t, int64_t> userSystemTicks(pid_t tid) {
  std::ifstream file("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  // The command name (field 2) may contain spaces; fields after it start past the last ')'.
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  int64_t user = 0, system = 0;
  for (int index = 3; fields >> field; ++index) {
    if (index == 14) user = std::stoll(field);
    if (index == 15) {
      system = std::stoll(field);
      break;
    }
  }
  return {user, system};
}

std::unordered_map<uint16_t, int64_t> udpDropsByPort() {
  std::unordered_map<uint16_t, int64_t> drops;
  std::ifstream file("/proc/net/udp");
  std::string line;
  std::getline(file, line);  // header
  while (std::getline(file, line)) {
    std::istringstream fields(line);
    std::string slot, local, field;
    fields >> slot >> local;
    const auto colon = local.find(':');
    if (colon == std::string::npos) continue;
    const auto port = static_cast<uint16_t>(std::stoul(local.substr(colon + 1), nullptr, 16));
    std::string last;
    while (fields >> field) last = field;
    drops[port] += std::stoll(last);
  }
  return drops;
}

}  // namespace fluxmeet::bench
