#include "fluxmeet/media/ortc/ortc.hpp"

#include <algorithm>
#include <cctype>
#include <deque>
#include <set>
#include <utility>

#include "fluxmeet/media/ortc/h264_profile_level_id.hpp"

namespace fluxmeet::media::ortc {
namespace {

std::string lowercase(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

std::string indexed(std::string_view list, size_t index) {
  return std::string(list) + "[" + std::to_string(index) + "]";
}

Error validationError(std::string field, std::string_view rule) {
  std::string message = field + " " + std::string(rule);
  return makeError(ErrorCode::ValidationFailed, std::move(message), std::move(field));
}

// RFC 4566 section 6: a missing channel count means one for audio; video has none.
template <class Codec>
std::optional<int> effectiveChannels(const Codec& codec) {
  if (mediaKindFromMimeType(codec.mimeType) != MediaKind::Audio) return std::nullopt;
  return codec.channels.value_or(1);
}

// RFC 6184 section 8.1 and RFC 9628 (VP9) section 6: an absent value means 0.
std::string parameterOrZero(const Parameters& parameters, std::string_view key) {
  return parameterAsString(parameters, key).value_or("0");
}

// Whether two codecs are the same codec. Strict matching is for negotiation (producer against
// router, router against device): H.264 must agree on packetization mode and profile, VP9 on
// profile. Non-strict matching only identifies the codec family (for router configuration).
template <class A, class B>
bool matchCodecs(const A& a, const B& b, bool strict) {
  std::string mimeType = lowercase(a.mimeType);
  if (mimeType != lowercase(b.mimeType) || a.clockRate != b.clockRate ||
      effectiveChannels(a) != effectiveChannels(b)) {
    return false;
  }
  if (!strict) return true;
  if (mimeType == "video/h264" || mimeType == "video/h264-svc") {
    return parameterOrZero(a.parameters, "packetization-mode") ==
               parameterOrZero(b.parameters, "packetization-mode") &&
           h264::isSameProfile(a.parameters, b.parameters) &&
           h264::profileLevelIdForAnswer(a.parameters, b.parameters).ok();
  }
  if (mimeType == "video/vp9") {
    return parameterOrZero(a.parameters, "profile-id") ==
           parameterOrZero(b.parameters, "profile-id");
  }
  return true;
}

template <class Codec>
std::optional<int64_t> aptOf(const Codec& codec) {
  return integerParameter(codec.parameters, "apt");
}

std::vector<RtcpFeedback> allVideoFeedback() {
  return {{"nack", ""}, {"nack", "pli"}, {"ccm", "fir"}, {"goog-remb", ""}, {"transport-cc", ""}};
}

RtpCodecCapability supported(MediaKind kind, std::string mimeType, std::optional<int> payloadType,
                             uint32_t clockRate, std::optional<int> channels,
                             Parameters parameters) {
  return RtpCodecCapability{.kind = kind,
                            .mimeType = std::move(mimeType),
                            .preferredPayloadType = payloadType,
                            .clockRate = clockRate,
                            .channels = channels,
                            .parameters = std::move(parameters),
                            .rtcpFeedback = kind == MediaKind::Video
                                                ? allVideoFeedback()
                                                : std::vector<RtcpFeedback>{{"transport-cc", ""}}};
}

RtpHeaderExtension extension(MediaKind kind, std::string_view uri, int id,
                             std::string_view direction) {
  return RtpHeaderExtension{.kind = kind,
                            .uri = std::string(uri),
                            .preferredId = id,
                            .preferredEncrypt = false,
                            .direction = std::string(direction)};
}

// mediasoup's order: 100..127 first, then 96..99.
std::deque<int> dynamicPayloadTypes() {
  std::deque<int> payloadTypes;
  for (int payloadType = 100; payloadType <= kMaxPayloadType; ++payloadType) {
    payloadTypes.push_back(payloadType);
  }
  for (int payloadType = kFirstDynamicPayloadType; payloadType < 100; ++payloadType) {
    payloadTypes.push_back(payloadType);
  }
  return payloadTypes;
}

std::vector<RtcpFeedback> routerFeedback(const RtpCodecCapability& requested,
                                         const RtpCodecCapability& supportedCodec) {
  if (requested.rtcpFeedback.empty()) return supportedCodec.rtcpFeedback;
  std::vector<RtcpFeedback> feedback;
  for (const auto& entry : requested.rtcpFeedback) {
    if (std::ranges::find(supportedCodec.rtcpFeedback, entry) !=
        supportedCodec.rtcpFeedback.end()) {
      feedback.push_back(entry);
    }
  }
  return feedback;
}

const RtpCodecCapability* findRtxFor(const RtpCapabilities& capabilities, int mediaPayloadType) {
  for (const auto& codec : capabilities.codecs) {
    if (isRtxMimeType(codec.mimeType) && aptOf(codec) == mediaPayloadType) return &codec;
  }
  return nullptr;
}

const RtpCodecCapability* findByPayloadType(const RtpCapabilities& capabilities, int payloadType) {
  for (const auto& codec : capabilities.codecs) {
    if (codec.preferredPayloadType == payloadType) return &codec;
  }
  return nullptr;
}

bool isH264(std::string_view mimeType) {
  std::string lower = lowercase(mimeType);
  return lower == "video/h264" || lower == "video/h264-svc";
}

// The consumable keeps the producer's parameters, except that an H.264 profile-level-id becomes
// what the router answers (RFC 6184 section 8.2.2), as the negotiation with the producer did.
Parameters consumableCodecParameters(const RtpCodecParameters& producerCodec,
                                     const RtpCodecCapability& routerCodec) {
  Parameters parameters = producerCodec.parameters;
  if (!isH264(producerCodec.mimeType)) return parameters;
  auto answer = h264::profileLevelIdForAnswer(producerCodec.parameters, routerCodec.parameters);
  if (!answer.ok()) return parameters;
  if (answer.value()) {
    parameters["profile-level-id"] = *answer.value();
  } else {
    parameters.erase("profile-level-id");
  }
  return parameters;
}

std::vector<RtcpFeedback> feedbackBothSupport(const std::vector<RtcpFeedback>& ours,
                                              const std::vector<RtcpFeedback>& theirs) {
  std::vector<RtcpFeedback> feedback;
  for (const auto& entry : ours) {
    if (std::ranges::find(theirs, entry) != theirs.end()) feedback.push_back(entry);
  }
  return feedback;
}

bool hasExtension(const std::vector<RtpHeaderExtensionParameters>& extensions,
                  std::string_view uri) {
  return std::ranges::any_of(extensions, [uri](const auto& ext) { return ext.uri == uri; });
}

// Congestion control feedback only makes sense with its header extension: transport-cc needs the
// transport-wide sequence number, REMB needs abs-send-time. Prefer transport-cc, as browsers do.
void reduceCongestionControlFeedback(RtpParameters& parameters) {
  auto dropType = [&parameters](std::string_view type) {
    for (auto& codec : parameters.codecs) {
      std::erase_if(codec.rtcpFeedback, [type](const RtcpFeedback& fb) { return fb.type == type; });
    }
  };
  if (hasExtension(parameters.headerExtensions, kTransportWideCcUri)) {
    dropType("goog-remb");
  } else if (hasExtension(parameters.headerExtensions, kAbsSendTimeUri)) {
    dropType("transport-cc");
  } else {
    dropType("transport-cc");
    dropType("goog-remb");
  }
}

}  // namespace

uint8_t unusedHeaderExtensionId(const RtpCapabilities& router) {
  for (uint8_t id = 14; id >= 1; --id) {
    const bool used = std::ranges::any_of(router.headerExtensions,
                                          [id](const auto& extension) { return extension.preferredId == id; });
    if (!used) return id;
  }
  return 15;
}

ScalabilityMode parseScalabilityMode(std::string_view mode) {
  // ^[LS]([1-9][0-9]?)T([1-9][0-9]?) followed by anything ("_KEY", "h", "_KEY_SHIFT").
  auto readCount = [&mode](size_t& position) -> std::optional<int> {
    if (position >= mode.size() || mode[position] < '1' || mode[position] > '9') return {};
    int count = mode[position++] - '0';
    if (position < mode.size() && std::isdigit(static_cast<unsigned char>(mode[position]))) {
      count = count * 10 + (mode[position++] - '0');
    }
    return count;
  };
  if (mode.empty() || (mode[0] != 'L' && mode[0] != 'S')) return {};
  size_t position = 1;
  auto spatial = readCount(position);
  if (!spatial || position >= mode.size() || mode[position] != 'T') return {};
  ++position;
  auto temporal = readCount(position);
  if (!temporal) return {};
  return ScalabilityMode{*spatial, *temporal};
}

const std::vector<RtpCodecCapability>& supportedCodecs() {
  static const std::vector<RtpCodecCapability> codecs = {
      supported(MediaKind::Audio, "audio/opus", std::nullopt, 48000, 2, {}),
      // RFC 3551 section 6 static payload types.
      supported(MediaKind::Audio, "audio/PCMU", 0, 8000, 1, {}),
      supported(MediaKind::Audio, "audio/PCMA", 8, 8000, 1, {}),
      supported(MediaKind::Audio, "audio/G722", 9, 8000, 1, {}),
      supported(MediaKind::Video, "video/VP8", std::nullopt, 90000, std::nullopt, {}),
      supported(MediaKind::Video, "video/VP9", std::nullopt, 90000, std::nullopt, {}),
      supported(MediaKind::Video, "video/H264", std::nullopt, 90000, std::nullopt,
                {{"level-asymmetry-allowed", int64_t{1}}}),
      supported(MediaKind::Video, "video/AV1", std::nullopt, 90000, std::nullopt, {}),
  };
  return codecs;
}

const std::vector<RtpHeaderExtension>& supportedHeaderExtensions() {
  // Ids and directions as mediasoup advertises them. rid/repaired-rid are only received (the SFU
  // rewrites simulcast into one SSRC per consumer); transport-cc for audio is only received too,
  // since libwebrtc estimates bandwidth from video.
  static const std::vector<RtpHeaderExtension> extensions = {
      extension(MediaKind::Audio, kMidUri, 1, "sendrecv"),
      extension(MediaKind::Video, kMidUri, 1, "sendrecv"),
      extension(MediaKind::Video, kRtpStreamIdUri, 2, "recvonly"),
      extension(MediaKind::Video, kRepairedRtpStreamIdUri, 3, "recvonly"),
      extension(MediaKind::Audio, kAbsSendTimeUri, 4, "sendrecv"),
      extension(MediaKind::Video, kAbsSendTimeUri, 4, "sendrecv"),
      extension(MediaKind::Audio, kTransportWideCcUri, 5, "recvonly"),
      extension(MediaKind::Video, kTransportWideCcUri, 5, "sendrecv"),
      extension(MediaKind::Audio, kAudioLevelUri, 10, "sendrecv"),
      extension(MediaKind::Video, kVideoOrientationUri, 11, "sendrecv"),
      extension(MediaKind::Video, kTransmissionOffsetUri, 12, "sendrecv"),
  };
  return extensions;
}

Result<RtpCapabilities> generateRouterRtpCapabilities(
    const std::vector<RtpCodecCapability>& mediaCodecs) {
  std::deque<int> freePayloadTypes = dynamicPayloadTypes();
  // Payload types chosen by the operator are never handed out automatically.
  for (const auto& codec : mediaCodecs) {
    if (codec.preferredPayloadType) std::erase(freePayloadTypes, *codec.preferredPayloadType);
  }
  auto takePayloadType = [&freePayloadTypes]() -> std::optional<int> {
    if (freePayloadTypes.empty()) return std::nullopt;
    int payloadType = freePayloadTypes.front();
    freePayloadTypes.pop_front();
    return payloadType;
  };

  RtpCapabilities capabilities;
  std::set<int> usedPayloadTypes;
  for (size_t i = 0; i < mediaCodecs.size(); ++i) {
    const auto& requested = mediaCodecs[i];
    std::string field = indexed("mediaCodecs", i);
    auto kind = mediaKindFromMimeType(requested.mimeType);
    if (!kind || *kind != requested.kind) {
      return validationError(field + ".mimeType", "must be audio/<name> or video/<name> of kind");
    }
    const auto& supportedList = supportedCodecs();
    auto match = std::ranges::find_if(supportedList, [&requested](const auto& candidate) {
      return matchCodecs(requested, candidate, false);
    });
    if (match == supportedList.end()) {
      return makeError(ErrorCode::Unprocessable, "media codec not supported: " + requested.mimeType,
                       field);
    }
    RtpCodecCapability codec = *match;
    if (requested.preferredPayloadType) {
      if (*requested.preferredPayloadType < 0 ||
          *requested.preferredPayloadType > kMaxPayloadType) {
        return validationError(field + ".preferredPayloadType", "must be in 0..127");
      }
      codec.preferredPayloadType = requested.preferredPayloadType;
    } else if (!codec.preferredPayloadType) {
      codec.preferredPayloadType = takePayloadType();
      if (!codec.preferredPayloadType) {
        return makeError(ErrorCode::Unprocessable, "no dynamic payload type left", field);
      }
    }
    if (!usedPayloadTypes.insert(*codec.preferredPayloadType).second) {
      return validationError(field + ".preferredPayloadType", "is used twice");
    }
    for (const auto& [key, value] : requested.parameters) codec.parameters[key] = value;
    codec.rtcpFeedback = routerFeedback(requested, *match);
    capabilities.codecs.push_back(codec);

    // RFC 4588 section 8.6: every video codec gets a retransmission codec naming it in apt.
    if (codec.kind == MediaKind::Video) {
      auto rtxPayloadType = takePayloadType();
      if (!rtxPayloadType || !usedPayloadTypes.insert(*rtxPayloadType).second) {
        return makeError(ErrorCode::Unprocessable, "no dynamic payload type left for RTX", field);
      }
      capabilities.codecs.push_back(
          RtpCodecCapability{.kind = MediaKind::Video,
                             .mimeType = "video/rtx",
                             .preferredPayloadType = rtxPayloadType,
                             .clockRate = codec.clockRate,
                             .parameters = {{"apt", int64_t{*codec.preferredPayloadType}}}});
    }
  }
  capabilities.headerExtensions = supportedHeaderExtensions();
  return capabilities;
}

Result<void> validateProducerRtpParameters(MediaKind kind, const RtpParameters& producer) {
  std::set<int> payloadTypes;
  std::set<int> mediaPayloadTypes;
  for (size_t i = 0; i < producer.codecs.size(); ++i) {
    const auto& codec = producer.codecs[i];
    if (mediaKindFromMimeType(codec.mimeType) != kind) {
      return validationError(indexed("codecs", i) + ".mimeType",
                             "must be " + std::string(mediaKindName(kind)) + "/<name>");
    }
    if (!payloadTypes.insert(codec.payloadType).second) {
      return validationError(indexed("codecs", i) + ".payloadType", "is used twice");
    }
    if (!isRtxMimeType(codec.mimeType)) mediaPayloadTypes.insert(codec.payloadType);
  }
  if (mediaPayloadTypes.empty()) return validationError("codecs", "must have a media codec");
  for (size_t i = 0; i < producer.codecs.size(); ++i) {
    const auto& codec = producer.codecs[i];
    if (isRtxMimeType(codec.mimeType) &&
        (!aptOf(codec) || !mediaPayloadTypes.contains(static_cast<int>(*aptOf(codec))))) {
      return validationError(indexed("codecs", i) + ".parameters.apt",
                             "must be the payload type of a media codec");
    }
  }

  const auto& encodings = producer.encodings;
  if (encodings.empty()) return validationError("encodings", "must have at least one encoding");
  std::set<std::string> rids;
  std::set<uint32_t> ssrcs;
  for (size_t i = 0; i < encodings.size(); ++i) {
    const auto& encoding = encodings[i];
    std::string field = indexed("encodings", i);
    if (!encoding.ssrc && !encoding.rid) return validationError(field, "needs an ssrc or a rid");
    // RFC 8853 simulcast is either all rids or all SSRCs; a mix cannot be told apart on the wire.
    if (encodings.size() > 1 && encodings[0].rid.has_value() != encoding.rid.has_value()) {
      return validationError(field + ".rid", "must be set on all encodings or on none");
    }
    if (encoding.rid && !rids.insert(*encoding.rid).second) {
      return validationError(field + ".rid", "is used twice");
    }
    if (encoding.ssrc && !ssrcs.insert(*encoding.ssrc).second) {
      return validationError(field + ".ssrc", "is used twice");
    }
    if (encoding.codecPayloadType && !mediaPayloadTypes.contains(*encoding.codecPayloadType)) {
      return validationError(field + ".codecPayloadType",
                             "must be the payload type of a media codec");
    }
    if (encodings.size() > 1 && encoding.scalabilityMode &&
        parseScalabilityMode(*encoding.scalabilityMode).spatialLayers > 1) {
      return validationError(field + ".scalabilityMode",
                             "cannot have spatial layers when simulcasting");
    }
  }
  return {};
}

Result<RtpMapping> getProducerRtpParametersMapping(const RtpParameters& producer,
                                                   const RtpCapabilities& router,
                                                   uint32_t firstMappedSsrc) {
  RtpMapping mapping;
  // Media codecs first, then their RTX codecs (an RTX codec maps to the RTX of its media codec).
  for (size_t i = 0; i < producer.codecs.size(); ++i) {
    const auto& codec = producer.codecs[i];
    if (isRtxMimeType(codec.mimeType)) continue;
    auto match = std::ranges::find_if(router.codecs, [&codec](const auto& routerCodec) {
      return routerCodec.preferredPayloadType && matchCodecs(codec, routerCodec, true);
    });
    if (match == router.codecs.end()) {
      return makeError(ErrorCode::Unprocessable,
                       "codec not supported by the router: " + codec.mimeType + " payload type " +
                           std::to_string(codec.payloadType),
                       indexed("codecs", i));
    }
    mapping.codecs.push_back({codec.payloadType, *match->preferredPayloadType});
  }
  for (size_t i = 0; i < producer.codecs.size(); ++i) {
    const auto& codec = producer.codecs[i];
    if (!isRtxMimeType(codec.mimeType)) continue;
    auto apt = aptOf(codec);
    auto media = std::ranges::find_if(mapping.codecs, [&apt](const RtpMapping::CodecMap& entry) {
      return apt == entry.payloadType;
    });
    if (media == mapping.codecs.end()) {
      return validationError(indexed("codecs", i) + ".parameters.apt",
                             "must be the payload type of a media codec");
    }
    const auto* routerRtx = findRtxFor(router, media->mappedPayloadType);
    if (routerRtx == nullptr || !routerRtx->preferredPayloadType) {
      return makeError(ErrorCode::Unprocessable,
                       "the router has no RTX codec for payload type " +
                           std::to_string(media->mappedPayloadType),
                       indexed("codecs", i));
    }
    mapping.codecs.push_back({codec.payloadType, *routerRtx->preferredPayloadType});
  }
  uint32_t mappedSsrc = firstMappedSsrc;
  for (const auto& encoding : producer.encodings) {
    mapping.encodings.push_back(RtpMapping::EncodingMap{.ssrc = encoding.ssrc,
                                                        .rid = encoding.rid,
                                                        .scalabilityMode = encoding.scalabilityMode,
                                                        .mappedSsrc = mappedSsrc++});
  }
  return mapping;
}

RtpParameters getConsumableRtpParameters(MediaKind kind, const RtpParameters& producer,
                                         const RtpCapabilities& router, const RtpMapping& mapping) {
  RtpParameters consumable;
  for (const auto& codec : producer.codecs) {
    if (isRtxMimeType(codec.mimeType)) continue;
    auto entry = std::ranges::find_if(mapping.codecs, [&codec](const RtpMapping::CodecMap& map) {
      return map.payloadType == codec.payloadType;
    });
    if (entry == mapping.codecs.end()) continue;
    const auto* routerCodec = findByPayloadType(router, entry->mappedPayloadType);
    if (routerCodec == nullptr) continue;
    consumable.codecs.push_back(
        RtpCodecParameters{.mimeType = routerCodec->mimeType,
                           .payloadType = entry->mappedPayloadType,
                           .clockRate = routerCodec->clockRate,
                           .channels = routerCodec->channels,
                           .parameters = consumableCodecParameters(codec, *routerCodec),
                           .rtcpFeedback = routerCodec->rtcpFeedback});
    // Consumers get RTX whenever the router has it: the SFU retransmits from its own buffer,
    // whether or not the producer sends RTX.
    if (const auto* rtx = findRtxFor(router, entry->mappedPayloadType);
        rtx != nullptr && rtx->preferredPayloadType) {
      consumable.codecs.push_back(RtpCodecParameters{.mimeType = rtx->mimeType,
                                                     .payloadType = *rtx->preferredPayloadType,
                                                     .clockRate = rtx->clockRate,
                                                     .parameters = rtx->parameters,
                                                     .rtcpFeedback = rtx->rtcpFeedback});
    }
  }
  for (const auto& ext : router.headerExtensions) {
    if ((ext.kind && *ext.kind != kind) ||
        (ext.direction != "sendrecv" && ext.direction != "sendonly")) {
      continue;
    }
    consumable.headerExtensions.push_back(
        RtpHeaderExtensionParameters{ext.uri, ext.preferredId, ext.preferredEncrypt, {}});
  }
  size_t encodingCount = std::min(producer.encodings.size(), mapping.encodings.size());
  for (size_t i = 0; i < encodingCount; ++i) {
    RtpEncodingParameters encoding = producer.encodings[i];
    encoding.rid.reset();
    encoding.rtxSsrc.reset();
    encoding.codecPayloadType.reset();
    encoding.ssrc = mapping.encodings[i].mappedSsrc;
    consumable.encodings.push_back(std::move(encoding));
  }
  // RFC 3550 section 6.5.1: one CNAME per source, kept across all its consumers (lip sync).
  consumable.rtcp.cname = producer.rtcp.cname;
  if (consumable.rtcp.cname.empty()) {
    consumable.rtcp.cname =
        "fluxmeet-" + (mapping.encodings.empty() ? std::string("0")
                                                 : std::to_string(mapping.encodings[0].mappedSsrc));
  }
  consumable.rtcp.reducedSize = true;
  consumable.msid = producer.msid;
  return consumable;
}

bool canConsume(const RtpParameters& consumable, const RtpCapabilities& deviceCapabilities) {
  for (const auto& codec : consumable.codecs) {
    bool supportedByDevice = std::ranges::any_of(
        deviceCapabilities.codecs,
        [&codec](const auto& deviceCodec) { return matchCodecs(deviceCodec, codec, true); });
    if (supportedByDevice) return !isRtxMimeType(codec.mimeType);
  }
  return false;
}

Result<RtpParameters> getConsumerRtpParameters(const RtpParameters& consumable,
                                               const RtpCapabilities& deviceCapabilities,
                                               uint32_t consumerSsrc, uint32_t consumerRtxSsrc) {
  RtpParameters consumer;
  for (const auto& codec : consumable.codecs) {
    auto deviceCodec =
        std::ranges::find_if(deviceCapabilities.codecs, [&codec](const auto& candidate) {
          if (!matchCodecs(candidate, codec, true)) return false;
          // An RTX codec only counts for the media codec it repairs (RFC 4588 section 8.6).
          return !isRtxMimeType(codec.mimeType) || aptOf(candidate) == aptOf(codec);
        });
    if (deviceCodec == deviceCapabilities.codecs.end()) continue;
    RtpCodecParameters consumerCodec = codec;
    consumerCodec.rtcpFeedback = feedbackBothSupport(codec.rtcpFeedback, deviceCodec->rtcpFeedback);
    consumer.codecs.push_back(std::move(consumerCodec));
  }
  // Drop RTX codecs whose media codec the device cannot take.
  std::set<int64_t> mediaPayloadTypes;
  for (const auto& codec : consumer.codecs) {
    if (!isRtxMimeType(codec.mimeType)) mediaPayloadTypes.insert(codec.payloadType);
  }
  std::erase_if(consumer.codecs, [&mediaPayloadTypes](const RtpCodecParameters& codec) {
    return isRtxMimeType(codec.mimeType) && !mediaPayloadTypes.contains(aptOf(codec).value_or(-1));
  });
  if (consumer.codecs.empty() || isRtxMimeType(consumer.codecs.front().mimeType)) {
    return makeError(ErrorCode::Unprocessable, "the device supports none of the producer's codecs",
                     "rtpCapabilities.codecs");
  }
  bool rtxSupported = std::ranges::any_of(
      consumer.codecs, [](const auto& codec) { return isRtxMimeType(codec.mimeType); });

  for (const auto& ext : consumable.headerExtensions) {
    bool deviceHasIt = std::ranges::any_of(
        deviceCapabilities.headerExtensions, [&ext](const RtpHeaderExtension& deviceExt) {
          return deviceExt.uri == ext.uri && deviceExt.preferredId == ext.id;
        });
    if (deviceHasIt) consumer.headerExtensions.push_back(ext);
  }
  reduceCongestionControlFeedback(consumer);

  RtpEncodingParameters encoding;
  encoding.ssrc = consumerSsrc;
  if (rtxSupported) encoding.rtxSsrc = consumerRtxSsrc;
  auto withMode = std::ranges::find_if(consumable.encodings, [](const RtpEncodingParameters& e) {
    return e.scalabilityMode.has_value();
  });
  std::optional<std::string> scalabilityMode;
  if (withMode != consumable.encodings.end()) scalabilityMode = withMode->scalabilityMode;
  // Simulcast reaches a consumer as one stream whose spatial layers are the producer's encodings;
  // mediasoup-client and the SFU's layer selection read it as "L<encodings>T<temporal layers>".
  if (consumable.encodings.size() > 1) {
    int temporalLayers = parseScalabilityMode(scalabilityMode.value_or("")).temporalLayers;
    scalabilityMode =
        "L" + std::to_string(consumable.encodings.size()) + "T" + std::to_string(temporalLayers);
  }
  encoding.scalabilityMode = std::move(scalabilityMode);
  uint32_t maxBitrate = 0;
  for (const auto& consumableEncoding : consumable.encodings) {
    maxBitrate = std::max(maxBitrate, consumableEncoding.maxBitrate.value_or(0));
  }
  if (maxBitrate > 0) encoding.maxBitrate = maxBitrate;
  consumer.encodings.push_back(std::move(encoding));

  consumer.rtcp = consumable.rtcp;
  if (consumer.rtcp.cname.empty()) consumer.rtcp.cname = "fluxmeet-" + std::to_string(consumerSsrc);
  consumer.rtcp.reducedSize = true;
  consumer.msid = consumable.msid;
  return consumer;
}

}  // namespace fluxmeet::media::ortc
