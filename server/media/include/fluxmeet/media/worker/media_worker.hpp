#pragma once
// MediaWorker: one thread with its own event loop and its own UDP port (and, for ICE-TCP, its
// own TCP port: ice_tcp_server.hpp), hosting the Routers of some meetings. Every transport of the
// worker shares the ports: the demultiplexer sorts datagrams (and the packets of each TCP
// connection, whose tuple is {peer, TCP}) by RFC 7983 first byte and then finds the transport by
// ICE ufrag (STUN) or by 5-tuple (DTLS, RTP, RTCP).
//
//   first byte  0..3   STUN   -> USERNAME "<our ufrag>:<theirs>" -> transport
//              20..63  DTLS   -> 5-tuple -> transport
//             128..191 RTP/RTCP -> 5-tuple -> transport (RFC 5761 section 4 splits the two)
//
// Threading: the control side (signaling) never touches a Router directly; it posts tasks with
// post() or runs one and waits for its result with invoke(). Nothing on the packet path locks.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <future>
#include <optional>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/dtls/dtls_certificate.hpp"
#include "fluxmeet/media/ice/transport_address.hpp"
#include "fluxmeet/media/router/router.hpp"
#include "fluxmeet/media/transport/webrtc_transport.hpp"
#include "fluxmeet/media/worker/ice_tcp_server.hpp"
#include "fluxmeet/media/worker/udp_socket.hpp"
#include "fluxmeet/media/worker/worker_sink.hpp"

namespace fluxmeet::media::worker {

struct MediaWorkerOptions {
  unsigned index = 0;
  std::string listenIp = "0.0.0.0";
  uint16_t port = 0;  // 0 = any free port
  // ICE-TCP (RFC 6544) listening port; 0 = any free port; nullopt = no ICE-TCP.
  std::optional<uint16_t> tcpPort;
  router::RouterLimits routerLimits;  // for every router of the worker
  bool udpGso = true;  // send runs of equal datagrams with UDP GSO where the kernel has it
};

struct MediaWorkerStats {
  UdpSocketStats socket;
  IceTcpStats tcp;
  uint64_t unknownStun = 0;      // no transport has that ufrag
  uint64_t unknownTuple = 0;     // DTLS/RTP/RTCP from an address no transport validated
  uint64_t unclassified = 0;     // first byte outside RFC 7983's ranges
  size_t routers = 0;
  size_t transports = 0;
  size_t producers = 0;
  size_t consumers = 0;
  router::RouterCounters loss;   // NACK/PLI/loss totals, closed routers included
};

class MediaWorker final : private transport::TransportRegistry, private IceTcpServer::Listener {
 public:
  MediaWorker(MediaWorkerOptions options, std::shared_ptr<const dtls::DtlsCertificate> certificate,
              router::RouterListener& listener);
  ~MediaWorker() override;
  MediaWorker(const MediaWorker&) = delete;
  MediaWorker& operator=(const MediaWorker&) = delete;

  // Binds the UDP port and starts the thread.
  Result<void> start();
  // Stops the loop and joins the thread; routers are destroyed on the worker thread.
  void stop();

  unsigned index() const { return options_.index; }
  uint16_t port() const { return port_; }
  // The ICE-TCP port; 0 when ICE-TCP is off.
  uint16_t tcpPort() const { return tcp_ ? tcp_->localPort() : 0; }

  // Runs `task` on the worker thread.
  template <class Task>
  void post(Task&& task) {
    boost::asio::post(io_, std::forward<Task>(task));
  }
  // Runs `task` on the worker thread and waits for its result. The worker answers within one
  // packet batch (microseconds), so a control thread may block on it. Must not be called from
  // the worker thread itself.
  template <class Task>
  auto invoke(Task&& task) -> std::invoke_result_t<Task&> {
    using R = std::invoke_result_t<Task&>;
    std::promise<R> promise;
    auto future = promise.get_future();
    boost::asio::post(io_, [&task, &promise] {
      if constexpr (std::is_void_v<R>) {
        task();
        promise.set_value();
      } else {
        promise.set_value(task());
      }
    });
    return future.get();
  }

