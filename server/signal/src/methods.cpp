// The method table of docs/protocol.md: one schema per method, declared as data, and the
// handler it leads to. Validation happens once, here, before any handler runs.
#include <array>
#include <string_view>

#include "fluxmeet/http/json_schema.hpp"
#include "fluxmeet/whiteboard/element.hpp"
#include "request_limits.hpp"
#include "signaling_core.hpp"

namespace fluxmeet::signal {

namespace {

// Whatever element the board would keep, a client can send (docs/protocol.md: the message limit).
static_assert(kDefaultMaxMessageBytes >= whiteboard::ElementLimits{}.maxBytes + 4096);

using http::FieldRule;
using http::JsonType;
using http::Schema;
using json = nlohmann::json;

const std::vector<std::string> kKinds{"audio", "video", "screen"};
const std::vector<std::string> kEmoji{"👍", "👏", "😂", "❤️", "🎉", "😮", "🤔", "🙌"};

FieldRule peerIdRule() {
  return {.name = "peerId", .type = JsonType::String, .required = true, .minLength = 1, .maxLength = 64};
}
FieldRule textRule() { return {.name = "text", .type = JsonType::String, .required = true, .minLength = 1, .maxLength = 4000}; }
FieldRule messageIdRule() { return {.name = "id", .type = JsonType::Integer, .required = true, .minimum = 1}; }
FieldRule nameRule(bool required) {
  return {.name = "displayName", .type = JsonType::String, .required = required, .minLength = 1, .maxLength = 64};
}

const Schema kEmpty{};
const Schema kHello{{
    {.name = "token", .type = JsonType::String, .required = true, .minLength = 1, .maxLength = auth::kMaxTokenLength},
    {.name = "resumeToken", .type = JsonType::String, .minLength = 1, .maxLength = 128},
}};
const Schema kJoin{{
    {.name = "code", .type = JsonType::String, .required = true, .minLength = 1, .maxLength = 64},
    {.name = "passcode", .type = JsonType::String, .maxLength = 64},
    nameRule(false),
}};
const Schema kChatSend{{textRule()}};
const Schema kChatHistory{{
    {.name = "before", .type = JsonType::Integer, .minimum = 1},
    {.name = "limit", .type = JsonType::Integer, .minimum = 1, .maximum = 100},
}};
const Schema kChatEdit{{messageIdRule(), textRule()}};
const Schema kChatDelete{{messageIdRule()}};
const Schema kSetName{{nameRule(true)}};
const Schema kReaction{{{.name = "emoji", .type = JsonType::String, .required = true, .oneOf = kEmoji}}};
const Schema kUnmute{{{.name = "kind", .type = JsonType::String, .required = true, .oneOf = kKinds}}};
const Schema kMute{{peerIdRule(), {.name = "kind", .type = JsonType::String, .required = true, .oneOf = kKinds}}};
const Schema kMuteAll{{{.name = "kind", .type = JsonType::String, .oneOf = kKinds}}};
const Schema kRemove{{peerIdRule(), {.name = "ban", .type = JsonType::Boolean}}};
const Schema kSetRole{{peerIdRule(),
                       {.name = "role", .type = JsonType::String, .required = true, .oneOf = {"cohost", "participant"}}}};
const Schema kPeerTarget{{peerIdRule()}};
const Schema kSettings{{
    {.name = "waitingRoom", .type = JsonType::Boolean},
    {.name = "guestsAllowed", .type = JsonType::Boolean},
    {.name = "muteOnEntry", .type = JsonType::Boolean},
    {.name = "screenShare", .type = JsonType::String, .oneOf = {"everyone", "hosts"}},
}};

// Whiteboard (docs/protocol.md "Whiteboard"). Element objects are checked by the board itself
// (server/whiteboard element.hpp), which names the failing field ("elements[3].points").
const Schema kBoardReadOnly{{{.name = "readOnly", .type = JsonType::Boolean, .required = true}}};
const Schema kBoardSync{{
    {.name = "epoch", .type = JsonType::String, .maxLength = 64},
    {.name = "sinceSeq", .type = JsonType::Integer, .minimum = 0, .maximum = 9007199254740991.0},
}};
const Schema kBoardUpdate{{{.name = "elements", .type = JsonType::Array, .required = true}}};
FieldRule coordinateRule(const char* name) {
  return {.name = name, .type = JsonType::Number, .required = true, .minimum = -1e9, .maximum = 1e9};
}
const Schema kBoardCursor{{
    coordinateRule("x"),
    coordinateRule("y"),
    {.name = "pointer", .type = JsonType::String, .oneOf = {"down", "up"}},
    {.name = "selected", .type = JsonType::Array, .maxLength = 50},
}};
const Schema kBoardViewport{{
    coordinateRule("scrollX"),
    coordinateRule("scrollY"),
    {.name = "zoom", .type = JsonType::Number, .required = true, .minimum = 0.01, .maximum = 100},
}};

enum class Needs { Session, Room };

using Handler = Result<json> (*)(MethodContext&, const json&);

struct MethodSpec {
  std::string_view name;
  const Schema* schema;
  Needs needs;
  Handler handler;
  RateClass rate = RateClass::Other;
};

meeting::Room& room(MethodContext& c) { return *c.room; }
const std::string& self(MethodContext& c) { return c.session->peerId; }
meeting::MediaKind kindOf(const json& data, const char* field = "kind") {
  return meeting::parseMediaKind(data.value(field, "audio")).value_or(meeting::MediaKind::Audio);
}

FieldRule idRule(const char* name) {
  return {.name = name, .type = JsonType::String, .required = true, .minLength = 1, .maxLength = 64};
}
FieldRule objectRule(const char* name, bool required = true) {
  return {.name = name, .type = JsonType::Object, .required = required};
}
const Schema kCreateTransport{{{.name = "direction", .type = JsonType::String, .oneOf = {"send", "recv"}}}};
const Schema kConnectTransport{{idRule("transportId"), objectRule("dtlsParameters")}};
const Schema kTransportTarget{{idRule("transportId")}};
const Schema kProduce{{
    idRule("transportId"),
    {.name = "kind", .type = JsonType::String, .required = true, .oneOf = {"audio", "video"}},
    objectRule("rtpParameters"),
    objectRule("appData", false),
    {.name = "paused", .type = JsonType::Boolean},
}};
const Schema kProducerTarget{{idRule("producerId")}};
const Schema kConsume{{idRule("transportId"), idRule("producerId"), objectRule("rtpCapabilities")}};
const Schema kConsumerTarget{{idRule("consumerId")}};
const Schema kConsumerVisible{{idRule("consumerId"), {.name = "visible", .type = JsonType::Boolean, .required = true}}};
const Schema kPreferredLayers{{
    idRule("consumerId"),
    {.name = "spatialLayer", .type = JsonType::Integer, .required = true, .minimum = 0, .maximum = 3},
    {.name = "temporalLayer", .type = JsonType::Integer, .minimum = 0, .maximum = 3},
}};

const MethodSpec kMethods[] = {
    {"join", &kJoin, Needs::Session, [](MethodContext& c, const json& d) { return c.core.join(c, d); }},
    // Media (docs/protocol.md "Media"): the mediasoup-client flow.
    {"getRouterRtpCapabilities", &kEmpty, Needs::Room,
     [](MethodContext& c, const json&) { return room(c).routerRtpCapabilities(self(c)); }},
    {"createTransport", &kCreateTransport, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).createTransport(self(c), d); }},
    {"connectTransport", &kConnectTransport, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).connectTransport(self(c), d); }},
    {"restartIce", &kTransportTarget, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).restartIce(self(c), d); }},
    {"produce", &kProduce, Needs::Room, [](MethodContext& c, const json& d) { return room(c).produce(self(c), d); }},
    {"closeProducer", &kProducerTarget, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).closeProducer(self(c), d); }},
    {"pauseProducer", &kProducerTarget, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).setProducerPaused(self(c), d, true); }},
    {"resumeProducer", &kProducerTarget, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).setProducerPaused(self(c), d, false); }},
    {"consume", &kConsume, Needs::Room, [](MethodContext& c, const json& d) { return room(c).consume(self(c), d); }},
    {"setConsumerVisible", &kConsumerVisible, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).setConsumerPaused(self(c), d, !d["visible"].get<bool>()); }},
    {"resumeConsumer", &kConsumerTarget, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).setConsumerPaused(self(c), d, false); }},
    {"setConsumerLayers", &kPreferredLayers, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).setPreferredLayers(self(c), d); }},
    {"requestKeyframe", &kConsumerTarget, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).requestKeyframe(self(c), d); }},
    {"getTransportStats", &kEmpty, Needs::Room, [](MethodContext& c, const json&) { return room(c).mediaStats(self(c)); }},
    {"leave", &kEmpty, Needs::Session, [](MethodContext& c, const json&) { return c.core.leave(c); }},
    {"chat.send", &kChatSend, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).chatSend(self(c), d["text"].get<std::string>()); },
     RateClass::Chat},
    {"chat.history", &kChatHistory, Needs::Room,
     [](MethodContext& c, const json& d) {
       return room(c).chatHistory(self(c), d.value("before", store::Id{0}), d.value("limit", 50));
     }},
    {"chat.edit", &kChatEdit, Needs::Room,
     [](MethodContext& c, const json& d) {
       return room(c).chatEdit(self(c), d["id"].get<store::Id>(), d["text"].get<std::string>());
     },
     RateClass::Chat},
    {"chat.delete", &kChatDelete, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).chatDelete(self(c), d["id"].get<store::Id>()); },
     RateClass::Chat},
    {"setName", &kSetName, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).setName(self(c), d["displayName"].get<std::string>()); },
     RateClass::Presence},
    {"raiseHand", &kEmpty, Needs::Room, [](MethodContext& c, const json&) { return room(c).setHand(self(c), true); },
     RateClass::Presence},
    {"lowerHand", &kEmpty, Needs::Room, [](MethodContext& c, const json&) { return room(c).setHand(self(c), false); },
     RateClass::Presence},
    {"reaction", &kReaction, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).reaction(self(c), d["emoji"].get<std::string>()); },
     RateClass::Reaction},
    {"peer.unmute", &kUnmute, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).unmuteSelf(self(c), kindOf(d)); }},
    {"peer.mute", &kMute, Needs::Room,
     [](MethodContext& c, const json& d) {
       return room(c).mute(self(c), d["peerId"].get<std::string>(), kindOf(d));
     }},
    {"peer.muteAll", &kMuteAll, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).muteAll(self(c), kindOf(d)); }},
    {"peer.remove", &kRemove, Needs::Room,
     [](MethodContext& c, const json& d) {
       return room(c).remove(self(c), d["peerId"].get<std::string>(), d.value("ban", false));
     }},
    {"peer.setRole", &kSetRole, Needs::Room,
     [](MethodContext& c, const json& d) {
       auto role = store::parseRole(d["role"].get<std::string>()).value_or(store::Role::Participant);
       return room(c).setRole(self(c), d["peerId"].get<std::string>(), role);
     }},
    {"lobby.admit", &kPeerTarget, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).admit(self(c), d["peerId"].get<std::string>()); }},
    {"lobby.deny", &kPeerTarget, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).deny(self(c), d["peerId"].get<std::string>()); }},
    {"meeting.lock", &kEmpty, Needs::Room, [](MethodContext& c, const json&) { return room(c).setLocked(self(c), true); }},
    {"meeting.unlock", &kEmpty, Needs::Room,
     [](MethodContext& c, const json&) { return room(c).setLocked(self(c), false); }},
    {"meeting.end", &kEmpty, Needs::Room, [](MethodContext& c, const json&) { return room(c).end(self(c)); }},
    {"recording.start", &kEmpty, Needs::Room,
     [](MethodContext& c, const json&) { return room(c).recordingStart(self(c)); }},
    {"recording.stop", &kEmpty, Needs::Room,
     [](MethodContext& c, const json&) { return room(c).recordingStop(self(c)); }},
    {"board.open", &kEmpty, Needs::Room, [](MethodContext& c, const json&) { return room(c).boardSetOpen(self(c), true); }},
    {"board.close", &kEmpty, Needs::Room,
     [](MethodContext& c, const json&) { return room(c).boardSetOpen(self(c), false); }},
    {"board.setReadOnly", &kBoardReadOnly, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).boardSetReadOnly(self(c), d["readOnly"].get<bool>()); }},
    {"board.sync", &kBoardSync, Needs::Room,
     [](MethodContext& c, const json& d) -> Result<json> {
       // Pages well below the message limit: the envelope and the commas between elements fit.
       auto page = room(c).boardSync(self(c), d.value("epoch", std::string()), d.value("sinceSeq", std::uint64_t{0}),
                                     c.core.options_.maxMessageBytes * 3 / 4);
       if (!page) return page.error();
       c.encodedData = std::move(*page);
       return json(nullptr);
     }},
    {"board.update", &kBoardUpdate, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).boardUpdate(self(c), d["elements"]); }},
    {"board.cursor", &kBoardCursor, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).boardCursor(self(c), d); }, RateClass::Pointer},
    {"board.viewport", &kBoardViewport, Needs::Room,
     [](MethodContext& c, const json& d) { return room(c).boardViewport(self(c), d); }, RateClass::Pointer},
    {"meeting.updateSettings", &kSettings, Needs::Room,
     [](MethodContext& c, const json& d) {
       meeting::SettingsChange change{.waitingRoom = http::optionalField<bool>(d, "waitingRoom"),
                                      .guestsAllowed = http::optionalField<bool>(d, "guestsAllowed"),
                                      .muteOnEntry = http::optionalField<bool>(d, "muteOnEntry")};
       if (auto share = http::optionalField<std::string>(d, "screenShare")) {
         change.screenShare = *share == "hosts" ? store::ScreenSharePolicy::HostsOnly : store::ScreenSharePolicy::Everyone;
       }
       return room(c).updateSettings(self(c), change);
     }},
};

}  // namespace

bool isClientMistake(const Error& error) {
  return error.code == ErrorCode::InvalidRequest || error.code == ErrorCode::ValidationFailed ||
         (error.code == ErrorCode::NotFound && error.field == "method");
}

Result<json> dispatch(MethodContext& context, const Request& request) {
  if (request.method == "hello") {
    if (auto valid = http::validate(request.data, kHello); !valid) return valid.error();
    return context.core.hello(context, request.data);
  }
  for (const auto& spec : kMethods) {
    if (spec.name != request.method) continue;
    if (context.session) {
      auto allowed = context.core.requestLimits_.take(context.session->peerId, spec.rate, RateLimiter::Clock::now());
      if (!allowed) return allowed.error();
    }
    if (auto valid = http::validate(request.data, *spec.schema); !valid) return valid.error();
    if (spec.needs == Needs::Room && !context.room) {
      return makeError(ErrorCode::Unprocessable, "join a meeting first");
    }
    return spec.handler(context, request.data);
  }
  return makeError(ErrorCode::NotFound, "unknown method '" + request.method + "'", "method");
}

}  // namespace fluxmeet::signal
