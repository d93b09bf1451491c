#include "fluxmeet/whiteboard/board.hpp"

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

#include "fluxmeet/common/encoding.hpp"
#include "json_text.hpp"

namespace fluxmeet::whiteboard {

namespace {

// 12 characters: enough that a restarted board never reuses an epoch a peer still holds.
constexpr std::size_t kEpochBytes = 9;

std::string elementsField(std::size_t index) { return "elements[" + std::to_string(index) + "]"; }

}  // namespace

nlohmann::json Applied::accepted() const { return nlohmann::json::parse("[" + acceptedText + "]"); }

nlohmann::json SnapshotPage::elements() const { return nlohmann::json::parse("[" + elementsText + "]"); }

Board::Board(BoardLimits limits, std::string epoch)
    : limits_(limits), epoch_(epoch.empty() ? randomToken(kEpochBytes) : std::move(epoch)), files_(limits.files) {}

Result<Applied> Board::apply(std::string_view peerId, const nlohmann::json& elements) {
  if (!elements.is_array()) return makeError(ErrorCode::ValidationFailed, "must be an array of elements", "elements");
  if (elements.size() > limits_.maxUpdateElements) {
    return makeError(ErrorCode::PayloadTooLarge,
                     "an update may carry at most " + std::to_string(limits_.maxUpdateElements) + " elements",
                     "elements");
  }

  // Validate everything before touching the scene; keep, per id, the update's best state.
  std::vector<Element> candidates;
  std::unordered_map<std::string, std::size_t> candidateOf;
  candidates.reserve(elements.size());
  for (std::size_t i = 0; i < elements.size(); ++i) {
    auto parsed = parseElement(elements[i], limits_.element, elementsField(i));
    if (!parsed) return std::move(parsed).takeError();
    const auto [it, inserted] = candidateOf.emplace(parsed->id, candidates.size());
    if (inserted) {
      candidates.push_back(std::move(*parsed));
    } else if (supersedes(*parsed, candidates[it->second])) {
      candidates[it->second] = std::move(*parsed);
    }
  }

  // Reconcile against the scene, and work out what the winners would do to the limits.
  Applied applied;
  std::vector<std::size_t> winners;
  std::size_t live = liveCount_;
  std::size_t liveBytes = liveBytes_;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const Element& candidate = candidates[i];
    const auto current = elements_.find(candidate.id);
    if (current == elements_.end() || supersedes(candidate, current->second.element)) {
      winners.push_back(i);
      if (current != elements_.end() && !current->second.element.deleted) {
        --live;
        liveBytes -= current->second.element.bytes();
      }
      if (!candidate.deleted) {
        ++live;
        liveBytes += candidate.bytes();
      }
    } else if (supersedes(current->second.element, candidate) && current->second.writer != peerId) {
      applied.superseded.push_back(nlohmann::json::parse(current->second.element.text));
    }
  }
  // Refuse only what grows past a limit, so deleting and shrinking work on a full board.
  if (live > limits_.maxLiveElements && live > liveCount_) {
    return makeError(ErrorCode::PayloadTooLarge,
                     "the board is full: at most " + std::to_string(limits_.maxLiveElements) + " elements",
                     "elements");
  }
  if (liveBytes > limits_.maxSceneBytes && liveBytes > liveBytes_) {
    return makeError(ErrorCode::PayloadTooLarge,
                     "the board is full: at most " + std::to_string(limits_.maxSceneBytes) + " bytes of drawing",
                     "elements");
  }

  for (std::size_t index : winners) {
    appendToList(applied.acceptedText, candidates[index].text);
    store(std::move(candidates[index]), peerId);
  }
  compact();
  applied.seq = seq_;
  return applied;
}

void Board::store(Element element, std::string_view writer) {
  forget(element.id);
  const std::uint64_t seq = ++seq_;
  if (element.deleted) {
    tombstones_.insert(seq);
    tombstoneBytes_ += element.bytes();
  } else {
    ++liveCount_;
    liveBytes_ += element.bytes();
  }
  bySeq_.emplace(seq, element.id);
  std::string id = element.id;
  elements_.insert_or_assign(std::move(id), Stored{std::move(element), seq, std::string(writer)});
}

void Board::forget(const std::string& id) {
  const auto it = elements_.find(id);
  if (it == elements_.end()) return;
  const Stored& stored = it->second;
  if (stored.element.deleted) {
    tombstones_.erase(stored.seq);
    tombstoneBytes_ -= stored.element.bytes();
  } else {
    --liveCount_;
    liveBytes_ -= stored.element.bytes();
  }
  bySeq_.erase(stored.seq);
  elements_.erase(it);
}

// Tombstones make deletions stick, but a board where people draw and erase for hours would
// grow without end. The oldest are forgotten first: every connected peer got those deletions
// long ago, and a peer that reconnects from before them gets a reset snapshot.
void Board::compact() {
  while (!tombstones_.empty() &&
         (tombstones_.size() > limits_.maxTombstones || liveBytes_ + tombstoneBytes_ > limits_.maxSceneBytes)) {
    const std::uint64_t oldest = *tombstones_.begin();
    compactedThrough_ = std::max(compactedThrough_, oldest);
    forget(bySeq_.at(oldest));
  }
}

const Element* Board::find(std::string_view id) const {
  const auto it = elements_.find(std::string(id));
  return it == elements_.end() ? nullptr : &it->second.element;
}

SnapshotPage Board::snapshot(const SnapshotRequest& request) const {
  SnapshotPage page;
  page.epoch = epoch_;
  // A delta needs a cursor of this epoch whose missed deletions are all still kept. The next
  // page of a snapshot continues it whatever was compacted meanwhile: that peer is joined by
  // now and hears of newer deletions by broadcast.
  const bool sameEpoch = !request.epoch.empty() && request.epoch == epoch_ && request.sinceSeq <= seq_;
  const bool delta = sameEpoch && (request.nextPage || request.sinceSeq >= compactedThrough_);
  page.reset = !delta;
  const std::uint64_t since = delta ? request.sinceSeq : 0;
  std::size_t bytes = 0;
  page.nextSeq = seq_;
  for (auto it = bySeq_.upper_bound(since); it != bySeq_.end(); ++it) {
    const Element& element = elements_.at(it->second).element;
    if (page.reset && element.deleted) continue;
    if (!page.elementsText.empty() && (bytes >= request.maxBytes || element.bytes() > request.maxBytes - bytes)) {
      page.complete = false;
      page.nextSeq = std::prev(it)->first;  // everything up to here was sent or is a skipped tombstone
      break;
    }
    bytes += element.bytes();
    appendToList(page.elementsText, element.text);
  }
  return page;
}

}  // namespace fluxmeet::whiteboard
