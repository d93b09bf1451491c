#pragma once
// UdpSocket: one non-blocking UDP socket of a media worker, read and written in batches
// (recvmmsg/sendmmsg, https://man7.org/linux/man-pages/man2/recvmmsg.2.html) so that a burst of
// packets costs one system call per direction instead of one per packet.
//
// Memory: every receive and send buffer is allocated once, in open(); the packet path only
// fills slots. Sending is two-phase: sendSlot() hands out a buffer, commit() queues it, and
// flush() (or the next sendSlot() when all slots are queued) writes the batch.
//
// UDP GSO (UDP_SEGMENT, Linux 4.18+): when the kernel has it, flush() sends each run of
// equal-sized datagrams to one destination (gso_batcher.hpp) as one sendmmsg entry that the
// kernel segments, gathering the slots' buffers without a copy. Support is probed when the
// socket opens; a GSO entry the kernel refuses with EIO or EINVAL (IPsec, a socket sending without
// UDP checksums) turns GSO off for the socket's lifetime and the rest goes out plain. EMSGSIZE (a
// path MTU below the segment size) sends the rest of that batch plain and keeps GSO.
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
#include "fluxmeet/media/worker/gso_batcher.hpp"

namespace fluxmeet::media::worker {

struct UdpSocketStats {
  uint64_t datagramsReceived = 0;
  uint64_t bytesReceived = 0;
  uint64_t datagramsSent = 0;
  uint64_t bytesSent = 0;
  uint64_t sendErrors = 0;     // datagrams the kernel refused (dropped, counted)
  uint64_t receiveBatches = 0;
  uint64_t sendBatches = 0;    // sendmmsg calls
  uint64_t gsoSends = 0;       // sendmmsg entries the kernel segmented (UDP_SEGMENT), of 2+ datagrams
  uint64_t gsoDatagrams = 0;   // datagrams sent inside those entries (also in datagramsSent)
  uint64_t gsoFallbacks = 0;   // 1 once the kernel refused a GSO entry and GSO went off
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
  static constexpr size_t kSendSlots = GsoBatcher::kMaxDatagrams;  // datagrams per sendmmsg

  // Binds `ip` ("0.0.0.0", "::", "127.0.0.1"...) and `port` (0 = any free port). `gso`: send
  // runs with UDP GSO if the kernel supports it.
  static Result<std::unique_ptr<UdpSocket>> open(const std::string& ip, uint16_t port, bool gso = true);
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
  // Whether flush() currently sends runs with GSO.
  bool gsoEnabled() const { return gsoEnabled_; }

 private:
  // Room for one cmsghdr carrying UDP_SEGMENT's uint16_t segment size.
  struct alignas(cmsghdr) SegmentControl {
    std::array<unsigned char, CMSG_SPACE(sizeof(uint16_t))> bytes;
  };

  UdpSocket(int fd, uint16_t port, bool gso);
  size_t receiveInto();
  // Points sendHeaders_[index] at `run`'s destination and gathered buffers (order in batcher_).
  void setEntry(size_t index, const GsoRun& run);
  // The kernel refused a GSO entry: the entries from `index` on are redone with one datagram
  // each.
  void splitIntoPlainEntries(size_t index);

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

  // Per queued slot.
  std::vector<std::array<uint8_t, kMaxDatagram>> sendBuffers_;
  std::array<size_t, kSendSlots> queuedLength_{};
  std::array<ice::TransportAddress, kSendSlots> queuedTo_{};
  std::array<sockaddr_storage, kSendSlots> sendNames_{};
  std::array<socklen_t, kSendSlots> sendNameLength_{};
  size_t queued_ = 0;
  // Per sendmmsg entry, laid out by flush(): a run of slots, its buffers gathered in run order.
  GsoBatcher batcher_;
  std::array<iovec, kSendSlots> gatherIov_{};
  std::array<GsoRun, kSendSlots> entries_{};
  std::array<SegmentControl, kSendSlots> segmentControls_{};
  std::array<mmsghdr, kSendSlots> sendHeaders_{};
  size_t entryCount_ = 0;
  bool gsoEnabled_ = false;
};

}  // namespace fluxmeet::media::worker
