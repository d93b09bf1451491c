#include "fluxmeet/media/codecs/vp8_rewriter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace fluxmeet::media::codecs {
namespace {

struct Picture {
  uint16_t pictureId = 0;
  uint8_t tl0PicIdx = 0;
  uint8_t temporalLayer = 0;
  bool keyframe = false;
  bool layerSync = false;
  bool layerSwitch = false;
  bool longPictureId = true;
};

Vp8PacketInfo info(const Picture& p) {
  Vp8PacketInfo i;
  i.pictureId = p.pictureId;
  i.longPictureId = p.longPictureId;
  i.tl0PicIdx = p.tl0PicIdx;
  i.temporalLayer = p.temporalLayer;
  i.keyframe = p.keyframe;
  i.layerSync = p.layerSync;
  i.layerSwitch = p.layerSwitch;
  return i;
}

std::optional<uint16_t> pictureIdOut(Vp8Rewriter& rewriter, const Picture& p) {
  const auto ids = rewriter.rewrite(info(p));
  if (!ids) return std::nullopt;
  return ids->pictureId;
}

Picture key(uint16_t pictureId, uint8_t tl0, bool layerSwitch = false) {
  return {pictureId, tl0, 0, true, true, layerSwitch};
}

Picture delta(uint16_t pictureId, uint8_t tl0, uint8_t temporalLayer, bool layerSync = false) {
  return {pictureId, tl0, temporalLayer, false, layerSync, false};
}

TEST(Vp8Rewriter, FirstPictureKeepsItsIdsAndPacketsOfOnePictureShareThem) {
  Vp8Rewriter rewriter;
  auto ids = rewriter.rewrite(info(key(1234, 77)));
  ASSERT_TRUE(ids.has_value());
  EXPECT_EQ(ids->pictureId, 1234);
  EXPECT_EQ(ids->tl0PicIdx, 77);
  Picture secondPacket = key(1234, 77);
  secondPacket.keyframe = false;  // only the first packet carries the payload header
  ids = rewriter.rewrite(info(secondPacket));
  ASSERT_TRUE(ids.has_value());
  EXPECT_EQ(ids->pictureId, 1234);
  EXPECT_EQ(pictureIdOut(rewriter, delta(1235, 78, 0)), 1235);
}

TEST(Vp8Rewriter, LayerSwitchContinuesPictureIdAndTl0) {
  Vp8Rewriter rewriter;
  for (uint16_t i = 0; i < 3; ++i) {
    const auto ids = rewriter.rewrite(info(i == 0 ? key(100, 10) : delta(100 + i, 10 + i, 0)));
    ASSERT_TRUE(ids.has_value());
    EXPECT_EQ(ids->pictureId, 100 + i);
    EXPECT_EQ(ids->tl0PicIdx, 10 + i);
  }
  // The new simulcast layer's encoder counts on its own.
  auto ids = rewriter.rewrite(info(key(9000, 200, /*layerSwitch=*/true)));
  ASSERT_TRUE(ids.has_value());
  EXPECT_EQ(ids->pictureId, 103);
  EXPECT_EQ(ids->tl0PicIdx, 13);
  ids = rewriter.rewrite(info(delta(9001, 201, 0)));
  EXPECT_EQ(ids->pictureId, 104);
  EXPECT_EQ(ids->tl0PicIdx, 14);
  // Switching back to the first layer, whose counters moved on meanwhile.
  ids = rewriter.rewrite(info(key(160, 70, true)));
  EXPECT_EQ(ids->pictureId, 105);
  EXPECT_EQ(ids->tl0PicIdx, 15);
}

TEST(Vp8Rewriter, PictureIdAndTl0WrapAround) {
  Vp8Rewriter rewriter;
  const uint16_t sources[] = {0x7ffe, 0x7fff, 0x0000, 0x0001};
  const uint16_t expected[] = {0x7ffe, 0x7fff, 0x0000, 0x0001};
  for (size_t i = 0; i < 4; ++i) {
    const auto picture =
        i == 0 ? key(sources[i], 254) : delta(sources[i], static_cast<uint8_t>(254 + i), 0);
    const auto ids = rewriter.rewrite(info(picture));
    ASSERT_TRUE(ids.has_value());
    EXPECT_EQ(ids->pictureId, expected[i]);
    EXPECT_EQ(ids->tl0PicIdx, static_cast<uint8_t>(254 + i));
  }
  // A switch whose re-based output wraps: the newest output was 1 / TL0 1, next are 2 / 2.
  const auto ids = rewriter.rewrite(info(key(0x4000, 128, true)));
  EXPECT_EQ(ids->pictureId, 2);
  EXPECT_EQ(ids->tl0PicIdx, 2);

  // Output wrapping across a switch: newest output 0x7fff, the keyframe becomes 0.
  Vp8Rewriter second;
  ASSERT_TRUE(second.rewrite(info(key(0x7fff, 255))).has_value());
  const auto wrapped = second.rewrite(info(key(42, 9, true)));
  EXPECT_EQ(wrapped->pictureId, 0);
  EXPECT_EQ(wrapped->tl0PicIdx, 0);
}

// L1T3 pattern (TID 0 2 1 2 0 2 1 2 ...), TL0PICIDX counting TID 0 pictures.
std::vector<Picture> l1t3(uint16_t firstPictureId, size_t count) {
  static constexpr uint8_t kPattern[] = {0, 2, 1, 2};
  std::vector<Picture> pictures;
  uint8_t tl0 = 0;
  for (size_t i = 0; i < count; ++i) {
    const uint8_t tid = kPattern[i % 4];
    if (tid == 0 && i != 0) ++tl0;
    const auto pictureId = static_cast<uint16_t>((firstPictureId + i) & 0x7fff);
    Picture p = i == 0 ? key(pictureId, tl0) : delta(pictureId, tl0, tid);
    pictures.push_back(p);
  }
  return pictures;
}

TEST(Vp8Rewriter, DroppingTemporalLayersKeepsPictureIdsContiguous) {
  Vp8Rewriter rewriter(1);
  std::vector<uint16_t> forwarded;
  std::vector<uint8_t> tl0s;
  for (const auto& p : l1t3(0x7ff8, 12)) {  // also crosses the 15-bit wrap
    const auto ids = rewriter.rewrite(info(p));
    if (p.temporalLayer > 1) {
      EXPECT_FALSE(ids.has_value());
      // The dropped picture's other packets are dropped too.
      EXPECT_FALSE(rewriter.rewrite(info(p)).has_value());
      continue;
    }
    ASSERT_TRUE(ids.has_value());
    forwarded.push_back(*ids->pictureId);
    tl0s.push_back(*ids->tl0PicIdx);
    // Another packet of a forwarded picture gets the same ID.
    EXPECT_EQ(rewriter.rewrite(info(p))->pictureId, ids->pictureId);
  }
  ASSERT_EQ(forwarded.size(), 6U);
  for (size_t i = 1; i < forwarded.size(); ++i) {
    EXPECT_EQ(forwarded[i], (forwarded[i - 1] + 1) & 0x7fff) << i;
  }
  EXPECT_EQ(tl0s, (std::vector<uint8_t>{0, 0, 1, 1, 2, 2}));  // TL0PICIDX is untouched
}

TEST(Vp8Rewriter, SwitchAfterDroppedPictureStaysContiguous) {
  Vp8Rewriter rewriter(0);
  EXPECT_EQ(pictureIdOut(rewriter, key(10, 0)), 10);
  EXPECT_FALSE(pictureIdOut(rewriter, delta(11, 0, 1)).has_value());
  EXPECT_FALSE(pictureIdOut(rewriter, delta(12, 0, 2)).has_value());
  EXPECT_EQ(pictureIdOut(rewriter, key(3000, 50, true)), 11);
}

TEST(Vp8Rewriter, LateRetransmissionsKeepTheirDecision) {
  Vp8Rewriter rewriter(1);
  for (const auto& p : l1t3(500, 8)) (void)rewriter.rewrite(info(p));
  // Pictures 500..507 went through; 501, 503, 505, 507 (TID 2) were dropped.
  EXPECT_EQ(pictureIdOut(rewriter, delta(502, 0, 1)), 501);
  EXPECT_EQ(pictureIdOut(rewriter, delta(504, 1, 0)), 502);
  EXPECT_FALSE(pictureIdOut(rewriter, delta(503, 0, 2)).has_value());
  EXPECT_EQ(pictureIdOut(rewriter, delta(508, 2, 0)), 504);
}

TEST(Vp8Rewriter, SourceGapIsPreservedAndLatePictureFillsIt) {
  Vp8Rewriter rewriter(1);
  EXPECT_EQ(pictureIdOut(rewriter, key(0, 0)), 0);
  EXPECT_EQ(pictureIdOut(rewriter, delta(1, 1, 0)), 1);
  EXPECT_EQ(pictureIdOut(rewriter, delta(4, 4, 0)), 4);              // 2 and 3 not here (yet)
  EXPECT_FALSE(pictureIdOut(rewriter, delta(5, 4, 2)).has_value());  // dropped TID 2
  EXPECT_EQ(pictureIdOut(rewriter, delta(6, 5, 0)), 5);
  EXPECT_EQ(pictureIdOut(rewriter, delta(2, 2, 0)), 2);  // late: its reserved place
  // A late picture above the forwarded layers is dropped, leaving its place empty.
  EXPECT_FALSE(pictureIdOut(rewriter, delta(3, 3, 2)).has_value());
  EXPECT_FALSE(pictureIdOut(rewriter, delta(3, 3, 2)).has_value());
}

TEST(Vp8Rewriter, PicturesBeforeSwitchOrTooOldAreDropped) {
  Vp8Rewriter rewriter;
  EXPECT_EQ(pictureIdOut(rewriter, key(100, 0)), 100);
  EXPECT_FALSE(pictureIdOut(rewriter, delta(99, 0, 0)).has_value());  // before the first picture
  EXPECT_EQ(pictureIdOut(rewriter, key(500, 0, true)), 101);
  // A late packet of the new layer from before its keyframe cannot be decoded.
  EXPECT_FALSE(pictureIdOut(rewriter, delta(499, 0, 0)).has_value());
  // And one of the old layer whose ID happens to be ahead gets no old mapping.
  EXPECT_FALSE(pictureIdOut(rewriter, delta(100, 0, 0)).has_value());
  for (uint16_t id = 501; id <= 500 + Vp8Rewriter::kHistorySize; ++id) {
    ASSERT_TRUE(pictureIdOut(rewriter, delta(id, 0, 0)).has_value());
  }
  EXPECT_FALSE(pictureIdOut(rewriter, delta(500, 0, 0)).has_value());  // out of the history
  EXPECT_EQ(pictureIdOut(rewriter, delta(501, 0, 0)), 102);            // still within it
}

TEST(Vp8Rewriter, RaisingTargetWaitsForLayerSyncOrKeyframe) {
  Vp8Rewriter rewriter(0);
  ASSERT_TRUE(pictureIdOut(rewriter, key(0, 0)).has_value());
  rewriter.setTargetTemporalLayer(2);
  EXPECT_EQ(rewriter.currentTemporalLayer(), 0);
  EXPECT_FALSE(pictureIdOut(rewriter, delta(1, 0, 1)).has_value());  // TID 1 without Y
  EXPECT_EQ(pictureIdOut(rewriter, delta(2, 0, 1, true)), 1);        // Y: decodable
  EXPECT_EQ(rewriter.currentTemporalLayer(), 1);
  EXPECT_EQ(pictureIdOut(rewriter, delta(3, 0, 1)), 2);
  EXPECT_FALSE(pictureIdOut(rewriter, delta(4, 0, 2)).has_value());
  EXPECT_EQ(pictureIdOut(rewriter, key(5, 1)), 3);
  EXPECT_EQ(rewriter.currentTemporalLayer(), 2);
  EXPECT_EQ(pictureIdOut(rewriter, delta(6, 1, 2)), 4);
}

TEST(Vp8Rewriter, LoweringTargetTakesEffectAtOnce) {
  Vp8Rewriter rewriter;
  EXPECT_EQ(rewriter.targetTemporalLayer(), kVp8MaxTemporalLayer);
  ASSERT_TRUE(pictureIdOut(rewriter, key(0, 0)).has_value());
  EXPECT_EQ(pictureIdOut(rewriter, delta(1, 0, 2)), 1);
  rewriter.setTargetTemporalLayer(0);
  EXPECT_EQ(rewriter.currentTemporalLayer(), 0);
  EXPECT_FALSE(pictureIdOut(rewriter, delta(2, 0, 1)).has_value());
  EXPECT_EQ(pictureIdOut(rewriter, delta(3, 1, 0)), 2);
  rewriter.setTargetTemporalLayer(9);  // clamped to the 2-bit TID range
  EXPECT_EQ(rewriter.targetTemporalLayer(), kVp8MaxTemporalLayer);
}

TEST(Vp8Rewriter, ShortPictureIdsWrapAt128AndSwitchToLongOnes) {
  Vp8Rewriter rewriter;
  const uint16_t sources[] = {126, 127, 0, 1};
  for (size_t i = 0; i < 4; ++i) {
    Picture p = i == 0 ? key(sources[i], 50) : delta(sources[i], 50, 0);
    p.longPictureId = false;
    const auto out = pictureIdOut(rewriter, p);
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(*out & 0x7f, (126 + i) & 0x7f);
    EXPECT_EQ(*out, 126 + i);  // the 15-bit output keeps counting
  }
  Picture late = delta(127, 50, 0);
  late.longPictureId = false;
  EXPECT_EQ(pictureIdOut(rewriter, late), 127);
  EXPECT_EQ(pictureIdOut(rewriter, key(5000, 3, true)), 130);
}

TEST(Vp8Rewriter, WithoutPictureIdOnlyTemporalFilteringApplies) {
  Vp8Rewriter rewriter(0);
  Vp8PacketInfo packet;
  packet.keyframe = true;
  packet.tl0PicIdx = 9;
  auto ids = rewriter.rewrite(packet);
  ASSERT_TRUE(ids.has_value());
  EXPECT_FALSE(ids->pictureId.has_value());
  EXPECT_EQ(ids->tl0PicIdx, 9);
  packet.keyframe = false;
  packet.temporalLayer = 1;
  EXPECT_FALSE(rewriter.rewrite(packet).has_value());
  packet.temporalLayer.reset();  // no T bit: no layering, nothing to drop
  EXPECT_TRUE(rewriter.rewrite(packet).has_value());
}

TEST(Vp8Rewriter, RewritePayloadEditsBytesInPlace) {
  Vp8Rewriter rewriter;
  // Layer A keyframe: picture ID 0x0100, TL0PICIDX 0x10, TID 0 Y, 640x480.
  std::vector<uint8_t> layerA = {0x90, 0xe0, 0x81, 0x00, 0x10, 0x20, 0x10, 0x00,
                                 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01};
  ASSERT_TRUE(rewriter.rewritePayload(layerA, false));
  EXPECT_EQ(layerA[2], 0x81);
  EXPECT_EQ(layerA[3], 0x00);
  // Layer B keyframe: picture ID 0x5555, TL0PICIDX 0xee, 1280x720.
  std::vector<uint8_t> layerB = {0x90, 0xe0, 0xd5, 0x55, 0xee, 0x20, 0x10, 0x00,
                                 0x00, 0x9d, 0x01, 0x2a, 0x00, 0x05, 0xd0, 0x02};
  const auto before = layerB;
  ASSERT_TRUE(rewriter.rewritePayload(layerB, true));
  EXPECT_EQ(layerB.size(), before.size());
  EXPECT_EQ(layerB[2], 0x81);  // 0x0101 with M set
  EXPECT_EQ(layerB[3], 0x01);
  EXPECT_EQ(layerB[4], 0x11);
  EXPECT_TRUE(std::equal(layerB.begin() + 5, layerB.end(), before.begin() + 5));
  // A malformed packet is dropped untouched.
  std::vector<uint8_t> truncated = {0x90, 0xe0, 0x81};
  EXPECT_FALSE(rewriter.rewritePayload(truncated, false));
  EXPECT_EQ(truncated, (std::vector<uint8_t>{0x90, 0xe0, 0x81}));
}

}  // namespace
}  // namespace fluxmeet::media::codecs
