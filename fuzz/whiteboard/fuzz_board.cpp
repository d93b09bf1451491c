// libFuzzer target for the whiteboard's element parser and reconciliation (server/whiteboard).
// The input is JSON Lines: each line is one message, from peers taking turns:
//   an array   -> Board::apply (a peer's update)
//   an object  -> Board::fromJson (a stored document) if it has "format", else parseCursor
// Limits are small so the limit paths (board full, tombstone compaction, paging) are reached.
// Checks: a rejected update changes nothing and names a field; an accepted one stores exactly
// what it reports; the board stays within its limits; the persistence document restores to the
// same board; snapshot pages cover the live scene.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

#include "fluxmeet/whiteboard/board.hpp"
#include "fluxmeet/whiteboard/cursor.hpp"
#include "media/fuzz_check.hpp"

namespace {

using fluxmeet::whiteboard::Board;
using fluxmeet::whiteboard::BoardLimits;
using nlohmann::json;

BoardLimits fuzzLimits() {
  BoardLimits limits;
  limits.element.maxBytes = 4096;
  limits.element.maxPoints = 64;
  limits.element.maxTextBytes = 512;
  limits.element.maxStringBytes = 128;
  limits.element.maxArrayItems = 64;
  limits.maxUpdateElements = 16;
  limits.maxLiveElements = 24;
  limits.maxTombstones = 6;
  limits.maxSceneBytes = 16 * 1024;
  return limits;
}

void checkWithinLimits(const Board& board) {
  const BoardLimits& limits = board.limits();
  FUZZ_CHECK(board.liveCount() <= limits.maxLiveElements);
  FUZZ_CHECK(board.tombstoneCount() <= limits.maxTombstones);
  FUZZ_CHECK(board.liveBytes() <= limits.maxSceneBytes);
}

void applyUpdate(Board& board, std::string_view peer, const json& update) {
  const std::uint64_t seqBefore = board.seq();
  const std::size_t liveBefore = board.liveCount();
  const std::size_t bytesBefore = board.liveBytes();
  auto applied = board.apply(peer, update);
  if (!applied) {
    FUZZ_CHECK(!applied.error().message.empty() && !applied.error().field.empty());
    FUZZ_CHECK(board.seq() == seqBefore && board.liveCount() == liveBefore && board.liveBytes() == bytesBefore);
    return;
  }
  FUZZ_CHECK(applied->seq == board.seq());
  const json accepted = applied->accepted();
  FUZZ_CHECK(board.seq() == seqBefore + accepted.size());
  std::set<std::string> seen;
  for (const json& element : accepted) {
    const std::string id = element.at("id").get<std::string>();
    FUZZ_CHECK(seen.insert(id).second);  // one winner per id
    const auto* kept = board.find(id);
    // Compaction may have forgotten an accepted tombstone at once; anything else is kept.
    if (kept == nullptr) {
      FUZZ_CHECK(element.at("isDeleted").get<bool>());
      continue;
    }
    FUZZ_CHECK(json::parse(kept->text) == element);
  }
  for (const json& element : applied->superseded) {
    const auto* kept = board.find(element.at("id").get<std::string>());
    FUZZ_CHECK(kept != nullptr && json::parse(kept->text) == element);
  }
  checkWithinLimits(board);
}

void checkPersistenceAndSnapshots(const Board& board) {
  const std::string document = board.toText();
  FUZZ_CHECK(json::parse(document).dump() == document);  // what a read and write gives
  auto restored = Board::fromJson(json::parse(document), board.limits(), "restored");
  FUZZ_CHECK(restored.ok());
  FUZZ_CHECK(restored->toText() == document);
  FUZZ_CHECK(restored->liveCount() == board.liveCount() && restored->tombstoneCount() == board.tombstoneCount());

  std::size_t live = 0;
  fluxmeet::whiteboard::SnapshotRequest request{.maxBytes = 700};
  for (int pages = 0;; ++pages) {
    FUZZ_CHECK(pages <= 1000);
    const auto page = board.snapshot(request);
    const json elements = page.elements();
    FUZZ_CHECK(!elements.empty() || page.complete);
    for (const json& element : elements) live += element.at("isDeleted").get<bool>() ? 0 : 1;
    if (page.complete) break;
    request = {.epoch = page.epoch, .sinceSeq = page.nextSeq, .maxBytes = 700, .nextPage = true};
  }
  FUZZ_CHECK(live == board.liveCount());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Board board(fuzzLimits(), "fuzz");
  constexpr std::string_view kPeers[] = {"alice", "bob", "carol"};
  std::size_t turn = 0;
  std::size_t start = 0;
  while (start <= input.size()) {
    std::size_t end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    // Not json::accept first: parse() with allow_exceptions=false already reports failure.
    const json message = json::parse(input.substr(start, end - start), nullptr, false);
    start = end + 1;
    if (message.is_discarded()) continue;
    if (message.is_array()) {
      applyUpdate(board, kPeers[turn++ % 3], message);
    } else if (message.is_object() && message.contains("format")) {
      auto restored = Board::fromJson(message, fuzzLimits(), "fuzz");
      if (restored) {
        checkWithinLimits(*restored);
        board = std::move(*restored);
      } else {
        FUZZ_CHECK(!restored.error().field.empty());
      }
    } else {
      auto cursor = fluxmeet::whiteboard::parseCursor(message);
      FUZZ_CHECK(cursor.ok() || !cursor.error().field.empty());
    }
  }
  checkPersistenceAndSnapshots(board);
  return 0;
}
