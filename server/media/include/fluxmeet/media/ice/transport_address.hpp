#pragma once
// The 5-tuple side ICE cares about: one remote IP address + port, on UDP or on an ICE-TCP
// connection (RFC 6544). The value type is the STUN
// module's (it is what XOR-MAPPED-ADDRESS carries); this header adds hashing and a total order
// so it can key containers.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fluxmeet/media/stun/stun_message.hpp"

namespace fluxmeet::media::ice {

using TransportAddress = stun::TransportAddress;
using stun::AddressFamily;
using stun::TransportProtocol;

// Builds an address from host-order pieces (tests, config). For IPv4 only bytes[0..3] are used.
TransportAddress makeIpv4Address(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port);

// FNV-1a over family, the meaningful address bytes, the port and the protocol; equal addresses
// hash equally because unused IPv4 bytes are not hashed.
size_t hashTransportAddress(const TransportAddress& address);

// Orders by protocol, family, then address bytes, then port.
bool transportAddressLess(const TransportAddress& a, const TransportAddress& b);

// "192.0.2.1:3478" or "[2001:db8::1]:3478" (inet_ntop forms; "/tcp" appended for an ICE-TCP
// tuple), for logs; not for the packet path.
std::string formatTransportAddress(const TransportAddress& address);

struct TransportAddressHash {
  size_t operator()(const TransportAddress& address) const { return hashTransportAddress(address); }
};

struct TransportAddressLess {
  bool operator()(const TransportAddress& a, const TransportAddress& b) const {
    return transportAddressLess(a, b);
  }
};

}  // namespace fluxmeet::media::ice
