#include "fluxmeet/media/ortc/ortc.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "fluxmeet/media/ortc/default_codecs.hpp"
#include "ortc_fixtures.hpp"

namespace fluxmeet::media::ortc {
namespace {

using nlohmann::json;

constexpr uint32_t kFirstMappedSsrc = 5000;
constexpr uint32_t kConsumerSsrc = 777000;
constexpr uint32_t kConsumerRtxSsrc = 777001;

RtpCapabilities routerCapabilities() {
  auto router = generateRouterRtpCapabilities(defaultMediaCodecs());
  EXPECT_TRUE(router.ok());
  return *router;
}

RtpParameters parameters(const char* text) {
  auto parsed = rtpParametersFromJson(fixtures::json(text));
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return *parsed;
}

RtpCapabilities deviceCapabilities() {
  auto parsed = rtpCapabilitiesFromJson(fixtures::json(fixtures::kChromeDeviceCapabilities));
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return *parsed;
}

RtpParameters consumableFor(MediaKind kind, const RtpParameters& producer) {
  RtpCapabilities router = routerCapabilities();
  auto mapping = getProducerRtpParametersMapping(producer, router, kFirstMappedSsrc);
  EXPECT_TRUE(mapping.ok()) << mapping.error().message;
  return getConsumableRtpParameters(kind, producer, router, *mapping);
}

RtpCodecParameters h264Codec(int payloadType, const std::string& profileLevelId,
                             int64_t packetizationMode = 1) {
  return RtpCodecParameters{.mimeType = "video/H264",
                            .payloadType = payloadType,
                            .clockRate = 90000,
                            .parameters = {{"packetization-mode", packetizationMode},
                                           {"profile-level-id", profileLevelId},
                                           {"level-asymmetry-allowed", int64_t{1}}}};
}

RtpParameters singleCodecProducer(RtpCodecParameters codec) {
  RtpParameters producer;
  producer.codecs.push_back(std::move(codec));
  producer.encodings.push_back({.ssrc = 1234});
  producer.rtcp.cname = "cname";
  return producer;
}

bool hasFeedback(const RtpCodecParameters& codec, const std::string& type) {
  return std::ranges::any_of(codec.rtcpFeedback,
                             [&type](const RtcpFeedback& fb) { return fb.type == type; });
}

TEST(DefaultMediaCodecs, ListTheBrowserCodecsWithTheirParameters) {
  auto codecs = defaultMediaCodecs();
  ASSERT_EQ(codecs.size(), 6U);
  EXPECT_EQ(codecs[0].mimeType, "audio/opus");
  EXPECT_EQ(codecs[0].clockRate, 48000U);
  EXPECT_EQ(codecs[0].channels, 2);
  EXPECT_EQ(integerParameter(codecs[0].parameters, "useinbandfec"), 1);
  EXPECT_EQ(integerParameter(codecs[0].parameters, "usedtx"), 1);
  EXPECT_EQ(codecs[0].rtcpFeedback, (std::vector<RtcpFeedback>{{"transport-cc", ""}}));
  EXPECT_EQ(codecs[2].mimeType, "video/VP9");
  EXPECT_EQ(integerParameter(codecs[2].parameters, "profile-id"), 0);
  EXPECT_EQ(parameterAsString(codecs[3].parameters, "profile-level-id"), "42e01f");
  EXPECT_EQ(integerParameter(codecs[3].parameters, "packetization-mode"), 1);
  EXPECT_EQ(parameterAsString(codecs[4].parameters, "profile-level-id"), "4d001f");
  EXPECT_EQ(codecs[5].mimeType, "video/AV1");
  for (size_t i = 1; i < codecs.size(); ++i) {
    EXPECT_EQ(codecs[i].kind, MediaKind::Video);
    EXPECT_EQ(codecs[i].rtcpFeedback.size(), 5U) << codecs[i].mimeType;
  }
}

TEST(RouterRtpCapabilities, AssignUniqueDynamicPayloadTypesWithRtxAfterEachVideoCodec) {
  RtpCapabilities router = routerCapabilities();
  ASSERT_EQ(router.codecs.size(), 11U);  // opus + 5 video codecs each followed by RTX
  std::set<int> payloadTypes;
  for (size_t i = 0; i < router.codecs.size(); ++i) {
    const auto& codec = router.codecs[i];
    ASSERT_TRUE(codec.preferredPayloadType.has_value());
    EXPECT_GE(*codec.preferredPayloadType, 96);
    EXPECT_LE(*codec.preferredPayloadType, 127);
    EXPECT_TRUE(payloadTypes.insert(*codec.preferredPayloadType).second);
    if (isRtxMimeType(codec.mimeType)) {
      ASSERT_GT(i, 0U);
      EXPECT_EQ(integerParameter(codec.parameters, "apt"),
                router.codecs[i - 1].preferredPayloadType);
      EXPECT_EQ(codec.clockRate, router.codecs[i - 1].clockRate);
      EXPECT_TRUE(codec.rtcpFeedback.empty());
    } else if (codec.kind == MediaKind::Video) {
      ASSERT_LT(i + 1, router.codecs.size());
      EXPECT_TRUE(isRtxMimeType(router.codecs[i + 1].mimeType)) << codec.mimeType;
    }
  }
  // mediasoup's order: 100, 101, ...
  EXPECT_EQ(router.codecs[0].preferredPayloadType, 100);
  EXPECT_EQ(router.codecs[1].preferredPayloadType, 101);
  EXPECT_EQ(router.codecs[2].preferredPayloadType, 102);
  // Operator parameters are merged over the supported codec's.
  EXPECT_EQ(parameterAsString(router.codecs[5].parameters, "profile-level-id"), "42e01f");
  EXPECT_EQ(integerParameter(router.codecs[5].parameters, "level-asymmetry-allowed"), 1);
}

TEST(RouterRtpCapabilities, AdvertiseHeaderExtensionsWithMediasoupIds) {
  RtpCapabilities router = routerCapabilities();
  auto idOf = [&router](MediaKind kind, std::string_view uri) {
    for (const auto& ext : router.headerExtensions) {
      if (ext.kind == kind && ext.uri == uri) return ext.preferredId;
    }
    return -1;
  };
  EXPECT_EQ(idOf(MediaKind::Audio, kMidUri), 1);
  EXPECT_EQ(idOf(MediaKind::Video, kMidUri), 1);
  EXPECT_EQ(idOf(MediaKind::Video, kRtpStreamIdUri), 2);
  EXPECT_EQ(idOf(MediaKind::Video, kRepairedRtpStreamIdUri), 3);
  EXPECT_EQ(idOf(MediaKind::Audio, kAbsSendTimeUri), 4);
  EXPECT_EQ(idOf(MediaKind::Video, kAbsSendTimeUri), 4);
  EXPECT_EQ(idOf(MediaKind::Audio, kTransportWideCcUri), 5);
  EXPECT_EQ(idOf(MediaKind::Video, kTransportWideCcUri), 5);
  EXPECT_EQ(idOf(MediaKind::Audio, kAudioLevelUri), 10);
  EXPECT_EQ(idOf(MediaKind::Video, kVideoOrientationUri), 11);
  EXPECT_EQ(idOf(MediaKind::Video, kTransmissionOffsetUri), 12);
  EXPECT_EQ(idOf(MediaKind::Audio, kRtpStreamIdUri), -1);
  EXPECT_EQ(router.headerExtensions.size(), 11U);
}

TEST(RouterRtpCapabilities, KeepPreferredPayloadTypesAndRejectUnsupportedOrDuplicates) {
  auto codecs = defaultMediaCodecs();
  codecs[1].preferredPayloadType = 100;  // VP8 takes what opus would have got
  auto router = generateRouterRtpCapabilities(codecs);
  ASSERT_TRUE(router.ok()) << router.error().message;
  EXPECT_EQ(router->codecs[0].preferredPayloadType, 101);
  EXPECT_EQ(router->codecs[1].preferredPayloadType, 100);
  EXPECT_EQ(integerParameter(router->codecs[2].parameters, "apt"), 100);

  auto unsupported = generateRouterRtpCapabilities(
      {{.kind = MediaKind::Video, .mimeType = "video/H266", .clockRate = 90000}});
  ASSERT_FALSE(unsupported.ok());
  EXPECT_EQ(unsupported.error().code, ErrorCode::Unprocessable);
  EXPECT_EQ(unsupported.error().field, "mediaCodecs[0]");

  auto duplicate = defaultMediaCodecs();
  duplicate[1].preferredPayloadType = 120;
  duplicate[2].preferredPayloadType = 120;
  auto failed = generateRouterRtpCapabilities(duplicate);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().field, "mediaCodecs[2].preferredPayloadType");
}

TEST(ProducerValidation, AcceptsChromeSimulcastAndOpus) {
  EXPECT_TRUE(validateProducerRtpParameters(MediaKind::Video,
                                            parameters(fixtures::kChromeVp8SimulcastProducer))
                  .ok());
  EXPECT_TRUE(
      validateProducerRtpParameters(MediaKind::Audio, parameters(fixtures::kChromeOpusProducer))
          .ok());
}

TEST(ProducerValidation, RejectsBrokenProducers) {
  auto expectField = [](MediaKind kind, const RtpParameters& producer, const std::string& field) {
    auto result = validateProducerRtpParameters(kind, producer);
    ASSERT_FALSE(result.ok()) << field;
    EXPECT_EQ(result.error().code, ErrorCode::ValidationFailed);
    EXPECT_EQ(result.error().field, field) << result.error().message;
  };
  RtpParameters video = parameters(fixtures::kChromeVp8SimulcastProducer);

  expectField(MediaKind::Audio, video, "codecs[0].mimeType");  // kind mismatch

  RtpParameters onlyRtx = video;
  onlyRtx.codecs.erase(onlyRtx.codecs.begin());
  expectField(MediaKind::Video, onlyRtx, "codecs");

  RtpParameters danglingRtx = video;
  danglingRtx.codecs[1].parameters["apt"] = int64_t{120};
  expectField(MediaKind::Video, danglingRtx, "codecs[1].parameters.apt");

  RtpParameters duplicatePayloadType = video;
  duplicatePayloadType.codecs[1].payloadType = 96;
  expectField(MediaKind::Video, duplicatePayloadType, "codecs[1].payloadType");

  RtpParameters noEncodings = video;
  noEncodings.encodings.clear();
  expectField(MediaKind::Video, noEncodings, "encodings");

  RtpParameters anonymousEncoding = video;
  anonymousEncoding.encodings[1].rid.reset();
  expectField(MediaKind::Video, anonymousEncoding, "encodings[1]");

  RtpParameters duplicateRid = video;
  duplicateRid.encodings[2].rid = "r0";
  expectField(MediaKind::Video, duplicateRid, "encodings[2].rid");

  RtpParameters badCodecPayloadType = video;
  badCodecPayloadType.encodings[0].codecPayloadType = 97;  // the RTX codec
  expectField(MediaKind::Video, badCodecPayloadType, "encodings[0].codecPayloadType");

  RtpParameters svcInSimulcast = video;
  svcInSimulcast.encodings[0].scalabilityMode = "L2T3";
  expectField(MediaKind::Video, svcInSimulcast, "encodings[0].scalabilityMode");
}

TEST(ProducerMapping, MapsChromeVp8SimulcastWithRtx) {
  RtpCapabilities router = routerCapabilities();
  RtpParameters producer = parameters(fixtures::kChromeVp8SimulcastProducer);
  auto mapping = getProducerRtpParametersMapping(producer, router, kFirstMappedSsrc);
  ASSERT_TRUE(mapping.ok()) << mapping.error().message;
  EXPECT_EQ(mapping->codecs, (std::vector<RtpMapping::CodecMap>{{96, 101}, {97, 102}}));
  ASSERT_EQ(mapping->encodings.size(), 3U);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(mapping->encodings[i].rid, "r" + std::to_string(i));
    EXPECT_FALSE(mapping->encodings[i].ssrc.has_value());
    EXPECT_EQ(mapping->encodings[i].scalabilityMode, "L1T3");
    EXPECT_EQ(mapping->encodings[i].mappedSsrc, kFirstMappedSsrc + i);
  }
}

