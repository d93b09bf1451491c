#include "fluxmeet/media/worker/udp_socket.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <unistd.h>

namespace fluxmeet::media::worker {

bool toTransportAddress(const sockaddr_storage& address, ice::TransportAddress& out) {
  out = {};
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    out.family = ice::AddressFamily::IPv4;
    std::memcpy(out.bytes.data(), &v4.sin_addr, 4);
    out.port = ntohs(v4.sin_port);
    return true;
  }
  if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    out.family = ice::AddressFamily::IPv6;
    std::memcpy(out.bytes.data(), &v6.sin6_addr, 16);
    out.port = ntohs(v6.sin6_port);
    return true;
  }
  return false;
}

socklen_t toSockaddr(const ice::TransportAddress& address, sockaddr_storage& out) {
  std::memset(&out, 0, sizeof(out));
  if (address.family == ice::AddressFamily::IPv4) {
    auto& v4 = reinterpret_cast<sockaddr_in&>(out);
    v4.sin_family = AF_INET;
    std::memcpy(&v4.sin_addr, address.bytes.data(), 4);
    v4.sin_port = htons(address.port);
    return sizeof(sockaddr_in);
  }
  auto& v6 = reinterpret_cast<sockaddr_in6&>(out);
  v6.sin6_family = AF_INET6;
  std::memcpy(&v6.sin6_addr, address.bytes.data(), 16);
  v6.sin6_port = htons(address.port);
  return sizeof(sockaddr_in6);
}

Result<std::unique_ptr<UdpSocket>> UdpSocket::open(const std::string& ip, uint16_t port) {
  sockaddr_storage bindAddress{};
  socklen_t bindLength = 0;
  int family = AF_INET;
  if (inet_pton(AF_INET, ip.c_str(), &reinterpret_cast<sockaddr_in&>(bindAddress).sin_addr) == 1) {
    auto& v4 = reinterpret_cast<sockaddr_in&>(bindAddress);
    v4.sin_family = AF_INET;
    v4.sin_port = htons(port);
    bindLength = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, ip.c_str(), &reinterpret_cast<sockaddr_in6&>(bindAddress).sin6_addr) == 1) {
    auto& v6 = reinterpret_cast<sockaddr_in6&>(bindAddress);
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(port);
    bindLength = sizeof(sockaddr_in6);
    family = AF_INET6;
  } else {
    return makeError(ErrorCode::ValidationFailed, "not an IP address: " + ip, "MEDIA_LISTEN_IP");
  }

  const int fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return makeError(ErrorCode::Unavailable, std::string("socket: ") + std::strerror(errno));
  // Large kernel buffers absorb a keyframe burst from many publishers between two batches.
  const int bufferBytes = 4 * 1024 * 1024;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufferBytes, sizeof(bufferBytes));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bufferBytes, sizeof(bufferBytes));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&bindAddress), bindLength) != 0) {
    const int error = errno;
    ::close(fd);
    return makeError(ErrorCode::Unavailable,
                     "cannot bind UDP " + ip + ":" + std::to_string(port) + ": " + std::strerror(error));
  }
  sockaddr_storage bound{};
  socklen_t boundLength = sizeof(bound);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &boundLength);
  ice::TransportAddress local;
  toTransportAddress(bound, local);
  return std::unique_ptr<UdpSocket>(new UdpSocket(fd, local.port));
}

UdpSocket::UdpSocket(int fd, uint16_t port)
    : fd_(fd), localPort_(port), receiveBuffers_(kBatch), sendBuffers_(kSendSlots) {
  for (size_t i = 0; i < kBatch; ++i) {
    receiveIov_[i] = {receiveBuffers_[i].data(), kMaxDatagram};
    receiveHeaders_[i].msg_hdr.msg_iov = &receiveIov_[i];
    receiveHeaders_[i].msg_hdr.msg_iovlen = 1;
  }
  for (size_t i = 0; i < kSendSlots; ++i) {
    sendHeaders_[i].msg_hdr.msg_iov = &sendIov_[i];
    sendHeaders_[i].msg_hdr.msg_iovlen = 1;
    sendHeaders_[i].msg_hdr.msg_name = &sendNames_[i];
  }
}

UdpSocket::~UdpSocket() { ::close(fd_); }

size_t UdpSocket::receiveInto() {
  for (size_t i = 0; i < kBatch; ++i) {
    receiveHeaders_[i].msg_hdr.msg_name = &receiveNames_[i];
    receiveHeaders_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    receiveHeaders_[i].msg_hdr.msg_flags = 0;
  }
  const int count = ::recvmmsg(fd_, receiveHeaders_.data(), kBatch, MSG_DONTWAIT, nullptr);
  if (count <= 0) return 0;
  ++stats_.receiveBatches;
  for (int i = 0; i < count; ++i) {
    const auto& header = receiveHeaders_[i];
    receivedLength_[i] = header.msg_len;
    // A truncated datagram is unusable: every protocol here carries a length or a tag.
    receivedValid_[i] = (header.msg_hdr.msg_flags & MSG_TRUNC) == 0 &&
                        toTransportAddress(receiveNames_[i], receivedFrom_[i]);
    ++stats_.datagramsReceived;
    stats_.bytesReceived += header.msg_len;
  }
  return static_cast<size_t>(count);
}

std::span<uint8_t> UdpSocket::sendSlot() {
  if (queued_ == kSendSlots) flush();
  return {sendBuffers_[queued_].data(), kMaxDatagram};
}

void UdpSocket::commit(size_t length, const ice::TransportAddress& to) {
  if (queued_ == kSendSlots || length > kMaxDatagram) return;
  sendIov_[queued_] = {sendBuffers_[queued_].data(), length};
  sendHeaders_[queued_].msg_hdr.msg_namelen = toSockaddr(to, sendNames_[queued_]);
  ++queued_;
}

void UdpSocket::send(std::span<const uint8_t> datagram, const ice::TransportAddress& to) {
  if (datagram.size() > kMaxDatagram) {
    ++stats_.sendErrors;
    return;
  }
  auto slot = sendSlot();
  std::memcpy(slot.data(), datagram.data(), datagram.size());
  commit(datagram.size(), to);
}

void UdpSocket::flush() {
  size_t done = 0;
  while (done < queued_) {
    const int sent = ::sendmmsg(fd_, &sendHeaders_[done], static_cast<unsigned>(queued_ - done), MSG_DONTWAIT);
    if (sent <= 0) {
      // The first datagram of the rest failed (full buffer, unreachable address): drop it and
      // go on, so one bad destination never blocks everyone else's packets.
      if (sent < 0 && errno == EINTR) continue;
      ++stats_.sendErrors;
      ++done;
      continue;
    }
    ++stats_.sendBatches;
    for (int i = 0; i < sent; ++i) stats_.bytesSent += sendIov_[done + static_cast<size_t>(i)].iov_len;
    stats_.datagramsSent += static_cast<uint64_t>(sent);
    done += static_cast<size_t>(sent);
  }
  queued_ = 0;
}

}  // namespace fluxmeet::media::worker
