#include "fluxmeet/media/ortc/rtp_parameters.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "fluxmeet/media/ortc/default_codecs.hpp"
#include "fluxmeet/media/ortc/ortc.hpp"
#include "ortc_fixtures.hpp"

namespace fluxmeet::media::ortc {
namespace {

using nlohmann::json;

std::set<std::string> keysOf(const json& object) {
  std::set<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.insert(key);
  return keys;
}

TEST(RtpParametersJson, ParsesChromeSimulcastProducer) {
  auto parsed = rtpParametersFromJson(fixtures::json(fixtures::kChromeVp8SimulcastProducer));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->mid, "0");
  ASSERT_EQ(parsed->codecs.size(), 2U);
  EXPECT_EQ(parsed->codecs[0].mimeType, "video/VP8");
  EXPECT_EQ(parsed->codecs[0].payloadType, 96);
  EXPECT_FALSE(parsed->codecs[0].channels.has_value());
  EXPECT_EQ(parsed->codecs[0].rtcpFeedback.size(), 5U);
  EXPECT_EQ(parsed->codecs[0].rtcpFeedback[4], (RtcpFeedback{"nack", "pli"}));
  EXPECT_EQ(integerParameter(parsed->codecs[1].parameters, "apt"), 96);
  ASSERT_EQ(parsed->headerExtensions.size(), 7U);
  EXPECT_EQ(parsed->headerExtensions[1].uri, kRtpStreamIdUri);
  EXPECT_EQ(parsed->headerExtensions[1].id, 10);
  ASSERT_EQ(parsed->encodings.size(), 3U);
  EXPECT_EQ(parsed->encodings[2].rid, "r2");
  EXPECT_FALSE(parsed->encodings[2].ssrc.has_value());
  EXPECT_EQ(parsed->encodings[2].scalabilityMode, "L1T3");
  EXPECT_EQ(parsed->encodings[0].maxBitrate, 500000U);
  EXPECT_EQ(parsed->encodings[0].scaleResolutionDownBy, 4.0);
  EXPECT_EQ(parsed->encodings[0].dtx, false);
  EXPECT_EQ(parsed->rtcp.cname, "Lt3kYfd4KYMqI6bv");
  EXPECT_TRUE(parsed->rtcp.reducedSize);
  ASSERT_TRUE(parsed->msid.has_value());
}

TEST(RtpParametersJson, RoundTripsThroughJson) {
  for (const char* text : {fixtures::kChromeVp8SimulcastProducer, fixtures::kChromeOpusProducer}) {
    auto first = rtpParametersFromJson(fixtures::json(text));
    ASSERT_TRUE(first.ok()) << first.error().message;
    auto second = rtpParametersFromJson(toJson(*first));
    ASSERT_TRUE(second.ok()) << second.error().message;
    EXPECT_EQ(*first, *second);
    EXPECT_EQ(toJson(*first), toJson(*second));
  }
}

TEST(RtpParametersJson, OutputHasTheShapesMediasoupClientChecks) {
  RtpParameters parameters;
  parameters.codecs.push_back({.mimeType = "video/VP8", .payloadType = 101, .clockRate = 90000});
  parameters.headerExtensions.push_back({std::string(kMidUri), 1, false, {}});
  parameters.encodings.push_back({.ssrc = 1111, .rtxSsrc = 2222, .scalabilityMode = "L3T3"});
  parameters.rtcp.cname = "abc";
  json out = toJson(parameters);

  EXPECT_FALSE(out.contains("mid"));
  const json& codec = out["codecs"][0];
  EXPECT_EQ(keysOf(codec), (std::set<std::string>{"mimeType", "payloadType", "clockRate",
                                                  "parameters", "rtcpFeedback"}));
  EXPECT_TRUE(codec["parameters"].is_object());
  EXPECT_TRUE(codec["rtcpFeedback"].is_array());
  EXPECT_EQ(keysOf(out["headerExtensions"][0]),
            (std::set<std::string>{"uri", "id", "encrypt", "parameters"}));
  EXPECT_EQ(out["encodings"][0]["ssrc"], 1111);
  EXPECT_EQ(out["encodings"][0]["rtx"], (json{{"ssrc", 2222}}));
  EXPECT_EQ(out["encodings"][0]["scalabilityMode"], "L3T3");
  EXPECT_EQ(out["rtcp"], (json{{"cname", "abc"}, {"reducedSize", true}}));
}

TEST(RtpParametersJson, CodecParametersKeepIntegerAndStringTypes) {
  json input = fixtures::json(fixtures::kChromeVp8SimulcastProducer);
  input["codecs"][0]["parameters"] = {{"profile-level-id", "42e01f"},
                                      {"packetization-mode", 1},
                                      {"sprop", ""},
                                      {"x-google-start-bitrate", 1000}};
  auto parsed = rtpParametersFromJson(input);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  json parameters = toJson(*parsed)["codecs"][0]["parameters"];
  EXPECT_TRUE(parameters["profile-level-id"].is_string());
  EXPECT_EQ(parameters["profile-level-id"], "42e01f");
  EXPECT_TRUE(parameters["packetization-mode"].is_number_integer());
  EXPECT_EQ(parameters["packetization-mode"], 1);
  EXPECT_EQ(parameters["sprop"], "");
  EXPECT_EQ(parameters["x-google-start-bitrate"], 1000);
  EXPECT_TRUE(toJson(*parsed)["codecs"][1]["parameters"]["apt"].is_number_integer());
}

TEST(RtpParametersJson, AudioWithoutChannelsGetsOneAndVideoChannelsAreDropped) {
  json input = fixtures::json(fixtures::kChromeOpusProducer);
  input["codecs"][0].erase("channels");
  input["codecs"].push_back({{"mimeType", "audio/PCMU"}, {"payloadType", 0}, {"clockRate", 8000}});
  auto audio = rtpParametersFromJson(input);
  ASSERT_TRUE(audio.ok()) << audio.error().message;
  EXPECT_EQ(audio->codecs[0].channels, 1);
  EXPECT_EQ(audio->codecs[1].channels, 1);
  EXPECT_TRUE(audio->codecs[1].parameters.empty());
  EXPECT_TRUE(audio->codecs[1].rtcpFeedback.empty());

  json video = fixtures::json(fixtures::kChromeVp8SimulcastProducer);
  video["codecs"][0]["channels"] = 2;
  auto parsedVideo = rtpParametersFromJson(video);
  ASSERT_TRUE(parsedVideo.ok());
  EXPECT_FALSE(parsedVideo->codecs[0].channels.has_value());
}

TEST(RtpParametersJson, OptionalListsMayBeAbsentAndRtcpDefaultsToReducedSize) {
  auto parsed = rtpParametersFromJson(json{{"codecs", json::array()}});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_TRUE(parsed->headerExtensions.empty());
  EXPECT_TRUE(parsed->encodings.empty());
  EXPECT_TRUE(parsed->rtcp.cname.empty());
  EXPECT_TRUE(parsed->rtcp.reducedSize);
  EXPECT_FALSE(parsed->mid.has_value());
}

TEST(RtpParametersJson, UnknownFieldsAreIgnored) {
  json input = fixtures::json(fixtures::kChromeOpusProducer);
  input["someFutureField"] = {{"x", 1}};
  input["codecs"][0]["sdpFmtpLine"] = "minptime=10;useinbandfec=1";
  input["encodings"][0]["priority"] = "high";
  input["encodings"][0]["networkPriority"] = "low";
  input["rtcp"]["mux"] = true;
  EXPECT_TRUE(rtpParametersFromJson(input).ok());
}

TEST(RtpCapabilitiesJson, RouterCapabilitiesRoundTripWithClientShapes) {
  auto router = generateRouterRtpCapabilities(defaultMediaCodecs());
  ASSERT_TRUE(router.ok()) << router.error().message;
  json out = toJson(*router);
  EXPECT_EQ(keysOf(out["codecs"][0]),
            (std::set<std::string>{"kind", "mimeType", "preferredPayloadType", "clockRate",
                                   "channels", "parameters", "rtcpFeedback"}));
  EXPECT_EQ(out["codecs"][0]["rtcpFeedback"][0],
            (json{{"type", "transport-cc"}, {"parameter", ""}}));
  EXPECT_EQ(keysOf(out["headerExtensions"][0]),
            (std::set<std::string>{"kind", "uri", "preferredId", "preferredEncrypt", "direction"}));
  auto parsed = rtpCapabilitiesFromJson(out);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, *router);
}

