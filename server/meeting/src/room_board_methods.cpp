// The Room's whiteboard methods (issue 7, docs/protocol.md "Whiteboard"): who may do what, and
// what the others are told. The scene rules live in server/whiteboard; the state in RoomBoard.
#include <algorithm>

#include "fluxmeet/common/encoding.hpp"
#include "fluxmeet/meeting/permissions.hpp"
#include "fluxmeet/meeting/room.hpp"
#include "fluxmeet/whiteboard/element.hpp"

namespace fluxmeet::meeting {

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

// Selection highlights shown to the others: Excalidraw sends every selected id; a large
// selection is shown well enough by its first ones, and keeps 20 messages a second small.
constexpr std::size_t kMaxSelected = 50;

}  // namespace

json Room::boardJson() const {
  const whiteboard::Board& board = board_->board();
  return {{"open", board_->open}, {"readOnly", board_->readOnly}, {"epoch", board.epoch()}, {"seq", board.seq()}};
}

void Room::saveBoard() { (void)board_->save(); }

void Room::relayBoardUpdates() {
  std::uint64_t seq = 0;
  std::vector<RoomBoard::PendingUpdate> updates = board_->takeRelay(seq);
  if (updates.empty()) return;
  // The winners of every update in the batch, in the order they were applied, never a peer's own
  // update back to it (not news, nor a conflict); "" when nothing is left. Assembled from text
  // serialised once per update: re-serialising per recipient cost more than the sends it saved.
  const std::string head = R"({"seq":)" + std::to_string(seq) + R"(,"elements":[)";
  auto dataExceptFrom = [&](const std::string& peerId) {
    std::string data = head;
    bool any = false;
    for (const auto& update : updates) {
      if (update.fromPeerId == peerId) continue;
      if (any) data += ',';
      data += update.elementsJson;
      any = true;
    }
    return any ? data + "]}" : std::string();
  };
  const std::string toEveryone = dataExceptFrom({});  // for the peers who sent none of them
  for (auto& [id, peer] : peers_) {
    if (!peer.sink) continue;
    const std::string& peerId = id;
    bool sentSome = std::any_of(updates.begin(), updates.end(),
                                [&peerId](const auto& update) { return update.fromPeerId == peerId; });
    if (!sentSome) {
      peer.sink->notifyEncoded("board.elements", toEveryone);
    } else if (std::string others = dataExceptFrom(peerId); !others.empty()) {
      peer.sink->notifyEncoded("board.elements", others);
    }
  }
}

void Room::relayPointer(std::string_view method, const json& data, const std::string& fromPeerId) {
  for (auto& [id, peer] : peers_) {
    if (id != fromPeerId && peer.connected && peer.sink) peer.sink->notify(method, data);
  }
}

Result<json> Room::boardSetOpen(const std::string& peerId, bool open) {
  auto peer = joinedPeer(peerId);
  if (!peer) return peer.error();
  if (auto allowed = ensureCanModerate((*peer)->role); !allowed) return allowed.error();
  if (board_->open != open) {
    board_->open = open;
    relayBoardUpdates();  // drawing done before the change reaches everyone before it
    broadcast(open ? "board.opened" : "board.closed", {{"by", peerId}});
  }
  return json::object();
}

Result<json> Room::boardSetReadOnly(const std::string& peerId, bool readOnly) {
  auto peer = joinedPeer(peerId);
  if (!peer) return peer.error();
  if (auto allowed = ensureCanModerate((*peer)->role); !allowed) return allowed.error();
  if (board_->readOnly != readOnly) {
    board_->readOnly = readOnly;
    relayBoardUpdates();
    broadcast("board.readOnly", {{"readOnly", readOnly}, {"by", peerId}});
  }
  return json::object();
}

Result<std::string> Room::boardSync(const std::string& peerId, const std::string& epoch, std::uint64_t sinceSeq,
                                    std::size_t maxBytes) {
  auto peer = joinedPeer(peerId);
  if (!peer) return peer.error();
  whiteboard::SnapshotPage page = board_->page(peerId, epoch, sinceSeq, maxBytes);
  return jsonObjectText({{"complete", json(page.complete).dump()},
                         {"elements", "[" + page.elementsText + "]"},
                         {"epoch", json(page.epoch).dump()},
                         {"reset", json(page.reset).dump()},
                         {"seq", std::to_string(page.nextSeq)}});
}

