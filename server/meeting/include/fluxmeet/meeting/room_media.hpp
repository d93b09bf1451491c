#pragma once
// RoomMedia: the bridge from one Room to its Router on a media worker. It keeps who owns which
// transport, producer and consumer (so peer A can never touch peer B's media), translates the
// protocol's JSON (docs/protocol.md, mediasoup-client shapes) to the media library's types, and
// closes a peer's media when the peer leaves.
//
// Threading: the control thread (the Room's). Each call runs its Router work on the worker with
// MediaWorker::invoke(), which answers within one packet batch.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/worker/media_plane.hpp"

namespace fluxmeet::meeting {

// What a producer carries, from the client's appData.source.
enum class MediaSource { Microphone, Camera, Screen, ScreenAudio };
std::optional<MediaSource> parseMediaSource(std::string_view name);
std::string_view mediaSourceName(MediaSource source);

struct ProducerInfo {
  std::string id;
  std::string peerId;
  std::string transportId;
  media::ortc::MediaKind kind = media::ortc::MediaKind::Audio;
  MediaSource source = MediaSource::Microphone;
  bool paused = false;
};
nlohmann::json producerJson(const ProducerInfo& producer);

class RoomMedia {
 public:
  // Limits per peer: a send and a receive transport (plus one spare for ICE/transport
  // recovery), and one producer per source.
  static constexpr size_t kMaxTransportsPerPeer = 4;

  static Result<std::unique_ptr<RoomMedia>> create(media::worker::MediaPlane& plane, std::string routerId);
  ~RoomMedia();
  RoomMedia(const RoomMedia&) = delete;
  RoomMedia& operator=(const RoomMedia&) = delete;

  nlohmann::json rtpCapabilities() const;
  Result<nlohmann::json> createTransport(const std::string& peerId, const nlohmann::json& data);
  Result<nlohmann::json> connectTransport(const std::string& peerId, const nlohmann::json& data);
  Result<nlohmann::json> restartIce(const std::string& peerId, const nlohmann::json& data);
  // `startPaused` when the host muted this source: the producer exists but forwards nothing.
  Result<ProducerInfo> produce(const std::string& peerId, const nlohmann::json& data, MediaSource source,
                               bool startPaused);
  Result<ProducerInfo> closeProducer(const std::string& peerId, const std::string& producerId);
  // Owner check is the caller's (a host may pause someone else's producer).
  Result<ProducerInfo> setProducerPaused(const std::string& producerId, bool paused);
  Result<nlohmann::json> consume(const std::string& peerId, const nlohmann::json& data);
  Result<nlohmann::json> setConsumerPaused(const std::string& peerId, const std::string& consumerId, bool paused);
  Result<nlohmann::json> setPreferredLayers(const std::string& peerId, const nlohmann::json& data);
  Result<nlohmann::json> requestKeyframe(const std::string& peerId, const std::string& consumerId);
  Result<nlohmann::json> stats(const std::string& peerId);

  // Everything of one peer; returns the producers that closed (for producerClosed notices).
  std::vector<ProducerInfo> closePeer(const std::string& peerId);
  std::vector<ProducerInfo> producers() const;
  std::vector<ProducerInfo> producersOf(const std::string& peerId, MediaSource source) const;

  // Runs `task` on the meeting's worker with its Router (recording attaches its taps so);
  // Unavailable when the router is gone.
  Result<void> withRouter(const std::function<Result<void>(media::router::Router&)>& task);

  // Asynchronous events from the worker, already on the control thread: who to tell.
  std::optional<std::string> forgetConsumer(const std::string& consumerId);
  struct ClosedTransport {
    std::string peerId;
    std::vector<ProducerInfo> producers;  // closed with it
  };
  std::optional<ClosedTransport> forgetTransport(const std::string& transportId);
  std::optional<std::string> consumerOwner(const std::string& consumerId) const;
  std::optional<std::string> producerOwner(const std::string& producerId) const;

 private:
  RoomMedia(media::worker::MediaPlane& plane, size_t workerIndex, std::string routerId);
  // Runs task(Router&) on the meeting's worker and waits for its Result; `unavailable` when the
  // router is gone.
  template <class Task>
  auto onRouter(Task&& task);
  Result<void> ensureOwnsTransport(const std::string& peerId, const std::string& transportId) const;

  media::worker::MediaPlane& plane_;
  media::worker::MediaWorker& worker_;
  size_t workerIndex_;
  std::string routerId_;
  std::map<std::string, std::string> transports_;   // transportId -> peerId
  std::map<std::string, ProducerInfo> producers_;   // producerId -> info
  struct ConsumerInfo {
    std::string peerId;
    std::string transportId;
  };
  std::map<std::string, ConsumerInfo> consumers_;  // consumerId -> owner
};

}  // namespace fluxmeet::meeting
