#pragma once
// ClientUdpSocket: the UDP socket of a MediaClient (the test and benchmark WebRTC endpoint; see
// media_client.hpp). Not used by the server. It reads in batches with recvmmsg and asks the
// kernel for each datagram's arrival time (SO_TIMESTAMPNS, socket(7)), so a benchmark can
// measure forwarding latency up to the moment the packet reached the subscriber's socket,
// excluding however long the single client thread took to get round to reading it.
//
// Threading: one thread. Never throws.
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/ice/transport_address.hpp"

namespace fluxmeet::media::client {

struct ClientUdpSocketStats {
  uint64_t datagramsReceived = 0;
  uint64_t datagramsSent = 0;
  uint64_t sendErrors = 0;
};

class ClientUdpSocket {
 public:
  static constexpr size_t kMaxDatagram = 2048;
  static constexpr size_t kBatch = 32;

  // Binds `ip` (IPv4 or IPv6 literal) on a free port.
  static Result<std::unique_ptr<ClientUdpSocket>> open(const std::string& ip);
  ~ClientUdpSocket();
  ClientUdpSocket(const ClientUdpSocket&) = delete;
  ClientUdpSocket& operator=(const ClientUdpSocket&) = delete;

  int fd() const { return fd_; }
  const ice::TransportAddress& localAddress() const { return local_; }
  const ClientUdpSocketStats& stats() const { return stats_; }

  // Reads up to kBatch datagrams without blocking and calls
  // onDatagram(std::span<uint8_t> bytes, const ice::TransportAddress& from, int64_t arrivalNs)
  // for each; arrivalNs is the kernel's CLOCK_REALTIME arrival stamp in nanoseconds (0 if the
  // kernel gave none). The span is writable (SRTP decrypts in place). Returns the count read.
  template <class OnDatagram>
  size_t receiveBatch(OnDatagram&& onDatagram) {
    const size_t count = receiveInto();
    for (size_t i = 0; i < count; ++i) {
      if (!valid_[i]) continue;
      onDatagram(std::span<uint8_t>(buffers_[i].data(), lengths_[i]), from_[i], arrivalNs_[i]);
    }
    return count;
  }

  // One sendto(2); a full socket buffer drops the datagram (counted), as UDP would.
  bool send(std::span<const uint8_t> datagram, const ice::TransportAddress& to);

 private:
  ClientUdpSocket(int fd, ice::TransportAddress local);
  size_t receiveInto();

  int fd_;
  ice::TransportAddress local_;
  ClientUdpSocketStats stats_;
  std::vector<std::array<uint8_t, kMaxDatagram>> buffers_;
  // Room for one SCM_TIMESTAMPNS control message per datagram.
  std::vector<std::array<uint8_t, 64>> controls_;
  std::array<sockaddr_storage, kBatch> names_{};
  std::array<iovec, kBatch> iov_{};
  std::array<mmsghdr, kBatch> headers_{};
  std::array<size_t, kBatch> lengths_{};
  std::array<bool, kBatch> valid_{};
  std::array<ice::TransportAddress, kBatch> from_{};
  std::array<int64_t, kBatch> arrivalNs_{};
};

}  // namespace fluxmeet::media::client
