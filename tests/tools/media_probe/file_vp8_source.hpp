#pragma once
// FileVp8Source: real VP8 for fluxmeet_media_probe, read from an IVF file the ffmpeg program
// made (tests/support/media_files.hpp), sent as a browser's VP8 sender would: frames at the
// file's own pace (its pts in its time base), RTP timestamps on the 90 kHz clock, RFC 7741
// packetization with a 15-bit picture ID that increases by one per frame, the marker bit on a
// frame's last packet (RFC 7741 section 4.1) and the mid header extension, like
// SyntheticVp8Source. At the end of the file it starts again from the first frame (a keyframe)
// with sequence numbers, timestamps and picture IDs continuing. It cannot make a keyframe on
// request: a PLI/FIR is only counted, and the file's next keyframe answers it.
//
// Test-only code; one thread. Packets are built in the source's own buffers.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "fluxmeet/common/result.hpp"
#include "probe_source.hpp"
#include "support/media_files.hpp"

namespace fluxmeet::tools {

class FileVp8Source final : public ProbeSource {
 public:
  // `stream` describes the signalling as for the synthetic source (layers[0].ssrc, payload
  // types, mid and its extension id, maxPayloadSize); its encoder knobs (fps, bitrate, size,
  // temporal layers, keyframe interval) are the file's own here. Fails when `path` is not an
  // IVF file of VP8 frames starting with a keyframe.
  static Result<std::unique_ptr<FileVp8Source>> open(const std::string& path,
                                                     media::client::SyntheticVp8Options stream);

  Clock::duration sendFrame(int64_t sendTimeNs, const PacketSink& sink) override;
  bool requestKeyframe(uint32_t ssrc) override { return ssrc == ssrc_; }
  uint64_t keyframesSent() const override { return keyframesSent_; }
  media::ortc::RtpParameters producerParameters() const override;

  size_t frameCount() const { return file_.frames.size(); }
  uint64_t loops() const { return loops_; }

 private:
  FileVp8Source(testsupport::IvfFile file, media::client::SyntheticVp8Options stream);

  // `ptsUnits` of the file's time base in RTP ticks (90 kHz) or as a duration.
  uint64_t toRtpTicks(uint64_t ptsUnits) const;
  Clock::duration toDuration(uint64_t ptsUnits) const;

  testsupport::IvfFile file_;
  media::client::SyntheticVp8Options stream_;
  uint32_t ssrc_;
  uint64_t loopLength_;  // pts units from the first frame to the first frame of the next loop
  size_t next_ = 0;      // index of the next frame to send
  uint64_t loops_ = 0;   // completed passes over the file
  uint16_t sequenceNumber_;
  uint32_t timestampBase_;
  uint16_t pictureId_;  // of the next frame (15 bits)
  uint64_t keyframesSent_ = 0;
  std::array<uint8_t, 1500> payload_{};
  std::array<uint8_t, 1600> packet_{};
};

}  // namespace fluxmeet::tools
