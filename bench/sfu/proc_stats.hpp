#pragma once
// What bench_sfu reads about its own process from the kernel: a thread's CPU clock, its time
// waiting for a CPU, its user/kernel split, the process's RSS, and per-socket UDP drops.
// Linux only; each returns 0 (or an empty map) when the file is missing.
#include <sys/types.h>
#include <time.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>

namespace fluxmeet::bench {

// clock_gettime on a CPU-time clock (CLOCK_THREAD_CPUTIME_ID, or pthread_getcpuclockid's): the
// thread's user + system time in ns.
int64_t threadCpuNs(clockid_t clock);

// A field of /proc/self/status in KiB ("VmRSS", "VmHWM").
int64_t procStatusKiB(const std::string& field);

// /proc/self/task/<tid>/schedstat: {ns on a CPU, ns runnable but waiting for one}. The wait
// shows when other processes on the machine, not the SFU, held the CPU.
std::pair<int64_t, int64_t> schedstat(pid_t tid);

// {utime, stime} of one thread in clock ticks (fields 14 and 15 of /proc/self/task/<tid>/stat):
// how its CPU time splits between user code and the kernel (sendmmsg, loopback delivery).
std::pair<int64_t, int64_t> userSystemTicks(pid_t tid);

// Datagrams the kernel dropped per local UDP port (the "drops" column of /proc/net/udp).
std::unordered_map<uint16_t, int64_t> udpDropsByPort();

}  // namespace fluxmeet::bench
