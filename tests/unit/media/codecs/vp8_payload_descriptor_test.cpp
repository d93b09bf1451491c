#include "fluxmeet/media/codecs/vp8_payload_descriptor.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

namespace fluxmeet::media::codecs {
namespace {

// First packet of a 640x480 keyframe shaped like Chrome's simulcast VP8 (RFC 7741 section 4.2
// with I, L and T): X S | I L T | M + 15-bit picture ID 0x2bcd | TL0PICIDX 0x17 | TID 0 Y=1.
// Then the section 4.3 payload header: Size0=2 H=1 VER=0 P=0, Size1=0x2d, Size2=0x01 (first
// partition 2410 bytes), start code 9d 01 2a, width 0x0280, height 0x01e0 (RFC 6386 9.1).
std::vector<uint8_t> chromeKeyframe() {
  return {0x90, 0xe0, 0xab, 0xcd, 0x17, 0x20,                          // descriptor
          0x50, 0x2d, 0x01, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01,  // payload header
          0x39, 0x6b, 0x00};                                           // partition data
}

// A TID 2 interframe with a 7-bit picture ID, N set, KEYIDX 5 (RFC 7741 section 4.6.1 style).
std::vector<uint8_t> shortPictureIdInterframe() {
  return {0xb0, 0xf0, 0x42, 0x99, 0x85, 0x31, 0x40, 0x00, 0xaa};
}

TEST(Vp8PayloadDescriptor, ParsesChromeKeyframeAndDimensions) {
  const auto data = chromeKeyframe();
  const auto d = Vp8PayloadDescriptor::parse(data);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->size(), 6U);
  EXPECT_TRUE(d->startsFrame());
  EXPECT_FALSE(d->nonReference());
  EXPECT_TRUE(d->hasLongPictureId());
  EXPECT_EQ(d->pictureId(), 0x2bcd);
  EXPECT_EQ(d->tl0PicIdx(), 0x17);
  EXPECT_EQ(d->temporalLayer(), 0);
  EXPECT_TRUE(d->layerSync());
  EXPECT_FALSE(d->keyIndex().has_value());
  ASSERT_TRUE(d->payloadHeader().has_value());
  EXPECT_TRUE(d->payloadHeader()->showFrame);
  EXPECT_EQ(d->payloadHeader()->version, 0);
  EXPECT_EQ(d->payloadHeader()->firstPartitionSize, 2410U);
  EXPECT_TRUE(d->isKeyframe());
  const auto size = d->keyframeSize();
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(size->width, 640);
  EXPECT_EQ(size->height, 480);
  EXPECT_EQ(size->horizontalScale, 0);
  EXPECT_EQ(size->verticalScale, 0);
}

TEST(Vp8PayloadDescriptor, ParsesShortPictureIdNonReferenceAndKeyIndex) {
  const auto data = shortPictureIdInterframe();
  const auto d = Vp8PayloadDescriptor::parse(data);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->size(), 5U);
  EXPECT_TRUE(d->nonReference());
  EXPECT_FALSE(d->hasLongPictureId());
  EXPECT_EQ(d->pictureId(), 0x42);
  EXPECT_EQ(d->tl0PicIdx(), 0x99);
  EXPECT_EQ(d->temporalLayer(), 2);  // 0x85 = 10 0 00101
  EXPECT_FALSE(d->layerSync());
  EXPECT_EQ(d->keyIndex(), 5);
  ASSERT_TRUE(d->payloadHeader().has_value());  // S=1, PID=0
  EXPECT_FALSE(d->isKeyframe());                // 0x31: P = 1
  EXPECT_FALSE(d->keyframeSize().has_value());
}

TEST(Vp8PayloadDescriptor, MinimalDescriptorWithoutExtension) {
  // RFC 7741 section 4.2: only the required octet. S=1, then a 640x480 keyframe header.
  const std::vector<uint8_t> data = {0x10, 0x10, 0x00, 0x00, 0x9d, 0x01,
                                     0x2a, 0x80, 0x02, 0xe0, 0x01};
  const auto d = Vp8PayloadDescriptor::parse(data);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->size(), 1U);
  EXPECT_FALSE(d->pictureId().has_value());
  EXPECT_FALSE(d->tl0PicIdx().has_value());
  EXPECT_FALSE(d->temporalLayer().has_value());
  EXPECT_TRUE(d->isKeyframe());
  EXPECT_EQ(d->keyframeSize()->width, 640);
  EXPECT_EQ(d->keyframeSize()->height, 480);
}

