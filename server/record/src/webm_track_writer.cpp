#include "fluxmeet/record/webm_track_writer.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <functional>

namespace fluxmeet::record {
namespace {

using ebml::Bytes;

constexpr uint64_t kTimestampScaleNs = 1'000'000;  // block timestamps in milliseconds
constexpr uint64_t kTrackNumber = 1;
constexpr size_t kSeekHeadReserve = 96;   // 3 Seek entries with 8-byte positions take 68
constexpr size_t kDurationElementSize = 11;  // 2-byte ID, 1-byte size, 8-byte float
// WebM requires SeekPreRoll of 80 ms for Opus (https://www.webmproject.org/docs/container/#opus).
constexpr uint64_t kOpusSeekPreRollNs = 80'000'000;
constexpr int64_t kMaxBlockOffsetMs = 32767;  // SimpleBlock timestamps are int16 (RFC 9559 10.1)
constexpr uint8_t kKeyframeFlag = 0x80;
// The last frame's duration is guessed from the gap before it, capped so a DTX pause or a
// frozen screen share does not stretch the file (120 ms is the longest Opus packet).
constexpr int64_t kMaxLastFrameDurationMs = 120;

// RFC 7845 section 5.1 identification header, the CodecPrivate of A_OPUS. Pre-skip is 0: the
// encoder's look-ahead is unknown to an SFU, and 0 keeps the audio aligned with its timestamps
// (the first few milliseconds decode as the encoder's silent start).
Bytes opusHead(uint8_t channels, uint32_t sampleRate) {
  Bytes head = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, channels, 0, 0};
  for (int i = 0; i < 4; ++i) head.push_back(static_cast<uint8_t>(sampleRate >> (8 * i)));
  head.insert(head.end(), {0, 0, 0});  // output gain 0, channel mapping family 0
  return head;
}

void putSeek(Bytes& out, uint32_t id, uint64_t position) {
  Bytes seek;
  ebml::putId(seek, ebml::kSeekId);
  ebml::putSize(seek, 4);
  for (int i = 3; i >= 0; --i) seek.push_back(static_cast<uint8_t>(id >> (8 * i)));
  ebml::putId(seek, ebml::kSeekPosition);
  ebml::putSize(seek, 8);
  for (int i = 7; i >= 0; --i) seek.push_back(static_cast<uint8_t>(position >> (8 * i)));
  ebml::putMaster(out, ebml::kSeek, seek);
}

uint64_t trackUid(const std::string& path, int64_t startNs) {
  // Unique per file is all Matroska asks (RFC 9559 5.1.4.1.2); never 0.
  const uint64_t uid = std::hash<std::string>{}(path) ^ static_cast<uint64_t>(startNs);
  return uid == 0 ? 1 : uid;
}

}  // namespace

Result<std::unique_ptr<WebmTrackWriter>> WebmTrackWriter::open(const std::string& path,
                                                               WebmTrackOptions options) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return makeError(ErrorCode::Internal, "cannot create " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<WebmTrackWriter>(new WebmTrackWriter(path, file, std::move(options)));
}

WebmTrackWriter::WebmTrackWriter(std::string path, std::FILE* file, WebmTrackOptions options)
    : path_(std::move(path)), file_(file), options_(std::move(options)) {}

WebmTrackWriter::~WebmTrackWriter() { (void)close(); }

Error WebmTrackWriter::fail(std::string what) {
  failed_ = true;
  return makeError(ErrorCode::Internal, what + " " + path_ + ": " + std::strerror(errno));
}

Result<void> WebmTrackWriter::append(std::span<const uint8_t> bytes) {
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    return fail("write");
  }
  position_ += bytes.size();
  stats_.bytes = position_;
  return {};
}

Result<void> WebmTrackWriter::writeAt(uint64_t position, const Bytes& bytes) {
  if (std::fseek(file_, static_cast<long>(position), SEEK_SET) != 0) return fail("seek");
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) return fail("write");
  if (std::fseek(file_, static_cast<long>(position_), SEEK_SET) != 0) return fail("seek");
  return {};
}