TEST(ProducerMapping, MapsChromeOpus) {
  RtpParameters producer = parameters(fixtures::kChromeOpusProducer);
  auto mapping = getProducerRtpParametersMapping(producer, routerCapabilities(), 42);
  ASSERT_TRUE(mapping.ok()) << mapping.error().message;
  EXPECT_EQ(mapping->codecs, (std::vector<RtpMapping::CodecMap>{{111, 100}}));
  ASSERT_EQ(mapping->encodings.size(), 1U);
  EXPECT_EQ(mapping->encodings[0].ssrc, 2743146532U);
  EXPECT_EQ(mapping->encodings[0].mappedSsrc, 42U);
}

TEST(ProducerMapping, RejectsCodecsTheRouterLacks) {
  RtpParameters producer = parameters(fixtures::kChromeOpusProducer);
  producer.codecs[0].channels = 1;  // mono opus is not opus/48000/2
  auto mapping = getProducerRtpParametersMapping(producer, routerCapabilities(), 1);
  ASSERT_FALSE(mapping.ok());
  EXPECT_EQ(mapping.error().code, ErrorCode::Unprocessable);
  EXPECT_EQ(mapping.error().field, "codecs[0]");

  RtpParameters vp9 =
      singleCodecProducer(RtpCodecParameters{.mimeType = "video/VP9",
                                             .payloadType = 98,
                                             .clockRate = 90000,
                                             .parameters = {{"profile-id", int64_t{2}}}});
  EXPECT_FALSE(getProducerRtpParametersMapping(vp9, routerCapabilities(), 1).ok());
}

