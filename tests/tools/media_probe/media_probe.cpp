#include "media_probe.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <random>
#include <utility>

#include "fluxmeet/media/codecs/vp8_payload_descriptor.hpp"
#include "fluxmeet/media/dtls/dtls_certificate.hpp"
#include "fluxmeet/media/ortc/ortc.hpp"
#include "fluxmeet/media/rtcp/common_header.hpp"
#include "fluxmeet/media/rtcp/feedback.hpp"
#include "file_opus_source.hpp"
#include "file_vp8_source.hpp"

namespace fluxmeet::tools {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
namespace client = media::client;
namespace ortc = media::ortc;

constexpr uint32_t kVideoFps = 30;  // synthetic video; a file's frames come at the file's pace
// Chrome's numbers, used when "produce" names no router capabilities to take them from
// (tests/integration/lib/media_fixtures.mjs).
constexpr int kChromeVp8PayloadType = 96;
constexpr int kChromeRtxPayloadType = 97;
constexpr int kChromeOpusPayloadType = 111;
constexpr int kChromeMidExtensionId = 4;
constexpr int kChromeAudioLevelExtensionId = 1;
constexpr const char* kCname = "fluxmeet-media-probe";

Error invalid(std::string message, std::string field) {
  return makeError(ErrorCode::ValidationFailed, std::move(message), std::move(field));
}

int64_t realtimeNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The member `key` of `object` when it is a string (json::value() would throw on another type).
std::optional<std::string> optionalString(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// The member `key` of `object` when it is a string; `path` names it in the error.
Result<std::string> stringMember(const json& object, const char* key, const std::string& path) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return invalid(path + " must be a string", path);
  return it->get<std::string>();
}

Result<const json*> objectMember(const json& object, const char* key, const std::string& path) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_object()) return invalid(path + " must be an object", path);
  return &*it;
}

Result<const json*> arrayMember(const json& object, const char* key, const std::string& path) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return invalid(path + " must be an array", path);
  return &*it;
}

// The server's `protocol` ("udp" or "tcp") candidate on 127.0.0.1 (tests run everything on
// loopback): its port. A tcp one must be passive (RFC 6544 section 4.5): we connect to it.
Result<uint16_t> loopbackPort(const json& candidates, const std::string& protocol) {
  for (const auto& candidate : candidates) {
    if (!candidate.is_object() || optionalString(candidate, "protocol") != protocol) continue;
    if (protocol == "tcp" && optionalString(candidate, "tcpType") != "passive") continue;
    // mediasoup-client renamed "ip" to "address" in 3.7; the server sends both.
    const auto address = candidate.contains("address") ? optionalString(candidate, "address")
                                                       : optionalString(candidate, "ip");
    if (address != "127.0.0.1") continue;
    const auto port = candidate.value("port", json());
    if (port.is_number_integer() && port.get<int64_t>() > 0 && port.get<int64_t>() <= 65535) {
      return static_cast<uint16_t>(port.get<int64_t>());
    }
  }
  return invalid("no " + protocol + " candidate on 127.0.0.1 with a valid port", "transport.iceCandidates");
}