Result<json> Room::boardUpdate(const std::string& peerId, const json& elements) {
  auto peer = joinedPeer(peerId);
  if (!peer) return peer.error();
  if (auto allowed = ensureCanDraw((*peer)->role, board_->readOnly); !allowed) return allowed.error();
  auto applied = board_->board().apply(peerId, elements);
  if (!applied) return applied.error();
  if (!applied->acceptedText.empty()) {
    const Clock::time_point now = Clock::now();
    board_->changed(now);
    board_->queueRelay(peerId, std::move(applied->acceptedText), applied->seq, now);
  }
  return json{{"seq", applied->seq}, {"superseded", std::move(applied->superseded)}};
}

Result<json> Room::boardCursor(const std::string& peerId, const json& data) {
  auto peer = joinedPeer(peerId);
  if (!peer) return peer.error();
  // A fresh object from the checked fields: nothing else rides along to every peer.
  json cursor{{"peerId", peerId}, {"x", data["x"]}, {"y", data["y"]}};
  if (auto pointer = data.find("pointer"); pointer != data.end()) cursor["pointer"] = *pointer;
  if (auto selected = data.find("selected"); selected != data.end()) {
    if (selected->size() > kMaxSelected) {
      return makeError(ErrorCode::ValidationFailed, "at most " + std::to_string(kMaxSelected) + " ids", "selected");
    }
    for (std::size_t i = 0; i < selected->size(); ++i) {
      const json& id = (*selected)[i];
      if (!id.is_string() || !whiteboard::isValidId(id.get_ref<const std::string&>())) {
        return makeError(ErrorCode::ValidationFailed, "must be an element id", "selected[" + std::to_string(i) + "]");
      }
    }
    cursor["selected"] = *selected;
  }
  if (auto now = board_->cursors().offer(peerId, std::move(cursor), Clock::now())) {
    relayPointer("board.cursor", *now, peerId);
  }
  return json::object();
}

Result<json> Room::boardViewport(const std::string& peerId, const json& data) {
  auto peer = joinedPeer(peerId);
  if (!peer) return peer.error();
  if (auto allowed = ensureCanModerate((*peer)->role); !allowed) return allowed.error();
  json viewport{{"peerId", peerId}, {"scrollX", data["scrollX"]}, {"scrollY", data["scrollY"]}, {"zoom", data["zoom"]}};
  if (auto now = board_->viewports().offer(peerId, std::move(viewport), Clock::now())) {
    relayPointer("board.viewport", *now, peerId);
  }
  return json::object();
}

Result<json> Room::boardAddFile(const std::string& peerId, const std::string& fileId, const std::string& mimeType,
                                std::vector<std::uint8_t> bytes) {
  auto peer = joinedPeer(peerId);
  if (!peer) return peer.error();
  if (auto allowed = ensureCanDraw((*peer)->role, board_->readOnly); !allowed) return allowed.error();
  if (!whiteboard::isValidId(fileId)) return makeError(ErrorCode::ValidationFailed, "not a file id", "fileId");
  auto added = board_->addFile(fileId, mimeType, std::move(bytes));
  if (!added) return added.error();
  const whiteboard::BoardFile& file = *added->file;
  if (added->added) broadcast("board.file", {{"fileId", file.id}, {"mimeType", file.mimeType}}, peerId);
  return json{{"fileId", file.id}, {"mimeType", file.mimeType}, {"size", file.bytes.size()}};
}

std::optional<Clock::time_point> Room::boardWakeAt() const {
  std::optional<Clock::time_point> wake = board_->saveDue();
  for (auto due : {board_->relayDue(), board_->cursorsDue(), board_->viewportsDue()}) {
    if (due && (!wake || *due < *wake)) wake = due;
  }
  return wake;
}

void Room::onBoardTimer(Clock::time_point now) {
  if (auto relay = board_->relayDue(); relay && *relay <= now) relayBoardUpdates();
  for (auto& due : board_->cursors().takeDue(now)) {
    if (peers_.count(due.peerId)) relayPointer("board.cursor", due.cursor, due.peerId);
  }
  for (auto& due : board_->viewports().takeDue(now)) {
    if (peers_.count(due.peerId)) relayPointer("board.viewport", due.cursor, due.peerId);
  }
  if (auto save = board_->saveDue(); save && *save <= now) saveBoard();
}

}  // namespace fluxmeet::meeting