Result<void> WebmTrackWriter::writeHeader(uint16_t width, uint16_t height) {
  Bytes out;
  Bytes header;
  ebml::putUint(header, ebml::kEbmlVersion, 1);
  ebml::putUint(header, ebml::kEbmlReadVersion, 1);
  ebml::putUint(header, ebml::kEbmlMaxIdLength, 4);
  ebml::putUint(header, ebml::kEbmlMaxSizeLength, 8);
  ebml::putString(header, ebml::kDocType, "webm");
  ebml::putUint(header, ebml::kDocTypeVersion, 4);
  ebml::putUint(header, ebml::kDocTypeReadVersion, 2);
  ebml::putMaster(out, ebml::kEbml, header);

  ebml::putId(out, ebml::kSegment);
  segmentSizePosition_ = out.size();
  out.insert(out.end(), std::begin(ebml::kUnknownSize), std::end(ebml::kUnknownSize));
  segmentDataStart_ = out.size();

  seekHeadPosition_ = out.size();
  ebml::putVoid(out, kSeekHeadReserve);

  infoPosition_ = out.size() - segmentDataStart_;
  Bytes info;
  ebml::putUint(info, ebml::kTimestampScale, kTimestampScaleNs);
  ebml::putString(info, ebml::kMuxingApp, "fluxmeet-record");
  ebml::putString(info, ebml::kWritingApp, options_.writingApp);
  const size_t durationOffset = info.size();
  ebml::putVoid(info, kDurationElementSize);
  ebml::putId(out, ebml::kInfo);
  ebml::putSize(out, info.size());
  durationPosition_ = out.size() + durationOffset;
  out.insert(out.end(), info.begin(), info.end());

  tracksPosition_ = out.size() - segmentDataStart_;
  Bytes entry;
  ebml::putUint(entry, ebml::kTrackNumber, kTrackNumber);
  ebml::putUint(entry, ebml::kTrackUid, trackUid(path_, options_.startNs));
  ebml::putUint(entry, ebml::kFlagLacing, 0);
  if (options_.kind == TrackKind::Video) {
    ebml::putUint(entry, ebml::kTrackType, 1);
    ebml::putString(entry, ebml::kCodecId, "V_VP8");
    Bytes video;
    ebml::putUint(video, ebml::kPixelWidth, width);
    ebml::putUint(video, ebml::kPixelHeight, height);
    ebml::putMaster(entry, ebml::kVideo, video);
  } else {
    ebml::putUint(entry, ebml::kTrackType, 2);
    ebml::putString(entry, ebml::kCodecId, "A_OPUS");
    ebml::putBinary(entry, ebml::kCodecPrivate, opusHead(options_.audioChannels, options_.audioSampleRate));
    ebml::putUint(entry, ebml::kCodecDelay, 0);
    ebml::putUint(entry, ebml::kSeekPreRoll, kOpusSeekPreRollNs);
    Bytes audio;
    ebml::putFloat(audio, ebml::kSamplingFrequency, options_.audioSampleRate);
    ebml::putUint(audio, ebml::kChannels, options_.audioChannels);
    ebml::putMaster(entry, ebml::kAudio, audio);
  }
  Bytes tracks;
  ebml::putMaster(tracks, ebml::kTrackEntry, entry);
  ebml::putMaster(out, ebml::kTracks, tracks);

  if (auto written = append(out); !written) return written;
  if (std::fflush(file_) != 0) return fail("flush");
  headerWritten_ = true;
  return {};
}

Result<void> WebmTrackWriter::writeFrame(std::span<const uint8_t> frame, int64_t timestampNs, bool keyframe,
                                         uint16_t width, uint16_t height) {
  if (closed_ || failed_) return makeError(ErrorCode::Unavailable, "track writer closed: " + path_);
  if (!headerWritten_) {
    if (options_.kind == TrackKind::Video && (!keyframe || width == 0 || height == 0)) {
      return makeError(ErrorCode::Unprocessable, "a video track must start with a sized keyframe");
    }
    if (auto header = writeHeader(width, height); !header) return header;
  }
  const int64_t sinceStartMs = std::max<int64_t>(0, (timestampNs - options_.startNs) / 1'000'000);
  const int64_t timestampMs = std::max(sinceStartMs, lastTimestampMs_);
  if (lastTimestampMs_ >= 0 && timestampMs > lastTimestampMs_) {
    lastFrameDurationMs_ = std::min(timestampMs - lastTimestampMs_, kMaxLastFrameDurationMs);
  }
  lastTimestampMs_ = timestampMs;

  const bool video = options_.kind == TrackKind::Video;
  if (clusterOpen_ && ((video && keyframe) ||
                       timestampMs - clusterTimestampMs_ >= options_.maxClusterDuration.count() ||
                       timestampMs - clusterTimestampMs_ > kMaxBlockOffsetMs)) {
    if (auto flushed = flushCluster(); !flushed) return flushed;
  }
  if (!clusterOpen_) {
    clusterOpen_ = true;
    clusterTimestampMs_ = timestampMs;
    clusterStartsWithKeyframe_ = keyframe;
    cluster_.clear();
  }
  // RFC 9559 section 10.2 SimpleBlock: track number (VINT), int16 relative timestamp, flags.
  const auto relative = static_cast<int16_t>(timestampMs - clusterTimestampMs_);
  ebml::putId(cluster_, ebml::kSimpleBlock);
  ebml::putSize(cluster_, frame.size() + 4);
  ebml::putSize(cluster_, kTrackNumber);
  cluster_.push_back(static_cast<uint8_t>(static_cast<uint16_t>(relative) >> 8));
  cluster_.push_back(static_cast<uint8_t>(relative));
  cluster_.push_back(keyframe || !video ? kKeyframeFlag : 0);
  cluster_.insert(cluster_.end(), frame.begin(), frame.end());
  ++stats_.frames;
  stats_.lastTimestampMs = timestampMs;
  return {};
}

