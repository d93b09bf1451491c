#include "fluxmeet/meeting/room_recording.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>
#include <utility>

#include <spdlog/spdlog.h>

#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/media/codecs/keyframe.hpp"
#include "fluxmeet/media/ortc/ortc.hpp"

namespace fluxmeet::meeting {

namespace fs = std::filesystem;
using media::router::Router;

namespace {

int64_t steadyNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// What the recorder needs of the producer's codec, as the Router rewrote it (router payload type).
struct RecordedCodec {
  media::codecs::Codec codec = media::codecs::Codec::Unknown;
  uint8_t payloadType = 0;
  uint32_t clockRate = 0;
};

}  // namespace

std::string recordingFileName(const ProducerInfo& producer) {
  return producer.peerId + "-" + std::string(mediaSourceName(producer.source)) + "-" + producer.id + ".webm";
}

std::string recordingDirectoryName(UnixTime startedAt) {
  std::string name = isoUtc(startedAt);
  std::erase(name, ':');
  return name;
}

Result<std::unique_ptr<RoomRecording>> RoomRecording::start(RecordingService& service, RoomMedia& media,
                                                            const std::string& meetingCode, std::string by,
                                                            UnixTime startedAt) {
  const fs::path base = fs::path(service.rootDir()) / meetingCode;
  const std::string name = recordingDirectoryName(startedAt);
  fs::path directory = base / name;
  std::error_code error;
  for (int suffix = 2; fs::exists(directory, error) && suffix < 100; ++suffix) {
    directory = base / (name + "-" + std::to_string(suffix));
  }
  fs::create_directories(directory, error);
  if (error) return makeError(ErrorCode::Unavailable, "cannot create the recording directory: " + error.message());
  directory = fs::absolute(directory, error);
  // An empty manifest at once: a crash before the first track still leaves a recording to account for.
  if (auto written = record::writeManifest(directory.string(), {}); !written) return written.error();
  return std::unique_ptr<RoomRecording>(
      new RoomRecording(service, media, directory.string(), std::move(by), startedAt, steadyNowNs()));
}

RoomRecording::RoomRecording(RecordingService& service, RoomMedia& media, std::string directory, std::string by,
                             UnixTime startedAt, int64_t startNs)
    : service_(service),
      media_(media),
      directory_(std::move(directory)),
      by_(std::move(by)),
      startedAt_(startedAt),
      startNs_(startNs) {}

RoomRecording::~RoomRecording() { stop(); }

int64_t RoomRecording::elapsedMs() const { return (steadyNowNs() - startNs_) / 1'000'000; }

Result<void> RoomRecording::addProducer(const ProducerInfo& producer, const std::string& displayName) {
  if (taps_.contains(producer.id)) return {};
  RecordedCodec codec;
  auto looked = media_.withRouter([&](Router& router) -> Result<void> {
    const auto* found = router.findProducer(producer.id);
    if (!found) return makeError(ErrorCode::NotFound, "no such producer", "producerId");
    for (const auto& parameters : found->consumableParameters().codecs) {
      if (media::ortc::isRtxMimeType(parameters.mimeType)) continue;
      codec = {media::codecs::codecFromMimeType(parameters.mimeType), static_cast<uint8_t>(parameters.payloadType),
               parameters.clockRate};
      break;
    }
    return {};
  });
  if (!looked) return looked.error();
  if (codec.codec != media::codecs::Codec::Vp8 && codec.codec != media::codecs::Codec::Opus) {
    return makeError(ErrorCode::ValidationFailed, "only VP8 and Opus can be recorded");
  }
  record::RecorderSinkOptions options{.codec = codec.codec,
                                      .clockRate = codec.clockRate,
                                      .payloadType = codec.payloadType,
                                      .path = (fs::path(directory_) / recordingFileName(producer)).string(),
                                      .startNs = startNs_};
  auto tap = RecorderTap::create(service_.writer(), producer.id, std::move(options));
  if (!tap) return tap.error();
  ++files_;  // the file exists from here on, whatever follows
  manifest_.push_back({.file = recordingFileName(producer),
                       .peerId = producer.peerId,
                       .name = displayName,
                       .source = std::string(mediaSourceName(producer.source)),
                       .video = producer.kind == media::ortc::MediaKind::Video});
  // Rewritten as each track comes, so that a recording cut short by a crash can be composed.
  if (auto written = record::writeManifest(directory_, manifest_); !written) {
    spdlog::warn("recording {}: {}", directory_, written.error().message);
  }
  RecorderTap* raw = tap->get();
  auto attached = media_.withRouter([raw](Router& router) { return raw->attach(router); });
  if (!attached) {
    close(std::move(*tap));
    return attached.error();
  }
  taps_.emplace(producer.id, std::move(*tap));
  return {};
}

void RoomRecording::removeProducer(const std::string& producerId) {
  const auto it = taps_.find(producerId);
  if (it == taps_.end()) return;
  auto tap = std::move(it->second);
  taps_.erase(it);
  close(std::move(tap));
}

void RoomRecording::close(std::unique_ptr<RecorderTap> tap) {
  RecorderTap* raw = tap.get();
  // On the worker, so no packet is half-way through the sink; without a router, nothing is.
  auto closed = media_.withRouter([raw](Router& router) -> Result<void> {
    raw->detachAndClose(&router);
    return {};
  });
  if (!closed) raw->detachAndClose(nullptr);
}

size_t RoomRecording::stop() {
  if (taps_.empty()) return files_;
  std::vector<RecorderTap*> taps;
  for (auto& [id, tap] : taps_) taps.push_back(tap.get());
  auto closed = media_.withRouter([&taps](Router& router) -> Result<void> {
    for (auto* tap : taps) tap->detachAndClose(&router);
    return {};
  });
  if (!closed) {
    for (auto* tap : taps) tap->detachAndClose(nullptr);
  }
  taps_.clear();
  return files_;
}

}  // namespace fluxmeet::meeting
