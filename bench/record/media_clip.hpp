#pragma once
// The media bench_record feeds: real VP8 and Opus made once by the ffmpeg program (libvpx and
// libopus, read back through tests/support/media_files.hpp) and packetized into RTP the way a
// browser sends them, so every RecorderSink does the work a call gives it: VP8 payload
// descriptors to parse, frames of real sizes to assemble, WebM blocks to write.
//
// Every recorded track replays the same clip in a loop. The packets are built once; before a
// track feeds one, stamp() writes that track's SSRC, sequence number, RTP timestamp and picture
// ID into it in place (what the SFU does when it forwards), so no packet is copied per track.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/rtp/rtp_packet.hpp"

namespace fluxmeet::bench {

struct ClipOptions {
  uint16_t width = 1280;
  uint16_t height = 720;
  uint32_t fps = 30;
  uint32_t videoKbps = 1500;
  uint32_t audioKbps = 48;
  uint32_t seconds = 5;      // the loop's length: one keyframe at its start
  size_t maxPayload = 1200;  // RTP payload bytes per video packet, as browsers (~1200 byte MTU budget)
  std::string cacheDir;      // where the ffmpeg output is kept (reused when already there)
};

// One RTP packet of the clip; `view` parses `bytes`, which never move after the clip is built.
struct ClipPacket {
  std::vector<uint8_t> bytes;
  std::optional<media::rtp::RtpPacketView> view;
};

struct VideoClipFrame {
  std::vector<ClipPacket> packets;  // the marker bit on the last one
  bool keyframe = false;
};

struct MediaClip {
  std::vector<VideoClipFrame> video;  // video[0] is a keyframe
  std::vector<ClipPacket> audio;      // one 20 ms Opus packet each
  uint32_t fps = 30;
  uint16_t width = 0;
  uint16_t height = 0;
  uint64_t videoPayloadBytes = 0;  // VP8 frame bytes, without descriptors and headers
  uint64_t audioPayloadBytes = 0;
  size_t videoPackets = 0;

  double videoKbps() const;  // of the encoded frames, at `fps`
  double audioKbps() const;  // of the Opus packets, 50 per second
};

// Makes (or reuses, from options.cacheDir) the ffmpeg output and packetizes it: VP8 with the
// RFC 7741 section 4.2 descriptor (X, S, I with a 15-bit picture ID), Opus per RFC 7587.
Result<MediaClip> makeMediaClip(const ClipOptions& options);

// Writes a track's stream fields into `packet` before it is fed (RFC 3550 section 5.1 header;
// RFC 7741 section 4.2 picture ID for video).
void stampVideo(ClipPacket& packet, uint32_t ssrc, uint16_t sequenceNumber, uint32_t timestamp,
                uint16_t pictureId);
void stampAudio(ClipPacket& packet, uint32_t ssrc, uint16_t sequenceNumber, uint32_t timestamp);

// Runs a shell command; returns its exit code and stdout (append 2>&1 for stderr too).
struct CommandOutput {
  int exitCode = -1;
  std::string text;
};
CommandOutput runCommand(const std::string& command);

}  // namespace fluxmeet::bench
