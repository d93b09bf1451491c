#include "fluxmeet/media/ortc/rtp_parameters.hpp"

#include <cctype>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace fluxmeet::media::ortc {
namespace {

using nlohmann::json;

// Text limits. Several of these strings end up in other browsers' SDP (cname, msid, mid, rid,
// fmtp values), so they are also limited to visible ASCII: a client must not be able to inject
// SDP lines into its peers' remote descriptions.
constexpr size_t kMaxMimeTypeLength = 64;
constexpr size_t kMaxUriLength = 256;
constexpr size_t kMaxMidLength = 32;
constexpr size_t kMaxCnameLength = 255;  // RFC 3550 section 6.5: SDES items carry 8-bit lengths
constexpr size_t kMaxMsidLength = 129;   // RFC 8830 section 2: two msid-ids of 1..64 chars
// A rid is sent in an RFC 8285 one-byte header element, which holds at most 16 bytes.
constexpr size_t kMaxRidLength = 16;
constexpr size_t kMaxScalabilityModeLength = 32;
constexpr size_t kMaxTokenLength = 64;
constexpr size_t kMaxParameterValueLength = 1024;  // room for H264 sprop-parameter-sets
constexpr int64_t kMaxClockRate = 1'000'000;
constexpr int64_t kMaxChannels = 255;

bool isVisibleAscii(char c) { return c > 0x20 && c < 0x7F; }

bool allOf(std::string_view text, bool (*allowed)(char)) {
  for (char c : text) {
    if (!allowed(c)) return false;
  }
  return true;
}

// RFC 6838 section 4.2 restricted-name characters.
bool isRestrictedNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("!#$&-^_.+").find(c) != std::string_view::npos;
}

// RFC 8851 section 10: rid-id = 1*(alpha-numeric / "-" / "_").
bool isRidChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
}

bool isVisibleAsciiOrSpace(char c) { return c == ' ' || isVisibleAscii(c); }

// a=fmtp splits on ';' and '=' (RFC 4566 section 6), so keys may hold neither and values not ';'.
bool isParameterKeyChar(char c) { return isVisibleAscii(c) && c != ';' && c != '='; }
bool isParameterValueChar(char c) { return isVisibleAscii(c) && c != ';'; }

bool isValidMimeType(std::string_view mimeType) {
  if (!mediaKindFromMimeType(mimeType)) return false;
  std::string_view subtype = mimeType.substr(mimeType.find('/') + 1);
  return !subtype.empty() && allOf(subtype, isRestrictedNameChar);
}

