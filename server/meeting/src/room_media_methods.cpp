// Room: the media methods (docs/protocol.md "Media"). Ownership and permission checks happen
// here and in RoomMedia; the Router never sees a request a peer was not allowed to make.
#include "fluxmeet/meeting/permissions.hpp"
#include "fluxmeet/meeting/room.hpp"
#include "room_json.hpp"

namespace fluxmeet::meeting {

using json = nlohmann::json;

namespace {

MediaKind roomKindOf(MediaSource source) {
  switch (source) {
    case MediaSource::Microphone: return MediaKind::Audio;
    case MediaSource::Camera: return MediaKind::Video;
    case MediaSource::Screen:
    case MediaSource::ScreenAudio: return MediaKind::Screen;
  }
  return MediaKind::Audio;
}

std::vector<MediaSource> sourcesOf(MediaKind kind) {
  switch (kind) {
    case MediaKind::Audio: return {MediaSource::Microphone};
    case MediaKind::Video: return {MediaSource::Camera};
    case MediaKind::Screen: return {MediaSource::Screen, MediaSource::ScreenAudio};
  }
  return {};
}

std::string stringOf(const json& data, const char* field) {
  const auto it = data.find(field);
  return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Result<RoomMedia*> Room::mediaFor(const std::string& peerId) {
  if (auto peer = joinedPeer(peerId); !peer) return peer.error();
  if (!media_) {
    if (!mediaPlane_) return makeError(ErrorCode::Unavailable, "media is not enabled on this server");
    auto created = RoomMedia::create(*mediaPlane_, meeting_.code);
    if (!created) return created.error();
    media_ = std::move(*created);
  }
  return media_.get();
}

Result<json> Room::routerRtpCapabilities(const std::string& peerId) {
  auto media = mediaFor(peerId);
  if (!media) return media.error();
  return json{{"rtpCapabilities", (*media)->rtpCapabilities()}};
}

Result<json> Room::createTransport(const std::string& peerId, const json& data) {
  auto media = mediaFor(peerId);
  if (!media) return media.error();
  return (*media)->createTransport(peerId, data);
}

Result<json> Room::connectTransport(const std::string& peerId, const json& data) {
  auto media = mediaFor(peerId);
  if (!media) return media.error();
  return (*media)->connectTransport(peerId, data);
}

Result<json> Room::restartIce(const std::string& peerId, const json& data) {
  auto media = mediaFor(peerId);
  if (!media) return media.error();
  return (*media)->restartIce(peerId, data);
}

Result<json> Room::produce(const std::string& peerId, const json& data) {
  auto media = mediaFor(peerId);
  if (!media) return media.error();
  Peer& peer = peers_.at(peerId);
  const auto appData = data.find("appData");
  const std::string sourceName = appData != data.end() && appData->is_object() ? stringOf(*appData, "source") : "";
  const auto source = parseMediaSource(sourceName.empty() ? (stringOf(data, "kind") == "video" ? "camera" : "mic")
                                                          : sourceName);
  if (!source) {
    return makeError(ErrorCode::ValidationFailed, "source must be mic, camera, screen or screen-audio", "appData.source");
  }
  const MediaKind kind = roomKindOf(*source);
  if (kind == MediaKind::Screen && meeting_.settings.screenShare == store::ScreenSharePolicy::HostsOnly) {
    if (auto allowed = ensureCanModerate(peer.role); !allowed) {
      return makeError(ErrorCode::Forbidden, "only hosts can share their screen in this meeting");
    }
  }
  // A source the host muted starts paused; so does one the client asks to start muted.
  const bool startPaused = muteFlag(peer, kind) || (data.contains("paused") && data["paused"] == true);
  auto produced = (*media)->produce(peerId, data, *source, startPaused);
  if (!produced) return produced.error();
  if (startPaused != muteFlag(peer, kind) && kind != MediaKind::Screen) {
    muteFlag(peer, kind) = startPaused;
    broadcast("peer.updated", peerJson(peer));
  }
  broadcast("producer.new", producerJson(*produced), peerId);
  recordProducer(*produced);
  maybeAutoRecord();
  return json{{"id", produced->id}, {"paused", produced->paused}};
}

Result<json> Room::closeProducer(const std::string& peerId, const json& data) {
  auto media = mediaFor(peerId);
  if (!media) return media.error();
  auto closed = (*media)->closeProducer(peerId, stringOf(data, "producerId"));
  if (!closed) return closed.error();
  announceProducerClosed(*closed);
  return json::object();
}

void Room::announceProducerClosed(const ProducerInfo& producer) {
  if (recording_) recording_->removeProducer(producer.id);
  broadcast("producer.closed", {{"producerId", producer.id}, {"peerId", producer.peerId}}, producer.peerId);
}

Result<json> Room::setProducerPaused(const std::string& peerId, const json& data, bool paused) {
  auto media = mediaFor(peerId);
  if (!media) return media.error();
  const std::string producerId = stringOf(data, "producerId");
  if ((*media)->producerOwner(producerId) != peerId) {
    return makeError(ErrorCode::NotFound, "no such producer", "producerId");
  }
  for (const auto& info : (*media)->producers()) {
    if (info.id != producerId) continue;
    // Pausing one's own producer is muting: the flag, the producer and everyone's view agree.
    applyMute(peers_.at(peerId), roomKindOf(info.source), paused);
    break;
  }
  return json::object();
}

void Room::applyMute(Peer& peer, MediaKind kind, bool muted) {
  const bool changed = muteFlag(peer, kind) != muted;
  muteFlag(peer, kind) = muted;
  if (media_) {
    for (auto source : sourcesOf(kind)) {
      for (const auto& producer : media_->producersOf(peer.peerId, source)) {
        if (producer.paused == muted) continue;
        if (auto updated = media_->setProducerPaused(producer.id, muted)) {
          broadcast(muted ? "producer.paused" : "producer.resumed",
                    {{"producerId", producer.id}, {"peerId", peer.peerId}}, peer.peerId);
        }
      }
    }
  }
  if (changed) broadcast("peer.updated", peerJson(peer));
}

Result<json> Room::consume(const std::string& peerId, const json& data) {
  auto media = mediaFor(peerId);
  if (!media) return media.error();
  return (*media)->consume(peerId, data);
}

Result<json> Room::setConsumerPaused(const std::string& peerId, const json& data, bool paused) {
  auto media = mediaFor(peerId);
  if (!media) return media.error();
  return (*media)->setConsumerPaused(peerId, stringOf(data, "consumerId"), paused);
}

Result<json> Room::setPreferredLayers(const std::string& peerId, const json& data) {
  auto media = mediaFor(peerId);
  if (!media) return media.error();
  return (*media)->setPreferredLayers(peerId, data);
}

Result<json> Room::requestKeyframe(const std::string& peerId, const json& data) {
  auto media = mediaFor(peerId);
  if (!media) return media.error();
  return (*media)->requestKeyframe(peerId, stringOf(data, "consumerId"));
}

Result<json> Room::mediaStats(const std::string& peerId) {
  auto media = mediaFor(peerId);
  if (!media) return media.error();
  return (*media)->stats(peerId);
}

void Room::closeMediaOf(const std::string& peerId) {
  if (!media_) return;
  for (const auto& producer : media_->closePeer(peerId)) announceProducerClosed(producer);
}

void Room::onConsumerClosed(const std::string& consumerId) {
  if (!media_) return;
  const auto owner = media_->forgetConsumer(consumerId);
  if (!owner) return;
  if (auto it = peers_.find(*owner); it != peers_.end() && it->second.sink) {
    it->second.sink->notify("consumer.closed", {{"consumerId", consumerId}});
  }
}

void Room::onTransportClosed(const std::string& transportId, std::string_view reason) {
  if (!media_) return;
  const auto closed = media_->forgetTransport(transportId);
  if (!closed) return;
  for (const auto& producer : closed->producers) announceProducerClosed(producer);
  if (auto it = peers_.find(closed->peerId); it != peers_.end() && it->second.sink) {
    it->second.sink->notify("transport.closed", {{"transportId", transportId}, {"reason", reason}});
  }
}

void Room::onConsumerLayersChanged(const std::string& consumerId, int spatialLayer) {
  if (!media_) return;
  const auto owner = media_->consumerOwner(consumerId);
  if (!owner) return;
  if (auto it = peers_.find(*owner); it != peers_.end() && it->second.sink) {
    it->second.sink->notify("consumer.layersChanged", {{"consumerId", consumerId}, {"spatialLayer", spatialLayer}});
  }
}

void Room::onActiveSpeaker(const std::string& producerId) {
  if (!media_) return;
  const auto owner = media_->producerOwner(producerId);
  if (owner) broadcast("activeSpeaker", {{"peerId", *owner}});
}

}  // namespace fluxmeet::meeting
