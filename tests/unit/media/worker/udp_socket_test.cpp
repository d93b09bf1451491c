// UdpSocket over real loopback sockets: batches queued through sendSlot()/commit() and written
// by flush(), with UDP GSO where the kernel has it, arrive at plain UDP sockets as the datagrams
// that were queued, intact and in order (the kernel splits GSO sends on loopback). Waits are
// bounded by a deadline; nothing asserts on speed. Queueing and flushing allocate nothing
// (allocation_counter.hpp: AddressSanitizer builds only).
#include "fluxmeet/media/worker/udp_socket.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <vector>

#include "../allocation_counter.hpp"

namespace fluxmeet::media::worker {
namespace {

using namespace std::chrono_literals;

// A plain UDP socket on 127.0.0.1 standing in for a browser.
class Receiver {
 public:
  Receiver() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const int bufferBytes = 4 * 1024 * 1024;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bufferBytes, sizeof(bufferBytes));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    socklen_t length = sizeof(address);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    address_ = ice::makeIpv4Address(127, 0, 0, 1, ntohs(address.sin_port));
  }
  ~Receiver() { ::close(fd_); }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  const ice::TransportAddress& address() const { return address_; }

  // Reads until `count` datagrams arrived or two seconds passed, then whatever else is waiting.
  std::vector<std::vector<uint8_t>> receive(size_t count) {
    std::vector<std::vector<uint8_t>> datagrams;
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    std::vector<uint8_t> buffer(65536);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd descriptor{.fd = fd_, .events = POLLIN, .revents = 0};
      const int timeout = datagrams.size() < count ? 100 : 0;
      if (::poll(&descriptor, 1, timeout) <= 0) {
        if (datagrams.size() >= count) break;
        continue;
      }
      const ssize_t length = ::recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (length < 0) continue;
      datagrams.emplace_back(buffer.begin(), buffer.begin() + length);
    }
    return datagrams;
  }

 private:
  int fd_ = -1;
  ice::TransportAddress address_;
};

// Datagram `index`: its index, then bytes that differ per index and position.
std::vector<uint8_t> datagramBytes(uint32_t index, size_t length) {
  std::vector<uint8_t> bytes(length);
  for (size_t i = 0; i < length; ++i) bytes[i] = static_cast<uint8_t>(index * 7 + i * 13);
  std::memcpy(bytes.data(), &index, std::min(length, sizeof(index)));
  return bytes;
}

struct Expected {
  uint32_t index;
  size_t length;
};

class UdpSocketTest : public ::testing::Test {
 protected:
  std::unique_ptr<UdpSocket> open(bool gso) {
    auto socket = UdpSocket::open("127.0.0.1", 0, gso);
    EXPECT_TRUE(socket) << socket.error().message;
    return socket ? std::move(*socket) : nullptr;
  }

  // Queues datagram `index` of `length` bytes for `to`, built in the socket's own slot.
  void queue(UdpSocket& socket, Receiver& to, uint32_t index, size_t length, std::vector<Expected>& expected) {
    const auto bytes = datagramBytes(index, length);
    const auto slot = socket.sendSlot();
    std::memcpy(slot.data(), bytes.data(), bytes.size());
    socket.commit(bytes.size(), to.address());
    expected.push_back({index, length});
  }

  static void expectReceived(Receiver& receiver, const std::vector<Expected>& expected) {
    const auto datagrams = receiver.receive(expected.size());
    ASSERT_EQ(datagrams.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(datagrams[i], datagramBytes(expected[i].index, expected[i].length)) << "datagram " << i;
    }
  }
};

TEST_F(UdpSocketTest, GsoBatchArrivesIntactAndInOrder) {
  auto socket = open(true);
  ASSERT_TRUE(socket);
  if (!socket->gsoEnabled()) GTEST_SKIP() << "this kernel has no UDP_SEGMENT (Linux < 4.18)";
  Receiver video;
  Receiver mixed;
  std::vector<Expected> toVideo;
  std::vector<Expected> toMixed;
  // One frame of 30 equal packets (the last shorter) to one receiver, interleaved with packets
  // of varying sizes to another, as a worker forwarding to two consumers queues them.
  for (uint32_t i = 0; i < 30; ++i) {
    queue(*socket, video, i, i == 29 ? 700 : 1200, toVideo);
    queue(*socket, mixed, 100 + i, 1000 + i % 3, toMixed);
  }
  socket->flush();
  expectReceived(video, toVideo);
  expectReceived(mixed, toMixed);

  const auto& stats = socket->stats();
  EXPECT_EQ(stats.datagramsSent, 60u);
  EXPECT_EQ(stats.sendErrors, 0u);
  EXPECT_GE(stats.gsoSends, 1u);
  EXPECT_GE(stats.gsoDatagrams, 30u);  // the frame, plus pairs of the mixed sizes
  EXPECT_EQ(stats.gsoFallbacks, 0u);
  EXPECT_EQ(stats.sendBatches, 1u);
  EXPECT_TRUE(socket->gsoEnabled());
}

