#pragma once
// Writes one track (one producer) into a WebM file (RFC 9559 Matroska with the WebM profile,
// https://www.webmproject.org/docs/container/): VP8 video (V_VP8) or Opus audio (A_OPUS).
//
// The file is written so that a process killed mid-recording leaves a playable file:
//   EBML header | Segment (size "unknown") | SeekHead space | Info | Tracks | Cluster | Cluster ...
// Each Cluster is built in memory and written whole, then flushed to the kernel; a file cut off
// anywhere holds every cluster before the cut. close() appends the Cues and patches the Segment
// size, the Duration and the SeekHead in the space reserved for them.
//
// Block timestamps are milliseconds (TimestampScale 1 ms) since `startNs`, the recording's start
// on the caller's clock, so that all tracks of one recording share a timeline. They never go
// backwards; frames stamped before the start are written at 0.
//
// Does blocking file I/O: only for the recorder's writer thread, never a media worker.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/record/ebml_writer.hpp"

namespace fluxmeet::record {

enum class TrackKind { Video, Audio };

struct WebmTrackOptions {
  TrackKind kind = TrackKind::Video;
  int64_t startNs = 0;
  // A new cluster starts at a video keyframe, or when the cluster has lasted this long: the
  // most a crash can lose.
  std::chrono::milliseconds maxClusterDuration{1000};
  uint8_t audioChannels = 2;       // Opus in WebRTC is negotiated as opus/48000/2 (RFC 7587 7)
  uint32_t audioSampleRate = 48000;
  std::string writingApp = "fluxmeet";
};

struct WebmTrackStats {
  uint64_t frames = 0;
  uint64_t clusters = 0;       // written to the file
  uint64_t bytes = 0;          // file size so far
  int64_t lastTimestampMs = 0;
};

class WebmTrackWriter {
 public:
  // Creates (truncates) the file. Nothing is written until the first frame, which for video
  // must be a keyframe: its width and height go into the track header.
  static Result<std::unique_ptr<WebmTrackWriter>> open(const std::string& path, WebmTrackOptions options);
  ~WebmTrackWriter();  // close()s if not done yet
  WebmTrackWriter(const WebmTrackWriter&) = delete;
  WebmTrackWriter& operator=(const WebmTrackWriter&) = delete;

  // `timestampNs` is on the caller's clock; width/height matter on the first keyframe only.
  Result<void> writeFrame(std::span<const uint8_t> frame, int64_t timestampNs, bool keyframe,
                          uint16_t width = 0, uint16_t height = 0);
  // Writes the last cluster, the Cues and the final sizes, and closes the file. Idempotent.
  Result<void> close();

  const WebmTrackStats& stats() const { return stats_; }
  bool headerWritten() const { return headerWritten_; }
  const std::string& path() const { return path_; }

 private:
  struct CuePoint {
    int64_t timeMs;
    uint64_t clusterPosition;  // relative to the Segment's data
  };

  WebmTrackWriter(std::string path, std::FILE* file, WebmTrackOptions options);
  Result<void> writeHeader(uint16_t width, uint16_t height);
  Result<void> flushCluster();
  Result<void> finalize();
  Result<void> writeAt(uint64_t position, const ebml::Bytes& bytes);
  Result<void> append(std::span<const uint8_t> bytes);
  Error fail(std::string what);

  std::string path_;
  std::FILE* file_;
  WebmTrackOptions options_;
  bool headerWritten_ = false;
  bool closed_ = false;
  bool failed_ = false;
  uint64_t position_ = 0;             // bytes written so far
  uint64_t segmentSizePosition_ = 0;  // the 8-byte Segment size
  uint64_t segmentDataStart_ = 0;
  uint64_t seekHeadPosition_ = 0;     // the Void reserved for the SeekHead
  uint64_t durationPosition_ = 0;     // the Void reserved for Info's Duration
  uint64_t infoPosition_ = 0;         // relative to the Segment's data
  uint64_t tracksPosition_ = 0;

  std::vector<uint8_t> cluster_;  // SimpleBlocks of the open cluster
  bool clusterOpen_ = false;
  int64_t clusterTimestampMs_ = 0;
  bool clusterStartsWithKeyframe_ = false;
  int64_t lastTimestampMs_ = -1;
  int64_t lastFrameDurationMs_ = 0;
  std::vector<CuePoint> cues_;
  WebmTrackStats stats_;
};

}  // namespace fluxmeet::record
