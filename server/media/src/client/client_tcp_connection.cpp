#include "fluxmeet/media/client/client_tcp_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "fluxmeet/media/worker/udp_socket.hpp"

namespace fluxmeet::media::client {

Result<std::unique_ptr<ClientTcpConnection>> ClientTcpConnection::connect(const std::string& localIp,
                                                                         const ice::TransportAddress& server,
                                                                         std::chrono::milliseconds timeout) {
  if (server.protocol != ice::TransportProtocol::Tcp) {
    return makeError(ErrorCode::InvalidRequest, "ICE-TCP needs a tcp candidate", "candidate");
  }
  // Bound to the local IP like ClientUdpSocket, on any free port.
  sockaddr_storage local{};
  socklen_t localLength = 0;
  if (inet_pton(AF_INET, localIp.c_str(), &reinterpret_cast<sockaddr_in&>(local).sin_addr) == 1) {
    local.ss_family = AF_INET;
    localLength = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, localIp.c_str(), &reinterpret_cast<sockaddr_in6&>(local).sin6_addr) == 1) {
    local.ss_family = AF_INET6;
    localLength = sizeof(sockaddr_in6);
  } else {
    return makeError(ErrorCode::ValidationFailed, "not an IP address: " + localIp, "localIp");
  }
  sockaddr_storage remote{};
  const socklen_t remoteLength = worker::toSockaddr(server, remote);

  const int fd = ::socket(remote.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return makeError(ErrorCode::Unavailable, std::string("socket: ") + std::strerror(errno));
  auto fail = [fd](const std::string& what, int error) {
    ::close(fd);
    return makeError(ErrorCode::Unavailable, what + ": " + std::strerror(error));
  };
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&local), localLength) != 0) return fail("bind", errno);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&remote), remoteLength) != 0 && errno != EINPROGRESS) {
    return fail("connect to " + ice::formatTransportAddress(server), errno);
  }
  pollfd descriptor{.fd = fd, .events = POLLOUT, .revents = 0};
  if (::poll(&descriptor, 1, static_cast<int>(timeout.count())) != 1) {
    return fail("connect to " + ice::formatTransportAddress(server), ETIMEDOUT);
  }
  int error = 0;
  socklen_t errorLength = sizeof(error);
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &errorLength);
  if (error != 0) return fail("connect to " + ice::formatTransportAddress(server), error);
  const int enable = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &enable, sizeof(enable));

  sockaddr_storage bound{};
  socklen_t boundLength = sizeof(bound);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &boundLength);
  ice::TransportAddress localAddress;
  worker::toTransportAddress(bound, localAddress);
  localAddress.protocol = ice::TransportProtocol::Tcp;
  return std::unique_ptr<ClientTcpConnection>(new ClientTcpConnection(fd, localAddress, server));
}

ClientTcpConnection::ClientTcpConnection(int fd, ice::TransportAddress local, ice::TransportAddress remote)
    : fd_(fd), local_(local), remote_(remote) {}

ClientTcpConnection::~ClientTcpConnection() { ::close(fd_); }

long ClientTcpConnection::readSome(std::span<uint8_t> space) {
  for (;;) {
    const ssize_t count = ::recv(fd_, space.data(), space.size(), MSG_DONTWAIT);
    if (count > 0) return static_cast<long>(count);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
    closed_ = true;  // orderly close (0) or reset
    return -1;
  }
}

int64_t ClientTcpConnection::realtimeNs() {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
}

bool ClientTcpConnection::send(std::span<const uint8_t> packet) {
  if (closed_ || !sendQueue_.push(packet)) {
    ++stats_.sendErrors;
    return false;
  }
  ++stats_.datagramsSent;
  flush();
  return true;
}

void ClientTcpConnection::flush() {
  while (!closed_ && !sendQueue_.empty()) {
    const auto pending = sendQueue_.pending();
    const ssize_t sent = ::send(fd_, pending.data(), pending.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent > 0) {
      sendQueue_.consume(static_cast<size_t>(sent));
    } else if (sent < 0 && errno == EINTR) {
      continue;
    } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    } else {
      closed_ = true;
    }
  }
}

}  // namespace fluxmeet::media::client
