#include "fluxmeet/media/worker/media_worker.hpp"

#include <unistd.h>

#include <boost/asio/post.hpp>
#include <vector>

#include "fluxmeet/media/net/packet_classifier.hpp"
#include "fluxmeet/media/stun/stun_message.hpp"

namespace fluxmeet::media::worker {
namespace {

// Timers (DTLS retransmission, consent, RTCP, layer choice) run at this resolution; the packet
// path does not depend on it.
constexpr auto kTick = std::chrono::milliseconds(20);
// Without a transport there is nothing to time but the stats and the ICE-TCP sweep (once a
// second): a worker of meetings without media (a whiteboard, chat) no longer wakes 50 times a
// second for nothing.
constexpr auto kIdleTick = std::chrono::seconds(1);

}  // namespace

MediaWorker::MediaWorker(MediaWorkerOptions options, std::shared_ptr<const dtls::DtlsCertificate> certificate,
                         router::RouterListener& listener)
    : options_(std::move(options)), certificate_(std::move(certificate)), listener_(listener) {}

MediaWorker::~MediaWorker() { stop(); }

Result<void> MediaWorker::start() {
  auto socket = UdpSocket::open(options_.listenIp, options_.port, options_.udpGso);
  if (!socket) return socket.error();
  socket_ = std::move(*socket);
  port_ = socket_->localPort();
  if (options_.tcpPort) {
    auto tcp = IceTcpServer::open(io_, options_.listenIp, *options_.tcpPort, *this);
    if (!tcp) return tcp.error();
    tcp_ = std::move(*tcp);
  }
  sink_ = std::make_unique<WorkerSink>(*socket_, tcp_.get());
  // A duplicate of the descriptor, so asio may close its copy without closing the socket.
  readable_ = std::make_unique<boost::asio::posix::stream_descriptor>(io_, ::dup(socket_->fd()));
  waitForPackets();
  scheduleTick();
  thread_ = std::thread([this] {
    io_.run();
    // Routers (and their DTLS/SRTP state) die on the thread that used them.
    routers_.clear();
    if (tcp_) tcp_->closeAll();
  });
  return {};
}

void MediaWorker::stop() {
  if (!thread_.joinable()) return;
  io_.stop();
  thread_.join();
}

void MediaWorker::waitForPackets() {
  readable_->async_wait(boost::asio::posix::stream_descriptor::wait_read, [this](const boost::system::error_code& error) {
    if (error) return;
    onReadable();
    waitForPackets();
  });
}

void MediaWorker::onReadable() {
  // Drain what the kernel has (bounded, so timers and tasks still get their turn), then send
  // everything the batch produced in one sendmmsg.
  const auto now = transport::Clock::now();
  for (int batch = 0; batch < 8; ++batch) {
    const size_t count = socket_->receiveBatch(
        [this, now](std::span<uint8_t> datagram, const ice::TransportAddress& from) { onDatagram(datagram, from, now); });
    if (count < UdpSocket::kBatch) break;
  }
  sink_->flush();
}

void MediaWorker::onTcpFrame(std::span<uint8_t> frame, const ice::TransportAddress& from,
                             transport::Clock::time_point now) {
  // RFC 6544 section 3: the framed packets are the same STUN/DTLS/RTP/RTCP a datagram carries.
  onDatagram(frame, from, now);
}

void MediaWorker::onTcpReadDone() { sink_->flush(); }

void MediaWorker::onTcpConnectionClosed(const ice::TransportAddress& peer) {
  // The tuple ends with its connection: its transport moves to another valid tuple, or waits
  // for the browser to nominate one until consent expires.
  const auto it = byTuple_.find(peer);
  if (it == byTuple_.end()) return;
  transport::WebRtcTransport* transport = it->second;
  byTuple_.erase(it);
  transport->tupleClosed(peer);
}

void MediaWorker::onDatagram(std::span<uint8_t> datagram, const ice::TransportAddress& from,
                             transport::Clock::time_point now) {
  const auto kind = net::classifyPacket(datagram);
  switch (kind) {
    case net::PacketKind::Stun: {
      const auto message = stun::StunMessage::parse(datagram);
      if (!message) {
        ++unclassified_;
        return;
      }
      // RFC 8445 section 7.2.2: USERNAME = "<our ufrag>:<their ufrag>".
      const auto username = message->username();
      const auto colon = username ? username->find(':') : std::string_view::npos;
      if (colon == std::string_view::npos) {
        ++unknownStun_;
        return;
      }
      const auto it = byUfrag_.find(std::string(username->substr(0, colon)));
      if (it == byUfrag_.end()) {
        ++unknownStun_;
        return;
      }
      it->second->receiveStun(*message, datagram, from, now);
      return;
    }
    case net::PacketKind::Dtls:
    case net::PacketKind::Rtp:
    case net::PacketKind::Rtcp: {
      const auto it = byTuple_.find(from);
      if (it == byTuple_.end()) {
        ++unknownTuple_;
        return;
      }
      if (kind == net::PacketKind::Dtls) it->second->receiveDtls(datagram, from);
      else if (kind == net::PacketKind::Rtp) it->second->receiveRtp(datagram, from, now);
      else it->second->receiveRtcp(datagram, from, now);
      return;
    }
    case net::PacketKind::Unknown:
      ++unclassified_;
      return;
  }
}

std::chrono::milliseconds MediaWorker::tickInterval() const { return idleTick_ ? kIdleTick : kTick; }

void MediaWorker::scheduleTick() {
  // Every live transport has its ICE username fragment registered (a restart swaps it).
  idleTick_ = byUfrag_.empty();
  tick_.expires_after(idleTick_ ? kIdleTick : kTick);
  tick_.async_wait([this](const boost::system::error_code& error) {
    if (error) return;
    const auto now = transport::Clock::now();
    for (auto& [id, router] : routers_) router->onTimer(now);
    sink_->flush();
    if (now - lastPublish_ >= std::chrono::seconds(1)) {
      lastPublish_ = now;
      if (tcp_) tcp_->sweep(now, [this](const ice::TransportAddress& peer) { return byTuple_.contains(peer); });
      publishStats();
    }
    scheduleTick();
  });
}

Result<router::Router*> MediaWorker::createRouter(const std::string& routerId, const ortc::RtpCapabilities& capabilities) {
  if (routers_.contains(routerId)) return makeError(ErrorCode::Conflict, "router exists");
  auto router = std::make_unique<router::Router>(routerId, capabilities, listener_, *sink_,
                                                 static_cast<transport::TransportRegistry&>(*this), certificate_,
                                                 options_.routerLimits);
  auto* raw = router.get();
  routers_.emplace(routerId, std::move(router));
  return raw;
}

router::Router* MediaWorker::findRouter(const std::string& routerId) {
  const auto it = routers_.find(routerId);
  return it == routers_.end() ? nullptr : it->second.get();
}

void MediaWorker::closeRouter(const std::string& routerId) {
  if (const auto it = routers_.find(routerId); it != routers_.end()) closedRouterLoss_ += it->second->counters();
  routers_.erase(routerId);
  sink_->flush();
}

MediaWorkerStats MediaWorker::stats() const {
  MediaWorkerStats stats;
  stats.socket = socket_->stats();
  if (tcp_) stats.tcp = tcp_->stats();
  stats.unknownStun = unknownStun_;
  stats.unknownTuple = unknownTuple_;
  stats.unclassified = unclassified_;
  stats.routers = routers_.size();
  for (const auto& [id, router] : routers_) {
    stats.transports += router->transportCount();
    stats.producers += router->producerCount();
    stats.consumers += router->consumerCount();
  }
  stats.loss = closedRouterLoss_;
  for (const auto& [id, router] : routers_) stats.loss += router->counters();
  return stats;
}

void MediaWorker::publishStats() {
  const auto current = stats();
  const auto relaxed = std::memory_order_relaxed;
  publishedLoss_.nacksSent.store(current.loss.nacksSent, relaxed);
  publishedLoss_.nacksReceived.store(current.loss.nacksReceived, relaxed);
  publishedLoss_.retransmittedPackets.store(current.loss.retransmittedPackets, relaxed);
  publishedLoss_.repairedPackets.store(current.loss.repairedPackets, relaxed);
  publishedLoss_.keyframeRequests.store(current.loss.keyframeRequests, relaxed);
  publishedLoss_.packetsLost.store(current.loss.packetsLost, relaxed);
  published_.datagramsReceived.store(current.socket.datagramsReceived, relaxed);
  published_.datagramsSent.store(current.socket.datagramsSent, relaxed);
  published_.bytesReceived.store(current.socket.bytesReceived, relaxed);
  published_.bytesSent.store(current.socket.bytesSent, relaxed);
  published_.sendErrors.store(current.socket.sendErrors, relaxed);
  published_.unknownTuple.store(current.unknownTuple, relaxed);
  published_.routers.store(current.routers, relaxed);
  published_.transports.store(current.transports, relaxed);
  published_.producers.store(current.producers, relaxed);
  published_.consumers.store(current.consumers, relaxed);
  published_.tcpConnections.store(current.tcp.connections, relaxed);
  published_.tcpFramingErrors.store(current.tcp.framingErrors, relaxed);
  published_.tcpSendDrops.store(current.tcp.sendDrops, relaxed);
  published_.gsoDatagrams.store(current.socket.gsoDatagrams, relaxed);
  published_.gsoFallbacks.store(current.socket.gsoFallbacks, relaxed);
}

router::RouterCounters MediaWorker::publishedLossCounters() const {
  const auto relaxed = std::memory_order_relaxed;
  return {.nacksSent = publishedLoss_.nacksSent.load(relaxed),
          .nacksReceived = publishedLoss_.nacksReceived.load(relaxed),
          .retransmittedPackets = publishedLoss_.retransmittedPackets.load(relaxed),
          .repairedPackets = publishedLoss_.repairedPackets.load(relaxed),
          .keyframeRequests = publishedLoss_.keyframeRequests.load(relaxed),
          .packetsLost = publishedLoss_.packetsLost.load(relaxed)};
}

MediaWorker::PublishedStats MediaWorker::publishedStats() const {
  const auto relaxed = std::memory_order_relaxed;
  return {.datagramsReceived = published_.datagramsReceived.load(relaxed),
          .datagramsSent = published_.datagramsSent.load(relaxed),
          .bytesReceived = published_.bytesReceived.load(relaxed),
          .bytesSent = published_.bytesSent.load(relaxed),
          .sendErrors = published_.sendErrors.load(relaxed),
          .unknownTuple = published_.unknownTuple.load(relaxed),
          .routers = published_.routers.load(relaxed),
          .transports = published_.transports.load(relaxed),
          .producers = published_.producers.load(relaxed),
          .consumers = published_.consumers.load(relaxed),
          .tcpConnections = published_.tcpConnections.load(relaxed),
          .tcpFramingErrors = published_.tcpFramingErrors.load(relaxed),
          .tcpSendDrops = published_.tcpSendDrops.load(relaxed),
          .gsoDatagrams = published_.gsoDatagrams.load(relaxed),
          .gsoFallbacks = published_.gsoFallbacks.load(relaxed)};
}

void MediaWorker::registerUfrag(std::string_view ufrag, transport::WebRtcTransport& transport) {
  byUfrag_[std::string(ufrag)] = &transport;
  // A new transport: its DTLS and ICE timers need the fast tick from now on.
  if (idleTick_) scheduleTick();
}

void MediaWorker::unregisterUfrag(std::string_view ufrag) { byUfrag_.erase(std::string(ufrag)); }

void MediaWorker::registerTuple(const ice::TransportAddress& tuple, transport::WebRtcTransport& transport) {
  byTuple_[tuple] = &transport;
}

void MediaWorker::unregisterTransport(transport::WebRtcTransport& transport) {
  std::erase_if(byUfrag_, [&transport](const auto& item) { return item.second == &transport; });
  closingTcp_.clear();
  std::erase_if(byTuple_, [this, &transport](const auto& item) {
    if (item.second != &transport) return false;
    if (item.first.protocol == ice::TransportProtocol::Tcp) closingTcp_.push_back(item.first);
    return true;
  });
  // A closed transport's ICE-TCP connections go with it (after its DTLS close_notify).
  if (tcp_) {
    for (const auto& peer : closingTcp_) tcp_->close(peer);
  }
}

}  // namespace fluxmeet::media::worker
