#pragma once
// Test support for the recorder: real VP8 and Opus made by the ffmpeg program, parsed from the
// simplest containers ffmpeg writes (IVF for VP8, Ogg for Opus: tests/support/media_files.hpp),
// packetized into RTP like a browser would (RFC 7741 / RFC 7587), and ffprobe/ffmpeg run on the
// files the recorder writes.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fluxmeet/media/rtp/rtp_packet.hpp"
#include "support/media_files.hpp"

namespace fluxmeet::record::test {

// One implementation of the file parsers, shared with the test tools.
using Bytes = testsupport::Bytes;
using testsupport::parseIvf;
using testsupport::parseOggOpus;
using testsupport::readFile;
using VideoFrame = testsupport::VideoFrame;

// A directory under /tmp removed with everything in it when this goes out of scope.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "fluxmeet-record-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exitCode = -1;
  std::string output;  // stdout (add 2>&1 to the command for stderr too)
};

inline CommandResult runCommand(const std::string& command) {
  CommandResult result;
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

struct RtpBytes {
  Bytes bytes;
  size_t frame = 0;  // index of the frame it carries
  uint16_t sequenceNumber = 0;
};

inline media::rtp::RtpPacketView view(RtpBytes& packet) {
  return *media::rtp::RtpPacketView::parse(packet.bytes);
}

inline RtpBytes buildRtp(const media::rtp::RtpHeaderFields& fields, const Bytes& payload, size_t frame) {
  RtpBytes packet;
  packet.bytes.resize(media::rtp::kFixedHeaderSize + payload.size());
  const auto size = media::rtp::RtpPacketView::build(packet.bytes, fields, payload);
  EXPECT_TRUE(size.has_value());
  packet.frame = frame;
  packet.sequenceNumber = fields.sequenceNumber;
  return packet;
}

// RFC 7741 section 4: a 4-byte descriptor (X, S, PID 0; I with a 15-bit picture ID) and at most
// `maxPayload` bytes of the frame per packet; the marker on the last packet of a frame.
inline std::vector<RtpBytes> packetizeVp8(const std::vector<VideoFrame>& frames, size_t maxPayload,
                                          uint16_t firstSequence = 1000, uint32_t firstTimestamp = 90000,
                                          uint32_t ssrc = 0x1234) {
  std::vector<RtpBytes> packets;
  uint16_t sequence = firstSequence;
  for (size_t i = 0; i < frames.size(); ++i) {
    const Bytes& data = frames[i].data;
    const auto pictureId = static_cast<uint16_t>(i & 0x7FFF);
    for (size_t offset = 0; offset < data.size(); offset += maxPayload) {
      const size_t length = std::min(maxPayload, data.size() - offset);
      Bytes payload = {static_cast<uint8_t>(0x80 | (offset == 0 ? 0x10 : 0x00)), 0x80,
                       static_cast<uint8_t>(0x80 | (pictureId >> 8)), static_cast<uint8_t>(pictureId)};
      payload.insert(payload.end(), data.begin() + static_cast<long>(offset),
                     data.begin() + static_cast<long>(offset + length));
      const bool last = offset + length == data.size();
      const auto timestamp = static_cast<uint32_t>(firstTimestamp + frames[i].pts * 3000);  // 30 fps
      packets.push_back(buildRtp({last, 96, sequence++, timestamp, ssrc}, payload, i));
    }
  }
  return packets;
}

// RFC 7587: one Opus packet per RTP packet, 20 ms = 960 ticks of the 48 kHz clock.
inline std::vector<RtpBytes> packetizeOpus(const std::vector<Bytes>& frames, uint16_t firstSequence = 5000,
                                           uint32_t firstTimestamp = 4800, uint32_t ssrc = 0x5678) {
  std::vector<RtpBytes> packets;
  for (size_t i = 0; i < frames.size(); ++i) {
    const auto timestamp = static_cast<uint32_t>(firstTimestamp + i * 960);
    packets.push_back(
        buildRtp({i == 0, 111, static_cast<uint16_t>(firstSequence + i), timestamp, ssrc}, frames[i], i));
  }
  return packets;
}

// Generated once per test binary: 2 s of 320x240 30 fps VP8 with a keyframe every 30 frames
// (no hidden alt-ref frames, like a WebRTC encoder) and 2 s of 48 kHz stereo Opus in 20 ms packets.
struct MediaFixtures {
  std::vector<VideoFrame> video;
  std::vector<Bytes> audio;
};

inline const MediaFixtures& mediaFixtures() {
  static const MediaFixtures fixtures = [] {
    TempDir dir;
    MediaFixtures made;
    const std::string ivf = dir.file("vp8.ivf");
    const std::string ogg = dir.file("opus.ogg");
    const auto video = runCommand(
        "ffmpeg -nostdin -v error -y -f lavfi -i testsrc=size=320x240:rate=30 -t 2 -c:v libvpx -g 30 "
        "-auto-alt-ref 0 -lag-in-frames 0 -b:v 400k -f ivf " + ivf + " 2>&1");
    EXPECT_EQ(video.exitCode, 0) << video.output;
    const auto audio = runCommand(
        "ffmpeg -nostdin -v error -y -f lavfi -i sine=frequency=440:duration=2 -ac 2 -ar 48000 -c:a libopus "
        "-b:a 64k -frame_duration 20 -f ogg " + ogg + " 2>&1");
    EXPECT_EQ(audio.exitCode, 0) << audio.output;
    made.video = parseIvf(readFile(ivf));
    made.audio = parseOggOpus(readFile(ogg));
    return made;
  }();
  return fixtures;
}

// ffprobe's view of a file: streams (with decoded frame counts) and format.
inline nlohmann::json probe(const std::string& path) {
  const auto result = runCommand("ffprobe -v error -count_frames -show_streams -show_format -of json '" + path +
                                 "' 2>/dev/null");
  auto json = nlohmann::json::parse(result.output, nullptr, false);
  return json.is_discarded() ? nlohmann::json::object() : json;
}

inline int64_t probeFrames(const nlohmann::json& json) {
  if (!json.contains("streams") || json["streams"].empty()) return -1;
  const auto& stream = json["streams"][0];
  if (!stream.contains("nb_read_frames")) return -1;
  return std::stoll(stream["nb_read_frames"].get<std::string>());
}

inline double probeDuration(const nlohmann::json& json) {
  if (!json.contains("format") || !json["format"].contains("duration")) return -1;
  return std::stod(json["format"]["duration"].get<std::string>());
}

// Everything the decoder complains about while decoding the whole file; empty when clean.
inline std::string decodeErrors(const std::string& path) {
  return runCommand("ffmpeg -nostdin -v error -i '" + path + "' -f null - 2>&1").output;
}

}  // namespace fluxmeet::record::test
