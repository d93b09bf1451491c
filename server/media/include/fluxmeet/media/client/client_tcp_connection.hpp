#pragma once
// ClientTcpConnection: the ICE-TCP active side of a MediaClient (the test and benchmark WebRTC
// endpoint; see media_client.hpp), for exercising the server's passive ICE-TCP candidates
// (RFC 6544) without a browser. Not used by the server. It connects to the server's TCP
// candidate and carries each STUN/DTLS/RTP/RTCP packet with the RFC 4571 two-byte length prefix:
// received bytes go through net::TcpFrameReassembler, sent packets through a bounded
// net::TcpSendQueue written without blocking (flush() writes what the kernel did not take).
//
// Same shape as ClientUdpSocket so MediaClient drives either: fd(), receiveBatch(), send().
// Threading: one thread. Never throws.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/client/client_udp_socket.hpp"
#include "fluxmeet/media/ice/transport_address.hpp"
#include "fluxmeet/media/net/tcp_frame_reassembler.hpp"
#include "fluxmeet/media/net/tcp_send_queue.hpp"

namespace fluxmeet::media::client {

class ClientTcpConnection {
 public:
  static constexpr size_t kSendQueueBytes = 1024 * 1024;
  static constexpr int kMaxReadsPerBatch = 8;

  // Connects from `localIp` to `server` (its protocol must be Tcp), waiting up to `timeout`.
  static Result<std::unique_ptr<ClientTcpConnection>> connect(const std::string& localIp,
                                                              const ice::TransportAddress& server,
                                                              std::chrono::milliseconds timeout);
  ~ClientTcpConnection();
  ClientTcpConnection(const ClientTcpConnection&) = delete;
  ClientTcpConnection& operator=(const ClientTcpConnection&) = delete;

  int fd() const { return fd_; }
  const ice::TransportAddress& localAddress() const { return local_; }
  const ice::TransportAddress& remoteAddress() const { return remote_; }
  const ClientUdpSocketStats& stats() const { return stats_; }
  // The server closed the connection, or sent a frame length we refuse.
  bool closed() const { return closed_; }
  bool hasPendingWrites() const { return !sendQueue_.empty(); }

  // Reads what is waiting without blocking and calls
  // onDatagram(std::span<uint8_t> packet, const ice::TransportAddress& from, int64_t arrivalNs)
  // for each complete frame (from = remoteAddress(); arrivalNs = CLOCK_REALTIME when read).
  // Returns the number of packets delivered.
  template <class OnDatagram>
  size_t receiveBatch(OnDatagram&& onDatagram) {
    size_t delivered = 0;
    for (int reads = 0; reads < kMaxReadsPerBatch && !closed_; ++reads) {
      const auto space = reassembler_.writable();
      const long count = readSome(space);
      if (count <= 0) break;
      const int64_t arrivalNs = realtimeNs();
      const auto status = reassembler_.consume(static_cast<size_t>(count), [&](std::span<uint8_t> frame) {
        ++stats_.datagramsReceived;
        ++delivered;
        onDatagram(frame, remote_, arrivalNs);
        return true;
      });
      if (status != net::TcpFrameReassembler::Status::Ok) closed_ = true;
      if (static_cast<size_t>(count) < space.size()) break;
    }
    return delivered;
  }

  // Queues one framed packet and writes as much as the kernel takes; false (counted) when the
  // queue is full or the connection is closed.
  bool send(std::span<const uint8_t> packet);
  // Writes what an earlier send() left queued.
  void flush();

 private:
  ClientTcpConnection(int fd, ice::TransportAddress local, ice::TransportAddress remote);
  // recv(2) without blocking: bytes read; 0 when nothing waits; -1 when the connection ended.
  long readSome(std::span<uint8_t> space);
  static int64_t realtimeNs();

  int fd_;
  ice::TransportAddress local_;
  ice::TransportAddress remote_;
  ClientUdpSocketStats stats_;
  net::TcpFrameReassembler reassembler_;
  net::TcpSendQueue sendQueue_{kSendQueueBytes};
  bool closed_ = false;
};

}  // namespace fluxmeet::media::client
