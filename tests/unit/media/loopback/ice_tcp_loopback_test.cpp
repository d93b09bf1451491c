// ICE-TCP end to end without a browser: a real MediaWorker with its TCP port on 127.0.0.1, a
// Router, and our own WebRTC clients (client::MediaClient) - the publisher connected over
// ICE-TCP (RFC 6544 active side, RFC 4571 framing), one subscriber over UDP and one over TCP.
// The first STUN check on each TCP connection finds its transport by ufrag, DTLS and SRTP run
// over the frames, and the Router forwards between UDP and TCP tuples both ways. Bounded by
// packet counts and short timeouts; nothing asserts on speed.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fluxmeet/media/client/media_client.hpp"
#include "fluxmeet/media/client/synthetic_opus_source.hpp"
#include "fluxmeet/media/ortc/default_codecs.hpp"
#include "fluxmeet/media/ortc/ortc.hpp"
#include "fluxmeet/media/worker/media_worker.hpp"

namespace fluxmeet::media {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr const char* kRouterId = "ice-tcp-room";

class NullRouterListener : public router::RouterListener {
 public:
  void onTransportClosed(const std::string&, const std::string&, std::string_view) override {}
  void onConsumerClosed(const std::string&, const std::string&) override {}
  void onActiveSpeaker(const std::string&, const std::string&) override {}
};

struct Peer {
  std::unique_ptr<client::MediaClient> client;
  std::string transportId;
  size_t audioPackets = 0;
};

class IceTcpLoopbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    serverCertificate_ = dtls::DtlsCertificate::generate().value();
    clientCertificate_ = dtls::DtlsCertificate::generate().value();
    worker_ = std::make_unique<worker::MediaWorker>(
        worker::MediaWorkerOptions{.index = 0, .listenIp = "127.0.0.1", .port = 0, .tcpPort = 0}, serverCertificate_,
        listener_);
    ASSERT_TRUE(worker_->start());
    ASSERT_NE(worker_->tcpPort(), 0);
    capabilities_ = ortc::generateRouterRtpCapabilities(ortc::defaultMediaCodecs()).value();
    ASSERT_TRUE(worker_->invoke([&] { return worker_->createRouter(kRouterId, capabilities_); }));
  }

  void TearDown() override {
    for (auto* peer : {&publisher_, &udpSubscriber_, &tcpSubscriber_}) peer->client.reset();
    worker_->stop();
  }

  template <class Task>
  auto onRouter(Task&& task) -> std::invoke_result_t<Task&, router::Router&> {
    return worker_->invoke([&] { return task(*worker_->findRouter(kRouterId)); });
  }

  void connectPeer(Peer& peer, ice::TransportProtocol protocol) {
    peer.transportId = "transport-" + std::to_string(nextTransport_++);
    auto parameters = onRouter([&](router::Router& router) { return router.createWebRtcTransport(peer.transportId); });
    ASSERT_TRUE(parameters);
    auto created = client::MediaClient::create({.certificate = clientCertificate_});
    ASSERT_TRUE(created);
    peer.client = std::move(*created);
    ASSERT_TRUE(onRouter([&](router::Router& router) {
      return router.connectTransport(peer.transportId, "client", "sha-256", peer.client->fingerprintSha256());
    }));
    auto candidate = ice::makeIpv4Address(127, 0, 0, 1,
                                          protocol == ice::TransportProtocol::Tcp ? worker_->tcpPort() : worker_->port());
    candidate.protocol = protocol;
    ASSERT_TRUE(peer.client->connect(
        {.candidate = candidate, .ice = {parameters->iceUfrag, parameters->icePassword}, .fingerprint = parameters->fingerprintSha256}));
    ASSERT_TRUE(pumpUntil([&] { return peer.client->connected(); }))
        << "state " << client::mediaClientStateName(peer.client->state()) << " " << peer.client->failure();
    EXPECT_EQ(peer.client->localAddress().protocol, protocol);
  }

  void subscribe(Peer& peer, const std::string& consumerId) {
    auto consumed = onRouter([&](router::Router& router) {
      return router.consume(peer.transportId, consumerId, "audio", capabilities_, false);
    });
    ASSERT_TRUE(consumed) << consumed.error().message;
    peer.client->setRtpHandler([&peer](rtp::RtpPacketView&, int64_t) { ++peer.audioPackets; });
  }

  bool pumpUntil(const std::function<bool()>& done, Clock::duration timeout = 5s) {
    const auto deadline = Clock::now() + timeout;
    while (!done()) {
      const auto now = Clock::now();
      if (now >= deadline) return false;
      if (publisher_.client && publisher_.client->connected() && now >= nextAudio_) {
        opus_.sendFrame(0, [this](std::span<const uint8_t> packet) { publisher_.client->sendRtp(packet); });
        nextAudio_ = now + 20ms;
      }
      std::vector<pollfd> descriptors;
      for (auto* peer : {&publisher_, &udpSubscriber_, &tcpSubscriber_}) {
        if (peer->client) descriptors.push_back({.fd = peer->client->fd(), .events = POLLIN, .revents = 0});
      }
      ::poll(descriptors.data(), descriptors.size(), 2);
      for (auto* peer : {&publisher_, &udpSubscriber_, &tcpSubscriber_}) {
        if (peer->client) peer->client->poll(0ms);
      }
    }
    return true;
  }

  // The publisher's audio over `publisherProtocol`, consumed by one UDP and one TCP subscriber.
  void startRoom(ice::TransportProtocol publisherProtocol) {
    ASSERT_NO_FATAL_FAILURE(connectPeer(publisher_, publisherProtocol));
    ASSERT_TRUE(onRouter([&](router::Router& router) {
      return router.produce(publisher_.transportId, "audio", ortc::MediaKind::Audio, opus_.producerParameters());
    }));
    ASSERT_NO_FATAL_FAILURE(connectPeer(udpSubscriber_, ice::TransportProtocol::Udp));
    ASSERT_NO_FATAL_FAILURE(connectPeer(tcpSubscriber_, ice::TransportProtocol::Tcp));
    ASSERT_NO_FATAL_FAILURE(subscribe(udpSubscriber_, "udp-audio"));
    ASSERT_NO_FATAL_FAILURE(subscribe(tcpSubscriber_, "tcp-audio"));
  }

  std::optional<router::TransportStats> transportStats(const std::string& transportId) {
    return onRouter([&](router::Router& router) -> std::optional<router::TransportStats> {
      for (auto& stats : router.transportStats()) {
        if (stats.id == transportId) return stats;
      }
      return std::nullopt;
    });
  }

  worker::IceTcpStats tcpStats() {
    return worker_->invoke([&] { return worker_->stats().tcp; });
  }

  std::shared_ptr<dtls::DtlsCertificate> serverCertificate_;
  std::shared_ptr<dtls::DtlsCertificate> clientCertificate_;
  NullRouterListener listener_;
  std::unique_ptr<worker::MediaWorker> worker_;
  ortc::RtpCapabilities capabilities_;
  client::SyntheticOpusSource opus_{client::SyntheticOpusOptions{.ssrc = 0x22220000}};
  Clock::time_point nextAudio_{};
  int nextTransport_ = 0;
  Peer publisher_, udpSubscriber_, tcpSubscriber_;
};

