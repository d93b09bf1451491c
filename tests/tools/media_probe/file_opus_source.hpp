#pragma once
// FileOpusSource: real Opus for fluxmeet_media_probe, read from an Ogg Opus file the ffmpeg
// program made (tests/support/media_files.hpp), one Opus packet per RTP packet (RFC 7587
// section 4.2) at the packet's own duration from its TOC byte (RFC 6716 section 3.1; 20 ms for
// the files the tests make), RTP timestamps on the 48 kHz clock, with the mid and audio level
// header extensions like SyntheticOpusSource. At the end of the file it starts again from the
// first packet with sequence numbers and timestamps continuing.
//
// Test-only code; one thread. Packets are built in the source's own buffer.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fluxmeet/common/result.hpp"
#include "probe_source.hpp"
#include "support/media_files.hpp"

namespace fluxmeet::tools {

class FileOpusSource final : public ProbeSource {
 public:
  // `stream` describes the signalling as for the synthetic source (ssrc, payload type, mid,
  // extension ids, the audio level to announce); payloadSize is the file's own here. Fails when
  // `path` is not an Ogg Opus file or a packet is not a valid Opus packet.
  static Result<std::unique_ptr<FileOpusSource>> open(const std::string& path,
                                                      media::client::SyntheticOpusOptions stream);

  Clock::duration sendFrame(int64_t sendTimeNs, const PacketSink& sink) override;
  bool requestKeyframe(uint32_t) override { return false; }
  uint64_t keyframesSent() const override { return 0; }
  media::ortc::RtpParameters producerParameters() const override;

  size_t packetCount() const { return packets_.size(); }

 private:
  struct Packet {
    testsupport::Bytes data;
    uint32_t samples = 0;  // at 48 kHz
  };

  FileOpusSource(std::vector<Packet> packets, media::client::SyntheticOpusOptions stream);

  std::vector<Packet> packets_;
  media::client::SyntheticOpusOptions stream_;
  size_t next_ = 0;  // index of the next packet to send
  uint64_t sent_ = 0;
  uint16_t sequenceNumber_;
  uint32_t timestamp_;  // of the next packet
  std::array<uint8_t, 1600> packet_{};
};

// Samples (at 48 kHz) in one Opus packet, from its TOC byte and frame count (RFC 6716 section
// 3.1-3.2); nullopt for an empty or malformed packet.
std::optional<uint32_t> opusPacketSamples(std::span<const uint8_t> packet);

}  // namespace fluxmeet::tools