bool sameMimeType(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

// The router's preferred payload type for `mimeType` (case-insensitive), or for the RTX codec
// whose apt is `apt`.
std::optional<int> routerPayloadType(const ortc::RtpCapabilities& router, std::string_view mimeType,
                                     std::optional<int> apt = std::nullopt) {
  for (const auto& codec : router.codecs) {
    if (!sameMimeType(codec.mimeType, mimeType)) continue;
    if (apt && ortc::integerParameter(codec.parameters, "apt") != *apt) continue;
    return codec.preferredPayloadType;
  }
  return std::nullopt;
}

std::optional<int> routerExtensionId(const ortc::RtpCapabilities& router, ortc::MediaKind kind, std::string_view uri) {
  for (const auto& extension : router.headerExtensions) {
    if (extension.uri == uri && (!extension.kind || *extension.kind == kind)) return extension.preferredId;
  }
  return std::nullopt;
}

// The video source of a "produce": one encoding signalled by SSRC (no simulcast), with the
// router's payload types and mid extension id. Synthetic (keyframes on the first frame and on
// request) or the frames of `file`.
Result<std::unique_ptr<ProbeSource>> videoSource(const ortc::RtpCapabilities& router, const std::string& mid,
                                                 uint32_t ssrc, const std::optional<std::string>& file) {
  const int payloadType = routerPayloadType(router, "video/VP8").value_or(kChromeVp8PayloadType);
  const int rtxPayloadType = routerPayloadType(router, "video/rtx", payloadType).value_or(kChromeRtxPayloadType);
  const int midId = routerExtensionId(router, ortc::MediaKind::Video, ortc::kMidUri).value_or(kChromeMidExtensionId);
  client::SyntheticVp8Options stream{.layers = {{.ssrc = ssrc, .bitrate = 300000, .width = 320, .height = 180}},
                                     .payloadType = static_cast<uint8_t>(payloadType),
                                     .rtxPayloadType = static_cast<uint8_t>(rtxPayloadType),
                                     .mid = mid,
                                     .midExtensionId = static_cast<uint8_t>(midId),
                                     .fps = kVideoFps,
                                     .cname = kCname};
  if (!file) return makeSyntheticVideoSource(std::move(stream));
  auto opened = FileVp8Source::open(*file, std::move(stream));
  if (!opened) return opened.error();
  std::fprintf(stderr, "[probe] video from %s: %zu frames\n", file->c_str(), (*opened)->frameCount());
  return std::unique_ptr<ProbeSource>(std::move(*opened));
}

// The audio source of a "produce": Opus with the router's payload type, mid and audio level
// extension ids; synthetic or the packets of `file`.
Result<std::unique_ptr<ProbeSource>> audioSource(const ortc::RtpCapabilities& router, const std::string& mid,
                                                 uint32_t ssrc, const std::optional<std::string>& file) {
  const int payloadType = routerPayloadType(router, "audio/opus").value_or(kChromeOpusPayloadType);
  const int midId = routerExtensionId(router, ortc::MediaKind::Audio, ortc::kMidUri).value_or(kChromeMidExtensionId);
  const int levelId =
      routerExtensionId(router, ortc::MediaKind::Audio, ortc::kAudioLevelUri).value_or(kChromeAudioLevelExtensionId);
  client::SyntheticOpusOptions stream{.ssrc = ssrc,
                                      .payloadType = static_cast<uint8_t>(payloadType),
                                      .mid = mid,
                                      .midExtensionId = static_cast<uint8_t>(midId),
                                      .audioLevelExtensionId = static_cast<uint8_t>(levelId),
                                      .cname = kCname};
  if (!file) return makeSyntheticAudioSource(std::move(stream));
  auto opened = FileOpusSource::open(*file, std::move(stream));
  if (!opened) return opened.error();
  std::fprintf(stderr, "[probe] audio from %s: %zu packets\n", file->c_str(), (*opened)->packetCount());
  return std::unique_ptr<ProbeSource>(std::move(*opened));
}

}  // namespace

Result<std::unique_ptr<MediaProbe>> MediaProbe::create(EventSink events) {
  auto certificate = media::dtls::DtlsCertificate::generate();
  if (!certificate) return certificate.error();
  auto created = client::MediaClient::create({.certificate = std::move(*certificate)});
  if (!created) return created.error();
  return std::unique_ptr<MediaProbe>(new MediaProbe(std::move(*created), std::move(events)));
}

MediaProbe::MediaProbe(std::unique_ptr<client::MediaClient> client, EventSink events)
    : client_(std::move(client)), events_(std::move(events)) {
  client_->setRtpHandler([this](media::rtp::RtpPacketView& packet, int64_t) { onRtp(packet); });
  client_->setRtcpHandler([this](const media::rtcp::RtcpCompound& compound) { onRtcp(compound); });
}

Result<json> MediaProbe::handle(const json& command) {
  if (!command.is_object()) return invalid("a command is a JSON object", "");
  auto name = stringMember(command, "cmd", "cmd");
  if (!name) return name.error();
  if (*name == "connect") return connect(command);
  if (*name == "produce") return produce(command);
  if (*name == "expect") return expect(command);
  if (*name == "stats") return stats();
  return makeError(ErrorCode::NotFound, "unknown command \"" + *name + "\"", "cmd");
}

