// libFuzzer target for the recorder's depacketizers (RFC 7741 VP8, RFC 7587 Opus) and the
// reorder buffer under them. The input is a packet sequence:
//   [length][sequence delta, signed][flags][payload of `length` bytes] ...
// flags bit 0 = marker, bit 1 = next RTP timestamp (+3000), bit 2 = a wild timestamp jump.
// Checks: no crash or overread, frames within the size limit, keyframes really start with a
// VP8 keyframe header, and the counters add up.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fluxmeet/media/codecs/vp8_payload_descriptor.hpp"
#include "fluxmeet/record/opus_depacketizer.hpp"
#include "fluxmeet/record/vp8_depacketizer.hpp"
#include "media/fuzz_check.hpp"

namespace {

using fluxmeet::record::EncodedFrame;
using fluxmeet::record::OrderedPacket;

constexpr size_t kMaxFrameSize = 8192;

struct CheckingListener final : fluxmeet::record::FrameListener {
  void onFrame(const EncodedFrame& frame) override {
    ++frames;
    FUZZ_CHECK(!frame.data.empty() && frame.data.size() <= kMaxFrameSize);
    if (video && frame.keyframe) {
      const auto header = fluxmeet::media::codecs::parseVp8PayloadHeader(frame.data);
      FUZZ_CHECK(header.has_value() && header->keyframe);
      FUZZ_CHECK(frame.width == header->frameSize->width && frame.height == header->frameSize->height);
    }
    // Touch every byte so ASan sees a dangling or short span.
    volatile uint8_t sink = 0;
    for (uint8_t byte : frame.data) sink = static_cast<uint8_t>(sink ^ byte);
  }
  bool video = true;
  uint64_t frames = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CheckingListener videoFrames;
  CheckingListener audioFrames;
  audioFrames.video = false;
  fluxmeet::record::Vp8Depacketizer vp8(
      videoFrames, {.maxFrameSize = kMaxFrameSize, .reorderWindow = 8, .maxPacketSize = 256});
  fluxmeet::record::OpusDepacketizer opus(audioFrames, {.maxPacketSize = 256, .reorderWindow = 4});

  const std::span<const uint8_t> input(data, size);
  uint16_t sequence = 1000;
  uint32_t timestamp = 90000;
  size_t offset = 0;
  while (input.size() - offset >= 3) {
    const size_t length = input[offset];
    sequence = static_cast<uint16_t>(sequence + static_cast<int8_t>(input[offset + 1]));
    const uint8_t flags = input[offset + 2];
    offset += 3;
    if (length > input.size() - offset) break;
    if ((flags & 0x02) != 0) timestamp += 3000;
    if ((flags & 0x04) != 0) timestamp += 0x7FFF0000u;
    // An exact-size copy: reading past the payload is an ASan error.
    const std::vector<uint8_t> payload(input.begin() + static_cast<std::ptrdiff_t>(offset),
                                       input.begin() + static_cast<std::ptrdiff_t>(offset + length));
    offset += length;
    const OrderedPacket packet{sequence, timestamp, (flags & 0x01) != 0, payload};
    (void)vp8.push(packet);
    (void)opus.push(packet);
    FUZZ_CHECK(vp8.reorderStats().duplicates + vp8.reorderStats().late <= vp8.stats().packets);
  }
  vp8.flush();
  opus.flush();
  FUZZ_CHECK(videoFrames.frames == vp8.stats().frames);
  FUZZ_CHECK(audioFrames.frames == opus.stats().frames);
  FUZZ_CHECK(vp8.stats().frames <= vp8.stats().packets);
  return 0;
}
