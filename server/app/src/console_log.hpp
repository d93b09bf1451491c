#pragma once
// The server's log on standard output (systemd's journal, a container's log, a test's pipe).
#include <string>

namespace fluxmeet::app {

// Makes spdlog's default logger write to standard output at `level` ("info", "warn", ...). When
// standard output is not a terminal, lines stay in stdio's buffer: warnings and errors are flushed
// at once, everything else within a second and at exit. spdlog's console sinks flush after every
// line, one write system call per logged request, which the HTTP bench measured at ~15-20 µs of a
// ~70 µs meeting lookup (docs/benchmarks.md "HTTP API"). A terminal keeps the coloured, line by line log.
void installConsoleLog(const std::string& level);

// Writes out whatever is buffered (before the process exits).
void flushConsoleLog();

}  // namespace fluxmeet::app
