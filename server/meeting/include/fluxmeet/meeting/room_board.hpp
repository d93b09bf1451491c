#pragma once
// RoomBoard: the whiteboard state of one live meeting (issue 7, docs/protocol.md "Whiteboard"):
// the authoritative Board with its images, whether it is open and read-only, the cursor and
// viewport throttles, and the persistence schedule. The Room owns one and does the permission
// checks and broadcasts (room_board.cpp); this class decides nothing about peers.
//
// Persistence: the board is restored from the store when the room is created, and saved when it
// changed - at the latest kSaveMaxDelay after the first unsaved change, or kSaveQuiet after the
// last one, whichever comes first - and when the meeting ends or the room closes. So a server
// that dies loses at most kSaveMaxDelay of drawing. Images are saved as they arrive.
//
// Threading: the Room's control thread. Time is passed in (tests control it).
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/store/store.hpp"
#include "fluxmeet/whiteboard/board.hpp"
#include "fluxmeet/whiteboard/cursor_throttle.hpp"

namespace fluxmeet::meeting {

class RoomBoard {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr Clock::duration kSaveQuiet = std::chrono::seconds(1);
  static constexpr Clock::duration kSaveMaxDelay = std::chrono::seconds(5);
  // Accepted updates wait this long and go to the others together (Room::relayBoardUpdates): with
  // 20 people drawing 10 times a second that is one message per peer per batch instead of 190 a
  // second each, and the per-message cost (a frame and a send system call per peer) was most of
  // the whiteboard's CPU (docs/benchmarks.md "Whiteboard").
  static constexpr Clock::duration kRelayDelay = std::chrono::milliseconds(50);

  // Restores the meeting's saved board and images. A document that cannot be read is logged and
  // the board starts empty (it is overwritten by the next save).
  RoomBoard(store::Store& store, store::Id meetingId);
  RoomBoard(const RoomBoard&) = delete;
  RoomBoard& operator=(const RoomBoard&) = delete;

  whiteboard::Board& board() { return board_; }
  const whiteboard::Board& board() const { return board_; }
  whiteboard::CursorThrottle& cursors() { return cursors_; }
  whiteboard::CursorThrottle& viewports() { return viewports_; }
  // When held cursors / viewports are due (CursorThrottle::nextDue).
  std::optional<Clock::time_point> cursorsDue() const { return cursors_.nextDue(); }
  std::optional<Clock::time_point> viewportsDue() const { return viewports_.nextDue(); }

  bool open = false;
  bool readOnly = false;

  // The scene changed at `now`: schedules a save.
  void changed(Clock::time_point now);
  // When the next save is due; nullopt when nothing is unsaved.
  std::optional<Clock::time_point> saveDue() const;
  // Writes the document if anything changed since the last save. On failure the board stays
  // dirty and the next save tries again.
  Result<void> save();

  // Keeps an image: checked by BoardFiles, then written to the store. A known id with the same
  // content is a no-op (`added` false).
  struct FileAdded {
    const whiteboard::BoardFile* file = nullptr;
    bool added = false;
  };
  Result<FileAdded> addFile(const std::string& fileId, const std::string& mimeType, std::vector<std::uint8_t> bytes);

  // Snapshot paging (board.sync): a peer asking for sinceSeq = the nextSeq of the incomplete page
  // it got last is continuing that snapshot, which must never turn into a reset.
  whiteboard::SnapshotPage page(const std::string& peerId, const std::string& epoch, std::uint64_t sinceSeq,
                                std::size_t maxBytes);

  // Relaying: an accepted update (its winning elements as whiteboard::Applied::acceptedText, not
  // empty; `seq` is the board's after it) is queued and taken - all queued updates in order -
  // when relayDue() has come.
  struct PendingUpdate {
    std::string fromPeerId;
    std::string elementsJson;  // the accepted elements as JSON text, without the array's brackets
  };
  void queueRelay(std::string fromPeerId, std::string elementsJson, std::uint64_t seq, Clock::time_point now);
  std::optional<Clock::time_point> relayDue() const { return relayDue_; }
  // The queued updates, oldest first; `seq` becomes the board's seq after the last of them.
  std::vector<PendingUpdate> takeRelay(std::uint64_t& seq);

  // The peer left: its cursor, viewport and paging state go.
  void forget(const std::string& peerId);

 private:
  store::Store& store_;
  store::Id meetingId_;
  whiteboard::Board board_;
  whiteboard::CursorThrottle cursors_;
  whiteboard::CursorThrottle viewports_;
  std::optional<Clock::time_point> dirtySince_;
  Clock::time_point lastChange_{};
  struct Paging {
    std::string epoch;
    std::uint64_t nextSeq = 0;
  };
  std::map<std::string, Paging> paging_;  // peers in the middle of an incomplete snapshot
  std::vector<PendingUpdate> relay_;
  std::uint64_t relaySeq_ = 0;
  std::optional<Clock::time_point> relayDue_;
};

}  // namespace fluxmeet::meeting