Result<json> MediaProbe::connect(const json& command) {
  auto transport = objectMember(command, "transport", "transport");
  if (!transport) return transport.error();
  auto ice = objectMember(**transport, "iceParameters", "transport.iceParameters");
  if (!ice) return ice.error();
  auto ufrag = stringMember(**ice, "usernameFragment", "transport.iceParameters.usernameFragment");
  if (!ufrag) return ufrag.error();
  auto password = stringMember(**ice, "password", "transport.iceParameters.password");
  if (!password) return password.error();
  auto candidates = arrayMember(**transport, "iceCandidates", "transport.iceCandidates");
  if (!candidates) return candidates.error();
  const std::string protocol = optionalString(command, "protocol").value_or("udp");
  if (protocol != "udp" && protocol != "tcp") return invalid("protocol must be \"udp\" or \"tcp\"", "protocol");
  auto port = loopbackPort(**candidates, protocol);
  if (!port) return port.error();
  auto dtls = objectMember(**transport, "dtlsParameters", "transport.dtlsParameters");
  if (!dtls) return dtls.error();
  auto fingerprints = arrayMember(**dtls, "fingerprints", "transport.dtlsParameters.fingerprints");
  if (!fingerprints) return fingerprints.error();
  std::optional<std::string> fingerprint;
  for (const auto& entry : **fingerprints) {
    if (entry.is_object() && optionalString(entry, "algorithm") == "sha-256") fingerprint = optionalString(entry, "value");
    if (fingerprint) break;
  }
  if (!fingerprint) return invalid("no sha-256 fingerprint", "transport.dtlsParameters.fingerprints");

  auto candidate = media::ice::makeIpv4Address(127, 0, 0, 1, *port);
  if (protocol == "tcp") candidate.protocol = media::ice::TransportProtocol::Tcp;
  auto connected = client_->connect({.candidate = candidate, .ice = {*ufrag, *password}, .fingerprint = *fingerprint});
  if (!connected) return connected.error();
  std::fprintf(stderr, "[probe] connecting %s -> %s\n", media::ice::formatTransportAddress(client_->localAddress()).c_str(),
               media::ice::formatTransportAddress(candidate).c_str());
  // mediasoup-client answers the server's role "auto" with "client": we send the ClientHello.
  return json{{"dtlsParameters",
               {{"role", "client"},
                {"fingerprints", json::array({{{"algorithm", "sha-256"}, {"value", client_->fingerprintSha256()}}})}}}};
}

Result<json> MediaProbe::produce(const json& command) {
  auto kind = stringMember(command, "kind", "kind");
  if (!kind) return kind.error();
  if (*kind != "video" && *kind != "audio") return invalid("kind must be \"video\" or \"audio\"", "kind");
  if ((*kind == "video" && video_) || (*kind == "audio" && audio_)) {
    return makeError(ErrorCode::Conflict, "already producing " + *kind, "kind");
  }
  // Optional: the router's capabilities, so the packets carry the router's own numbers.
  ortc::RtpCapabilities router;
  if (const auto it = command.find("rtpCapabilities"); it != command.end()) {
    auto parsed = ortc::rtpCapabilitiesFromJson(*it);
    if (!parsed) return invalid(parsed.error().message, "rtpCapabilities." + parsed.error().field);
    router = std::move(*parsed);
  }
  // Optional: an .ivf (video) or Ogg Opus (audio) file to send instead of synthetic media.
  std::optional<std::string> file;
  if (const auto it = command.find("file"); it != command.end()) {
    if (!it->is_string() || !std::filesystem::path(it->get<std::string>()).is_absolute()) {
      return invalid("file must be an absolute path", "file");
    }
    file = it->get<std::string>();
  }
  const std::string mid = std::to_string(nextMid_);
  const uint32_t ssrc = newSsrc();
  auto source = *kind == "video" ? videoSource(router, mid, ssrc, file) : audioSource(router, mid, ssrc, file);
  if (!source) return source.error();
  ++nextMid_;  // only for a producer that exists: a refused file takes no mid
  const ortc::RtpParameters parameters = (*source)->producerParameters();
  if (*kind == "video") {
    video_ = std::move(*source);
    nextVideo_ = {};
  } else {
    audio_ = std::move(*source);
    nextAudio_ = {};
  }
  std::fprintf(stderr, "[probe] producing %s ssrc %u mid %s\n", kind->c_str(), ssrc, mid.c_str());
  return json{{"rtpParameters", ortc::toJson(parameters)}, {"ssrc", ssrc}};
}

Result<json> MediaProbe::expect(const json& command) {
  auto consumer = objectMember(command, "consumer", "consumer");
  if (!consumer) return consumer.error();
  auto id = stringMember(**consumer, "id", "consumer.id");
  if (!id) return id.error();
  auto kind = stringMember(**consumer, "kind", "consumer.kind");
  if (!kind) return kind.error();
  const auto it = (*consumer)->find("rtpParameters");
  if (it == (*consumer)->end()) return invalid("consumer.rtpParameters is missing", "consumer.rtpParameters");
  auto parameters = ortc::rtpParametersFromJson(*it);
  if (!parameters) return invalid(parameters.error().message, "consumer.rtpParameters." + parameters.error().field);
  if (parameters->encodings.empty() || !parameters->encodings.front().ssrc) {
    return invalid("the consumer has no encoding with an ssrc", "consumer.rtpParameters.encodings");
  }
  const auto& encoding = parameters->encodings.front();
  // A consumer has one media codec (plus its RTX), first.
  const bool vp8 = !parameters->codecs.empty() && sameMimeType(parameters->codecs.front().mimeType, "video/VP8");
  auto& media = received_[*encoding.ssrc];
  media.consumerId = *id;
  media.kind = *kind;
  media.vp8 = vp8;
  json answer{{"ssrc", *encoding.ssrc}};
  if (encoding.rtxSsrc) {
    auto& rtx = received_[*encoding.rtxSsrc];
    rtx.consumerId = *id;
    rtx.kind = *kind;
    rtx.rtx = true;
    answer["rtxSsrc"] = *encoding.rtxSsrc;
  }
  return answer;
}