TEST(ProducerMapping, RejectsH264ProfileOrPacketizationMismatch) {
  // A router with only Constrained Baseline cannot take High or Main.
  auto onlyBaseline = generateRouterRtpCapabilities({defaultMediaCodecs()[3]});
  ASSERT_TRUE(onlyBaseline.ok());
  for (const char* profile : {"640c1f", "4d001f", "640034"}) {
    auto mapping = getProducerRtpParametersMapping(singleCodecProducer(h264Codec(102, profile)),
                                                   *onlyBaseline, 1);
    ASSERT_FALSE(mapping.ok()) << profile;
    EXPECT_EQ(mapping.error().code, ErrorCode::Unprocessable);
  }
  auto wrongMode = getProducerRtpParametersMapping(singleCodecProducer(h264Codec(102, "42e01f", 0)),
                                                   *onlyBaseline, 1);
  EXPECT_FALSE(wrongMode.ok());

  // The default router has Main too, so Main maps to its own payload type.
  RtpCapabilities router = routerCapabilities();
  auto main =
      getProducerRtpParametersMapping(singleCodecProducer(h264Codec(102, "4d001f")), router, 1);
  ASSERT_TRUE(main.ok()) << main.error().message;
  EXPECT_EQ(main->codecs[0].mappedPayloadType, router.codecs[7].preferredPayloadType);
}

