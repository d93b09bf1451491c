#include "fluxmeet/media/worker/ice_tcp_server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <boost/asio/ip/address.hpp>
#include <cerrno>
#include <cstring>
#include <utility>

#include "fluxmeet/media/net/tcp_frame_reassembler.hpp"
#include "fluxmeet/media/net/tcp_send_queue.hpp"
#include "fluxmeet/media/worker/udp_socket.hpp"

namespace fluxmeet::media::worker {
namespace {

using boost::asio::ip::tcp;

// Reads per readiness event are bounded so one busy connection cannot starve the others.
constexpr int kMaxReadsPerEvent = 8;

}  // namespace

struct IceTcpServer::Connection {
  Connection(tcp::socket s, const ice::TransportAddress& p, Clock::time_point now)
      : socket(std::move(s)), peer(p), acceptedAt(now), sendQueue(kSendQueueBytes) {}

  tcp::socket socket;
  ice::TransportAddress peer;
  Clock::time_point acceptedAt;
  net::TcpFrameReassembler reassembler;
  net::TcpSendQueue sendQueue;
  bool closed = false;
  bool dirty = false;           // in dirty_
  bool waitingWritable = false;  // an async_wait(write) is pending
};

Result<std::unique_ptr<IceTcpServer>> IceTcpServer::open(boost::asio::io_context& io, const std::string& ip,
                                                         uint16_t port, Listener& listener) {
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(ip, error);
  if (error) return makeError(ErrorCode::ValidationFailed, "not an IP address: " + ip, "MEDIA_LISTEN_IP");
  std::unique_ptr<IceTcpServer> server(new IceTcpServer(io, listener));
  const tcp::endpoint endpoint(address, port);
  auto& acceptor = server->acceptor_;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(tcp::socket::max_listen_connections, error);
  if (!error) server->localPort_ = acceptor.local_endpoint(error).port();
  if (error) {
    return makeError(ErrorCode::Unavailable,
                     "cannot listen on TCP " + ip + ":" + std::to_string(port) + ": " + error.message());
  }
  server->dirty_.reserve(kMaxConnections);
  server->accept();
  return server;
}

IceTcpServer::IceTcpServer(boost::asio::io_context& io, Listener& listener)
    : listener_(listener), acceptor_(io), acceptPause_(io) {}

IceTcpServer::~IceTcpServer() { closeAll(); }

void IceTcpServer::accept() {
  acceptor_.async_accept([this](const boost::system::error_code& error, tcp::socket socket) {
    if (error == boost::asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!error) {
      onAccepted(std::move(socket));
      accept();
      return;
    }
    // ECONNABORTED concerns one attempt; EMFILE/ENFILE/ENOBUFS persist until something closes, so
    // accepting again at once would spin the worker: pause briefly first.
    acceptPause_.expires_after(std::chrono::milliseconds(100));
    acceptPause_.async_wait([this](const boost::system::error_code& waited) {
      if (!waited && acceptor_.is_open()) accept();
    });
  });
}

void IceTcpServer::onAccepted(tcp::socket socket) {
  boost::system::error_code error;
  const auto remote = socket.remote_endpoint(error);
  sockaddr_storage storage{};
  ice::TransportAddress peer;
  if (error || remote.size() > sizeof(storage)) return;
  std::memcpy(&storage, remote.data(), remote.size());
  if (!toTransportAddress(storage, peer)) return;
  peer.protocol = ice::TransportProtocol::Tcp;
  if (connections_.size() >= kMaxConnections) {
    ++stats_.refused;
    return;  // the socket closes as it goes out of scope
  }
  socket.non_blocking(true, error);
  // Media is latency-bound and already packetised: no Nagle delay.
  socket.set_option(tcp::no_delay(true), error);
  ++stats_.accepted;
  if (auto old = connections_.find(peer); old != connections_.end()) drop(old->second, true);
  auto connection = std::make_shared<Connection>(std::move(socket), peer, Clock::now());
  connections_.emplace(peer, connection);
  waitReadable(connection);
}

void IceTcpServer::waitReadable(const std::shared_ptr<Connection>& connection) {
  connection->socket.async_wait(tcp::socket::wait_read, [this, connection](const boost::system::error_code& error) {
    if (error || connection->closed) return;
    onReadable(connection);
    if (!connection->closed) waitReadable(connection);
  });
}

void IceTcpServer::onReadable(const std::shared_ptr<Connection>& connection) {
  const auto now = Clock::now();
  auto& reassembler = connection->reassembler;
  for (int reads = 0; reads < kMaxReadsPerEvent && !connection->closed; ++reads) {
    const auto space = reassembler.writable();
    const ssize_t count = ::recv(connection->socket.native_handle(), space.data(), space.size(), MSG_DONTWAIT);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (count <= 0) {  // orderly shutdown by the peer, or a reset
      drop(connection, true);
      break;
    }
    stats_.bytesReceived += static_cast<uint64_t>(count);
    const auto status = reassembler.consume(static_cast<size_t>(count), [&](std::span<uint8_t> frame) {
      ++stats_.framesReceived;
      listener_.onTcpFrame(frame, connection->peer, now);
      return !connection->closed;  // the frame may have closed its transport and so this connection
    });
    if (status != net::TcpFrameReassembler::Status::Ok) {
      ++stats_.framingErrors;
      drop(connection, true);
    }
    if (static_cast<size_t>(count) < space.size()) break;  // drained
  }
  listener_.onTcpReadDone();
}

void IceTcpServer::send(std::span<const uint8_t> packet, const ice::TransportAddress& to) {
  const auto it = connections_.find(to);
  if (it == connections_.end()) {
    ++stats_.noConnection;
    return;
  }
  auto& connection = it->second;
  if (!connection->sendQueue.push(packet)) {
    ++stats_.sendDrops;
    return;
  }
  ++stats_.framesSent;
  if (!connection->dirty && !connection->waitingWritable) {
    connection->dirty = true;
    dirty_.push_back(connection);
  }
}

void IceTcpServer::flush() {
  // writePending may drop a connection; dirty_ keeps each alive until cleared.
  for (auto& connection : dirty_) {
    connection->dirty = false;
    if (connection->closed || !writePending(*connection)) continue;
    if (!connection->sendQueue.empty()) waitWritable(connection);
  }
  dirty_.clear();
}

bool IceTcpServer::writePending(Connection& connection) {
  while (!connection.sendQueue.empty()) {
    const auto pending = connection.sendQueue.pending();
    const ssize_t sent =
        ::send(connection.socket.native_handle(), pending.data(), pending.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent > 0) {
      stats_.bytesSent += static_cast<uint64_t>(sent);
      connection.sendQueue.consume(static_cast<size_t>(sent));
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    // EPIPE, ECONNRESET: the peer is gone.
    const auto it = connections_.find(connection.peer);
    if (it != connections_.end() && it->second.get() == &connection) drop(it->second, true);
    return false;
  }
  return true;
}

void IceTcpServer::waitWritable(const std::shared_ptr<Connection>& connection) {
  if (connection->waitingWritable) return;
  connection->waitingWritable = true;
  connection->socket.async_wait(tcp::socket::wait_write, [this, connection](const boost::system::error_code& error) {
    connection->waitingWritable = false;
    if (error || connection->closed) return;
    if (writePending(*connection) && !connection->sendQueue.empty()) waitWritable(connection);
  });
}

void IceTcpServer::close(const ice::TransportAddress& peer) {
  const auto it = connections_.find(peer);
  if (it == connections_.end()) return;
  const auto connection = it->second;
  if (writePending(*connection)) drop(connection, false);
}

void IceTcpServer::drop(std::shared_ptr<Connection> connection, bool notify) {
  if (connection->closed) return;
  connection->closed = true;
  ++stats_.closed;
  boost::system::error_code ignored;
  connection->socket.close(ignored);  // cancels the pending waits; their handlers see `closed`
  const auto peer = connection->peer;
  connections_.erase(peer);
  if (notify) listener_.onTcpConnectionClosed(peer);
}

void IceTcpServer::sweep(Clock::time_point now, const std::function<bool(const ice::TransportAddress&)>& isBound) {
  std::vector<std::shared_ptr<Connection>> expired;
  for (const auto& [peer, connection] : connections_) {
    if (now - connection->acceptedAt >= kUnboundTimeout && !isBound(peer)) expired.push_back(connection);
  }
  for (const auto& connection : expired) {
    ++stats_.unboundClosed;
    drop(connection, true);
  }
}

void IceTcpServer::closeAll() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  acceptPause_.cancel();
  std::vector<std::shared_ptr<Connection>> all;
  all.reserve(connections_.size());
  for (const auto& [peer, connection] : connections_) all.push_back(connection);
  for (const auto& connection : all) drop(connection, false);
  dirty_.clear();
}

IceTcpStats IceTcpServer::stats() const {
  IceTcpStats stats = stats_;
  stats.connections = connections_.size();
  return stats;
}

}  // namespace fluxmeet::media::worker
