#include "fluxmeet/record/ebml_writer.hpp"

#include <gtest/gtest.h>

namespace fluxmeet::record::ebml {
namespace {

Bytes size(uint64_t value) {
  Bytes out;
  putSize(out, value);
  return out;
}

TEST(EbmlWriter, SizesUseTheShortestVintAndAvoidTheReservedValue) {  // RFC 8794 section 4
  EXPECT_EQ(size(0), (Bytes{0x80}));
  EXPECT_EQ(size(126), (Bytes{0xFE}));
  EXPECT_EQ(size(127), (Bytes{0x40, 0x7F}));  // 0xFF would mean "unknown"
  EXPECT_EQ(size(16382), (Bytes{0x7F, 0xFE}));
  EXPECT_EQ(size(16383), (Bytes{0x20, 0x3F, 0xFF}));
  Bytes eight;
  putSize8(eight, 5);
  EXPECT_EQ(eight, (Bytes{0x01, 0, 0, 0, 0, 0, 0, 5}));
}

TEST(EbmlWriter, ElementsOfEachType) {
  Bytes out;
  putUint(out, kTrackNumber, 1);
  EXPECT_EQ(out, (Bytes{0xD7, 0x81, 0x01}));
  out.clear();
  putUint(out, kTimestampScale, 1000000);
  EXPECT_EQ(out, (Bytes{0x2A, 0xD7, 0xB1, 0x83, 0x0F, 0x42, 0x40}));
  out.clear();
  putUint(out, kCodecDelay, 0);
  EXPECT_EQ(out, (Bytes{0x56, 0xAA, 0x81, 0x00}));
  out.clear();
  putFloat(out, kDuration, 2000.0);
  EXPECT_EQ(out, (Bytes{0x44, 0x89, 0x88, 0x40, 0x9F, 0x40, 0, 0, 0, 0, 0}));
  out.clear();
  putString(out, kDocType, "webm");
  EXPECT_EQ(out, (Bytes{0x42, 0x82, 0x84, 'w', 'e', 'b', 'm'}));
  out.clear();
  putMaster(out, kVideo, Bytes{0xB0, 0x81, 0x10});
  EXPECT_EQ(out, (Bytes{0xE0, 0x83, 0xB0, 0x81, 0x10}));
}

TEST(EbmlWriter, VoidTakesExactlyTheSpaceAsked) {
  for (size_t total : {2u, 11u, 96u, 128u, 129u, 130u, 1000u}) {
    Bytes out;
    putVoid(out, total);
    EXPECT_EQ(out.size(), total) << total;
    EXPECT_EQ(out[0], 0xEC);
  }
}

}  // namespace
}  // namespace fluxmeet::record::ebml