TEST(ConsumableParameters, UseRouterPayloadTypesMappedSsrcsAndSendableExtensions) {
  RtpParameters producer = parameters(fixtures::kChromeVp8SimulcastProducer);
  RtpParameters consumable = consumableFor(MediaKind::Video, producer);

  ASSERT_EQ(consumable.codecs.size(), 2U);
  EXPECT_EQ(consumable.codecs[0].mimeType, "video/VP8");
  EXPECT_EQ(consumable.codecs[0].payloadType, 101);
  EXPECT_EQ(consumable.codecs[0].rtcpFeedback.size(), 5U);
  EXPECT_EQ(consumable.codecs[1].payloadType, 102);
  EXPECT_EQ(integerParameter(consumable.codecs[1].parameters, "apt"), 101);

  // Video extensions the router sends: rid/repaired-rid are receive-only, audio ones are absent.
  std::set<std::string> uris;
  for (const auto& ext : consumable.headerExtensions) uris.insert(ext.uri);
  EXPECT_EQ(uris, (std::set<std::string>{std::string(kMidUri), std::string(kAbsSendTimeUri),
                                         std::string(kTransportWideCcUri),
                                         std::string(kVideoOrientationUri),
                                         std::string(kTransmissionOffsetUri)}));
  for (const auto& ext : consumable.headerExtensions) {
    if (ext.uri == kTransportWideCcUri) {
      EXPECT_EQ(ext.id, 5);
    }
  }

  ASSERT_EQ(consumable.encodings.size(), 3U);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(consumable.encodings[i].ssrc, kFirstMappedSsrc + i);
    EXPECT_FALSE(consumable.encodings[i].rid.has_value());
    EXPECT_FALSE(consumable.encodings[i].rtxSsrc.has_value());
    EXPECT_EQ(consumable.encodings[i].scalabilityMode, "L1T3");
  }
  EXPECT_EQ(consumable.encodings[2].maxBitrate, 5000000U);
  EXPECT_EQ(consumable.rtcp.cname, "Lt3kYfd4KYMqI6bv");
  EXPECT_TRUE(consumable.rtcp.reducedSize);
  EXPECT_EQ(consumable.msid, producer.msid);
  EXPECT_FALSE(consumable.mid.has_value());
}

