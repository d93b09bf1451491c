#pragma once
// Connection: what the signaling logic sees of one WebSocket (plain or TLS), and the listener
// the connection reports to. Implemented by WsConnection<Stream> (ws_connection.hpp).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace fluxmeet::signal {

class PeerSession;

class Connection {
 public:
  explicit Connection(std::string remoteIp) : remoteIp_(std::move(remoteIp)) {}
  virtual ~Connection() = default;

  // Queues one text message. When the bounded queue is full the connection is closed with 1008.
  virtual void send(std::string message) = 0;
  // Sends what is queued, then a close frame (RFC 6455 section 7.4 status codes); later sends
  // are dropped. Idempotent.
  virtual void close(std::uint16_t code, std::string_view reason) = 0;
  virtual std::shared_ptr<Connection> shared() = 0;

  const std::string& remoteIp() const { return remoteIp_; }

  // Signaling state of this connection (owned by the signaling logic).
  std::shared_ptr<PeerSession> session;  // set by hello
  int invalidMessages = 0;

 private:
  std::string remoteIp_;
};

class ConnectionListener {
 public:
  virtual ~ConnectionListener() = default;
  virtual void onOpened(Connection& connection) = 0;
  virtual void onText(Connection& connection, std::string_view text) = 0;
  virtual void onBinary(Connection& connection) = 0;
  // The socket is gone (closed by either side or failed). Called once, after onOpened.
  virtual void onClosed(Connection& connection) = 0;
};

// Copied from SignalingOptions (fluxmeet/signal/signaling_server.hpp), where the defaults are.
struct ConnectionLimits {
  std::size_t maxMessageBytes = 0;
  std::size_t queueMessages = 0;
  std::size_t queueBytes = 0;
};

}  // namespace fluxmeet::signal
