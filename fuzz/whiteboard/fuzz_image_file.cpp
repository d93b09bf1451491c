// libFuzzer target for the whiteboard's image input (server/whiteboard/src/image_file.cpp and
// board_files.cpp): data URL parsing, strict base64, signature sniffing, per-board limits.
// Checks: base64 that decodes is the canonical encoding of what it decodes to (re-encoding
// gives the input back); a parsed data URL never exceeds the size limit; a file the board keeps
// has a signature matching its MIME type.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "fluxmeet/whiteboard/board_files.hpp"
#include "fluxmeet/whiteboard/image_file.hpp"
#include "media/fuzz_check.hpp"

namespace {

constexpr std::size_t kMaxBytes = 4096;

// RFC 4648 section 4 with padding: the reference the decoder is checked against.
std::string base64Encode(std::span<const std::uint8_t> bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t left = bytes.size() - i;
    const std::uint32_t chunk = (std::uint32_t{bytes[i]} << 16) | (left > 1 ? std::uint32_t{bytes[i + 1]} << 8 : 0) |
                                (left > 2 ? bytes[i + 2] : 0);
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += left > 1 ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += left > 2 ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::span<const std::uint8_t> bytes(data, size);

  if (const auto decoded = fluxmeet::whiteboard::base64Decode(text)) FUZZ_CHECK(base64Encode(*decoded) == text);
  (void)fluxmeet::whiteboard::sniffImageFormat(bytes);

  auto parsed = fluxmeet::whiteboard::parseDataUrl(text, kMaxBytes);
  if (!parsed) {
    FUZZ_CHECK(!parsed.error().message.empty() && parsed.error().field == "dataURL");
  } else {
    FUZZ_CHECK(parsed->bytes.size() <= kMaxBytes);
  }

  fluxmeet::whiteboard::BoardFiles files({.maxFileBytes = kMaxBytes, .maxTotalBytes = 2 * kMaxBytes, .maxFiles = 2});
  auto added = files.addDataUrl("f1", text);
  if (added) {
    const auto format = fluxmeet::whiteboard::imageFormatForMimeType((*added)->mimeType);
    FUZZ_CHECK(format && fluxmeet::whiteboard::sniffImageFormat((*added)->bytes) == format);
    FUZZ_CHECK(files.totalBytes() == (*added)->bytes.size());
  }
  // The raw input as an uploaded file of each type.
  for (const char* mimeType : {"image/png", "image/jpeg", "image/webp", "image/gif"}) {
    auto raw = files.add("raw", mimeType, std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    if (raw) FUZZ_CHECK(fluxmeet::whiteboard::checkImage(mimeType, (*raw)->bytes, kMaxBytes).ok());
  }
  return 0;
}
