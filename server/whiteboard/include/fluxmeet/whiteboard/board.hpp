#pragma once
// Board: the authoritative whiteboard scene of one meeting. Peers send Excalidraw elements; the
// board keeps, per element id, the state that wins by supersedes() (element.hpp), stamps every
// change with a sequence number and tells the caller what to broadcast. Deleted elements stay
// as tombstones so a late or concurrent edit cannot bring them back.
//
// Wiring (the meeting module): the Room owns one Board and calls it on the control thread; the
// Board is not thread-safe and does no I/O.
//   whiteboard.update {elements}  -> apply(peerId, elements):
//        error          -> reply with the error, nothing changed;
//        ok             -> reply {seq, superseded} to the sender, and if `accepted` is not empty
//                          broadcast {seq, elements: accepted} to everyone else (never back to
//                          the sender: its own update is not a conflict).
//   join / reconnect              -> snapshot({epoch, sinceSeq, maxBytes}), page by page.
//   save (debounced, meeting end) -> toText() when seq() moved; restore with fromJson().
//   images                        -> files() (board_files.hpp).
// The scene's element order is not the server's business: Excalidraw orders elements by their
// fractional `index` field, which travels inside each element.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/whiteboard/board_files.hpp"
#include "fluxmeet/whiteboard/element.hpp"

namespace fluxmeet::whiteboard {

struct BoardLimits {
  ElementLimits element;
  FileLimits files;
  // One update: Excalidraw sends a changed selection at once (a paste, a multi-select move).
  std::size_t maxUpdateElements = 1000;
  // Creating or reviving elements beyond this is refused; editing and deleting always work.
  std::size_t maxLiveElements = 5000;
  // Tombstones beyond this are forgotten, oldest first; a peer that missed one of them gets a
  // reset snapshot (SnapshotPage::reset) instead of a delta.
  std::size_t maxTombstones = 5000;
  // Serialized JSON of all live elements; tombstones are compacted to stay within it too.
  // 8 MiB of JSON is ~5,000 typical shapes plus long strokes; the board keeps it in ~10 MiB.
  std::size_t maxSceneBytes = 8 * 1024 * 1024;
};

// What an accepted update changed.
struct Applied {
  std::uint64_t seq = 0;  // the board's sequence number after the update
  // Elements that won, as sent: broadcast them to every peer except the sender. Kept as the
  // compact JSON text validation made (comma-separated, without the array's brackets), which is
  // what the relay sends; accepted() parses it for callers that inspect the elements.
  std::string acceptedText;
  nlohmann::json accepted() const;
  // For elements of the update that lost, the board's current state, unless the sender itself
  // wrote it: send these back to the sender only, so it converges even if its local rule
  // differs. Elements identical to the board's are in neither list. (Parsed: losing is rare.)
  nlohmann::json superseded = nlohmann::json::array();
};

struct SnapshotRequest {
  // The epoch the peer's local scene came from (SnapshotPage::epoch); empty if it has none.
  std::string epoch;
  // The highest seq the peer has seen in that epoch: it gets only what changed after it.
  std::uint64_t sinceSeq = 0;
  // Page size: elements are added while they fit (at least one per page).
  std::size_t maxBytes = std::numeric_limits<std::size_t>::max();
  // Asking for the next page of an incomplete snapshot (sinceSeq = its nextSeq): never a reset
  // within the same epoch, so a reset snapshot can be paged through too.
  bool nextPage = false;
};

struct SnapshotPage {
  std::string epoch;
  // The peer must drop its local scene and take this one (it had none, it is from another
  // epoch, or deletions it missed were compacted away). A reset carries no tombstones.
  bool reset = false;
  // The page's elements as JSON text, comma-separated without the array's brackets (as
  // Applied::acceptedText): the reply is assembled from the stored text without parsing it.
  std::string elementsText;
  nlohmann::json elements() const;  // parsed, for callers that inspect them
  // Ask for the next page with sinceSeq = nextSeq; once complete it is the board's seq().
  std::uint64_t nextSeq = 0;
  bool complete = true;
};

class Board {
 public:
  // `epoch` names this incarnation of the board's sequence numbers; empty: a random one.
  explicit Board(BoardLimits limits = {}, std::string epoch = {});
  Board(Board&&) = default;
  Board& operator=(Board&&) = default;
  Board(const Board&) = delete;
  Board& operator=(const Board&) = delete;

  // Validates and reconciles a peer's update (a JSON array of elements). All or nothing: an
  // invalid element (ValidationFailed, field "elements[i]...") or an update the board has no
  // room for (PayloadTooLarge, field "elements") changes nothing. Losing elements are not
  // errors. Duplicate ids in one update: the winner by supersedes() counts.
  Result<Applied> apply(std::string_view peerId, const nlohmann::json& elements);

  // The scene for a joining or reconnecting peer (see SnapshotRequest/SnapshotPage).
  SnapshotPage snapshot(const SnapshotRequest& request = {}) const;

  // Persistence document: {"format":"fluxmeet.whiteboard","version":1,"elements":[...]} with
  // tombstones, in seq order, as compact JSON text. Files are not in it (files().toJson()
  // lists them). Joins stored text instead of re-serialising: ~27 ms at the scene limit on the
  // bench VM, mostly page faults of the fresh 8 MiB (bench_board_save).
  std::string toText() const;
  // The live elements (no tombstones) in seq order, as a JSON array's text: a board's view
  // after the meeting (history, exports).
  std::string liveElementsText() const;
  // Restores a saved document with a new epoch (sequence numbers restart, so peers' cursors
  // from before must not be trusted). A corrupt document is an error, never a partial board.
  static Result<Board> fromJson(const nlohmann::json& document, BoardLimits limits = {}, std::string epoch = {});

  const Element* find(std::string_view id) const;
  const std::string& epoch() const { return epoch_; }
  std::uint64_t seq() const { return seq_; }
  std::size_t liveCount() const { return liveCount_; }
  std::size_t tombstoneCount() const { return tombstones_.size(); }
  std::size_t liveBytes() const { return liveBytes_; }
  std::size_t tombstoneBytes() const { return tombstoneBytes_; }
  // Deletions with seq <= this were forgotten to bound memory (0: none).
  std::uint64_t compactedThrough() const { return compactedThrough_; }
  const BoardLimits& limits() const { return limits_; }

  BoardFiles& files() { return files_; }
  const BoardFiles& files() const { return files_; }

 private:
  struct Stored {
    Element element;
    std::uint64_t seq = 0;
    std::string writer;  // peer whose update put it here; empty when restored
  };

  // Stores `element` under a new seq (replacing the id's previous state) and updates counters.
  void store(Element element, std::string_view writer);
  void forget(const std::string& id);
  // Forgets the oldest tombstones while over maxTombstones or maxSceneBytes.
  void compact();
  // Appends the stored elements (or only the live ones) in seq order, as a JSON array's text.
  void appendArrayText(std::string& out, bool liveOnly) const;

  BoardLimits limits_;
  std::string epoch_;
  std::uint64_t seq_ = 0;
  std::uint64_t compactedThrough_ = 0;
  std::unordered_map<std::string, Stored> elements_;
  std::map<std::uint64_t, std::string> bySeq_;  // every element's current seq -> id
  std::set<std::uint64_t> tombstones_;          // seqs of the deleted ones, oldest first
  std::size_t liveCount_ = 0;
  std::size_t liveBytes_ = 0;
  std::size_t tombstoneBytes_ = 0;
  BoardFiles files_;
};

}  // namespace fluxmeet::whiteboard
