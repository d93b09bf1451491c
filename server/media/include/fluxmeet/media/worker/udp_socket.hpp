#pragma once
// UdpSocket: one non-blocking UDP socket of a media worker, read and written in batches
// (recvmmsg/sendmmsg, https://man7.org/linux/man-pages/man2/recvmmsg.2.html) so that a burst of
// packets costs one system call per direction instead of one per packet.
//
// Memory: every receive and send buffer is allocated once, in open(); the packet path only
// fills slots. Sending is two-phase: sendSlot() hands out a buffer, commit() queues it, and
// flush() (or the next sendSlot() when all slots are queued) writes the batch.
//
// Threading: owned and used by one media worker thread. Never throws.
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
#include "fluxmeet/media/net/datagram_sink.hpp"

namespace fluxmeet::media::worker {

struct UdpSocketStats {
  uint64_t datagramsReceived = 0;
  uint64_t bytesReceived = 0;
  uint64_t datagramsSent = 0;
  uint64_t bytesSent = 0;
  uint64_t sendErrors = 0;     // datagrams the kernel refused (dropped, counted)
  uint64_t receiveBatches = 0;
  uint64_t sendBatches = 0;
};

// sockaddr <-> TransportAddress; false/empty for families other than IPv4/IPv6.
bool toTransportAddress(const sockaddr_storage& address, ice::TransportAddress& out);
socklen_t toSockaddr(const ice::TransportAddress& address, sockaddr_storage& out);

class UdpSocket final : public net::DatagramSink {
 public:
  // A datagram larger than this is truncated by the kernel and dropped by us; WebRTC stays
  // under ~1250 bytes, so 2 KiB leaves room for TURN/tunnel overhead.
  static constexpr size_t kMaxDatagram = 2048;
  static constexpr size_t kBatch = 32;        // datagrams per recvmmsg
  static constexpr size_t kSendSlots = 256;   // datagrams per sendmmsg

  // Binds `ip` ("0.0.0.0", "::", "127.0.0.1"...) and `port` (0 = any free port).
  static Result<std::unique_ptr<UdpSocket>> open(const std::string& ip, uint16_t port);
  ~UdpSocket() override;
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  int fd() const { return fd_; }
  uint16_t localPort() const { return localPort_; }

  // Reads up to kBatch datagrams without blocking and calls
  // onDatagram(std::span<uint8_t> bytes, const ice::TransportAddress& from) for each (the span
  // is writable: SRTP decrypts in place). Returns the number read; 0 when nothing is waiting.
  template <class OnDatagram>
  size_t receiveBatch(OnDatagram&& onDatagram) {
    const size_t count = receiveInto();
    for (size_t i = 0; i < count; ++i) {
      if (!receivedValid_[i]) continue;
      onDatagram(std::span<uint8_t>(receiveBuffers_[i].data(), receivedLength_[i]), receivedFrom_[i]);
    }
    return count;
  }

  // A buffer of kMaxDatagram bytes to build one outgoing datagram in. Valid until commit() or
  // the next sendSlot(). Flushes first when every slot is queued.
  std::span<uint8_t> sendSlot() override;
  // Queues the datagram built in the last sendSlot() buffer.
  void commit(size_t length, const ice::TransportAddress& to) override;
  // Copies and queues; for small control packets (STUN, DTLS, RTCP).
  void send(std::span<const uint8_t> datagram, const ice::TransportAddress& to) override;
  // Writes every queued datagram.
  void flush();

  size_t queued() const { return queued_; }
  const UdpSocketStats& stats() const { return stats_; }

 private:
  UdpSocket(int fd, uint16_t port);
  size_t receiveInto();

  int fd_;
  uint16_t localPort_;
  UdpSocketStats stats_;

  std::vector<std::array<uint8_t, kMaxDatagram>> receiveBuffers_;
  std::array<size_t, kBatch> receivedLength_{};
  std::array<bool, kBatch> receivedValid_{};
  std::array<ice::TransportAddress, kBatch> receivedFrom_{};
  std::array<sockaddr_storage, kBatch> receiveNames_{};
  std::array<iovec, kBatch> receiveIov_{};
  std::array<mmsghdr, kBatch> receiveHeaders_{};

  std::vector<std::array<uint8_t, kMaxDatagram>> sendBuffers_;
  std::array<sockaddr_storage, kSendSlots> sendNames_{};
  std::array<iovec, kSendSlots> sendIov_{};
  std::array<mmsghdr, kSendSlots> sendHeaders_{};
  size_t queued_ = 0;
};

}  // namespace fluxmeet::media::worker
