// bench_board_save: what a full whiteboard costs the control thread and memory. Fills a Board
// to its scene limit with freehand strokes (90 points each, ~1.7 KB of JSON, as Excalidraw sends
// them) through Board::apply, then times the saved document (Board::toText, what RoomBoard::save
// writes) and a late joiner's snapshot pages, and reports the resident memory the board took.
// Prints one Markdown table row. Usage: bench_board_save [repetitions=5]. Times are the first run
// (cold: the 8 MiB result is fresh memory, as for a save in the server, which happens seconds
// apart) and the best of the repetitions (warm: the allocator hands the same memory back).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "fluxmeet/whiteboard/board.hpp"

namespace {

using nlohmann::json;
using fluxmeet::whiteboard::Board;
using fluxmeet::whiteboard::SnapshotRequest;

long residentKiB() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

json stroke(std::size_t index) {
  json points = json::array();
  for (int p = 0; p < 90; ++p) points.push_back({p * 1.25, p * 0.5 + 0.25});
  return {{"id", "stroke" + std::to_string(index)}, {"type", "freedraw"}, {"x", 100.5 + static_cast<double>(index)},
          {"y", 200.25}, {"width", 300}, {"height", 150}, {"angle", 0}, {"strokeColor", "#1e1e1e"},
          {"backgroundColor", "transparent"}, {"fillStyle", "solid"}, {"strokeWidth", 2}, {"strokeStyle", "solid"},
          {"roughness", 1}, {"opacity", 100}, {"groupIds", json::array()}, {"frameId", nullptr}, {"index", "a1"},
          {"roundness", nullptr}, {"seed", 12345678}, {"version", 1}, {"versionNonce", 987654},
          {"isDeleted", false}, {"boundElements", nullptr}, {"updated", 1764999999999LL}, {"link", nullptr},
          {"locked", false}, {"points", std::move(points)}, {"pressures", json::array()}, {"simulatePressure", true}};
}

struct Timing {
  double firstMs = 0;
  double bestMs = 1e300;
};

template <class Work>
Timing timed(int repetitions, Work&& work) {
  Timing timing;
  for (int i = 0; i < repetitions; ++i) {
    const auto start = std::chrono::steady_clock::now();
    work();
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (i == 0) timing.firstMs = ms;
    timing.bestMs = std::min(timing.bestMs, ms);
  }
  return timing;
}

}  // namespace

int main(int argc, char** argv) {
  const int repetitions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  const long before = residentKiB();
  Board board;
  const std::size_t limit = board.limits().maxSceneBytes;
  std::size_t count = 0;
  while (board.liveCount() < board.limits().maxLiveElements && board.liveBytes() + 4096 < limit) {
    if (auto applied = board.apply("peer", json::array({stroke(count)})); !applied) {
      std::fprintf(stderr, "bench_board_save: %s\n", applied.error().message.c_str());
      return 1;
    }
    ++count;
  }
  const long filled = residentKiB();

  std::size_t documentBytes = 0;
  const Timing save = timed(repetitions, [&] { documentBytes = board.toText().size(); });
  std::size_t pages = 0;
  const Timing join = timed(repetitions, [&] {
    // Pages as board.sync makes them: 3/4 of the default 192 KiB signaling message limit.
    SnapshotRequest request{.maxBytes = 144 * 1024};
    pages = 0;
    for (auto page = board.snapshot(request);; page = board.snapshot(request)) {
      ++pages;
      if (page.complete) break;
      request = {.epoch = page.epoch, .sinceSeq = page.nextSeq, .maxBytes = 144 * 1024, .nextPage = true};
    }
  });
  std::printf("| elements | JSON | board memory (RSS growth) | save document, first / best | all snapshot pages, first / best |\n");
  std::printf("|---|---|---|---|---|\n");
  std::printf("| %zu | %.1f MiB | %.1f MiB | %.1f MiB in %.2f / %.2f ms | %zu pages in %.2f / %.2f ms |\n", count,
              static_cast<double>(board.liveBytes()) / 1048576.0, static_cast<double>(filled - before) / 1024.0,
              static_cast<double>(documentBytes) / 1048576.0, save.firstMs, save.bestMs, pages, join.firstMs,
              join.bestMs);
  return 0;
}