TEST(Vp8PayloadDescriptor, ExtensionOctetWithNoFieldsAndReservedBitsIgnored) {
  // X=1, both R bits set (receivers ignore them), I/L/T/K clear, RSV bits set.
  const std::vector<uint8_t> data = {0xc8 | 0x03, 0x0f, 0x77};
  const auto d = Vp8PayloadDescriptor::parse(data);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->size(), 2U);
  EXPECT_EQ(d->partitionIndex(), 3);
  EXPECT_FALSE(d->startOfPartition());
  EXPECT_FALSE(d->pictureId().has_value());
  EXPECT_FALSE(d->payloadHeader().has_value());
}

TEST(Vp8PayloadDescriptor, KeyIndexWithoutTemporalLayer) {
  // K without T: the shared octet is present but TID and Y are not meaningful.
  const std::vector<uint8_t> data = {0x80, 0x10, 0xe7, 0x00};
  const auto d = Vp8PayloadDescriptor::parse(data);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->size(), 3U);
  EXPECT_FALSE(d->temporalLayer().has_value());
  EXPECT_FALSE(d->layerSync());
  EXPECT_EQ(d->keyIndex(), 7);
}

TEST(Vp8PayloadDescriptor, KeyframeHeaderOnlyAtStartOfFirstPartition) {
  auto data = chromeKeyframe();
  data[0] = 0x91;  // S=1 but PID=1: a later partition, no payload header
  auto d = Vp8PayloadDescriptor::parse(data);
  ASSERT_TRUE(d.has_value());
  EXPECT_FALSE(d->payloadHeader().has_value());
  EXPECT_FALSE(d->isKeyframe());
  data[0] = 0x80;  // continuation packet of partition 0
  d = Vp8PayloadDescriptor::parse(data);
  ASSERT_TRUE(d.has_value());
  EXPECT_FALSE(d->isKeyframe());
}

TEST(Vp8PayloadDescriptor, KeyframeNeedsStartCodeAndFullHeader) {
  auto data = chromeKeyframe();
  data[10] = 0x02;  // corrupt start code 9d 02 2a
  auto d = Vp8PayloadDescriptor::parse(data);
  ASSERT_TRUE(d.has_value());
  EXPECT_FALSE(d->isKeyframe());

  // P=0 but the packet ends inside the 10-byte keyframe header.
  const auto full = chromeKeyframe();
  const std::vector<uint8_t> truncated(full.begin(), full.begin() + 14);
  d = Vp8PayloadDescriptor::parse(truncated);
  ASSERT_TRUE(d.has_value());
  ASSERT_TRUE(d->payloadHeader().has_value());
  EXPECT_FALSE(d->isKeyframe());

  // Fewer than 3 bytes after the descriptor: no payload header at all.
  const std::vector<uint8_t> tiny = {0x10, 0x50, 0x2d};
  d = Vp8PayloadDescriptor::parse(tiny);
  ASSERT_TRUE(d.has_value());
  EXPECT_FALSE(d->payloadHeader().has_value());
}

TEST(Vp8PayloadDescriptor, ScaleBitsAreSeparatedFromDimensions) {
  // width word 0x4500 = scale 1, width 0x0500 (1280); height word 0xc2d0 = scale 3, 0x02d0 (720).
  const std::vector<uint8_t> data = {0x10, 0x10, 0x00, 0x00, 0x9d, 0x01,
                                     0x2a, 0x00, 0x45, 0xd0, 0xc2};
  const auto size = Vp8PayloadDescriptor::parse(data)->keyframeSize();
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(size->width, 1280);
  EXPECT_EQ(size->height, 720);
  EXPECT_EQ(size->horizontalScale, 1);
  EXPECT_EQ(size->verticalScale, 3);
}