TEST(ConsumableParameters, AudioKeepsProducerParametersWithoutTransportCcExtension) {
  RtpParameters consumable =
      consumableFor(MediaKind::Audio, parameters(fixtures::kChromeOpusProducer));
  ASSERT_EQ(consumable.codecs.size(), 1U);  // no RTX for audio
  EXPECT_EQ(consumable.codecs[0].payloadType, 100);
  EXPECT_EQ(consumable.codecs[0].channels, 2);
  EXPECT_EQ(integerParameter(consumable.codecs[0].parameters, "minptime"), 10);
  for (const auto& ext : consumable.headerExtensions) {
    EXPECT_NE(ext.uri, kTransportWideCcUri);  // audio transport-cc is receive-only
  }
  EXPECT_EQ(consumable.encodings[0].ssrc, kFirstMappedSsrc);
}

TEST(ConsumableParameters, H264ProfileLevelIdIsTheRouterAnswer) {
  RtpCodecParameters codec = h264Codec(102, "42E034");
  codec.parameters.erase("level-asymmetry-allowed");
  RtpParameters consumable = consumableFor(MediaKind::Video, singleCodecProducer(codec));
  ASSERT_FALSE(consumable.codecs.empty());
  // Without level asymmetry the answer is the lower level (router 3.1), in canonical form.
  EXPECT_EQ(parameterAsString(consumable.codecs[0].parameters, "profile-level-id"), "42e01f");
}

TEST(ConsumableParameters, GetACnameWhenTheProducerHadNone) {
  RtpParameters producer = parameters(fixtures::kChromeOpusProducer);
  producer.rtcp.cname.clear();
  RtpParameters consumable = consumableFor(MediaKind::Audio, producer);
  EXPECT_FALSE(consumable.rtcp.cname.empty());
}

TEST(CanConsume, TrueForChromeAndFalseWithoutTheCodec) {
  RtpParameters consumable =
      consumableFor(MediaKind::Video, parameters(fixtures::kChromeVp8SimulcastProducer));
  RtpCapabilities device = deviceCapabilities();
  EXPECT_TRUE(canConsume(consumable, device));

  RtpCapabilities noVp8 = device;
  std::erase_if(noVp8.codecs, [](const auto& codec) { return codec.mimeType == "video/VP8"; });
  EXPECT_FALSE(canConsume(consumable, noVp8));  // its RTX codec alone is not enough

  EXPECT_FALSE(canConsume(consumable, RtpCapabilities{}));
}

TEST(CanConsume, H264NeedsTheSameProfile) {
  RtpParameters consumable =
      consumableFor(MediaKind::Video, singleCodecProducer(h264Codec(102, "4d001f")));
  RtpCapabilities device = deviceCapabilities();  // offers only Constrained Baseline H264
  EXPECT_FALSE(canConsume(consumable, device));
  device.codecs.push_back({.kind = MediaKind::Video,
                           .mimeType = "video/H264",
                           .preferredPayloadType = 107,
                           .clockRate = 90000,
                           .parameters = {{"packetization-mode", int64_t{1}},
                                          {"profile-level-id", std::string("4d0032")},
                                          {"level-asymmetry-allowed", int64_t{1}}}});
  EXPECT_TRUE(canConsume(consumable, device));
}

