#include "fluxmeet/media/codecs/keyframe.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace fluxmeet::media::codecs {
namespace {

using Bytes = std::vector<uint8_t>;

// Runs `detect` on every strict prefix of `payload`, each in an exact-size buffer, so that a
// sanitizer build flags any read past the end; no prefix may crash (result is not checked).
template <class Detect>
void probePrefixes(const Bytes& payload, Detect detect) {
  for (size_t length = 0; length < payload.size(); ++length) {
    const Bytes prefix(payload.begin(), payload.begin() + static_cast<long>(length));
    (void)detect(prefix);
  }
}

TEST(Keyframe, CodecFromMimeTypeIgnoresCase) {
  EXPECT_EQ(codecFromMimeType("video/VP8"), Codec::Vp8);
  EXPECT_EQ(codecFromMimeType("video/vp9"), Codec::Vp9);
  EXPECT_EQ(codecFromMimeType("VIDEO/H264"), Codec::H264);
  EXPECT_EQ(codecFromMimeType("video/AV1"), Codec::Av1);
  EXPECT_EQ(codecFromMimeType("audio/opus"), Codec::Opus);
  EXPECT_EQ(codecFromMimeType("video/rtx"), Codec::Unknown);
  EXPECT_EQ(codecFromMimeType("video/vp8x"), Codec::Unknown);
  EXPECT_EQ(codecFromMimeType(""), Codec::Unknown);
}

TEST(Keyframe, OpusIsAlwaysKeyAndUnknownNever) {
  EXPECT_TRUE(isKeyframe(Codec::Opus, Bytes{0x78, 0x0b}));
  EXPECT_TRUE(isKeyframe("audio/opus", Bytes{}));
  EXPECT_FALSE(isKeyframe(Codec::Unknown, Bytes{0x65, 0x88}));
  EXPECT_FALSE(isKeyframe("video/rtx", Bytes{0x65, 0x88}));
}

TEST(Keyframe, Vp8UsesPayloadHeaderPBitAndStartCode) {
  const Bytes key = {0x90, 0x80, 0x80, 0x01, 0x10, 0x00, 0x00,
                     0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01};
  const Bytes delta = {0x90, 0x80, 0x80, 0x02, 0x11, 0x00, 0x00, 0x00};
  EXPECT_TRUE(isKeyframe("video/VP8", key));
  EXPECT_TRUE(isVp8Keyframe(key));
  EXPECT_FALSE(isKeyframe(Codec::Vp8, delta));
  probePrefixes(key, isVp8Keyframe);
  for (size_t length = 0; length < key.size(); ++length) {
    EXPECT_FALSE(isVp8Keyframe(Bytes(key.begin(), key.begin() + static_cast<long>(length))));
  }
}

TEST(Keyframe, Vp9NeedsNoInterPredictionBeginningOfFrameAndBaseSpatialLayer) {
  // RFC 9628 section 4.2: I=1 (15-bit picture ID 0x1234), P=0, L=1, F=0, B=1, E=0, V=1; layer
  // indices TID 0, U 0, SID 0, D 0; TL0PICIDX 0x07.
  const Bytes key = {0xaa, 0x92, 0x34, 0x00, 0x07, 0x18};
  EXPECT_TRUE(isKeyframe(Codec::Vp9, key));
  Bytes interPredicted = key;
  interPredicted[0] |= 0x40;
  EXPECT_FALSE(isVp9Keyframe(interPredicted));
  Bytes notBeginning = key;
  notBeginning[0] &= static_cast<uint8_t>(~0x08);
  EXPECT_FALSE(isVp9Keyframe(notBeginning));
  Bytes upperSpatialLayer = key;
  upperSpatialLayer[3] = 0x02;  // SID 1
  EXPECT_FALSE(isVp9Keyframe(upperSpatialLayer));
  // No picture ID and no layer indices: SID is 0.
  EXPECT_TRUE(isVp9Keyframe(Bytes{0x08, 0x00}));
  // Picture ID or layer octet announced but cut off.
  EXPECT_FALSE(isVp9Keyframe(Bytes{0xa8, 0x92}));
  EXPECT_FALSE(isVp9Keyframe(Bytes{0xa8}));
  EXPECT_FALSE(isVp9Keyframe(Bytes{0x28}));
  EXPECT_FALSE(isVp9Keyframe(Bytes{}));
  probePrefixes(key, isVp9Keyframe);
}

TEST(Keyframe, H264SingleNalUnits) {
  EXPECT_TRUE(isKeyframe(Codec::H264, Bytes{0x65, 0x88, 0x84}));  // IDR slice (type 5)
  EXPECT_TRUE(isH264Keyframe(Bytes{0x67, 0x42, 0xc0, 0x1f}));     // SPS (type 7)
  EXPECT_FALSE(isH264Keyframe(Bytes{0x68, 0xce, 0x3c, 0x80}));    // PPS (type 8)
  EXPECT_FALSE(isH264Keyframe(Bytes{0x41, 0x9a, 0x02}));          // non-IDR slice (type 1)
  EXPECT_FALSE(isH264Keyframe(Bytes{}));
}

TEST(Keyframe, H264StapAFindsSpsOrIdrInsideAggregate) {
  // RFC 6184 section 5.7.1: STAP-A header 0x78, then [size16][NAL]...: SPS, PPS, IDR.
  const Bytes stap = {0x78, 0x00, 0x04, 0x67, 0x42, 0xc0, 0x1f, 0x00,
                      0x02, 0x68, 0xce, 0x00, 0x03, 0x65, 0x88, 0x84};
  EXPECT_TRUE(isH264Keyframe(stap));
  // SEI + PPS only.
  EXPECT_FALSE(isH264Keyframe(Bytes{0x78, 0x00, 0x02, 0x06, 0x05, 0x00, 0x02, 0x68, 0xce}));
  // A unit size running past the packet stops the walk before the IDR it claims to hold.
  EXPECT_FALSE(isH264Keyframe(Bytes{0x78, 0x00, 0x09, 0x65, 0x88}));
  // Zero-sized unit is malformed.
  EXPECT_FALSE(isH264Keyframe(Bytes{0x78, 0x00, 0x00, 0x65}));
  probePrefixes(stap, isH264Keyframe);
}

TEST(Keyframe, H264FuAOnlyAtStartOfIdr) {
  // RFC 6184 section 5.8: FU indicator (NRI 3, type 28), FU header |S|E|R|Type|.
  EXPECT_TRUE(isH264Keyframe(Bytes{0x7c, 0x85, 0xb8, 0x00}));   // S=1, IDR
  EXPECT_FALSE(isH264Keyframe(Bytes{0x7c, 0x05, 0xb8, 0x00}));  // middle fragment of IDR
  EXPECT_FALSE(isH264Keyframe(Bytes{0x7c, 0x45, 0xb8}));        // end fragment
  EXPECT_FALSE(isH264Keyframe(Bytes{0x7c, 0x81, 0x9a}));        // S=1, non-IDR slice
  EXPECT_FALSE(isH264Keyframe(Bytes{0x7c}));                    // truncated FU header
}

TEST(Keyframe, Av1NewCodedVideoSequenceBit) {
  // Aggregation header |Z|Y|W W|N|-|-|-|: W=1, N=1, then an OBU.
  EXPECT_TRUE(isKeyframe(Codec::Av1, Bytes{0x18, 0x0a, 0x0b, 0x00}));
  EXPECT_FALSE(isAv1Keyframe(Bytes{0x10, 0x32, 0x00}));  // N=0
  EXPECT_FALSE(isAv1Keyframe(Bytes{0xc0, 0x00}));        // continuation fragment
  EXPECT_FALSE(isAv1Keyframe(Bytes{}));
}

}  // namespace
}  // namespace fluxmeet::media::codecs
