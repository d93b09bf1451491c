#include "fluxmeet/meeting/room_media.hpp"

#include <algorithm>
#include <chrono>
#include <type_traits>

#include "fluxmeet/common/encoding.hpp"
#include "fluxmeet/media/ortc/ortc.hpp"

namespace fluxmeet::meeting {

using json = nlohmann::json;
namespace ortc = media::ortc;
using media::router::Router;

namespace {

Error notFound(std::string_view what, std::string field) {
  return makeError(ErrorCode::NotFound, "no such " + std::string(what), std::move(field));
}

std::string newId() { return randomToken(12); }

// The ORTC parsers name fields inside the object they read ("codecs[0].payloadType"); the client
// sent that object as a field of its request, so the path it can act on starts with that field.
Error inField(Error error, std::string_view container) {
  if (error.code != ErrorCode::ValidationFailed || error.field.empty() || error.field.starts_with(container)) {
    return error;
  }
  std::string path = std::string(container) + "." + error.field;
  if (error.message.starts_with(error.field)) error.message = path + error.message.substr(error.field.size());
  error.field = std::move(path);
  return error;
}

const std::string* stringField(const json& data, const char* name) {
  const auto it = data.find(name);
  return it != data.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

// The createTransport answer's iceServers (RTCIceServer, W3C webrtc-pc section 4.2.1):
// one entry holding every TURN URL, with a credential issued now so that each expires on its own.
json iceServersFor(const media::ice::TurnOptions& turn, const std::string& peerId) {
  if (!turn.enabled()) return json::array();
  const auto credential =
      media::ice::makeTurnCredential(turn.secret, peerId, std::chrono::system_clock::now() + turn.credentialTtl);
  return json::array({{{"urls", turn.urls}, {"username", credential.username}, {"credential", credential.credential}}});
}

}  // namespace

std::optional<MediaSource> parseMediaSource(std::string_view name) {
  if (name == "mic") return MediaSource::Microphone;
  if (name == "camera") return MediaSource::Camera;
  if (name == "screen") return MediaSource::Screen;
  if (name == "screen-audio") return MediaSource::ScreenAudio;
  return std::nullopt;
}

std::string_view mediaSourceName(MediaSource source) {
  switch (source) {
    case MediaSource::Microphone: return "mic";
    case MediaSource::Camera: return "camera";
    case MediaSource::Screen: return "screen";
    case MediaSource::ScreenAudio: return "screen-audio";
  }
  return "mic";
}

json producerJson(const ProducerInfo& producer) {
  return {{"producerId", producer.id},
          {"peerId", producer.peerId},
          {"kind", ortc::mediaKindName(producer.kind)},
          {"source", mediaSourceName(producer.source)},
          {"paused", producer.paused}};
}

template <class Task>
auto RoomMedia::onRouter(Task&& task) {
  using R = std::invoke_result_t<Task&, Router&>;
  return worker_.invoke([&]() -> R {
    Router* router = worker_.findRouter(routerId_);
    if (!router) return makeError(ErrorCode::Unavailable, "media router is gone");
    return task(*router);
  });
}

Result<std::unique_ptr<RoomMedia>> RoomMedia::create(media::worker::MediaPlane& plane, std::string routerId) {
  const size_t index = plane.assignWorker();
  auto& worker = plane.worker(index);
  auto created = worker.invoke([&] { return worker.createRouter(routerId, plane.routerCapabilities()); });
  if (!created) {
    plane.releaseWorker(index);
    return created.error();
  }
  return std::unique_ptr<RoomMedia>(new RoomMedia(plane, index, std::move(routerId)));
}

Result<void> RoomMedia::withRouter(const std::function<Result<void>(Router&)>& task) {
  return onRouter([&task](Router& router) { return task(router); });
}

RoomMedia::RoomMedia(media::worker::MediaPlane& plane, size_t workerIndex, std::string routerId)
    : plane_(plane), worker_(plane.worker(workerIndex)), workerIndex_(workerIndex), routerId_(std::move(routerId)) {}

RoomMedia::~RoomMedia() {
  worker_.invoke([this] { worker_.closeRouter(routerId_); });
  plane_.releaseWorker(workerIndex_);
}

json RoomMedia::rtpCapabilities() const { return ortc::toJson(plane_.routerCapabilities()); }

Result<void> RoomMedia::ensureOwnsTransport(const std::string& peerId, const std::string& transportId) const {
  const auto it = transports_.find(transportId);
  if (it == transports_.end() || it->second != peerId) return notFound("transport", "transportId");
  return {};
}

Result<json> RoomMedia::createTransport(const std::string& peerId, const json& data) {
  (void)data;
  const auto owned = std::count_if(transports_.begin(), transports_.end(),
                                   [&peerId](const auto& item) { return item.second == peerId; });
  if (static_cast<size_t>(owned) >= kMaxTransportsPerPeer) {
    return makeError(ErrorCode::RateLimited, "too many transports; close one first");
  }
  const std::string transportId = newId();
  auto created = onRouter([&](Router& router) -> Result<media::router::TransportParameters> {
    return router.createWebRtcTransport(transportId);
  });
  if (!created) return created.error();
  transports_[transportId] = peerId;
  json candidates = json::array();
  for (const auto& candidate : plane_.candidates(workerIndex_)) {
    // "ip" for mediasoup-client before 3.7, "address" after.
    json entry{{"foundation", candidate.foundation},
               {"priority", candidate.priority},
               {"address", candidate.address},
               {"ip", candidate.address},
               {"protocol", candidate.protocol},
               {"port", candidate.port},
               {"type", candidate.type}};
    if (!candidate.tcpType.empty()) entry["tcpType"] = candidate.tcpType;  // ICE-TCP: "passive"
    candidates.push_back(std::move(entry));
  }
  return json{{"id", transportId},
              {"iceParameters",
               {{"usernameFragment", created->iceUfrag}, {"password", created->icePassword}, {"iceLite", true}}},
              {"iceCandidates", candidates},
              {"dtlsParameters",
               {{"role", "auto"},
                {"fingerprints", json::array({{{"algorithm", "sha-256"}, {"value", created->fingerprintSha256}}})}}},
              {"iceServers", iceServersFor(plane_.turn(), peerId)}};
}

Result<json> RoomMedia::connectTransport(const std::string& peerId, const json& data) {
  const std::string transportId = data.value("transportId", "");
  if (auto owned = ensureOwnsTransport(peerId, transportId); !owned) return owned.error();
  const auto dtls = data.find("dtlsParameters");
  if (dtls == data.end() || !dtls->is_object()) {
    return makeError(ErrorCode::ValidationFailed, "dtlsParameters must be an object", "dtlsParameters");
  }
  const std::string* role = stringField(*dtls, "role");
  const auto fingerprints = dtls->find("fingerprints");
  if (fingerprints == dtls->end() || !fingerprints->is_array() || fingerprints->empty() || fingerprints->size() > 8) {
    return makeError(ErrorCode::ValidationFailed, "fingerprints must be a non-empty array",
                     "dtlsParameters.fingerprints");
  }
  // RFC 8122 section 5: use the strongest one we know; we check sha-256 (what browsers send).
  const std::string* algorithm = nullptr;
  const std::string* value = nullptr;
  for (const auto& fingerprint : *fingerprints) {
    if (!fingerprint.is_object()) continue;
    const auto* a = stringField(fingerprint, "algorithm");
    const auto* v = stringField(fingerprint, "value");
    if (a && v && *a == "sha-256") {
      algorithm = a;
      value = v;
    }
  }
  if (!algorithm) {
    return makeError(ErrorCode::ValidationFailed, "a sha-256 fingerprint is required", "dtlsParameters.fingerprints");
  }
  const std::string roleText = role ? *role : "auto";
  auto connected = onRouter([&](Router& router) -> Result<void> {
    return router.connectTransport(transportId, roleText, *algorithm, *value);
  });
  if (!connected) return connected.error();
  return json::object();
}

Result<json> RoomMedia::restartIce(const std::string& peerId, const json& data) {
  const std::string transportId = data.value("transportId", "");
  if (auto owned = ensureOwnsTransport(peerId, transportId); !owned) return owned.error();
  auto restarted = onRouter([&](Router& router) -> Result<media::ice::IceCredentials> {
    return router.restartIce(transportId);
  });
  if (!restarted) return restarted.error();
  return json{{"iceParameters",
               {{"usernameFragment", restarted->ufrag}, {"password", restarted->password}, {"iceLite", true}}}};
}

Result<ProducerInfo> RoomMedia::produce(const std::string& peerId, const json& data, MediaSource source,
                                        bool startPaused) {
  const std::string transportId = data.value("transportId", "");
  if (auto owned = ensureOwnsTransport(peerId, transportId); !owned) return owned.error();
  const auto kind = ortc::mediaKindFromName(data.value("kind", ""));
  if (!kind) return makeError(ErrorCode::ValidationFailed, "kind must be audio or video", "kind");
  const bool audioSource = source == MediaSource::Microphone || source == MediaSource::ScreenAudio;
  if (audioSource != (*kind == ortc::MediaKind::Audio)) {
    return makeError(ErrorCode::ValidationFailed, "source does not match kind", "appData.source");
  }
  if (!producersOf(peerId, source).empty()) {
    return makeError(ErrorCode::Conflict, "this source is already being sent; close it first", "appData.source");
  }
  const auto parametersJson = data.find("rtpParameters");
  if (parametersJson == data.end()) {
    return makeError(ErrorCode::ValidationFailed, "rtpParameters is required", "rtpParameters");
  }
  auto parameters = ortc::rtpParametersFromJson(*parametersJson);
  if (!parameters) return inField(parameters.error(), "rtpParameters");
  ProducerInfo info{
      .id = newId(), .peerId = peerId, .transportId = transportId, .kind = *kind, .source = source, .paused = startPaused};
  auto produced = onRouter([&](Router& router) -> Result<void> {
    auto result = router.produce(transportId, info.id, *kind, std::move(*parameters));
    if (!result) return inField(result.error(), "rtpParameters");
    if (startPaused) return router.setProducerPaused(info.id, true);
    return {};
  });
  if (!produced) return produced.error();
  producers_[info.id] = info;
  return info;
}

Result<ProducerInfo> RoomMedia::closeProducer(const std::string& peerId, const std::string& producerId) {
  const auto it = producers_.find(producerId);
  if (it == producers_.end() || it->second.peerId != peerId) return notFound("producer", "producerId");
  ProducerInfo info = it->second;
  producers_.erase(it);
  worker_.invoke([&] {
    if (Router* router = worker_.findRouter(routerId_)) router->closeProducer(producerId);
  });
  return info;
}

Result<ProducerInfo> RoomMedia::setProducerPaused(const std::string& producerId, bool paused) {
  const auto it = producers_.find(producerId);
  if (it == producers_.end()) return notFound("producer", "producerId");
  auto result = onRouter([&](Router& router) -> Result<void> {
    return router.setProducerPaused(producerId, paused);
  });
  if (!result) return result.error();
  it->second.paused = paused;
  return it->second;
}

Result<json> RoomMedia::consume(const std::string& peerId, const json& data) {
  const std::string transportId = data.value("transportId", "");
  const std::string producerId = data.value("producerId", "");
  if (auto owned = ensureOwnsTransport(peerId, transportId); !owned) return owned.error();
  const auto producer = producers_.find(producerId);
  if (producer == producers_.end()) return notFound("producer", "producerId");
  const auto capabilitiesJson = data.find("rtpCapabilities");
  if (capabilitiesJson == data.end()) {
    return makeError(ErrorCode::ValidationFailed, "rtpCapabilities is required", "rtpCapabilities");
  }
  auto capabilities = ortc::rtpCapabilitiesFromJson(*capabilitiesJson);
  if (!capabilities) return inField(capabilities.error(), "rtpCapabilities");
  const std::string consumerId = newId();
  // Created paused: the client resumes once its consumer is set up, so the first packets (and
  // the keyframe asked for on resume) are not lost before the browser can decode them.
  // A shared screen is what everyone looks at: its layers come first when bandwidth is short.
  const uint8_t priority = producer->second.source == MediaSource::Screen ? 2 : 1;
  auto consumed = onRouter([&](Router& router) -> Result<media::router::ConsumerParameters> {
    auto result = router.consume(transportId, consumerId, producerId, *capabilities, true);
    if (result && priority != 1) (void)router.setConsumerPriority(consumerId, priority);
    return result;
  });
  if (!consumed) return consumed.error();
  consumers_[consumerId] = ConsumerInfo{.peerId = peerId, .transportId = transportId};
  return json{{"id", consumerId},
              {"producerId", producerId},
              {"kind", ortc::mediaKindName(consumed->kind)},
              {"rtpParameters", ortc::toJson(consumed->rtpParameters)},
              {"producerPaused", consumed->producerPaused},
              {"appData",
               {{"peerId", producer->second.peerId}, {"source", mediaSourceName(producer->second.source)}}}};
}

Result<json> RoomMedia::setConsumerPaused(const std::string& peerId, const std::string& consumerId, bool paused) {
  const auto it = consumers_.find(consumerId);
  if (it == consumers_.end() || it->second.peerId != peerId) return notFound("consumer", "consumerId");
  auto result = onRouter([&](Router& router) -> Result<void> {
    return router.setConsumerPaused(consumerId, paused);
  });
  if (!result) return result.error();
  return json::object();
}

Result<json> RoomMedia::setPreferredLayers(const std::string& peerId, const json& data) {
  const std::string consumerId = data.value("consumerId", "");
  const auto it = consumers_.find(consumerId);
  if (it == consumers_.end() || it->second.peerId != peerId) return notFound("consumer", "consumerId");
  const auto spatial = static_cast<size_t>(data.value("spatialLayer", 0));
  std::optional<uint8_t> temporal;
  if (data.contains("temporalLayer")) temporal = static_cast<uint8_t>(data["temporalLayer"].get<int>());
  auto result = onRouter([&](Router& router) -> Result<void> {
    return router.setPreferredLayers(consumerId, spatial, temporal);
  });
  if (!result) return result.error();
  return json::object();
}

Result<json> RoomMedia::requestKeyframe(const std::string& peerId, const std::string& consumerId) {
  const auto it = consumers_.find(consumerId);
  if (it == consumers_.end() || it->second.peerId != peerId) return notFound("consumer", "consumerId");
  auto result = onRouter([&](Router& router) -> Result<void> {
    return router.requestConsumerKeyframe(consumerId);
  });
  if (!result) return result.error();
  return json::object();
}

std::vector<ProducerInfo> RoomMedia::closePeer(const std::string& peerId) {
  std::vector<ProducerInfo> closed;
  for (const auto& [id, info] : producers_) {
    if (info.peerId == peerId) closed.push_back(info);
  }
  std::vector<std::string> transportIds;
  for (const auto& [id, owner] : transports_) {
    if (owner == peerId) transportIds.push_back(id);
  }
  if (transportIds.empty() && closed.empty()) return closed;
  for (const auto& info : closed) producers_.erase(info.id);
  std::erase_if(consumers_, [&peerId](const auto& item) { return item.second.peerId == peerId; });
  for (const auto& id : transportIds) transports_.erase(id);
  worker_.invoke([&] {
    Router* router = worker_.findRouter(routerId_);
    if (!router) return;
    // Closing a transport closes its producers (and their consumers) and its consumers.
    for (const auto& id : transportIds) router->closeTransport(id);
  });
  return closed;
}

std::vector<ProducerInfo> RoomMedia::producers() const {
  std::vector<ProducerInfo> result;
  for (const auto& [id, info] : producers_) result.push_back(info);
  return result;
}

std::vector<ProducerInfo> RoomMedia::producersOf(const std::string& peerId, MediaSource source) const {
  std::vector<ProducerInfo> result;
  for (const auto& [id, info] : producers_) {
    if (info.peerId == peerId && info.source == source) result.push_back(info);
  }
  return result;
}

std::optional<std::string> RoomMedia::forgetConsumer(const std::string& consumerId) {
  const auto it = consumers_.find(consumerId);
  if (it == consumers_.end()) return std::nullopt;
  std::string owner = it->second.peerId;
  consumers_.erase(it);
  return owner;
}

std::optional<RoomMedia::ClosedTransport> RoomMedia::forgetTransport(const std::string& transportId) {
  const auto it = transports_.find(transportId);
  if (it == transports_.end()) return std::nullopt;
  ClosedTransport closed{.peerId = it->second, .producers = {}};
  transports_.erase(it);
  // The Router closed the transport's consumers too, without a notice for each.
  std::erase_if(consumers_, [&transportId](const auto& item) { return item.second.transportId == transportId; });
  for (auto producer = producers_.begin(); producer != producers_.end();) {
    if (producer->second.transportId == transportId) {
      closed.producers.push_back(producer->second);
      producer = producers_.erase(producer);
    } else {
      ++producer;
    }
  }
  return closed;
}

std::optional<std::string> RoomMedia::consumerOwner(const std::string& consumerId) const {
  const auto it = consumers_.find(consumerId);
  return it == consumers_.end() ? std::nullopt : std::optional(it->second.peerId);
}

std::optional<std::string> RoomMedia::producerOwner(const std::string& producerId) const {
  const auto it = producers_.find(producerId);
  return it == producers_.end() ? std::nullopt : std::optional(it->second.peerId);
}

}  // namespace fluxmeet::meeting
