#pragma once
// Test-only support shared by the unit tests and the test tools (fluxmeet_media_probe): real VP8
// and Opus made by the ffmpeg program, read from the simplest containers ffmpeg writes for them -
// IVF for VP8 frames, Ogg (RFC 3533) for Opus packets (RFC 7845) - so a test can put media a
// decoder accepts into RTP. Header-only and standard library only; the parsers never throw and
// stop at the first truncated record.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fluxmeet::testsupport {

using Bytes = std::vector<uint8_t>;

// The whole file; empty when it cannot be read.
inline Bytes readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline uint16_t loadLe16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }

inline uint32_t loadLe32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24));
}

// One encoded VP8 frame (what an RTP packetizer splits, RFC 7741 section 4).
struct VideoFrame {
  Bytes data;
  uint64_t pts = 0;  // in the IVF time base (1/30 s for ffmpeg at 30 fps)
  bool keyframe() const { return !data.empty() && (data[0] & 0x01) == 0; }  // RFC 6386 9.1 P bit
};

struct IvfFile {
  std::array<char, 4> fourcc{};  // "VP80" for VP8
  uint16_t width = 0;
  uint16_t height = 0;
  // One pts unit lasts timebaseNumerator / timebaseDenominator seconds (both > 0).
  uint32_t timebaseNumerator = 1;
  uint32_t timebaseDenominator = 1;
  std::vector<VideoFrame> frames;
};

// IVF: a 32-byte file header - "DKIF", LE16 version, LE16 header length, fourcc, LE16 width and
// height, LE32 time base denominator then numerator, LE32 frame count - then per frame a 12-byte
// header (LE32 size, LE64 pts) and the frame. nullopt when the file header is not IVF's.
inline std::optional<IvfFile> parseIvfFile(const Bytes& file) {
  if (file.size() < 32 || file[0] != 'D' || file[1] != 'K' || file[2] != 'I' || file[3] != 'F') return std::nullopt;
  IvfFile ivf;
  for (size_t i = 0; i < ivf.fourcc.size(); ++i) ivf.fourcc[i] = static_cast<char>(file[8 + i]);
  ivf.width = loadLe16(&file[12]);
  ivf.height = loadLe16(&file[14]);
  ivf.timebaseDenominator = loadLe32(&file[16]);
  ivf.timebaseNumerator = loadLe32(&file[20]);
  if (ivf.timebaseDenominator == 0 || ivf.timebaseNumerator == 0) return std::nullopt;
  size_t offset = std::max<size_t>(loadLe16(&file[6]), 32);  // the header length
  while (offset <= file.size() && file.size() - offset >= 12) {
    const uint32_t size = loadLe32(&file[offset]);
    const uint64_t pts = loadLe32(&file[offset + 4]) | (uint64_t{loadLe32(&file[offset + 8])} << 32);
    offset += 12;
    if (size > file.size() - offset) break;
    ivf.frames.push_back(VideoFrame{Bytes(file.begin() + static_cast<long>(offset),
                                          file.begin() + static_cast<long>(offset + size)),
                                    pts});
    offset += size;
  }
  return ivf;
}

// The frames of an IVF file alone; empty when it is not one.
inline std::vector<VideoFrame> parseIvf(const Bytes& file) {
  auto ivf = parseIvfFile(file);
  return ivf ? std::move(ivf->frames) : std::vector<VideoFrame>{};
}

// Ogg (RFC 3533): pages of "OggS", 27-byte header, a lacing table; a packet ends at a lacing
// value below 255 and may continue over pages. Returns the Opus audio packets (RFC 7845: the
// first two packets are the OpusHead and OpusTags headers); empty when there are none.
inline std::vector<Bytes> parseOggOpus(const Bytes& file) {
  std::vector<Bytes> packets;
  Bytes current;
  static constexpr std::string_view kCapturePattern = "OggS";
  size_t offset = 0;
  bool truncated = false;
  while (!truncated && file.size() - offset >= 27 &&
         std::equal(kCapturePattern.begin(), kCapturePattern.end(), file.begin() + static_cast<long>(offset))) {
    const size_t segments = file[offset + 26];
    if (file.size() - offset < 27 + segments) break;
    size_t data = offset + 27 + segments;
    for (size_t i = 0; i < segments; ++i) {
      const size_t lace = file[offset + 27 + i];
      if (data + lace > file.size()) {  // keep the packets before the cut
        truncated = true;
        break;
      }
      current.insert(current.end(), file.begin() + static_cast<long>(data),
                     file.begin() + static_cast<long>(data + lace));
      data += lace;
      if (lace < 255) {
        packets.push_back(std::move(current));
        current.clear();
      }
    }
    offset = data;
  }
  // RFC 7845 section 5.1: the identification header starts with "OpusHead".
  static constexpr std::string_view kOpusHead = "OpusHead";
  if (packets.size() < 2 || packets[0].size() < kOpusHead.size() ||
      !std::equal(kOpusHead.begin(), kOpusHead.end(), packets[0].begin())) {
    return {};
  }
  return std::vector<Bytes>(std::make_move_iterator(packets.begin() + 2), std::make_move_iterator(packets.end()));
}

}  // namespace fluxmeet::testsupport
