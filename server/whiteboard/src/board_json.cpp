// Board persistence: the document the meeting module saves (debounced, and at meeting end) and
// restores a board from. Restoring validates like a live update does: the database is not
// trusted more than a peer, and a corrupt document must fail cleanly, not half-load.
#include <string>
#include <unordered_set>
#include <utility>

#include "fluxmeet/whiteboard/board.hpp"
#include "json_text.hpp"

namespace fluxmeet::whiteboard {

namespace {

constexpr std::string_view kFormat = "fluxmeet.whiteboard";
constexpr int kFormatVersion = 1;

Error corrupt(std::string message, std::string field) {
  return makeError(ErrorCode::ValidationFailed, std::move(message), std::move(field));
}

}  // namespace

void Board::appendArrayText(std::string& out, bool liveOnly) const {
  out.reserve(out.size() + liveBytes_ + (liveOnly ? 0 : tombstoneBytes_) + bySeq_.size() + 64);
  out += '[';
  bool first = true;
  for (const auto& [seq, id] : bySeq_) {
    const Element& element = elements_.at(id).element;
    if (liveOnly && element.deleted) continue;
    if (!first) out += ',';
    first = false;
    out += element.text;
  }
  out += ']';
}

std::string Board::toText() const {
  // Keys sorted, as nlohmann::json writes them: a document read and written again is the same
  // text. Written into one buffer: at the scene limit every extra copy is another 8 MiB.
  std::string text = R"({"elements":)";
  appendArrayText(text, false);
  text += R"(,"format":)" + jsonText(kFormat) + R"(,"version":)" + std::to_string(kFormatVersion) + "}";
  return text;
}

std::string Board::liveElementsText() const {
  std::string text;
  appendArrayText(text, true);
  return text;
}

Result<Board> Board::fromJson(const nlohmann::json& document, BoardLimits limits, std::string epoch) {
  if (!document.is_object()) return corrupt("must be a whiteboard document object", "document");
  const auto format = document.find("format");
  if (format == document.end() || !format->is_string() || format->get_ref<const std::string&>() != kFormat) {
    return corrupt("is not " + std::string(kFormat), "format");
  }
  const auto version = document.find("version");
  if (version == document.end() || !version->is_number_integer() || *version != kFormatVersion) {
    return corrupt("unsupported document version", "version");
  }
  const auto elements = document.find("elements");
  if (elements == document.end() || !elements->is_array()) return corrupt("must be an array", "elements");
  if (elements->size() > limits.maxLiveElements + limits.maxTombstones) {
    return makeError(ErrorCode::PayloadTooLarge, "the document has more elements than a board may hold", "elements");
  }

  Board board(limits, std::move(epoch));
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i < elements->size(); ++i) {
    const std::string field = "elements[" + std::to_string(i) + "]";
    auto element = parseElement((*elements)[i], limits.element, field);
    if (!element) return std::move(element).takeError();
    if (!seen.insert(element->id).second) return corrupt("duplicate element id", field + ".id");
    board.store(std::move(*element), {});
  }
  if (board.liveCount_ > limits.maxLiveElements || board.liveBytes_ > limits.maxSceneBytes) {
    return makeError(ErrorCode::PayloadTooLarge, "the document's drawing is larger than a board may hold", "elements");
  }
  board.compact();
  return board;
}

}  // namespace fluxmeet::whiteboard
