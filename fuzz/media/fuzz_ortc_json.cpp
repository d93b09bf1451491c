// libFuzzer target for the ORTC JSON a client sends (mediasoup-client's
// RtpParameters in "produce", RtpCapabilities in "consume"): parsing must never
// throw or crash, what parses must survive a toJson round trip unchanged, and
// the negotiation steps a valid producer goes through (validate, map,
// consumable, canConsume, consumer parameters) must hold against the router's
// capabilities and against the parsed capabilities themselves.
// Input: one JSON text; its first byte also picks video or audio for the
// producer steps.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "fluxmeet/media/ortc/default_codecs.hpp"
#include "fluxmeet/media/ortc/ortc.hpp"
#include "fluxmeet/media/ortc/rtp_parameters.hpp"
#include "media/fuzz_check.hpp"

namespace {

namespace ortc = fluxmeet::media::ortc;

const ortc::RtpCapabilities &routerCapabilities() {
  static const auto capabilities = ortc::generateRouterRtpCapabilities(ortc::defaultMediaCodecs()).value();
  return capabilities;
}

void exerciseParameters(const nlohmann::json &json, ortc::MediaKind kind) {
  const auto parameters = ortc::rtpParametersFromJson(json);
  if (!parameters) return;
  const auto again = ortc::rtpParametersFromJson(ortc::toJson(*parameters));
  FUZZ_CHECK(again.ok() && *again == *parameters);
  if (!ortc::validateProducerRtpParameters(kind, *parameters)) return;
  const auto mapping = ortc::getProducerRtpParametersMapping(*parameters, routerCapabilities(), 1000);
  if (!mapping) return;
  FUZZ_CHECK(mapping->encodings.size() == parameters->encodings.size());
  const auto consumable = ortc::getConsumableRtpParameters(kind, *parameters, routerCapabilities(), *mapping);
  if (!ortc::canConsume(consumable, routerCapabilities())) return;
  const auto consumer = ortc::getConsumerRtpParameters(consumable, routerCapabilities(), 2000, 2001);
  FUZZ_CHECK(!consumer || consumer->encodings.size() == 1);
}

void exerciseCapabilities(const nlohmann::json &json) {
  const auto capabilities = ortc::rtpCapabilitiesFromJson(json);
  if (!capabilities) return;
  const auto again = ortc::rtpCapabilitiesFromJson(ortc::toJson(*capabilities));
  FUZZ_CHECK(again.ok() && *again == *capabilities);
  (void)ortc::unusedHeaderExtensionId(*capabilities);
  // A device with these capabilities consuming a camera the router forwards.
  static const auto camera = [] {
    const auto &router = routerCapabilities();
    ortc::RtpParameters producer;
    for (const auto &codec : router.codecs) {
      if (codec.mimeType != "video/VP8") continue;
      producer.codecs.push_back({.mimeType = codec.mimeType,
                                 .payloadType = 96,
                                 .clockRate = codec.clockRate,
                                 .parameters = {},
                                 .rtcpFeedback = {}});
    }
    producer.encodings.push_back({.ssrc = 1234});
    const auto mapping = ortc::getProducerRtpParametersMapping(producer, router, 1000).value();
    return ortc::getConsumableRtpParameters(ortc::MediaKind::Video, producer, router, mapping);
  }();
  if (!ortc::canConsume(camera, *capabilities)) return;
  const auto consumer = ortc::getConsumerRtpParameters(camera, *capabilities, 2000, 2001);
  FUZZ_CHECK(consumer.ok() && consumer->encodings.size() == 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  const auto json = nlohmann::json::parse(std::string_view(reinterpret_cast<const char *>(data), size), nullptr,
                                          /*allow_exceptions=*/false);
  if (json.is_discarded()) return 0;
  exerciseParameters(json, (data[0] & 1) != 0 ? ortc::MediaKind::Video : ortc::MediaKind::Audio);
  exerciseCapabilities(json);
  return 0;
}