json MediaProbe::stats() const {
  const auto& counts = client_->stats();
  json bySsrc = json::object();
  uint64_t keyframesReceived = 0;
  uint64_t unexpected = 0;
  for (const auto& [ssrc, media] : received_) {
    keyframesReceived += media.keyframes;
    if (media.consumerId.empty()) unexpected += media.packets;
    json entry{{"packets", media.packets}, {"bytes", media.bytes}, {"keyframes", media.keyframes}};
    if (!media.consumerId.empty()) {
      entry["consumerId"] = media.consumerId;
      entry["kind"] = media.kind;
      entry["rtx"] = media.rtx;
    }
    bySsrc[std::to_string(ssrc)] = std::move(entry);
  }
  return json{{"state", client::mediaClientStateName(client_->state())},
              {"rtpSent", counts.rtpSent},
              {"rtcpSent", counts.rtcpSent},
              {"rtpReceived", counts.rtpReceived},
              {"rtcpReceived", counts.rtcpReceived},
              {"bytesReceived", counts.bytesReceived},
              {"srtpFailures", counts.srtpFailures},
              {"keyframeRequests", keyframeRequests_},
              {"keyframesSent", video_ ? video_->keyframesSent() : 0},
              {"keyframesReceived", keyframesReceived},
              {"unexpectedRtp", unexpected},
              {"bySsrc", std::move(bySsrc)}};
}

void MediaProbe::tick(Clock::time_point now) {
  client_->poll(0ms);
  if (client_->state() != reportedState_) {
    reportedState_ = client_->state();
    if (reportedState_ == client::MediaClientState::Connected) {
      events_({{"event", "connected"}});
    } else if (reportedState_ == client::MediaClientState::Failed) {
      events_({{"event", "failed"}, {"reason", client_->failure()}});
    }
  }
  sendMedia(now);
}

std::optional<MediaProbe::Clock::time_point> MediaProbe::nextSendAt() const {
  if (!client_->connected()) return std::nullopt;
  std::optional<Clock::time_point> next;
  if (video_) next = nextVideo_;
  if (audio_) next = next ? std::min(*next, nextAudio_) : nextAudio_;
  return next;
}

void MediaProbe::sendMedia(Clock::time_point now) {
  if (!client_->connected()) return;
  const auto send = [this](std::span<const uint8_t> packet) { client_->sendRtp(packet); };
  if (video_ && now >= nextVideo_) {
    nextVideo_ = std::max<Clock::time_point>(nextVideo_ + video_->sendFrame(realtimeNs(), send), now);
  }
  if (audio_ && now >= nextAudio_) {
    nextAudio_ = std::max<Clock::time_point>(nextAudio_ + audio_->sendFrame(realtimeNs(), send), now);
  }
}

void MediaProbe::onRtp(media::rtp::RtpPacketView& packet) {
  auto& media = received_[packet.ssrc()];  // allocates only for an SSRC not seen before
  ++media.packets;
  media.bytes += packet.bytes().size();
  if (!media.vp8) return;
  const auto descriptor = media::codecs::Vp8PayloadDescriptor::parse(packet.payload());
  if (descriptor && descriptor->startsFrame() && descriptor->isKeyframe()) ++media.keyframes;
}

// A browser's encoder answers PLI (RFC 4585 section 6.3.1) and FIR (RFC 5104 section 4.3.1)
// with a keyframe on the named stream; a file source cannot, and its next keyframe answers.
void MediaProbe::onRtcp(const media::rtcp::RtcpCompound& compound) {
  if (!video_) return;
  for (const auto& packet : compound) {
    if (packet.packetType != media::rtcp::packet_type::kPayloadFeedback) continue;
    if (packet.count == media::rtcp::fmt::kPli) {
      const auto pli = media::rtcp::parsePli(packet);
      if (pli && video_->requestKeyframe(pli->mediaSsrc)) ++keyframeRequests_;
    } else if (packet.count == media::rtcp::fmt::kFir) {
      const auto fir = media::rtcp::FirView::parse(packet);
      for (size_t i = 0; fir && i < fir->entryCount(); ++i) {
        if (video_->requestKeyframe(fir->entry(i).ssrc)) ++keyframeRequests_;
      }
    }
  }
}

uint32_t MediaProbe::newSsrc() {
  static std::mt19937 random{std::random_device{}()};
  uint32_t ssrc = 0;
  while (ssrc == 0 || received_.contains(ssrc)) ssrc = static_cast<uint32_t>(random());
  return ssrc;
}

}  // namespace fluxmeet::tools