std::optional<int64_t> asInteger(const json& value) {
  if (value.is_number_unsigned()) {
    auto unsignedValue = value.get<uint64_t>();
    if (unsignedValue > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<int64_t>(unsignedValue);
  }
  if (value.is_number_integer()) return value.get<int64_t>();
  return std::nullopt;
}

std::string childPath(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string indexPath(const std::string& parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

// Reads fields out of client JSON without throwing. The first rule broken is kept; later reads
// return empty values so a parse function can run to its end and check ok() once.
class JsonReader {
 public:
  bool ok() const { return !error_.has_value(); }
  Error takeError() { return std::move(*error_); }

  void fail(const std::string& field, std::string_view rule) {
    if (error_) return;
    error_ = makeError(ErrorCode::ValidationFailed, field + " " + std::string(rule), field);
  }

  // The member, or nullptr when it is absent or null (mediasoup-client treats both as unset).
  const json* member(const json& object, std::string_view key) const {
    if (!ok() || !object.is_object()) return nullptr;
    auto it = object.find(std::string(key));
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
  }

  const json* requireMember(const json& object, std::string_view key, const std::string& path) {
    const json* value = member(object, key);
    if (value == nullptr) fail(path, "is required");
    return value;
  }

  std::optional<std::string> text(const json& object, std::string_view key, const std::string& path,
                                  bool required, size_t maxLength, bool (*allowed)(char)) {
    const json* value = required ? requireMember(object, key, path) : member(object, key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) {
      fail(path, "must be a string");
      return std::nullopt;
    }
    const auto& content = value->get_ref<const std::string&>();
    if (content.empty() || content.size() > maxLength) {
      fail(path, "must have 1.." + std::to_string(maxLength) + " characters");
      return std::nullopt;
    }
    if (!allOf(content, allowed)) {
      fail(path, "has characters that are not allowed");
      return std::nullopt;
    }
    return content;
  }

  std::optional<int64_t> integer(const json& object, std::string_view key, const std::string& path,
                                 bool required, int64_t min, int64_t max) {
    const json* value = required ? requireMember(object, key, path) : member(object, key);
    if (value == nullptr) return std::nullopt;
    auto number = asInteger(*value);
    if (!number || *number < min || *number > max) {
      fail(path, "must be an integer in " + std::to_string(min) + ".." + std::to_string(max));
      return std::nullopt;
    }
    return number;
  }

  std::optional<bool> boolean(const json& object, std::string_view key, const std::string& path) {
    const json* value = member(object, key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_boolean()) {
      fail(path, "must be a boolean");
      return std::nullopt;
    }
    return value->get<bool>();
  }

  std::optional<double> number(const json& object, std::string_view key, const std::string& path,
                               double min, double max) {
    const json* value = member(object, key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_number() || value->get<double>() < min || value->get<double>() > max) {
      fail(path, "must be a number in " + std::to_string(min) + ".." + std::to_string(max));
      return std::nullopt;
    }
    return value->get<double>();
  }

  // An array member with at most maxSize elements; nullptr when absent (or on error).
  const json* array(const json& object, std::string_view key, const std::string& path,
                    bool required, size_t maxSize) {
    const json* value = required ? requireMember(object, key, path) : member(object, key);
    if (value == nullptr) return nullptr;
    if (!value->is_array()) {
      fail(path, "must be an array");
      return nullptr;
    }
    if (value->size() > maxSize) {
      fail(path, "must have at most " + std::to_string(maxSize) + " entries");
      return nullptr;
    }
    return value;
  }

  bool expectObject(const json& value, const std::string& path) {
    if (!value.is_object()) fail(path, "must be an object");
    return ok();
  }

 private:
  std::optional<Error> error_;
};

Parameters readParameters(JsonReader& reader, const json& owner, const std::string& ownerPath) {
  Parameters parameters;
  std::string path = childPath(ownerPath, "parameters");
  const json* object = reader.member(owner, "parameters");
  if (object == nullptr) return parameters;
  if (!reader.expectObject(*object, path)) return parameters;
  if (object->size() > kMaxParameters) {
    reader.fail(path, "must have at most " + std::to_string(kMaxParameters) + " entries");
    return parameters;
  }
  for (const auto& [key, value] : object->items()) {
    std::string valuePath = childPath(path, key);
    if (key.empty() || key.size() > kMaxTokenLength || !allOf(key, isParameterKeyChar)) {
      reader.fail(valuePath, "is not a valid parameter name");
      return parameters;
    }
    if (auto integer = asInteger(value)) {
      parameters.emplace(key, *integer);
    } else if (value.is_string()) {
      const auto& content = value.get_ref<const std::string&>();
      if (content.size() > kMaxParameterValueLength || !allOf(content, isParameterValueChar)) {
        reader.fail(valuePath, "is not a valid parameter value");
        return parameters;
      }
      parameters.emplace(key, content);
    } else {
      reader.fail(valuePath, "must be a string or an integer");
      return parameters;
    }
  }
  // RFC 4588 section 8.6: apt names a payload type, so mediasoup-client requires a number.
  auto apt = parameters.find("apt");
  if (apt != parameters.end() &&
      (!std::holds_alternative<int64_t>(apt->second) || std::get<int64_t>(apt->second) < 0 ||
       std::get<int64_t>(apt->second) > kMaxPayloadType)) {
    reader.fail(childPath(path, "apt"), "must be an integer in 0..127");
  }
  return parameters;
}

std::vector<RtcpFeedback> readRtcpFeedback(JsonReader& reader, const json& codec,
                                           const std::string& codecPath) {
  std::vector<RtcpFeedback> feedback;
  std::string path = childPath(codecPath, "rtcpFeedback");
  const json* list = reader.array(codec, "rtcpFeedback", path, false, kMaxRtcpFeedback);
  if (list == nullptr) return feedback;
  for (size_t i = 0; i < list->size() && reader.ok(); ++i) {
    const json& entry = (*list)[i];
    std::string entryPath = indexPath(path, i);
    if (!reader.expectObject(entry, entryPath)) break;
    auto type = reader.text(entry, "type", childPath(entryPath, "type"), true, kMaxTokenLength,
                            isVisibleAscii);
    // mediasoup-client sends "" for "no parameter"; the reader only accepts non-empty text.
    std::string parameter;
    const json* rawParameter = reader.member(entry, "parameter");
    bool emptyText = rawParameter != nullptr && rawParameter->is_string() &&
                     rawParameter->get_ref<const std::string&>().empty();
    if (rawParameter != nullptr && !emptyText) {
      parameter = reader
                      .text(entry, "parameter", childPath(entryPath, "parameter"), false,
                            kMaxTokenLength, isVisibleAscii)
                      .value_or("");
    }
    if (reader.ok()) feedback.push_back(RtcpFeedback{*type, std::move(parameter)});
  }
  return feedback;
}

// Fields shared by capability codecs and parameter codecs.
struct CommonCodecFields {
  std::string mimeType;
  MediaKind kind = MediaKind::Audio;
  uint32_t clockRate = 0;
  std::optional<int> channels;
  Parameters parameters;
  std::vector<RtcpFeedback> rtcpFeedback;
};

CommonCodecFields readCommonCodecFields(JsonReader& reader, const json& codec,
                                        const std::string& path) {
  CommonCodecFields fields;
  auto mimeType = reader.text(codec, "mimeType", childPath(path, "mimeType"), true,
                              kMaxMimeTypeLength, isVisibleAscii);
  if (mimeType && !isValidMimeType(*mimeType)) {
    reader.fail(childPath(path, "mimeType"), "must look like audio/<name> or video/<name>");
  }
  auto clockRate =
      reader.integer(codec, "clockRate", childPath(path, "clockRate"), true, 1, kMaxClockRate);
  auto channels =
      reader.integer(codec, "channels", childPath(path, "channels"), false, 1, kMaxChannels);
  fields.parameters = readParameters(reader, codec, path);
  fields.rtcpFeedback = readRtcpFeedback(reader, codec, path);
  if (!reader.ok()) return fields;

  fields.mimeType = *mimeType;
  fields.kind = *mediaKindFromMimeType(*mimeType);
  fields.clockRate = static_cast<uint32_t>(*clockRate);
  // As mediasoup-client normalises: audio defaults to one channel, video has none.
  if (fields.kind == MediaKind::Audio) fields.channels = static_cast<int>(channels.value_or(1));
  return fields;
}

RtpCodecCapability readCodecCapability(JsonReader& reader, const json& codec,
                                       const std::string& path) {
  RtpCodecCapability capability;
  if (!reader.expectObject(codec, path)) return capability;
  auto fields = readCommonCodecFields(reader, codec, path);
  auto preferredPayloadType =
      reader.integer(codec, "preferredPayloadType", childPath(path, "preferredPayloadType"), false,
                     0, kMaxPayloadType);
  auto kindName =
      reader.text(codec, "kind", childPath(path, "kind"), false, kMaxTokenLength, isVisibleAscii);
  if (!reader.ok()) return capability;
  if (kindName && mediaKindFromName(*kindName) != fields.kind) {
    reader.fail(childPath(path, "kind"), "must be the kind of mimeType");
    return capability;
  }
  capability.kind = fields.kind;
  capability.mimeType = std::move(fields.mimeType);
  if (preferredPayloadType)
    capability.preferredPayloadType = static_cast<int>(*preferredPayloadType);
  capability.clockRate = fields.clockRate;
  capability.channels = fields.channels;
  capability.parameters = std::move(fields.parameters);
  capability.rtcpFeedback = std::move(fields.rtcpFeedback);
  return capability;
}

bool isDirection(std::string_view direction) {
  return direction == "sendrecv" || direction == "sendonly" || direction == "recvonly" ||
         direction == "inactive";
}

RtpHeaderExtension readHeaderExtension(JsonReader& reader, const json& extension,
                                       const std::string& path) {
  RtpHeaderExtension result;
  if (!reader.expectObject(extension, path)) return result;
  auto kindName = reader.text(extension, "kind", childPath(path, "kind"), false, kMaxTokenLength,
                              isVisibleAscii);
  if (kindName && !mediaKindFromName(*kindName)) {
    reader.fail(childPath(path, "kind"), "must be \"audio\" or \"video\"");
  }
  auto uri =
      reader.text(extension, "uri", childPath(path, "uri"), true, kMaxUriLength, isVisibleAscii);
  auto preferredId = reader.integer(extension, "preferredId", childPath(path, "preferredId"), true,
                                    kMinHeaderExtensionId, kMaxHeaderExtensionId);
  auto preferredEncrypt =
      reader.boolean(extension, "preferredEncrypt", childPath(path, "preferredEncrypt"));
  auto direction = reader.text(extension, "direction", childPath(path, "direction"), false,
                               kMaxTokenLength, isVisibleAscii);
  if (direction && !isDirection(*direction)) {
    reader.fail(childPath(path, "direction"), "must be sendrecv, sendonly, recvonly or inactive");
  }
  if (!reader.ok()) return result;
  if (kindName) result.kind = mediaKindFromName(*kindName);
  result.uri = *uri;
  result.preferredId = static_cast<int>(*preferredId);
  result.preferredEncrypt = preferredEncrypt.value_or(false);
  result.direction = direction.value_or("sendrecv");
  return result;
}

RtpCodecParameters readCodecParameters(JsonReader& reader, const json& codec,
                                       const std::string& path) {
  RtpCodecParameters result;
  if (!reader.expectObject(codec, path)) return result;
  auto fields = readCommonCodecFields(reader, codec, path);
  auto payloadType = reader.integer(codec, "payloadType", childPath(path, "payloadType"), true, 0,
                                    kMaxPayloadType);
  if (!reader.ok()) return result;
  result.mimeType = std::move(fields.mimeType);
  result.payloadType = static_cast<int>(*payloadType);
  result.clockRate = fields.clockRate;
  result.channels = fields.channels;
  result.parameters = std::move(fields.parameters);
  result.rtcpFeedback = std::move(fields.rtcpFeedback);
  return result;
}

RtpHeaderExtensionParameters readHeaderExtensionParameters(JsonReader& reader,
                                                           const json& extension,
                                                           const std::string& path) {
  RtpHeaderExtensionParameters result;
  if (!reader.expectObject(extension, path)) return result;
  auto uri =
      reader.text(extension, "uri", childPath(path, "uri"), true, kMaxUriLength, isVisibleAscii);
  auto id = reader.integer(extension, "id", childPath(path, "id"), true, kMinHeaderExtensionId,
                           kMaxHeaderExtensionId);
  auto encrypt = reader.boolean(extension, "encrypt", childPath(path, "encrypt"));
  auto parameters = readParameters(reader, extension, path);
  if (!reader.ok()) return result;
  result.uri = *uri;
  result.id = static_cast<int>(*id);
  result.encrypt = encrypt.value_or(false);
  result.parameters = std::move(parameters);
  return result;
}

bool isScalabilityModeChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

RtpEncodingParameters readEncoding(JsonReader& reader, const json& encoding,
                                   const std::string& path) {
  RtpEncodingParameters result;
  if (!reader.expectObject(encoding, path)) return result;
  constexpr int64_t kMaxUint32 = std::numeric_limits<uint32_t>::max();
  auto ssrc = reader.integer(encoding, "ssrc", childPath(path, "ssrc"), false, 0, kMaxUint32);
  auto rid = reader.text(encoding, "rid", childPath(path, "rid"), false, kMaxRidLength, isRidChar);
  auto codecPayloadType = reader.integer(
      encoding, "codecPayloadType", childPath(path, "codecPayloadType"), false, 0, kMaxPayloadType);
  std::optional<int64_t> rtxSsrc;
  if (const json* rtx = reader.member(encoding, "rtx")) {
    std::string rtxPath = childPath(path, "rtx");
    if (reader.expectObject(*rtx, rtxPath)) {
      rtxSsrc = reader.integer(*rtx, "ssrc", childPath(rtxPath, "ssrc"), true, 0, kMaxUint32);
    }
  }
  auto dtx = reader.boolean(encoding, "dtx", childPath(path, "dtx"));
  auto scalabilityMode =
      reader.text(encoding, "scalabilityMode", childPath(path, "scalabilityMode"), false,
                  kMaxScalabilityModeLength, isScalabilityModeChar);
  auto maxBitrate =
      reader.integer(encoding, "maxBitrate", childPath(path, "maxBitrate"), false, 0, kMaxUint32);
  // W3C webrtc-pc: scaleResolutionDownBy below 1.0 is a RangeError.
  auto scaleResolutionDownBy = reader.number(encoding, "scaleResolutionDownBy",
                                             childPath(path, "scaleResolutionDownBy"), 1.0, 1024.0);
  if (!reader.ok()) return result;
  if (ssrc) result.ssrc = static_cast<uint32_t>(*ssrc);
  result.rid = std::move(rid);
  if (codecPayloadType) result.codecPayloadType = static_cast<int>(*codecPayloadType);
  if (rtxSsrc) result.rtxSsrc = static_cast<uint32_t>(*rtxSsrc);
  result.dtx = dtx;
  result.scalabilityMode = std::move(scalabilityMode);
  if (maxBitrate) result.maxBitrate = static_cast<uint32_t>(*maxBitrate);
  result.scaleResolutionDownBy = scaleResolutionDownBy;
  return result;
}

RtcpParameters readRtcp(JsonReader& reader, const json& parameters) {
  RtcpParameters result;
  const json* rtcp = reader.member(parameters, "rtcp");
  if (rtcp == nullptr || !reader.expectObject(*rtcp, "rtcp")) return result;
  // mediasoup-client sends "" when the browser's SDP had no a=ssrc cname (simulcast by rid):
  // the same as no cname, which the router then derives.
  const auto emptyCname = rtcp->find("cname");
  const bool cnameEmpty = emptyCname != rtcp->end() && emptyCname->is_string() && emptyCname->get_ref<const std::string&>().empty();
  auto cname = cnameEmpty ? std::nullopt
                          : reader.text(*rtcp, "cname", "rtcp.cname", false, kMaxCnameLength, isVisibleAscii);
  auto reducedSize = reader.boolean(*rtcp, "reducedSize", "rtcp.reducedSize");
  if (!reader.ok()) return result;
  result.cname = cname.value_or("");
  result.reducedSize = reducedSize.value_or(true);
  return result;
}

json parametersToJson(const Parameters& parameters) {
  json object = json::object();
  for (const auto& [name, value] : parameters) {
    // Structured bindings cannot be captured before C++20 in clang 14 (the fuzz build).
    const std::string& key = name;
    std::visit([&object, &key](const auto& content) { object[key] = content; }, value);
  }
  return object;
}

json feedbackToJson(const std::vector<RtcpFeedback>& feedback) {
  json list = json::array();
  for (const auto& entry : feedback) {
    list.push_back({{"type", entry.type}, {"parameter", entry.parameter}});
  }
  return list;
}

json encodingToJson(const RtpEncodingParameters& encoding) {
  json object = json::object();
  if (encoding.ssrc) object["ssrc"] = *encoding.ssrc;
  if (encoding.rid) object["rid"] = *encoding.rid;
  if (encoding.codecPayloadType) object["codecPayloadType"] = *encoding.codecPayloadType;
  if (encoding.rtxSsrc) object["rtx"] = {{"ssrc", *encoding.rtxSsrc}};
  if (encoding.dtx) object["dtx"] = *encoding.dtx;
  if (encoding.scalabilityMode) object["scalabilityMode"] = *encoding.scalabilityMode;
  if (encoding.maxBitrate) object["maxBitrate"] = *encoding.maxBitrate;
  if (encoding.scaleResolutionDownBy) {
    object["scaleResolutionDownBy"] = *encoding.scaleResolutionDownBy;
  }
  return object;
}

}  // namespace

std::string_view mediaKindName(MediaKind kind) {
  return kind == MediaKind::Audio ? "audio" : "video";
}

std::optional<MediaKind> mediaKindFromName(std::string_view name) {
  if (name == "audio") return MediaKind::Audio;
  if (name == "video") return MediaKind::Video;
  return std::nullopt;
}

std::optional<MediaKind> mediaKindFromMimeType(std::string_view mimeType) {
  auto slash = mimeType.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string type(mimeType.substr(0, slash));
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return mediaKindFromName(type);
}

std::optional<int64_t> integerParameter(const Parameters& parameters, std::string_view key) {
  auto it = parameters.find(key);
  if (it == parameters.end() || !std::holds_alternative<int64_t>(it->second)) return std::nullopt;
  return std::get<int64_t>(it->second);
}

std::optional<std::string> parameterAsString(const Parameters& parameters, std::string_view key) {
  auto it = parameters.find(key);
  if (it == parameters.end()) return std::nullopt;
  if (const auto* integer = std::get_if<int64_t>(&it->second)) return std::to_string(*integer);
  return std::get<std::string>(it->second);
}

bool isRtxMimeType(std::string_view mimeType) {
  auto slash = mimeType.find('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  std::string_view subtype = mimeType.substr(slash + 1);
  return subtype.size() == 3 && std::tolower(static_cast<unsigned char>(subtype[0])) == 'r' &&
         std::tolower(static_cast<unsigned char>(subtype[1])) == 't' &&
         std::tolower(static_cast<unsigned char>(subtype[2])) == 'x';
}

nlohmann::json toJson(const RtpCodecCapability& codec) {
  json object = {{"kind", mediaKindName(codec.kind)}, {"mimeType", codec.mimeType}};
  if (codec.preferredPayloadType) object["preferredPayloadType"] = *codec.preferredPayloadType;
  object["clockRate"] = codec.clockRate;
  if (codec.channels) object["channels"] = *codec.channels;
  object["parameters"] = parametersToJson(codec.parameters);
  object["rtcpFeedback"] = feedbackToJson(codec.rtcpFeedback);
  return object;
}

nlohmann::json toJson(const RtpCodecParameters& codec) {
  json object = {{"mimeType", codec.mimeType},
                 {"payloadType", codec.payloadType},
                 {"clockRate", codec.clockRate}};
  if (codec.channels) object["channels"] = *codec.channels;
  object["parameters"] = parametersToJson(codec.parameters);
  object["rtcpFeedback"] = feedbackToJson(codec.rtcpFeedback);
  return object;
}

nlohmann::json toJson(const RtpCapabilities& capabilities) {
  json codecs = json::array();
  for (const auto& codec : capabilities.codecs) codecs.push_back(toJson(codec));
  json extensions = json::array();
  for (const auto& extension : capabilities.headerExtensions) {
    json object = json::object();
    if (extension.kind) object["kind"] = mediaKindName(*extension.kind);
    object["uri"] = extension.uri;
    object["preferredId"] = extension.preferredId;
    object["preferredEncrypt"] = extension.preferredEncrypt;
    object["direction"] = extension.direction;
    extensions.push_back(std::move(object));
  }
  return {{"codecs", std::move(codecs)}, {"headerExtensions", std::move(extensions)}};
}

nlohmann::json toJson(const RtpParameters& parameters) {
  json object = json::object();
  if (parameters.mid) object["mid"] = *parameters.mid;
  json codecs = json::array();
  for (const auto& codec : parameters.codecs) codecs.push_back(toJson(codec));
  object["codecs"] = std::move(codecs);
  json extensions = json::array();
  for (const auto& extension : parameters.headerExtensions) {
    extensions.push_back({{"uri", extension.uri},
                          {"id", extension.id},
                          {"encrypt", extension.encrypt},
                          {"parameters", parametersToJson(extension.parameters)}});
  }
  object["headerExtensions"] = std::move(extensions);
  json encodings = json::array();
  for (const auto& encoding : parameters.encodings) encodings.push_back(encodingToJson(encoding));
  object["encodings"] = std::move(encodings);
  json rtcp = json::object();
  if (!parameters.rtcp.cname.empty()) rtcp["cname"] = parameters.rtcp.cname;
  rtcp["reducedSize"] = parameters.rtcp.reducedSize;
  object["rtcp"] = std::move(rtcp);
  if (parameters.msid) object["msid"] = *parameters.msid;
  return object;
}

Result<RtpCapabilities> rtpCapabilitiesFromJson(const nlohmann::json& json) {
  JsonReader reader;
  RtpCapabilities capabilities;
  if (!reader.expectObject(json, "rtpCapabilities")) return reader.takeError();
  if (const auto* codecs = reader.array(json, "codecs", "codecs", false, kMaxCodecs)) {
    for (size_t i = 0; i < codecs->size() && reader.ok(); ++i) {
      auto codec = readCodecCapability(reader, (*codecs)[i], indexPath("codecs", i));
      if (reader.ok()) capabilities.codecs.push_back(std::move(codec));
    }
  }
  if (const auto* extensions =
          reader.array(json, "headerExtensions", "headerExtensions", false, kMaxHeaderExtensions)) {
    for (size_t i = 0; i < extensions->size() && reader.ok(); ++i) {
      auto extension =
          readHeaderExtension(reader, (*extensions)[i], indexPath("headerExtensions", i));
      if (reader.ok()) capabilities.headerExtensions.push_back(std::move(extension));
    }
  }
  if (!reader.ok()) return reader.takeError();
  return capabilities;
}

Result<RtpParameters> rtpParametersFromJson(const nlohmann::json& json) {
  JsonReader reader;
  RtpParameters parameters;
  if (!reader.expectObject(json, "rtpParameters")) return reader.takeError();
  parameters.mid = reader.text(json, "mid", "mid", false, kMaxMidLength, isVisibleAscii);
  if (const auto* codecs = reader.array(json, "codecs", "codecs", true, kMaxCodecs)) {
    for (size_t i = 0; i < codecs->size() && reader.ok(); ++i) {
      auto codec = readCodecParameters(reader, (*codecs)[i], indexPath("codecs", i));
      if (reader.ok()) parameters.codecs.push_back(std::move(codec));
    }
  }
  if (const auto* extensions =
          reader.array(json, "headerExtensions", "headerExtensions", false, kMaxHeaderExtensions)) {
    for (size_t i = 0; i < extensions->size() && reader.ok(); ++i) {
      auto extension =
          readHeaderExtensionParameters(reader, (*extensions)[i], indexPath("headerExtensions", i));
      if (reader.ok()) parameters.headerExtensions.push_back(std::move(extension));
    }
  }
  if (const auto* encodings = reader.array(json, "encodings", "encodings", false, kMaxEncodings)) {
    for (size_t i = 0; i < encodings->size() && reader.ok(); ++i) {
      auto encoding = readEncoding(reader, (*encodings)[i], indexPath("encodings", i));
      if (reader.ok()) parameters.encodings.push_back(std::move(encoding));
    }
  }
  parameters.rtcp = readRtcp(reader, json);
  parameters.msid = reader.text(json, "msid", "msid", false, kMaxMsidLength, isVisibleAsciiOrSpace);
  if (!reader.ok()) return reader.takeError();
  return parameters;
}

}  // namespace fluxmeet::media::ortc