TEST_F(UdpSocketTest, ARunLongerThan64DatagramsTakesTwoGsoSends) {
  auto socket = open(true);
  ASSERT_TRUE(socket);
  if (!socket->gsoEnabled()) GTEST_SKIP() << "this kernel has no UDP_SEGMENT (Linux < 4.18)";
  Receiver receiver;
  std::vector<Expected> expected;
  for (uint32_t i = 0; i < 70; ++i) queue(*socket, receiver, i, 200, expected);
  socket->flush();
  expectReceived(receiver, expected);
  EXPECT_EQ(socket->stats().gsoSends, 2u);
  EXPECT_EQ(socket->stats().gsoDatagrams, 70u);
  EXPECT_EQ(socket->stats().datagramsSent, 70u);
}

TEST_F(UdpSocketTest, WithGsoOffEveryDatagramGoesPlain) {
  auto socket = open(false);
  ASSERT_TRUE(socket);
  EXPECT_FALSE(socket->gsoEnabled());
  Receiver receiver;
  std::vector<Expected> expected;
  for (uint32_t i = 0; i < 10; ++i) queue(*socket, receiver, i, 1200, expected);
  socket->flush();
  expectReceived(receiver, expected);
  EXPECT_EQ(socket->stats().gsoSends, 0u);
  EXPECT_EQ(socket->stats().datagramsSent, 10u);
}

TEST_F(UdpSocketTest, AGsoSendTheKernelRefusesFallsBackToPlainForGood) {
  auto socket = open(true);
  ASSERT_TRUE(socket);
  if (!socket->gsoEnabled()) GTEST_SKIP() << "this kernel has no UDP_SEGMENT (Linux < 4.18)";
  // Linux refuses GSO with EINVAL on a socket that sends without UDP checksums (udp_send_skb),
  // as it refuses it with EIO over IPsec: the same fallback path.
  const int noChecksum = 1;
  ASSERT_EQ(::setsockopt(socket->fd(), SOL_SOCKET, SO_NO_CHECK, &noChecksum, sizeof(noChecksum)), 0);
  Receiver first;
  Receiver second;
  std::vector<Expected> toFirst;
  std::vector<Expected> toSecond;
  // A plain datagram before the first run: it is sent before the kernel refuses the run.
  queue(*socket, second, 50, 300, toSecond);
  for (uint32_t i = 0; i < 8; ++i) {
    queue(*socket, first, i, 1200, toFirst);
    queue(*socket, second, 100 + i, 900, toSecond);
  }
  socket->flush();
  expectReceived(first, toFirst);
  expectReceived(second, toSecond);
  EXPECT_FALSE(socket->gsoEnabled());
  EXPECT_EQ(socket->stats().gsoFallbacks, 1u);
  EXPECT_EQ(socket->stats().gsoSends, 0u);
  EXPECT_EQ(socket->stats().sendErrors, 0u);
  EXPECT_EQ(socket->stats().datagramsSent, 17u);

  // Later batches go plain from the start.
  std::vector<Expected> later;
  for (uint32_t i = 0; i < 4; ++i) queue(*socket, first, 200 + i, 1200, later);
  socket->flush();
  expectReceived(first, later);
  EXPECT_EQ(socket->stats().gsoFallbacks, 1u);
  EXPECT_EQ(socket->stats().datagramsSent, 21u);
}

TEST_F(UdpSocketTest, QueueingAndAGsoFlushDoNotAllocate) {
#ifndef FLUXMEET_COUNT_ALLOCATIONS
  GTEST_SKIP() << "allocation counting needs an AddressSanitizer build";
#else
  auto socket = open(true);
  ASSERT_TRUE(socket);
  Receiver first;
  Receiver second;
  const auto bytes = datagramBytes(1, 1200);
  const size_t before = allocations();
  for (uint32_t i = 0; i < 40; ++i) {
    for (Receiver* to : {&first, &second}) {
      const auto slot = socket->sendSlot();
      std::memcpy(slot.data(), bytes.data(), bytes.size());
      socket->commit(i == 39 ? 600 : bytes.size(), to->address());
    }
  }
  socket->flush();
  EXPECT_EQ(allocations() - before, 0u);
  EXPECT_EQ(socket->stats().datagramsSent, 80u);
  if (socket->gsoEnabled()) {
    EXPECT_EQ(socket->stats().gsoDatagrams, 80u);
  }
#endif
}

}  // namespace
}  // namespace fluxmeet::media::worker
