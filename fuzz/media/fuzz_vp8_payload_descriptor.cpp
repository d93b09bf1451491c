// libFuzzer target for the VP8 payload descriptor parser (RFC 7741 section 4.2/4.3), its in-place
// rewrites, and the per-consumer Vp8Rewriter driven by a packet sequence cut from the input.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "fluxmeet/media/codecs/keyframe.hpp"
#include "fluxmeet/media/codecs/vp8_payload_descriptor.hpp"
#include "fluxmeet/media/codecs/vp8_rewriter.hpp"
#include "media/fuzz_check.hpp"

namespace {

using fluxmeet::media::codecs::Vp8PayloadDescriptor;
using fluxmeet::media::codecs::Vp8Rewriter;

// Parses the whole input as one RTP payload, reads every field, and checks the rewrites.
void exerciseDescriptor(std::span<const uint8_t> input) {
  std::vector<uint8_t> data(input.begin(), input.end());  // exact size: ASan sees overreads
  const auto d = Vp8PayloadDescriptor::parse(data);
  FUZZ_CHECK(fluxmeet::media::codecs::isVp8Keyframe(data) == (d.has_value() && d->isKeyframe()));
  if (!d) return;
  FUZZ_CHECK(d->size() >= 1 && d->size() <= 6 && d->size() < data.size());
  FUZZ_CHECK(d->partitionIndex() <= 7);
  if (auto id = d->pictureId()) FUZZ_CHECK(*id <= (d->hasLongPictureId() ? 0x7FFF : 0x7F));
  if (auto tid = d->temporalLayer()) FUZZ_CHECK(*tid <= 3);
  if (auto key = d->keyIndex()) FUZZ_CHECK(*key <= 31);
  FUZZ_CHECK(!d->isKeyframe() || (d->startsFrame() && d->keyframeSize().has_value()));
  if (auto size = d->keyframeSize()) FUZZ_CHECK(size->width <= 0x3FFF && size->height <= 0x3FFF);

  // Writing the values already there changes nothing.
  const std::vector<uint8_t> before = data;
  if (auto id = d->pictureId()) FUZZ_CHECK(d->writePictureId(data, *id));
  if (auto tl0 = d->tl0PicIdx()) FUZZ_CHECK(d->writeTl0PicIdx(data, *tl0));
  FUZZ_CHECK(data == before);

  // New values read back; nothing else in the packet moves.
  const bool wrotePictureId = d->writePictureId(data, 0x5A5A);
  const bool wroteTl0 = d->writeTl0PicIdx(data, 0xC3);
  FUZZ_CHECK(wrotePictureId == d->pictureId().has_value());
  FUZZ_CHECK(wroteTl0 == d->tl0PicIdx().has_value());
  const auto again = Vp8PayloadDescriptor::parse(data);
  FUZZ_CHECK(again.has_value() && again->size() == d->size());
  FUZZ_CHECK(again->hasLongPictureId() == d->hasLongPictureId());
  FUZZ_CHECK(again->temporalLayer() == d->temporalLayer());
  FUZZ_CHECK(again->isKeyframe() == d->isKeyframe());
  if (wrotePictureId) {
    FUZZ_CHECK(*again->pictureId() == (d->hasLongPictureId() ? 0x5A5A : 0x5A));
  }
  if (wroteTl0) FUZZ_CHECK(again->tl0PicIdx() == 0xC3);
  FUZZ_CHECK(std::memcmp(data.data() + d->size(), before.data() + d->size(),
                         data.size() - d->size()) == 0);
}

// Input as a packet sequence: [length][flags][payload of `length` bytes]..., flags bit 0 =
// layer switch, bits 1-2 = target temporal layer. Forwarded packets keep their size, and only
// the descriptor may change.
void exerciseRewriter(std::span<const uint8_t> input) {
  Vp8Rewriter rewriter;
  size_t offset = 0;
  while (input.size() - offset >= 2) {
    const size_t length = input[offset];
    const uint8_t flags = input[offset + 1];
    offset += 2;
    if (length > input.size() - offset) break;
    std::vector<uint8_t> packet(input.begin() + static_cast<std::ptrdiff_t>(offset),
                                input.begin() + static_cast<std::ptrdiff_t>(offset + length));
    offset += length;
    rewriter.setTargetTemporalLayer(static_cast<uint8_t>((flags >> 1) & 0x03));
    const std::vector<uint8_t> before = packet;
    const bool forwarded = rewriter.rewritePayload(packet, (flags & 0x01) != 0);
    FUZZ_CHECK(rewriter.currentTemporalLayer() <= rewriter.targetTemporalLayer());
    const auto d = Vp8PayloadDescriptor::parse(before);
    if (!forwarded) {
      FUZZ_CHECK(packet == before);
      continue;
    }
    FUZZ_CHECK(d.has_value());
    FUZZ_CHECK(packet[0] == before[0]);
    FUZZ_CHECK(std::memcmp(packet.data() + d->size(), before.data() + d->size(),
                           packet.size() - d->size()) == 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  exerciseDescriptor({data, size});
  exerciseRewriter({data, size});
  return 0;
}