TEST(RtpCapabilitiesJson, ParsesChromeDeviceCapabilitiesAndFillsDefaults) {
  json input = fixtures::json(fixtures::kChromeDeviceCapabilities);
  input["headerExtensions"][0].erase("direction");
  input["headerExtensions"][0].erase("preferredEncrypt");
  auto parsed = rtpCapabilitiesFromJson(input);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->codecs.size(), 9U);
  EXPECT_EQ(parsed->codecs[0].kind, MediaKind::Audio);
  EXPECT_EQ(parsed->codecs[0].preferredPayloadType, 100);
  EXPECT_EQ(parsed->codecs[1].kind, MediaKind::Video);
  EXPECT_EQ(parsed->headerExtensions[0].direction, "sendrecv");
  EXPECT_FALSE(parsed->headerExtensions[0].preferredEncrypt);
  EXPECT_EQ(parsed->headerExtensions[0].kind, MediaKind::Audio);

  auto empty = rtpCapabilitiesFromJson(json::object());
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->codecs.empty());
}

TEST(RtpParametersJson, RejectsNonObjects) {
  for (const json& input : {json::array(), json("x"), json(nullptr), json(3)}) {
    auto parameters = rtpParametersFromJson(input);
    ASSERT_FALSE(parameters.ok());
    EXPECT_EQ(parameters.error().code, ErrorCode::ValidationFailed);
    auto capabilities = rtpCapabilitiesFromJson(input);
    ASSERT_FALSE(capabilities.ok());
    EXPECT_EQ(capabilities.error().code, ErrorCode::ValidationFailed);
  }
}