TEST(Vp8PayloadDescriptor, RejectsEveryTruncatedDescriptor) {
  // Each prefix is copied into its own exact-size buffer so a sanitizer build catches any read
  // past the end. Prefixes that end inside the descriptor, or right after it, must fail.
  for (const auto& full : {chromeKeyframe(), shortPictureIdInterframe()}) {
    const size_t descriptorSize = Vp8PayloadDescriptor::parse(full)->size();
    for (size_t length = 0; length <= descriptorSize; ++length) {
      const std::vector<uint8_t> prefix(full.begin(), full.begin() + static_cast<long>(length));
      EXPECT_FALSE(Vp8PayloadDescriptor::parse(prefix).has_value()) << "length " << length;
    }
    const std::vector<uint8_t> oneByteOfData(full.begin(),
                                             full.begin() + static_cast<long>(descriptorSize) + 1);
    EXPECT_TRUE(Vp8PayloadDescriptor::parse(oneByteOfData).has_value());
  }
  // X set but no extension octet; I set, M set, but the second picture ID octet missing.
  EXPECT_FALSE(Vp8PayloadDescriptor::parse(std::vector<uint8_t>{0x80}).has_value());
  EXPECT_FALSE(Vp8PayloadDescriptor::parse(std::vector<uint8_t>{0x80, 0x80, 0x81}).has_value());
}

TEST(Vp8PayloadDescriptor, RewritesLongPictureIdAndTl0InPlace) {
  auto data = chromeKeyframe();
  const auto original = data;
  const auto d = Vp8PayloadDescriptor::parse(data);
  ASSERT_TRUE(d.has_value());
  ASSERT_TRUE(d->writePictureId(data, 0x7fff));
  ASSERT_TRUE(d->writeTl0PicIdx(data, 0x00));
  EXPECT_EQ(data.size(), original.size());
  EXPECT_EQ(data[2], 0xff);  // M kept, high 7 bits
  EXPECT_EQ(data[3], 0xff);
  EXPECT_EQ(data[4], 0x00);
  EXPECT_TRUE(std::equal(data.begin() + 5, data.end(), original.begin() + 5));
  const auto again = Vp8PayloadDescriptor::parse(data);
  EXPECT_EQ(again->pictureId(), 0x7fff);
  EXPECT_EQ(again->tl0PicIdx(), 0);
  EXPECT_TRUE(again->isKeyframe());
  // Values beyond 15 bits wrap instead of touching the M bit.
  ASSERT_TRUE(d->writePictureId(data, 0x8005));
  EXPECT_EQ(Vp8PayloadDescriptor::parse(data)->pictureId(), 0x0005);
  EXPECT_TRUE(Vp8PayloadDescriptor::parse(data)->hasLongPictureId());
}

TEST(Vp8PayloadDescriptor, RewritesShortPictureIdKeepingWidth) {
  auto data = shortPictureIdInterframe();
  const auto d = Vp8PayloadDescriptor::parse(data);
  ASSERT_TRUE(d->writePictureId(data, 0x1fe));  // low 7 bits: 0x7e
  EXPECT_EQ(data.size(), shortPictureIdInterframe().size());
  EXPECT_EQ(data[2], 0x7e);
  const auto again = Vp8PayloadDescriptor::parse(data);
  EXPECT_FALSE(again->hasLongPictureId());
  EXPECT_EQ(again->pictureId(), 0x7e);
  EXPECT_EQ(again->tl0PicIdx(), 0x99);
  EXPECT_EQ(again->temporalLayer(), 2);
}

TEST(Vp8PayloadDescriptor, WritesFailWhenFieldAbsentOrBufferShort) {
  std::vector<uint8_t> noFields = {0x10, 0x31, 0x00, 0x00};
  const auto d = Vp8PayloadDescriptor::parse(noFields);
  EXPECT_FALSE(d->writePictureId(noFields, 1));
  EXPECT_FALSE(d->writeTl0PicIdx(noFields, 1));
  EXPECT_EQ(noFields, (std::vector<uint8_t>{0x10, 0x31, 0x00, 0x00}));

  auto data = chromeKeyframe();
  const auto chrome = Vp8PayloadDescriptor::parse(data);
  EXPECT_FALSE(chrome->writePictureId(std::span<uint8_t>(data).first(3), 1));
  EXPECT_FALSE(chrome->writeTl0PicIdx(std::span<uint8_t>(data).first(4), 1));
  EXPECT_EQ(data, chromeKeyframe());
}

}  // namespace
}  // namespace fluxmeet::media::codecs
