#include "fluxmeet/whiteboard/board_files.hpp"

#include <utility>

#include "fluxmeet/whiteboard/element.hpp"
#include "fluxmeet/whiteboard/image_file.hpp"

namespace fluxmeet::whiteboard {

Result<const BoardFile*> BoardFiles::add(std::string_view id, std::string_view mimeType,
                                          std::vector<std::uint8_t> bytes) {
  if (!isValidId(id)) {
    return makeError(ErrorCode::ValidationFailed, "must be 1-64 characters of A-Z a-z 0-9 _ -", "id");
  }
  auto checked = checkImage(mimeType, bytes, limits_.maxFileBytes);
  if (!checked) return std::move(checked).takeError();
  if (const auto it = files_.find(id); it != files_.end()) {
    if (it->second.mimeType == mimeType && it->second.bytes == bytes) return &it->second;
    return makeError(ErrorCode::Conflict, "another file has this id", "id");
  }
  if (files_.size() >= limits_.maxFiles) {
    return makeError(ErrorCode::PayloadTooLarge, "the board has " + std::to_string(limits_.maxFiles) + " files already",
                     "file");
  }
  if (bytes.size() > limits_.maxTotalBytes - totalBytes_) {
    return makeError(ErrorCode::PayloadTooLarge, "the board's images are over the size limit", "file");
  }
  totalBytes_ += bytes.size();
  BoardFile file{std::string(id), std::string(mimeType), std::move(bytes)};
  const auto inserted = files_.emplace(file.id, std::move(file)).first;
  return &inserted->second;
}

Result<const BoardFile*> BoardFiles::addDataUrl(std::string_view id, std::string_view dataUrl) {
  auto parsed = parseDataUrl(dataUrl, limits_.maxFileBytes);
  if (!parsed) return std::move(parsed).takeError();
  return add(id, parsed->mimeType, std::move(parsed->bytes));
}

const BoardFile* BoardFiles::find(std::string_view id) const {
  const auto it = files_.find(id);
  return it == files_.end() ? nullptr : &it->second;
}

nlohmann::json BoardFiles::toJson() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [id, file] : files_) {
    list.push_back({{"id", id}, {"mimeType", file.mimeType}, {"size", file.bytes.size()}});
  }
  return list;
}

}  // namespace fluxmeet::whiteboard