// One rule per case: the mutation breaks exactly that rule and the error names the field.
struct StrictCase {
  const char* name;
  bool capabilities;  // mutate the device capabilities fixture instead of the producer
  std::function<void(json&)> mutate;
  const char* field;
};

void PrintTo(const StrictCase& strictCase, std::ostream* out) { *out << strictCase.name; }

class StrictParsing : public ::testing::TestWithParam<StrictCase> {};

TEST_P(StrictParsing, RejectsWithValidationFailedNamingTheField) {
  const StrictCase& strictCase = GetParam();
  json input = fixtures::json(strictCase.capabilities ? fixtures::kChromeDeviceCapabilities
                                                      : fixtures::kChromeVp8SimulcastProducer);
  strictCase.mutate(input);
  Error error;
  if (strictCase.capabilities) {
    auto parsed = rtpCapabilitiesFromJson(input);
    ASSERT_FALSE(parsed.ok());
    error = parsed.error();
  } else {
    auto parsed = rtpParametersFromJson(input);
    ASSERT_FALSE(parsed.ok());
    error = parsed.error();
  }
  EXPECT_EQ(error.code, ErrorCode::ValidationFailed);
  EXPECT_EQ(error.field, strictCase.field) << error.message;
  EXPECT_NE(error.message.find(strictCase.field), std::string::npos) << error.message;
}

json manyOf(const json& element, size_t count) {
  json list = json::array();
  for (size_t i = 0; i < count; ++i) list.push_back(element);
  return list;
}

