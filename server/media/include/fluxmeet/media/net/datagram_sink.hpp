#pragma once
// Where a transport's outgoing datagrams go: the worker's UDP socket (batched), an ICE-TCP
// connection, or a test's capture. Two-phase for the packet path (build in place, then commit,
// no copy); send() copies, for small control packets.
#include <cstddef>
#include <cstdint>
#include <span>

#include "fluxmeet/media/ice/transport_address.hpp"

namespace fluxmeet::media::net {

class DatagramSink {
 public:
  virtual ~DatagramSink() = default;
  // A writable buffer of at least 1500 bytes, valid until commit() or the next sendSlot().
  virtual std::span<uint8_t> sendSlot() = 0;
  virtual void commit(size_t length, const ice::TransportAddress& to) = 0;
  virtual void send(std::span<const uint8_t> datagram, const ice::TransportAddress& to) = 0;
};

}  // namespace fluxmeet::media::net
