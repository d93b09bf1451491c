// RoomMedia::stats: a peer's own transports, producers and consumers as the
// media worker counts them ("media.stats" in docs/protocol.md).
#include <algorithm>

#include "fluxmeet/media/ortc/ortc.hpp"
#include "fluxmeet/meeting/room_media.hpp"

namespace fluxmeet::meeting {

using json = nlohmann::json;
using media::router::Router;

namespace {

struct PeerMediaStats {
  std::vector<media::router::TransportStats> transports;
  std::vector<media::router::ProducerStats> producers;
  std::vector<media::router::ConsumerStatsEntry> consumers;
};

json transportJson(const media::router::TransportStats &item) {
  return {{"transportId", item.id},
          {"state", item.state},
          {"iceState", item.iceState},
          {"protocol", item.tupleProtocol ? json(*item.tupleProtocol) : json(nullptr)},
          {"rtpReceived", item.counters.rtpReceived},
          {"rtpSent", item.counters.rtpSent},
          {"rtcpReceived", item.counters.rtcpReceived},
          {"rtcpSent", item.counters.rtcpSent},
          {"bytesReceived", item.counters.bytesReceived},
          {"bytesSent", item.counters.bytesSent},
          {"srtpFailures", item.counters.srtpFailures},
          {"availableOutgoingBitrate", item.availableOutgoingBitrate},
          {"maxIncomingBitrate", item.maxIncomingBitrate}};
}

json producerJson(const media::router::ProducerStats &item) {
  json streams = json::array();
  for (const auto &stream : item.streams) {
    streams.push_back({{"ssrc", stream.ssrc},
                       {"rid", stream.rid ? json(*stream.rid) : json(nullptr)},
                       {"packets", stream.packets},
                       {"bytes", stream.bytes},
                       {"bitrate", stream.bitrate},
                       {"packetsLost", stream.packetsLost},
                       {"jitterMs", stream.jitterMs},
                       {"nacksSent", stream.nacksSent},
                       {"packetsRequested", stream.packetsRequested},
                       {"packetsRepaired", stream.packetsRepaired},
                       {"packetsUnrepaired", stream.packetsUnrepaired},
                       {"rtxPackets", stream.rtxPackets},
                       {"pliSent", stream.keyframeRequests},
                       {"nackRoundTripMs", stream.nackRoundTripMs}});
  }
  return {{"producerId", item.id},
          {"transportId", item.transportId},
          {"kind", media::ortc::mediaKindName(item.kind)},
          {"paused", item.paused},
          {"streams", streams}};
}

json consumerJson(const media::router::ConsumerStatsEntry &item) {
  const auto &counters = item.counters;
  return {{"consumerId", item.id},
          {"producerId", item.producerId},
          {"transportId", item.transportId},
          {"kind", media::ortc::mediaKindName(item.kind)},
          {"paused", item.paused},
          {"producerPaused", item.producerPaused},
          {"spatialLayer", item.currentLayer},
          {"targetSpatialLayer", item.targetLayer},
          {"preferredSpatialLayer", item.preferredLayer},
          {"priority", item.priority},
          {"packetsSent", counters.packetsSent},
          {"bytesSent", counters.bytesSent},
          {"bitrate", counters.bitrate},
          {"packetsDropped", counters.packetsDropped},
          {"nacksReceived", counters.nacksReceived},
          {"packetsRetransmitted", counters.packetsRetransmitted},
          {"keyframeRequests", counters.keyframeRequests},
          {"fractionLost", counters.fractionLost},
          {"roundTripMs", counters.roundTripMs}};
}

}  // namespace

Result<json> RoomMedia::stats(const std::string &peerId) {
  std::vector<std::string> mine;
  for (const auto &[id, owner] : transports_) {
    if (owner == peerId) mine.push_back(id);
  }
  const auto isMine = [&mine](const std::string &transportId) {
    return std::find(mine.begin(), mine.end(), transportId) != mine.end();
  };
  auto stats = worker_.invoke([&] {
    PeerMediaStats result;
    if (Router *router = worker_.findRouter(routerId_)) {
      for (auto &item : router->transportStats()) {
        if (isMine(item.id)) result.transports.push_back(std::move(item));
      }
      for (auto &item : router->producerStats()) {
        if (isMine(item.transportId)) result.producers.push_back(std::move(item));
      }
      for (auto &item : router->consumerStats()) {
        if (isMine(item.transportId)) result.consumers.push_back(std::move(item));
      }
    }
    return result;
  });
  json transports = json::array();
  for (const auto &item : stats.transports) transports.push_back(transportJson(item));
  json producers = json::array();
  for (const auto &item : stats.producers) producers.push_back(producerJson(item));
  json consumers = json::array();
  for (const auto &item : stats.consumers) consumers.push_back(consumerJson(item));
  return json{{"transports", transports}, {"producers", producers}, {"consumers", consumers}};
}

}  // namespace fluxmeet::meeting
