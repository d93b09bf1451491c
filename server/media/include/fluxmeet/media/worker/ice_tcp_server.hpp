#pragma once
// IceTcpServer: a media worker's ICE-TCP passive side (RFC 6544), for browsers on networks that
// block UDP. It listens on one TCP port, accepts connections on the worker's event loop and
// cuts each byte stream into packets (RFC 4571 framing, net::TcpFrameReassembler), which the
// worker demultiplexes exactly like UDP datagrams: a connection is the tuple
// {peer IP, peer port, TCP}, so its first STUN Binding request finds the transport by ICE ufrag
// and everything after it by tuple. Sending queues framed packets per connection
// (net::TcpSendQueue, bounded: a slow reader loses packets, counted, and never stalls the worker)
// and writes them when the worker flushes.
//
// Limits: at most kMaxConnections at once (more are accepted and closed at once, counted); a
// connection that no transport has taken as a tuple within kUnboundTimeout is closed (sweep());
// a frame length of 0 or over TcpFrameReassembler::kMaxFrame closes the connection (counted).
// A connection closed by either side ends its tuple (Listener::onTcpConnectionClosed).
//
// Threading: everything on the worker thread. Never throws. Per packet: no allocation (each
// connection's buffers are allocated when it is accepted or first written to).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/ice/transport_address.hpp"

namespace fluxmeet::media::worker {

struct IceTcpStats {
  uint64_t accepted = 0;
  uint64_t refused = 0;        // over kMaxConnections
  uint64_t closed = 0;         // by either side, for any reason
  uint64_t framingErrors = 0;  // a frame length of 0 or over kMaxFrame: connection closed
  uint64_t unboundClosed = 0;  // no transport took the connection within kUnboundTimeout
  uint64_t framesReceived = 0;
  uint64_t bytesReceived = 0;
  uint64_t framesSent = 0;     // queued for the connection
  uint64_t bytesSent = 0;      // written to the kernel
  uint64_t sendDrops = 0;      // the connection's send queue was full
  uint64_t noConnection = 0;   // a packet for a TCP tuple whose connection is gone
  size_t connections = 0;
};

class IceTcpServer {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr size_t kMaxConnections = 2048;
  static constexpr auto kUnboundTimeout = std::chrono::seconds(10);
  // Per connection: about 100 full-size packets, a few hundred ms of a camera's video.
  static constexpr size_t kSendQueueBytes = 128 * 1024;

  class Listener {
   public:
    virtual ~Listener() = default;
    // One packet from `from` (protocol Tcp); writable, valid during the call.
    virtual void onTcpFrame(std::span<uint8_t> frame, const ice::TransportAddress& from, Clock::time_point now) = 0;
    // A read delivered its frames: time to flush what they produced.
    virtual void onTcpReadDone() = 0;
    virtual void onTcpConnectionClosed(const ice::TransportAddress& peer) = 0;
  };

  // Binds `ip`:`port` (0 = any free port) and starts accepting on `io`.
  static Result<std::unique_ptr<IceTcpServer>> open(boost::asio::io_context& io, const std::string& ip,
                                                    uint16_t port, Listener& listener);
  ~IceTcpServer();
  IceTcpServer(const IceTcpServer&) = delete;
  IceTcpServer& operator=(const IceTcpServer&) = delete;

  uint16_t localPort() const { return localPort_; }

  // Queues one packet for the connection of `to`; written by flush().
  void send(std::span<const uint8_t> packet, const ice::TransportAddress& to);
  // Writes what send() queued, as far as each socket takes it; the rest waits for writability.
  void flush();
  // Closes the connection of `peer` (its transport closed), after a last non-blocking write of
  // what is queued (DTLS close_notify). Does not call onTcpConnectionClosed.
  void close(const ice::TransportAddress& peer);
  // Closes connections no transport has taken (`isBound` false) after kUnboundTimeout.
  void sweep(Clock::time_point now, const std::function<bool(const ice::TransportAddress&)>& isBound);
  // Stops accepting and closes every connection (worker shutdown).
  void closeAll();

  IceTcpStats stats() const;

 private:
  struct Connection;

  IceTcpServer(boost::asio::io_context& io, Listener& listener);
  void accept();
  void onAccepted(boost::asio::ip::tcp::socket socket);
  void waitReadable(const std::shared_ptr<Connection>& connection);
  void onReadable(const std::shared_ptr<Connection>& connection);
  void waitWritable(const std::shared_ptr<Connection>& connection);
  // Writes what the queue holds; false when the connection failed (and was closed).
  bool writePending(Connection& connection);
  // Removes and closes; `notify` reports it to the listener. By value: the caller's reference
  // may be the map entry it erases.
  void drop(std::shared_ptr<Connection> connection, bool notify);

  Listener& listener_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer acceptPause_;  // back-off after an accept error (out of descriptors)
  uint16_t localPort_ = 0;
  std::unordered_map<ice::TransportAddress, std::shared_ptr<Connection>, ice::TransportAddressHash> connections_;
  // Connections with bytes queued since the last flush(); reserved once, no allocation after.
  std::vector<std::shared_ptr<Connection>> dirty_;
  IceTcpStats stats_;
};

}  // namespace fluxmeet::media::worker
