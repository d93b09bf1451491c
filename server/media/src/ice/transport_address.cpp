#include "fluxmeet/media/ice/transport_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>

namespace fluxmeet::media::ice {
namespace {

size_t addressLength(const TransportAddress& address) {
  return address.family == AddressFamily::IPv6 ? 16 : 4;
}

}  // namespace

TransportAddress makeIpv4Address(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port) {
  TransportAddress address;
  address.family = AddressFamily::IPv4;
  address.bytes = {a, b, c, d};
  address.port = port;
  return address;
}

size_t hashTransportAddress(const TransportAddress& address) {
  uint64_t hash = 14695981039346656037ULL;
  auto mix = [&hash](uint8_t byte) {
    hash ^= byte;
    hash *= 1099511628211ULL;
  };
  mix(static_cast<uint8_t>(address.family));
  for (size_t i = 0; i < addressLength(address); ++i) mix(address.bytes[i]);
  mix(static_cast<uint8_t>(address.port >> 8));
  mix(static_cast<uint8_t>(address.port & 0xff));
  mix(static_cast<uint8_t>(address.protocol));
  return static_cast<size_t>(hash);
}

bool transportAddressLess(const TransportAddress& a, const TransportAddress& b) {
  if (a.protocol != b.protocol) return a.protocol < b.protocol;
  if (a.family != b.family) return a.family < b.family;
  const size_t length = addressLength(a);
  if (!std::equal(a.bytes.begin(), a.bytes.begin() + static_cast<std::ptrdiff_t>(length),
                  b.bytes.begin())) {
    return std::lexicographical_compare(a.bytes.begin(),
                                        a.bytes.begin() + static_cast<std::ptrdiff_t>(length),
                                        b.bytes.begin(),
                                        b.bytes.begin() + static_cast<std::ptrdiff_t>(length));
  }
  return a.port < b.port;
}

std::string formatTransportAddress(const TransportAddress& address) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  const bool v6 = address.family == AddressFamily::IPv6;
  if (inet_ntop(v6 ? AF_INET6 : AF_INET, address.bytes.data(), text.data(),
                static_cast<socklen_t>(text.size())) == nullptr) {
    return "?";
  }
  std::string out = v6 ? "[" : "";
  out += text.data();
  out += v6 ? "]:" : ":";
  out += std::to_string(address.port);
  if (address.protocol == stun::TransportProtocol::Tcp) out += "/tcp";
  return out;
}

}  // namespace fluxmeet::media::ice
