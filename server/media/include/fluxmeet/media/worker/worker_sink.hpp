#pragma once
// WorkerSink: the one net::DatagramSink a media worker hands its transports. It sends each
// packet the way its tuple came in: to the worker's UDP socket (batched by sendmmsg), or framed
// onto the tuple's ICE-TCP connection (ice_tcp_server.hpp). Packets are always built in a UDP
// send slot; one for a TCP tuple is copied into that connection's queue and the slot reused.
//
// Threading: the worker thread. Never throws, never allocates.
#include "fluxmeet/media/net/datagram_sink.hpp"
#include "fluxmeet/media/worker/ice_tcp_server.hpp"
#include "fluxmeet/media/worker/udp_socket.hpp"

namespace fluxmeet::media::worker {

class WorkerSink final : public net::DatagramSink {
 public:
  // `tcp` may be null (ICE-TCP off): packets for TCP tuples are then dropped.
  WorkerSink(UdpSocket& udp, IceTcpServer* tcp) : udp_(udp), tcp_(tcp) {}

  std::span<uint8_t> sendSlot() override { return udp_.sendSlot(); }
  void commit(size_t length, const ice::TransportAddress& to) override;
  void send(std::span<const uint8_t> datagram, const ice::TransportAddress& to) override;
  // Writes what both sockets have queued.
  void flush();

 private:
  UdpSocket& udp_;
  IceTcpServer* tcp_;
};

}  // namespace fluxmeet::media::worker
