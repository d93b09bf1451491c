#include "fluxmeet/meeting/room_board.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "fluxmeet/common/clock.hpp"

namespace fluxmeet::meeting {

RoomBoard::RoomBoard(store::Store& store, store::Id meetingId) : store_(store), meetingId_(meetingId) {
  if (auto saved = store_.findBoard(meetingId_)) {
    auto document = nlohmann::json::parse(saved->document, nullptr, false);
    auto restored = whiteboard::Board::fromJson(document);
    if (restored) {
      board_ = std::move(*restored);
    } else {
      spdlog::error("whiteboard of meeting {}: the saved document is unreadable ({} {}); starting empty",
                    meetingId_, restored.error().field, restored.error().message);
    }
  } else if (saved.error().code != ErrorCode::NotFound) {
    spdlog::error("whiteboard of meeting {}: {}", meetingId_, saved.error().message);
  }
  auto files = store_.listBoardFiles(meetingId_, true);
  if (!files) {
    spdlog::error("whiteboard images of meeting {}: {}", meetingId_, files.error().message);
    return;
  }
  for (auto& file : *files) {
    if (auto kept = board_.files().add(file.fileId, file.mimeType, std::move(file.bytes)); !kept) {
      spdlog::warn("whiteboard image {} of meeting {} not restored: {}", file.fileId, meetingId_,
                   kept.error().message);
    }
  }
}

void RoomBoard::changed(Clock::time_point now) {
  if (!dirtySince_) dirtySince_ = now;
  lastChange_ = now;
}

void RoomBoard::queueRelay(std::string fromPeerId, std::string elementsJson, std::uint64_t seq,
                           Clock::time_point now) {
  relay_.push_back(PendingUpdate{std::move(fromPeerId), std::move(elementsJson)});
  relaySeq_ = seq;
  if (!relayDue_) relayDue_ = now + kRelayDelay;
}

std::vector<RoomBoard::PendingUpdate> RoomBoard::takeRelay(std::uint64_t& seq) {
  seq = relaySeq_;
  relayDue_.reset();
  return std::exchange(relay_, {});
}

std::optional<RoomBoard::Clock::time_point> RoomBoard::saveDue() const {
  if (!dirtySince_) return std::nullopt;
  return std::min(lastChange_ + kSaveQuiet, *dirtySince_ + kSaveMaxDelay);
}

Result<void> RoomBoard::save() {
  if (!dirtySince_) return {};
  // Joined from the elements' stored text on the control thread (at the scene limit, 8 MiB,
  // ~27 ms, docs/benchmarks.md), at most once per kSaveQuiet.
  const std::string document = board_.toText();
  if (auto saved = store_.saveBoard(meetingId_, document, unixNow()); !saved) {
    spdlog::error("whiteboard of meeting {} not saved: {}", meetingId_, saved.error().message);
    // Try again kSaveQuiet from now, not at once: the timer would spin on a failing database.
    dirtySince_ = lastChange_ = Clock::now();
    return saved;
  }
  dirtySince_.reset();
  return {};
}

Result<RoomBoard::FileAdded> RoomBoard::addFile(const std::string& fileId, const std::string& mimeType,
                                                std::vector<std::uint8_t> bytes) {
  const bool known = board_.files().find(fileId) != nullptr;
  auto kept = board_.files().add(fileId, mimeType, std::move(bytes));
  if (!kept) return std::move(kept).takeError();
  const whiteboard::BoardFile& file = **kept;
  // Kept in memory even if the write fails: the live meeting still sees it; the uploader gets
  // the error and may try again (the same id and content: a no-op here, written if missing).
  auto saved = store_.saveBoardFile(store::BoardFileRecord{.meetingId = meetingId_,
                                                           .fileId = file.id,
                                                           .mimeType = file.mimeType,
                                                           .bytes = file.bytes,
                                                           .size = static_cast<std::int64_t>(file.bytes.size()),
                                                           .createdAt = unixNow()});
  if (!saved) return std::move(saved).takeError();
  return FileAdded{&file, !known};
}

whiteboard::SnapshotPage RoomBoard::page(const std::string& peerId, const std::string& epoch, std::uint64_t sinceSeq,
                                         std::size_t maxBytes) {
  whiteboard::SnapshotRequest request{.epoch = epoch, .sinceSeq = sinceSeq, .maxBytes = maxBytes};
  if (auto paging = paging_.find(peerId); paging != paging_.end()) {
    request.nextPage = paging->second.epoch == epoch && paging->second.nextSeq == sinceSeq;
  }
  whiteboard::SnapshotPage page = board_.snapshot(request);
  if (page.complete) {
    paging_.erase(peerId);
  } else {
    paging_[peerId] = Paging{page.epoch, page.nextSeq};
  }
  return page;
}

void RoomBoard::forget(const std::string& peerId) {
  cursors_.forget(peerId);
  viewports_.forget(peerId);
  paging_.erase(peerId);
}

}  // namespace fluxmeet::meeting
