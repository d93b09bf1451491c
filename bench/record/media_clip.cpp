#include "media_clip.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>

#include "support/media_files.hpp"

namespace fluxmeet::bench {
namespace {

constexpr uint8_t kVp8PayloadType = 96;  // the browsers' own numbers
constexpr uint8_t kOpusPayloadType = 111;
constexpr size_t kVp8DescriptorSize = 4;  // X | S, I, M | picture ID (15 bits)

std::string quote(const std::string& path) { return "'" + path + "'"; }

// ffmpeg writes to a temporary name first so an interrupted run never leaves a truncated clip
// for the next one to reuse.
Result<void> encode(const std::string& path, const std::string& arguments) {
  if (std::filesystem::exists(path)) return {};
  const std::string partial = path + ".partial";
  const auto output = runCommand("ffmpeg -nostdin -v error -y " + arguments + " " + quote(partial) + " 2>&1");
  if (output.exitCode != 0) {
    return makeError(ErrorCode::Internal,
                     "ffmpeg failed (" + std::to_string(output.exitCode) + "): " + output.text);
  }
  std::error_code error;
  std::filesystem::rename(partial, path, error);
  if (error) return makeError(ErrorCode::Internal, "cannot rename " + partial + ": " + error.message());
  return {};
}

ClipPacket makePacket(const media::rtp::RtpHeaderFields& fields, const std::vector<uint8_t>& payload) {
  ClipPacket packet;
  packet.bytes.resize(media::rtp::kFixedHeaderSize + payload.size());
  const auto size = media::rtp::RtpPacketView::build(packet.bytes, fields, payload);
  packet.bytes.resize(size.value_or(0));
  return packet;
}

// RFC 7741 section 4: the frame split into packets of at most `maxPayload` bytes, each behind a
// 4-byte descriptor; S on the first, the RTP marker on the last.
VideoClipFrame packetizeFrame(const testsupport::VideoFrame& frame, size_t maxPayload) {
  VideoClipFrame out;
  out.keyframe = frame.keyframe();
  const size_t chunk = maxPayload - kVp8DescriptorSize;
  std::vector<uint8_t> payload;
  for (size_t offset = 0; offset < frame.data.size(); offset += chunk) {
    const size_t length = std::min(chunk, frame.data.size() - offset);
    payload.assign({static_cast<uint8_t>(0x80 | (offset == 0 ? 0x10 : 0x00)), 0x80, 0x80, 0x00});
    payload.insert(payload.end(), frame.data.begin() + static_cast<long>(offset),
                   frame.data.begin() + static_cast<long>(offset + length));
    const bool last = offset + length == frame.data.size();
    out.packets.push_back(makePacket({.marker = last, .payloadType = kVp8PayloadType}, payload));
  }
  return out;
}

bool parseViews(MediaClip& clip) {
  bool ok = true;
  for (auto& frame : clip.video) {
    for (auto& packet : frame.packets) {
      packet.view = media::rtp::RtpPacketView::parse(packet.bytes);
      ok = ok && packet.view.has_value();
    }
  }
  for (auto& packet : clip.audio) {
    packet.view = media::rtp::RtpPacketView::parse(packet.bytes);
    ok = ok && packet.view.has_value();
  }
  return ok;
}

}  // namespace

double MediaClip::videoKbps() const {
  if (video.empty()) return 0;
  return static_cast<double>(videoPayloadBytes) * 8 * fps / static_cast<double>(video.size()) / 1000;
}

double MediaClip::audioKbps() const {
  if (audio.empty()) return 0;
  return static_cast<double>(audioPayloadBytes) * 8 * 50 / static_cast<double>(audio.size()) / 1000;
}

CommandOutput runCommand(const std::string& command) {
  CommandOutput output;
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  std::array<char, 4096> buffer{};
  for (size_t n = 0; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;)
    output.text.append(buffer.data(), n);
  const int status = pclose(pipe);
  output.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return output;
}

Result<MediaClip> makeMediaClip(const ClipOptions& options) {
  const std::string size = std::to_string(options.width) + "x" + std::to_string(options.height);
  const std::string seconds = std::to_string(options.seconds);
  const std::filesystem::path dir = options.cacheDir;
  const std::string ivf = (dir / ("vp8-" + size + "-" + std::to_string(options.fps) + "fps-" +
                                  std::to_string(options.videoKbps) + "k-" + seconds + "s.ivf"))
                              .string();
  const std::string ogg =
      (dir / ("opus-" + std::to_string(options.audioKbps) + "k-" + seconds + "s.ogg")).string();
  // A WebRTC-like VP8 stream: real-time encoder settings, no hidden alt-ref frames, constant
  // bitrate; the one keyframe starts the loop. testsrc2 alone compresses too well to fill
  // 1.5 Mbit/s at 720p, so temporal noise makes it camera-like.
  const std::string kbps = std::to_string(options.videoKbps) + "k";
  auto video =
      encode(ivf, "-f lavfi -i testsrc2=size=" + size + ":rate=" + std::to_string(options.fps) + " -t " +
                      seconds + " -vf noise=alls=10:allf=t -c:v libvpx -deadline realtime -cpu-used 8 " +
                      "-threads 2 -g 100000 -auto-alt-ref 0 -lag-in-frames 0 -b:v " + kbps + " -minrate " +
                      kbps + " -maxrate " + kbps + " -f ivf");
  if (!video) return std::move(video).takeError();
  auto audio = encode(ogg, "-f lavfi -i sine=frequency=440:duration=" + seconds +
                               " -ac 2 -ar 48000 -c:a libopus -b:a " + std::to_string(options.audioKbps) +
                               "k -frame_duration 20 -f ogg");
  if (!audio) return std::move(audio).takeError();

  const auto frames = testsupport::parseIvf(testsupport::readFile(ivf));
  const auto opus = testsupport::parseOggOpus(testsupport::readFile(ogg));
  if (frames.empty() || !frames.front().keyframe()) {
    return makeError(ErrorCode::Internal, ivf + ": no VP8 frames starting with a keyframe");
  }
  if (opus.empty()) return makeError(ErrorCode::Internal, ogg + ": no Opus packets");

  MediaClip clip;
  clip.fps = options.fps;
  clip.width = options.width;
  clip.height = options.height;
  for (const auto& frame : frames) {
    clip.video.push_back(packetizeFrame(frame, options.maxPayload));
    clip.videoPayloadBytes += frame.data.size();
    clip.videoPackets += clip.video.back().packets.size();
  }
  for (const auto& packet : opus) {
    clip.audio.push_back(makePacket({.payloadType = kOpusPayloadType}, packet));
    clip.audioPayloadBytes += packet.size();
  }
  if (!parseViews(clip)) return makeError(ErrorCode::Internal, "a clip packet does not parse as RTP");
  return clip;
}

void stampVideo(ClipPacket& packet, uint32_t ssrc, uint16_t sequenceNumber, uint32_t timestamp,
                uint16_t pictureId) {
  media::rtp::RtpPacketView& view = *packet.view;
  view.setSsrc(ssrc);
  view.setSequenceNumber(sequenceNumber);
  view.setTimestamp(timestamp);
  const auto payload = view.payload();
  payload[2] = static_cast<uint8_t>(0x80 | ((pictureId >> 8) & 0x7F));  // M = 1: 15 bits
  payload[3] = static_cast<uint8_t>(pictureId);
}

void stampAudio(ClipPacket& packet, uint32_t ssrc, uint16_t sequenceNumber, uint32_t timestamp) {
  media::rtp::RtpPacketView& view = *packet.view;
  view.setSsrc(ssrc);
  view.setSequenceNumber(sequenceNumber);
  view.setTimestamp(timestamp);
}

}  // namespace fluxmeet::bench
