#include "fluxmeet/media/ice/transport_address.hpp"

#include <gtest/gtest.h>

#include <set>
#include <unordered_set>

namespace fluxmeet::media::ice {
namespace {

TransportAddress ipv6(uint8_t last, uint16_t port) {
  TransportAddress address;
  address.family = AddressFamily::IPv6;
  address.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last};
  address.port = port;
  return address;
}

TEST(TransportAddress, HashAndOrderKeyContainers) {
  const auto a = makeIpv4Address(192, 0, 2, 1, 3478);
  const auto b = makeIpv4Address(192, 0, 2, 1, 3479);
  const auto c = makeIpv4Address(192, 0, 2, 2, 3478);
  const auto d = ipv6(1, 3478);
  std::unordered_set<TransportAddress, TransportAddressHash> hashed{a, b, c, d, a};
  EXPECT_EQ(hashed.size(), 4U);
  std::set<TransportAddress, TransportAddressLess> ordered{d, c, b, a, c};
  ASSERT_EQ(ordered.size(), 4U);
  EXPECT_EQ(*ordered.begin(), a);
  EXPECT_EQ(*std::next(ordered.begin()), b);
  EXPECT_EQ(*ordered.rbegin(), d);  // IPv4 sorts before IPv6
  EXPECT_FALSE(transportAddressLess(a, a));
  EXPECT_EQ(hashTransportAddress(a), hashTransportAddress(makeIpv4Address(192, 0, 2, 1, 3478)));
}

TEST(TransportAddress, Formats) {
  EXPECT_EQ(formatTransportAddress(makeIpv4Address(192, 0, 2, 1, 3478)), "192.0.2.1:3478");
  EXPECT_EQ(formatTransportAddress(ipv6(1, 443)), "[2001:db8::1]:443");
}

}  // namespace
}  // namespace fluxmeet::media::ice
