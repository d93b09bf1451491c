#include "fluxmeet/media/worker/udp_socket.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/udp.h>
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

namespace {

// Whether this kernel knows UDP_SEGMENT (Linux 4.18+; older ones answer ENOPROTOOPT). Setting
// the socket-wide segment size to 0 asks without turning segmentation on for every send.
bool kernelHasUdpGso(int fd) {
  const int noSegmentation = 0;
  return ::setsockopt(fd, SOL_UDP, UDP_SEGMENT, &noSegmentation, sizeof(noSegmentation)) == 0;
}

}  // namespace

Result<std::unique_ptr<UdpSocket>> UdpSocket::open(const std::string& ip, uint16_t port, bool gso) {
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
  return std::unique_ptr<UdpSocket>(new UdpSocket(fd, local.port, gso && kernelHasUdpGso(fd)));
}

UdpSocket::UdpSocket(int fd, uint16_t port, bool gso)
    : fd_(fd), localPort_(port), receiveBuffers_(kBatch), sendBuffers_(kSendSlots), gsoEnabled_(gso) {
  for (size_t i = 0; i < kBatch; ++i) {
    receiveIov_[i] = {receiveBuffers_[i].data(), kMaxDatagram};
    receiveHeaders_[i].msg_hdr.msg_iov = &receiveIov_[i];
    receiveHeaders_[i].msg_hdr.msg_iovlen = 1;
  }
  // Every entry's control message is UDP_SEGMENT; flush() writes only the size.
  for (auto& control : segmentControls_) {
    auto* header = reinterpret_cast<cmsghdr*>(control.bytes.data());
    header->cmsg_level = SOL_UDP;
    header->cmsg_type = UDP_SEGMENT;
    header->cmsg_len = CMSG_LEN(sizeof(uint16_t));
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
  queuedLength_[queued_] = length;
  queuedTo_[queued_] = to;
  sendNameLength_[queued_] = toSockaddr(to, sendNames_[queued_]);
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

void UdpSocket::setEntry(size_t index, const GsoRun& run) {
  entries_[index] = run;
  const uint16_t firstSlot = batcher_.order()[run.first];
  msghdr& header = sendHeaders_[index].msg_hdr;
  header.msg_name = &sendNames_[firstSlot];
  header.msg_namelen = sendNameLength_[firstSlot];
  header.msg_iov = &gatherIov_[run.first];
  header.msg_iovlen = run.count;
  if (run.count == 1) {
    header.msg_control = nullptr;
    header.msg_controllen = 0;
    return;
  }
  auto& control = segmentControls_[index];
  std::memcpy(CMSG_DATA(reinterpret_cast<cmsghdr*>(control.bytes.data())), &run.segmentSize, sizeof(uint16_t));
  header.msg_control = control.bytes.data();
  header.msg_controllen = control.bytes.size();
}

void UdpSocket::splitIntoPlainEntries(size_t index) {
  // Entries before `index` were sent; the datagrams from this entry's first on each get one.
  const size_t end = batcher_.order().size();
  size_t entry = index;
  for (size_t position = entries_[index].first; position < end; ++position) {
    const uint16_t slot = batcher_.order()[position];
    setEntry(entry++, {.first = static_cast<uint16_t>(position),
                       .count = 1,
                       .segmentSize = static_cast<uint16_t>(queuedLength_[slot])});
  }
  entryCount_ = entry;
}

void UdpSocket::flush() {
  if (queued_ == 0) return;
  batcher_.plan({queuedLength_.data(), queued_}, {queuedTo_.data(), queued_}, gsoEnabled_);
  const auto order = batcher_.order();
  for (size_t position = 0; position < order.size(); ++position) {
    const uint16_t slot = order[position];
    gatherIov_[position] = {sendBuffers_[slot].data(), queuedLength_[slot]};
  }
  const auto runs = batcher_.runs();
  for (size_t index = 0; index < runs.size(); ++index) setEntry(index, runs[index]);
  entryCount_ = runs.size();

  size_t done = 0;
  while (done < entryCount_) {
    const int sent = ::sendmmsg(fd_, &sendHeaders_[done], static_cast<unsigned>(entryCount_ - done), MSG_DONTWAIT);
    if (sent > 0) {
      ++stats_.sendBatches;
      for (size_t i = done; i < done + static_cast<size_t>(sent); ++i) {
        const uint16_t count = entries_[i].count;
        stats_.datagramsSent += count;
        stats_.bytesSent += sendHeaders_[i].msg_len;
        if (count > 1) {
          ++stats_.gsoSends;
          stats_.gsoDatagrams += count;
        }
      }
      done += static_cast<size_t>(sent);
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && entries_[done].count > 1 && (errno == EIO || errno == EINVAL)) {
      // This kernel or this route cannot segment (IPsec, a socket without checksums): send
      // everything plain from now on.
      gsoEnabled_ = false;
      ++stats_.gsoFallbacks;
      splitIntoPlainEntries(done);
      continue;
    }
    if (sent < 0 && entries_[done].count > 1 && errno == EMSGSIZE) {
      // A segment does not fit this destination's path MTU; plain datagrams may still be
      // fragmented on the way, so the rest of this batch goes plain and GSO stays on.
      splitIntoPlainEntries(done);
      continue;
    }
    // The first entry of the rest failed (full buffer, unreachable address): drop it and go on,
    // so one bad destination never blocks everyone else's packets.
    stats_.sendErrors += entries_[done].count;
    ++done;
  }
  queued_ = 0;
}

}  // namespace fluxmeet::media::worker