  // Worker thread only.
  Result<router::Router*> createRouter(const std::string& routerId, const ortc::RtpCapabilities& capabilities);
  router::Router* findRouter(const std::string& routerId);
  void closeRouter(const std::string& routerId);
  MediaWorkerStats stats() const;
  // How often the worker's timers run now: 20 ms while it has a transport, else once a second.
  std::chrono::milliseconds tickInterval() const;
  // Any thread: the counters as of the last second (published by the worker, lock-free), for
  // /metrics.
  struct PublishedStats {
    uint64_t datagramsReceived = 0, datagramsSent = 0, bytesReceived = 0, bytesSent = 0, sendErrors = 0;
    uint64_t unknownTuple = 0, routers = 0, transports = 0, producers = 0, consumers = 0;
    uint64_t tcpConnections = 0, tcpFramingErrors = 0, tcpSendDrops = 0;
    uint64_t gsoDatagrams = 0, gsoFallbacks = 0;
  };
  PublishedStats publishedStats() const;
  // Any thread: the loss and repair totals as of the last second, for /metrics.
  router::RouterCounters publishedLossCounters() const;

 private:
  // transport::TransportRegistry
  void registerUfrag(std::string_view ufrag, transport::WebRtcTransport& transport) override;
  void unregisterUfrag(std::string_view ufrag) override;
  void registerTuple(const ice::TransportAddress& tuple, transport::WebRtcTransport& transport) override;
  void unregisterTransport(transport::WebRtcTransport& transport) override;
  // IceTcpServer::Listener
  void onTcpFrame(std::span<uint8_t> frame, const ice::TransportAddress& from, transport::Clock::time_point now) override;
  void onTcpReadDone() override;
  void onTcpConnectionClosed(const ice::TransportAddress& peer) override;

  void waitForPackets();
  void onReadable();
  void onDatagram(std::span<uint8_t> datagram, const ice::TransportAddress& from, transport::Clock::time_point now);
  void scheduleTick();

  MediaWorkerOptions options_;
  std::shared_ptr<const dtls::DtlsCertificate> certificate_;
  router::RouterListener& listener_;
  boost::asio::io_context io_{1};
  std::unique_ptr<UdpSocket> socket_;
  std::unique_ptr<IceTcpServer> tcp_;  // null when ICE-TCP is off
  std::unique_ptr<WorkerSink> sink_;
  std::unique_ptr<boost::asio::posix::stream_descriptor> readable_;
  boost::asio::steady_timer tick_{io_};
  bool idleTick_ = false;  // the tick runs at kIdleTick: there is no transport
  std::thread thread_;
  uint16_t port_ = 0;

  std::unordered_map<std::string, std::unique_ptr<router::Router>> routers_;
  std::unordered_map<std::string, transport::WebRtcTransport*> byUfrag_;
  std::unordered_map<ice::TransportAddress, transport::WebRtcTransport*, ice::TransportAddressHash> byTuple_;
  void publishStats();
  struct AtomicStats {
    std::atomic<uint64_t> datagramsReceived{0}, datagramsSent{0}, bytesReceived{0}, bytesSent{0}, sendErrors{0};
    std::atomic<uint64_t> unknownTuple{0}, routers{0}, transports{0}, producers{0}, consumers{0};
    std::atomic<uint64_t> tcpConnections{0}, tcpFramingErrors{0}, tcpSendDrops{0};
    std::atomic<uint64_t> gsoDatagrams{0}, gsoFallbacks{0};
  };
  AtomicStats published_;
  struct AtomicLossCounters {
    std::atomic<uint64_t> nacksSent{0}, nacksReceived{0}, retransmittedPackets{0}, repairedPackets{0};
    std::atomic<uint64_t> keyframeRequests{0}, packetsLost{0};
  };
  AtomicLossCounters publishedLoss_;
  router::RouterCounters closedRouterLoss_;  // counters of routers already closed
  transport::Clock::time_point lastPublish_{};
  std::vector<ice::TransportAddress> closingTcp_;  // scratch for unregisterTransport
  uint64_t unknownStun_ = 0;
  uint64_t unknownTuple_ = 0;
  uint64_t unclassified_ = 0;
};

}  // namespace fluxmeet::media::worker
