#include "fluxmeet/media/client/client_udp_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "fluxmeet/media/worker/udp_socket.hpp"

namespace fluxmeet::media::client {

Result<std::unique_ptr<ClientUdpSocket>> ClientUdpSocket::open(const std::string& ip) {
  sockaddr_storage bindAddress{};
  socklen_t bindLength = 0;
  int family = AF_INET;
  if (inet_pton(AF_INET, ip.c_str(), &reinterpret_cast<sockaddr_in&>(bindAddress).sin_addr) == 1) {
    reinterpret_cast<sockaddr_in&>(bindAddress).sin_family = AF_INET;
    bindLength = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, ip.c_str(), &reinterpret_cast<sockaddr_in6&>(bindAddress).sin6_addr) == 1) {
    reinterpret_cast<sockaddr_in6&>(bindAddress).sin6_family = AF_INET6;
    bindLength = sizeof(sockaddr_in6);
    family = AF_INET6;
  } else {
    return makeError(ErrorCode::ValidationFailed, "not an IP address: " + ip, "localIp");
  }
  const int fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return makeError(ErrorCode::Unavailable, std::string("socket: ") + std::strerror(errno));
  // A subscriber receives a burst of keyframe packets from every publisher at once.
  const int bufferBytes = 4 * 1024 * 1024;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufferBytes, sizeof(bufferBytes));
  const int enable = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &enable, sizeof(enable));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&bindAddress), bindLength) != 0) {
    const int error = errno;
    ::close(fd);
    return makeError(ErrorCode::Unavailable, "cannot bind UDP " + ip + ": " + std::strerror(error));
  }
  sockaddr_storage bound{};
  socklen_t boundLength = sizeof(bound);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &boundLength);
  ice::TransportAddress local;
  worker::toTransportAddress(bound, local);
  return std::unique_ptr<ClientUdpSocket>(new ClientUdpSocket(fd, local));
}

ClientUdpSocket::ClientUdpSocket(int fd, ice::TransportAddress local)
    : fd_(fd), local_(local), buffers_(kBatch), controls_(kBatch) {
  for (size_t i = 0; i < kBatch; ++i) {
    iov_[i] = {buffers_[i].data(), kMaxDatagram};
    headers_[i].msg_hdr.msg_iov = &iov_[i];
    headers_[i].msg_hdr.msg_iovlen = 1;
  }
}

ClientUdpSocket::~ClientUdpSocket() { ::close(fd_); }

size_t ClientUdpSocket::receiveInto() {
  for (size_t i = 0; i < kBatch; ++i) {
    headers_[i].msg_hdr.msg_name = &names_[i];
    headers_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    headers_[i].msg_hdr.msg_control = controls_[i].data();
    headers_[i].msg_hdr.msg_controllen = controls_[i].size();
    headers_[i].msg_hdr.msg_flags = 0;
  }
  const int count = ::recvmmsg(fd_, headers_.data(), kBatch, MSG_DONTWAIT, nullptr);
  if (count <= 0) return 0;
  for (int i = 0; i < count; ++i) {
    auto& header = headers_[i].msg_hdr;
    lengths_[i] = headers_[i].msg_len;
    valid_[i] = (header.msg_flags & MSG_TRUNC) == 0 && worker::toTransportAddress(names_[i], from_[i]);
    arrivalNs_[i] = 0;
    for (cmsghdr* control = CMSG_FIRSTHDR(&header); control != nullptr; control = CMSG_NXTHDR(&header, control)) {
      if (control->cmsg_level == SOL_SOCKET && control->cmsg_type == SCM_TIMESTAMPNS) {
        timespec stamp{};
        std::memcpy(&stamp, CMSG_DATA(control), sizeof(stamp));
        arrivalNs_[i] = static_cast<int64_t>(stamp.tv_sec) * 1000000000 + stamp.tv_nsec;
      }
    }
    ++stats_.datagramsReceived;
  }
  return static_cast<size_t>(count);
}

bool ClientUdpSocket::send(std::span<const uint8_t> datagram, const ice::TransportAddress& to) {
  sockaddr_storage address{};
  const socklen_t length = worker::toSockaddr(to, address);
  for (;;) {
    const ssize_t sent = ::sendto(fd_, datagram.data(), datagram.size(), MSG_DONTWAIT,
                                  reinterpret_cast<const sockaddr*>(&address), length);
    if (sent >= 0) {
      ++stats_.datagramsSent;
      return true;
    }
    if (errno == EINTR) continue;
    ++stats_.sendErrors;
    return false;
  }
}

}  // namespace fluxmeet::media::client