TEST(ConsumerParameters, SimulcastBecomesOneEncodingL3T3WithRtx) {
  RtpParameters consumable =
      consumableFor(MediaKind::Video, parameters(fixtures::kChromeVp8SimulcastProducer));
  auto consumer =
      getConsumerRtpParameters(consumable, deviceCapabilities(), kConsumerSsrc, kConsumerRtxSsrc);
  ASSERT_TRUE(consumer.ok()) << consumer.error().message;
  ASSERT_EQ(consumer->codecs.size(), 2U);
  EXPECT_EQ(consumer->codecs[0].payloadType, 101);
  EXPECT_EQ(consumer->codecs[1].mimeType, "video/rtx");
  ASSERT_EQ(consumer->encodings.size(), 1U);
  const auto& encoding = consumer->encodings[0];
  EXPECT_EQ(encoding.ssrc, kConsumerSsrc);
  EXPECT_EQ(encoding.rtxSsrc, kConsumerRtxSsrc);
  EXPECT_EQ(encoding.scalabilityMode, "L3T3");
  EXPECT_EQ(encoding.maxBitrate, 5000000U);
  EXPECT_FALSE(encoding.rid.has_value());
  EXPECT_EQ(consumer->rtcp.cname, "Lt3kYfd4KYMqI6bv");
  EXPECT_TRUE(consumer->rtcp.reducedSize);
  // transport-cc is negotiated, so REMB goes (draft-holmer-rmcat-transport-wide-cc section 4).
  EXPECT_TRUE(hasFeedback(consumer->codecs[0], "transport-cc"));
  EXPECT_FALSE(hasFeedback(consumer->codecs[0], "goog-remb"));
  EXPECT_TRUE(hasFeedback(consumer->codecs[0], "nack"));

  json out = toJson(*consumer);
  EXPECT_EQ(out["encodings"][0]["rtx"]["ssrc"], kConsumerRtxSsrc);
  EXPECT_EQ(out["encodings"][0]["scalabilityMode"], "L3T3");
}

TEST(ConsumerParameters, SimulcastWithoutScalabilityModeIsT1) {
  RtpParameters producer = parameters(fixtures::kChromeVp8SimulcastProducer);
  for (auto& encoding : producer.encodings) encoding.scalabilityMode.reset();
  producer.encodings.pop_back();
  auto consumer = getConsumerRtpParameters(consumableFor(MediaKind::Video, producer),
                                           deviceCapabilities(), 1, 2);
  ASSERT_TRUE(consumer.ok());
  EXPECT_EQ(consumer->encodings[0].scalabilityMode, "L2T1");
}

TEST(ConsumerParameters, DeviceWithoutRtxGetsNoRtx) {
  RtpCapabilities device = deviceCapabilities();
  std::erase_if(device.codecs, [](const auto& codec) { return isRtxMimeType(codec.mimeType); });
  RtpParameters consumable =
      consumableFor(MediaKind::Video, parameters(fixtures::kChromeVp8SimulcastProducer));
  auto consumer = getConsumerRtpParameters(consumable, device, kConsumerSsrc, kConsumerRtxSsrc);
  ASSERT_TRUE(consumer.ok()) << consumer.error().message;
  ASSERT_EQ(consumer->codecs.size(), 1U);
  EXPECT_EQ(consumer->codecs[0].mimeType, "video/VP8");
  EXPECT_FALSE(consumer->encodings[0].rtxSsrc.has_value());
  EXPECT_FALSE(toJson(*consumer)["encodings"][0].contains("rtx"));
}

TEST(ConsumerParameters, RtxOnlyForTheMediaCodecItRepairs) {
  RtpCapabilities device = deviceCapabilities();
  // Keep only the RTX codec of VP9 (apt 103): it does not repair VP8.
  std::erase_if(device.codecs, [](const auto& codec) {
    return isRtxMimeType(codec.mimeType) && integerParameter(codec.parameters, "apt") != 103;
  });
  RtpParameters consumable =
      consumableFor(MediaKind::Video, parameters(fixtures::kChromeVp8SimulcastProducer));
  auto consumer = getConsumerRtpParameters(consumable, device, 1, 2);
  ASSERT_TRUE(consumer.ok());
  EXPECT_EQ(consumer->codecs.size(), 1U);
  EXPECT_FALSE(consumer->encodings[0].rtxSsrc.has_value());
}

