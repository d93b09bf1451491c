#pragma once
// BoardFiles: the images of one board, held in memory with per-file and per-board limits. The
// meeting module stores the bytes (the store) and serves them; this only decides what is
// acceptable. File ids are Excalidraw's: the SHA-1 of the data URL in hex, or a nanoid.
#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::whiteboard {

struct FileLimits {
  std::size_t maxFileBytes = 2 * 1024 * 1024;     // a screenshot; Excalidraw downscales larger
  std::size_t maxTotalBytes = 20 * 1024 * 1024;   // all images of one board
  std::size_t maxFiles = 200;
};

struct BoardFile {
  std::string id;
  std::string mimeType;  // one of image_file.hpp's four
  std::vector<std::uint8_t> bytes;
};

class BoardFiles {
 public:
  explicit BoardFiles(FileLimits limits = {}) : limits_(limits) {}

  // Validates (checkImage) and keeps the file. Adding the same id with the same content again
  // is a no-op that returns the kept file; with other content it is a Conflict (ids are content
  // hashes, so that is a client bug or an attack). Limits: PayloadTooLarge, field "file".
  Result<const BoardFile*> add(std::string_view id, std::string_view mimeType, std::vector<std::uint8_t> bytes);
  // The same from a data URL (Excalidraw's BinaryFileData.dataURL), field "dataURL".
  Result<const BoardFile*> addDataUrl(std::string_view id, std::string_view dataUrl);

  const BoardFile* find(std::string_view id) const;
  // [{"id","mimeType","size"}] by id: what a joining peer may fetch.
  nlohmann::json toJson() const;
  std::size_t count() const { return files_.size(); }
  std::size_t totalBytes() const { return totalBytes_; }

 private:
  FileLimits limits_;
  std::map<std::string, BoardFile, std::less<>> files_;
  std::size_t totalBytes_ = 0;
};

}  // namespace fluxmeet::whiteboard