const StrictCase kStrictCases[] = {
    {"MissingCodecs", false, [](json& j) { j.erase("codecs"); }, "codecs"},
    {"CodecsNotAnArray", false, [](json& j) { j["codecs"] = "VP8"; }, "codecs"},
    {"CodecNotAnObject", false, [](json& j) { j["codecs"][0] = 96; }, "codecs[0]"},
    {"MissingMimeType", false, [](json& j) { j["codecs"][0].erase("mimeType"); },
     "codecs[0].mimeType"},
    {"MimeTypeWithoutKind", false, [](json& j) { j["codecs"][0]["mimeType"] = "VP8"; },
     "codecs[0].mimeType"},
    {"MimeTypeInjectingSdp", false,
     [](json& j) { j["codecs"][0]["mimeType"] = "video/VP8\r\na=x"; }, "codecs[0].mimeType"},
    {"PayloadTypeAbove127", false, [](json& j) { j["codecs"][0]["payloadType"] = 128; },
     "codecs[0].payloadType"},
    {"NegativePayloadType", false, [](json& j) { j["codecs"][0]["payloadType"] = -1; },
     "codecs[0].payloadType"},
    {"PayloadTypeAsString", false, [](json& j) { j["codecs"][0]["payloadType"] = "96"; },
     "codecs[0].payloadType"},
    {"FractionalPayloadType", false, [](json& j) { j["codecs"][0]["payloadType"] = 96.5; },
     "codecs[0].payloadType"},
    {"MissingPayloadType", false, [](json& j) { j["codecs"][0].erase("payloadType"); },
     "codecs[0].payloadType"},
    {"MissingClockRate", false, [](json& j) { j["codecs"][0].erase("clockRate"); },
     "codecs[0].clockRate"},
    {"ZeroClockRate", false, [](json& j) { j["codecs"][0]["clockRate"] = 0; },
     "codecs[0].clockRate"},
    {"ParametersNotAnObject", false, [](json& j) { j["codecs"][0]["parameters"] = json::array(); },
     "codecs[0].parameters"},
    {"ParameterOfWrongType", false, [](json& j) { j["codecs"][0]["parameters"]["x"] = true; },
     "codecs[0].parameters.x"},
    {"AptNotAnInteger", false, [](json& j) { j["codecs"][1]["parameters"]["apt"] = "96"; },
     "codecs[1].parameters.apt"},
    {"FeedbackWithoutType", false,
     [](json& j) {
       j["codecs"][0]["rtcpFeedback"][0] = {{"parameter", "pli"}};
     },
     "codecs[0].rtcpFeedback[0].type"},
    {"MoreThan16Codecs", false, [](json& j) { j["codecs"] = manyOf(j["codecs"][0], 17); },
     "codecs"},
    {"HeaderExtensionIdZero", false, [](json& j) { j["headerExtensions"][0]["id"] = 0; },
     "headerExtensions[0].id"},
    {"HeaderExtensionIdAbove14", false, [](json& j) { j["headerExtensions"][0]["id"] = 15; },
     "headerExtensions[0].id"},
    {"HeaderExtensionWithoutUri", false, [](json& j) { j["headerExtensions"][0].erase("uri"); },
     "headerExtensions[0].uri"},
    {"HeaderExtensionEncryptNotBoolean", false,
     [](json& j) { j["headerExtensions"][0]["encrypt"] = 1; }, "headerExtensions[0].encrypt"},
    {"MoreThan32HeaderExtensions", false,
     [](json& j) { j["headerExtensions"] = manyOf(j["headerExtensions"][0], 33); },
     "headerExtensions"},
    {"MoreThan4Encodings", false, [](json& j) { j["encodings"] = manyOf(j["encodings"][0], 5); },
     "encodings"},
    {"SsrcAbove32Bits", false, [](json& j) { j["encodings"][0]["ssrc"] = 4294967296LL; },
     "encodings[0].ssrc"},
    {"RidWithSpace", false, [](json& j) { j["encodings"][0]["rid"] = "r 0"; }, "encodings[0].rid"},
    {"RidLongerThan16", false, [](json& j) { j["encodings"][0]["rid"] = std::string(17, 'r'); },
     "encodings[0].rid"},
    {"RtxWithoutSsrc", false, [](json& j) { j["encodings"][0]["rtx"] = json::object(); },
     "encodings[0].rtx.ssrc"},
    {"ScaleResolutionDownByBelowOne", false,
     [](json& j) { j["encodings"][0]["scaleResolutionDownBy"] = 0.5; },
     "encodings[0].scaleResolutionDownBy"},
    {"MaxBitrateNegative", false, [](json& j) { j["encodings"][0]["maxBitrate"] = -1; },
     "encodings[0].maxBitrate"},
    {"MidNotAString", false, [](json& j) { j["mid"] = 0; }, "mid"},
    {"CnameInjectingSdp", false, [](json& j) { j["rtcp"]["cname"] = "x\r\na=ssrc:1 cname:y"; },
     "rtcp.cname"},
    {"ReducedSizeNotBoolean", false, [](json& j) { j["rtcp"]["reducedSize"] = "yes"; },
     "rtcp.reducedSize"},
    {"CapabilityPayloadTypeAbove127", true,
     [](json& j) { j["codecs"][0]["preferredPayloadType"] = 200; },
     "codecs[0].preferredPayloadType"},
    {"CapabilityKindDisagreesWithMimeType", true, [](json& j) { j["codecs"][0]["kind"] = "video"; },
     "codecs[0].kind"},
    {"CapabilityMoreThan16Codecs", true, [](json& j) { j["codecs"] = manyOf(j["codecs"][0], 17); },
     "codecs"},
    {"CapabilityExtensionIdAbove14", true,
     [](json& j) { j["headerExtensions"][0]["preferredId"] = 15; },
     "headerExtensions[0].preferredId"},
    {"CapabilityExtensionWithoutId", true,
     [](json& j) { j["headerExtensions"][0].erase("preferredId"); },
     "headerExtensions[0].preferredId"},
    {"CapabilityExtensionBadKind", true, [](json& j) { j["headerExtensions"][0]["kind"] = "data"; },
     "headerExtensions[0].kind"},
    {"CapabilityExtensionBadDirection", true,
     [](json& j) { j["headerExtensions"][0]["direction"] = "both"; },
     "headerExtensions[0].direction"},
    {"CapabilityMoreThan32HeaderExtensions", true,
     [](json& j) { j["headerExtensions"] = manyOf(j["headerExtensions"][0], 33); },
     "headerExtensions"},
};

INSTANTIATE_TEST_SUITE_P(Rules, StrictParsing, ::testing::ValuesIn(kStrictCases),
                         [](const ::testing::TestParamInfo<StrictCase>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
// Chrome with simulcast by rid has no a=ssrc lines, so mediasoup-client sends cname "".
TEST(RtpParametersJson, EmptyCnameFromSimulcastBrowserIsAbsent) {
  nlohmann::json video = fixtures::json(fixtures::kChromeVp8SimulcastProducer);
  video["rtcp"]["cname"] = "";
  auto parsed = rtpParametersFromJson(video);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_TRUE(parsed->rtcp.cname.empty());
}

}  // namespace fluxmeet::media::ortc
