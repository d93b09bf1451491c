#include "fluxmeet/media/worker/worker_sink.hpp"

namespace fluxmeet::media::worker {

void WorkerSink::commit(size_t length, const ice::TransportAddress& to) {
  if (to.protocol != ice::TransportProtocol::Tcp) {
    udp_.commit(length, to);
    return;
  }
  // The slot stays uncommitted: the next sendSlot() hands it out again.
  const auto slot = udp_.sendSlot();
  if (tcp_ && length <= slot.size()) tcp_->send(slot.first(length), to);
}

void WorkerSink::send(std::span<const uint8_t> datagram, const ice::TransportAddress& to) {
  if (to.protocol != ice::TransportProtocol::Tcp) {
    udp_.send(datagram, to);
  } else if (tcp_) {
    tcp_->send(datagram, to);
  }
}

void WorkerSink::flush() {
  udp_.flush();
  if (tcp_) tcp_->flush();
}

}  // namespace fluxmeet::media::worker
