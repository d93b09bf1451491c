#pragma once
// Encoding of EBML elements (RFC 8794, https://www.rfc-editor.org/rfc/rfc8794) for the WebM
// writer: IDs, variable-size integers and the element types Matroska (RFC 9559) uses. Elements
// are appended to a byte vector; a master element is written from its already encoded children.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace fluxmeet::record::ebml {

using Bytes = std::vector<uint8_t>;

// Element IDs used by WebM (RFC 9559 section 5.1, and RFC 8794 section 11.2 for the header).
inline constexpr uint32_t kEbml = 0x1A45DFA3;
inline constexpr uint32_t kEbmlVersion = 0x4286;
inline constexpr uint32_t kEbmlReadVersion = 0x42F7;
inline constexpr uint32_t kEbmlMaxIdLength = 0x42F2;
inline constexpr uint32_t kEbmlMaxSizeLength = 0x42F3;
inline constexpr uint32_t kDocType = 0x4282;
inline constexpr uint32_t kDocTypeVersion = 0x4287;
inline constexpr uint32_t kDocTypeReadVersion = 0x4285;
inline constexpr uint32_t kVoid = 0xEC;
inline constexpr uint32_t kSegment = 0x18538067;
inline constexpr uint32_t kSeekHead = 0x114D9B74;
inline constexpr uint32_t kSeek = 0x4DBB;
inline constexpr uint32_t kSeekId = 0x53AB;
inline constexpr uint32_t kSeekPosition = 0x53AC;
inline constexpr uint32_t kInfo = 0x1549A966;
inline constexpr uint32_t kTimestampScale = 0x2AD7B1;
inline constexpr uint32_t kDuration = 0x4489;
inline constexpr uint32_t kMuxingApp = 0x4D80;
inline constexpr uint32_t kWritingApp = 0x5741;
inline constexpr uint32_t kTracks = 0x1654AE6B;
inline constexpr uint32_t kTrackEntry = 0xAE;
inline constexpr uint32_t kTrackNumber = 0xD7;
inline constexpr uint32_t kTrackUid = 0x73C5;
inline constexpr uint32_t kTrackType = 0x83;
inline constexpr uint32_t kFlagLacing = 0x9C;
inline constexpr uint32_t kCodecId = 0x86;
inline constexpr uint32_t kCodecPrivate = 0x63A2;
inline constexpr uint32_t kCodecDelay = 0x56AA;
inline constexpr uint32_t kSeekPreRoll = 0x56BB;
inline constexpr uint32_t kVideo = 0xE0;
inline constexpr uint32_t kPixelWidth = 0xB0;
inline constexpr uint32_t kPixelHeight = 0xBA;
inline constexpr uint32_t kAudio = 0xE1;
inline constexpr uint32_t kSamplingFrequency = 0xB5;
inline constexpr uint32_t kChannels = 0x9F;
inline constexpr uint32_t kCluster = 0x1F43B675;
inline constexpr uint32_t kTimestamp = 0xE7;
inline constexpr uint32_t kSimpleBlock = 0xA3;
inline constexpr uint32_t kCues = 0x1C53BB6B;
inline constexpr uint32_t kCuePoint = 0xBB;
inline constexpr uint32_t kCueTime = 0xB3;
inline constexpr uint32_t kCueTrackPositions = 0xB7;
inline constexpr uint32_t kCueTrack = 0xF7;
inline constexpr uint32_t kCueClusterPosition = 0xF1;

// RFC 8794 section 6.2: an all-ones 8-byte size, for a Segment whose end is not known yet.
inline constexpr uint8_t kUnknownSize[8] = {0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
inline constexpr uint64_t kMaxSize = (uint64_t{1} << 56) - 2;  // largest 8-byte VINT size

void putId(Bytes& out, uint32_t id);
// The shortest VINT (RFC 8794 section 4) for `size`; all-ones values are reserved.
void putSize(Bytes& out, uint64_t size);
// An 8-byte VINT, so the value can be patched in place later.
void putSize8(Bytes& out, uint64_t size);

void putUint(Bytes& out, uint32_t id, uint64_t value);
void putFloat(Bytes& out, uint32_t id, double value);  // 8-byte IEEE 754, big-endian
void putString(Bytes& out, uint32_t id, std::string_view value);
void putBinary(Bytes& out, uint32_t id, std::span<const uint8_t> value);
void putMaster(Bytes& out, uint32_t id, const Bytes& children);
// A Void element (RFC 8794 section 11.3.1) of exactly `totalSize` bytes (>= 2), header included:
// reserved space that is later overwritten.
void putVoid(Bytes& out, size_t totalSize);

}  // namespace fluxmeet::record::ebml