TEST_F(IceTcpLoopbackTest, MediaCrossesBetweenTcpAndUdpTuplesAndClosingATransportClosesItsConnection) {
  ASSERT_NO_FATAL_FAILURE(startRoom(ice::TransportProtocol::Tcp));

  ASSERT_TRUE(pumpUntil([&] { return udpSubscriber_.audioPackets >= 30 && tcpSubscriber_.audioPackets >= 30; }))
      << "udp " << udpSubscriber_.audioPackets << ", tcp " << tcpSubscriber_.audioPackets;
  for (auto* peer : {&publisher_, &udpSubscriber_, &tcpSubscriber_}) EXPECT_EQ(peer->client->stats().srtpFailures, 0u);
  auto stats = tcpStats();
  EXPECT_EQ(stats.connections, 2u);
  EXPECT_EQ(stats.framingErrors, 0u);
  EXPECT_EQ(stats.sendDrops, 0u);
  EXPECT_GT(stats.framesReceived, 30u);
  EXPECT_GT(stats.framesSent, 30u);

  // The server closes the TCP subscriber's transport: DTLS close_notify, then the connection.
  onRouter([&](router::Router& router) { router.closeTransport(tcpSubscriber_.transportId); });
  ASSERT_TRUE(pumpUntil([&] { return tcpSubscriber_.client->state() == client::MediaClientState::Failed; }));
  EXPECT_EQ(tcpStats().connections, 1u);
  const size_t before = udpSubscriber_.audioPackets;
  ASSERT_TRUE(pumpUntil([&] { return udpSubscriber_.audioPackets >= before + 10; })) << "the others go on";
}

TEST_F(IceTcpLoopbackTest, ClosedConnectionLeavesTheTransportWaitingForAnotherTuple) {
  ASSERT_NO_FATAL_FAILURE(startRoom(ice::TransportProtocol::Udp));
  ASSERT_TRUE(pumpUntil([&] { return tcpSubscriber_.audioPackets >= 10; }));
  auto before = transportStats(tcpSubscriber_.transportId);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->iceState, "completed");
  EXPECT_EQ(before->tupleProtocol, "tcp");

  // The network drops the browser's TCP connection (no DTLS close_notify).
  ASSERT_EQ(::shutdown(tcpSubscriber_.client->fd(), SHUT_RDWR), 0);
  ASSERT_TRUE(pumpUntil([&] { return tcpStats().connections == 0; }));
  auto after = transportStats(tcpSubscriber_.transportId);
  ASSERT_TRUE(after) << "the transport stays open for the browser to come back within its consent window";
  EXPECT_EQ(after->state, "connected");
  EXPECT_EQ(after->iceState, "disconnected");
  EXPECT_FALSE(after->tupleProtocol.has_value());

  // Its media is held back (counted), not sent to the closed connection; the others go on.
  const size_t udpBefore = udpSubscriber_.audioPackets;
  ASSERT_TRUE(pumpUntil([&] { return udpSubscriber_.audioPackets >= udpBefore + 10; }));
  auto later = transportStats(tcpSubscriber_.transportId);
  ASSERT_TRUE(later);
  EXPECT_GT(later->counters.droppedNotReady, after->counters.droppedNotReady);
  EXPECT_EQ(later->counters.rtpSent, after->counters.rtpSent);
  EXPECT_EQ(tcpStats().sendDrops, 0u);
}

}  // namespace
}  // namespace fluxmeet::media