Result<void> WebmTrackWriter::flushCluster() {
  if (!clusterOpen_) return {};
  clusterOpen_ = false;
  Bytes head;
  Bytes timestamp;
  ebml::putUint(timestamp, ebml::kTimestamp, static_cast<uint64_t>(clusterTimestampMs_));
  ebml::putId(head, ebml::kCluster);
  ebml::putSize(head, timestamp.size() + cluster_.size());
  head.insert(head.end(), timestamp.begin(), timestamp.end());
  const uint64_t clusterPosition = position_ - segmentDataStart_;
  if (auto written = append(head); !written) return written;
  if (auto written = append(cluster_); !written) return written;
  // The kernel has it now: a killed process loses nothing written so far.
  if (std::fflush(file_) != 0) return fail("flush");
  if (clusterStartsWithKeyframe_) cues_.push_back(CuePoint{clusterTimestampMs_, clusterPosition});
  ++stats_.clusters;
  // A huge keyframe's buffer is not kept for the rest of the recording.
  if (cluster_.capacity() > 4 * 1024 * 1024) cluster_ = {};
  cluster_.clear();
  return {};
}

Result<void> WebmTrackWriter::finalize() {
  if (auto flushed = flushCluster(); !flushed) return flushed;
  const uint64_t cuesPosition = position_ - segmentDataStart_;
  if (!cues_.empty()) {
    Bytes points;
    for (const CuePoint& cue : cues_) {
      Bytes positions;
      ebml::putUint(positions, ebml::kCueTrack, kTrackNumber);
      ebml::putUint(positions, ebml::kCueClusterPosition, cue.clusterPosition);
      Bytes point;
      ebml::putUint(point, ebml::kCueTime, static_cast<uint64_t>(cue.timeMs));
      ebml::putMaster(point, ebml::kCueTrackPositions, positions);
      ebml::putMaster(points, ebml::kCuePoint, point);
    }
    Bytes cues;
    ebml::putMaster(cues, ebml::kCues, points);
    if (auto written = append(cues); !written) return written;
  }

  Bytes seekHead;
  Bytes seeks;
  putSeek(seeks, ebml::kInfo, infoPosition_);
  putSeek(seeks, ebml::kTracks, tracksPosition_);
  if (!cues_.empty()) putSeek(seeks, ebml::kCues, cuesPosition);
  ebml::putMaster(seekHead, ebml::kSeekHead, seeks);
  ebml::putVoid(seekHead, kSeekHeadReserve - seekHead.size());
  if (auto written = writeAt(seekHeadPosition_, seekHead); !written) return written;

  Bytes duration;
  const int64_t durationMs = std::max<int64_t>(lastTimestampMs_, 0) + lastFrameDurationMs_;
  ebml::putFloat(duration, ebml::kDuration, static_cast<double>(durationMs));
  if (auto written = writeAt(durationPosition_, duration); !written) return written;

  Bytes segmentSize;
  ebml::putSize8(segmentSize, position_ - segmentDataStart_);
  return writeAt(segmentSizePosition_, segmentSize);
}

Result<void> WebmTrackWriter::close() {
  if (closed_) return {};
  closed_ = true;
  Result<void> result;
  if (headerWritten_ && !failed_) result = finalize();
  if (std::fclose(file_) != 0 && result.ok()) result = makeError(ErrorCode::Internal, "close " + path_);
  file_ = nullptr;
  return result;
}

}  // namespace fluxmeet::record