TEST(ConsumerParameters, FeedbackAndExtensionsReducedToTheDevice) {
  RtpCapabilities device = deviceCapabilities();
  for (auto& codec : device.codecs) {
    std::erase_if(codec.rtcpFeedback, [](const RtcpFeedback& fb) { return fb.type == "ccm"; });
  }
  // A device without transport-cc falls back to REMB over abs-send-time.
  std::erase_if(device.headerExtensions,
                [](const auto& ext) { return ext.uri == kTransportWideCcUri; });
  RtpParameters consumable =
      consumableFor(MediaKind::Video, parameters(fixtures::kChromeVp8SimulcastProducer));
  auto consumer = getConsumerRtpParameters(consumable, device, 1, 2);
  ASSERT_TRUE(consumer.ok());
  EXPECT_FALSE(hasFeedback(consumer->codecs[0], "ccm"));
  EXPECT_FALSE(hasFeedback(consumer->codecs[0], "transport-cc"));
  EXPECT_TRUE(hasFeedback(consumer->codecs[0], "goog-remb"));
  for (const auto& ext : consumer->headerExtensions) EXPECT_NE(ext.uri, kTransportWideCcUri);
  EXPECT_EQ(consumer->headerExtensions.size(), 4U);

  // Without abs-send-time either, neither congestion control feedback remains.
  std::erase_if(device.headerExtensions,
                [](const auto& ext) { return ext.uri == kAbsSendTimeUri; });
  auto bare = getConsumerRtpParameters(consumable, device, 1, 2);
  ASSERT_TRUE(bare.ok());
  EXPECT_FALSE(hasFeedback(bare->codecs[0], "goog-remb"));
  EXPECT_FALSE(hasFeedback(bare->codecs[0], "transport-cc"));
}

TEST(ConsumerParameters, OpusConsumerHasOneEncodingWithoutRtxOrScalability) {
  RtpParameters consumable =
      consumableFor(MediaKind::Audio, parameters(fixtures::kChromeOpusProducer));
  auto consumer = getConsumerRtpParameters(consumable, deviceCapabilities(), 9, 10);
  ASSERT_TRUE(consumer.ok()) << consumer.error().message;
  ASSERT_EQ(consumer->codecs.size(), 1U);
  EXPECT_EQ(consumer->encodings.size(), 1U);
  EXPECT_EQ(consumer->encodings[0].ssrc, 9U);
  EXPECT_FALSE(consumer->encodings[0].rtxSsrc.has_value());
  EXPECT_FALSE(consumer->encodings[0].scalabilityMode.has_value());
  // Audio has abs-send-time but not transport-cc, so its transport-cc feedback goes.
  EXPECT_TRUE(consumer->codecs[0].rtcpFeedback.empty());
}

TEST(ConsumerParameters, FailWhenTheDeviceLacksEveryCodec) {
  RtpParameters consumable =
      consumableFor(MediaKind::Video, parameters(fixtures::kChromeVp8SimulcastProducer));
  RtpCapabilities device = deviceCapabilities();
  std::erase_if(device.codecs, [](const auto& codec) { return codec.mimeType == "video/VP8"; });
  auto consumer = getConsumerRtpParameters(consumable, device, 1, 2);
  ASSERT_FALSE(consumer.ok());
  EXPECT_EQ(consumer.error().code, ErrorCode::Unprocessable);
}

TEST(ScalabilityModes, ParseLayerCountsLikeMediasoup) {
  EXPECT_EQ(parseScalabilityMode("L1T3").temporalLayers, 3);
  EXPECT_EQ(parseScalabilityMode("L3T3_KEY").spatialLayers, 3);
  EXPECT_EQ(parseScalabilityMode("S2T1h").spatialLayers, 2);
  EXPECT_EQ(parseScalabilityMode("L12T10").temporalLayers, 10);
  EXPECT_EQ(parseScalabilityMode("L12T10").spatialLayers, 12);
  EXPECT_EQ(parseScalabilityMode("").temporalLayers, 1);
  EXPECT_EQ(parseScalabilityMode("X1T3").temporalLayers, 1);
  EXPECT_EQ(parseScalabilityMode("L0T3").spatialLayers, 1);
}

}  // namespace
}  // namespace fluxmeet::media::ortc
