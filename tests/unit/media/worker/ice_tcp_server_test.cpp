// IceTcpServer over real loopback sockets: a plain TCP client on one side, the server's event
// loop run by the test on the other. Waits are bounded by a deadline; nothing asserts on speed.
#include "fluxmeet/media/worker/ice_tcp_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <vector>

#include "fluxmeet/media/net/tcp_frame_reassembler.hpp"

namespace fluxmeet::media::worker {
namespace {

using namespace std::chrono_literals;

class CapturingListener : public IceTcpServer::Listener {
 public:
  void onTcpFrame(std::span<uint8_t> frame, const ice::TransportAddress& from, IceTcpServer::Clock::time_point) override {
    frames.emplace_back(frame.begin(), frame.end());
    lastFrom = from;
    if (onFrame) onFrame(from);
  }
  void onTcpReadDone() override { ++readsDone; }
  void onTcpConnectionClosed(const ice::TransportAddress& peer) override { closed.push_back(peer); }

  std::vector<std::vector<uint8_t>> frames;
  ice::TransportAddress lastFrom;
  std::vector<ice::TransportAddress> closed;
  size_t readsDone = 0;
  std::function<void(const ice::TransportAddress&)> onFrame;
};

class IceTcpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = IceTcpServer::open(io_, "127.0.0.1", 0, listener_);
    ASSERT_TRUE(server) << server.error().message;
    server_ = std::move(*server);
    ASSERT_NE(server_->localPort(), 0);
  }
  void TearDown() override {
    for (const int fd : clients_) ::close(fd);
  }

  int connectClient() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(server_->localPort());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    clients_.push_back(fd);
    return fd;
  }

  // Runs the server's loop until `done` holds or 3 s pass.
  bool runUntil(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 3s;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      io_.run_for(5ms);
      io_.restart();
    }
    return true;
  }

  static void writeAll(int fd, const std::vector<uint8_t>& bytes) {
    ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  }

  // Reads from a client until `count` bytes arrived or the server closed (returns what came).
  static std::vector<uint8_t> readBytes(int fd, size_t count) {
    std::vector<uint8_t> out;
    while (out.size() < count) {
      pollfd descriptor{.fd = fd, .events = POLLIN, .revents = 0};
      if (::poll(&descriptor, 1, 3000) != 1) break;
      uint8_t buffer[4096];
      const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      out.insert(out.end(), buffer, buffer + n);
    }
    return out;
  }

  // True once the server closed the client's connection (EOF or reset).
  static bool closedByServer(int fd) {
    pollfd descriptor{.fd = fd, .events = POLLIN, .revents = 0};
    if (::poll(&descriptor, 1, 3000) != 1) return false;
    uint8_t byte = 0;
    return ::recv(fd, &byte, 1, 0) <= 0;
  }

  boost::asio::io_context io_{1};
  CapturingListener listener_;
  std::unique_ptr<IceTcpServer> server_;
  std::vector<int> clients_;
};

TEST_F(IceTcpServerTest, DeliversFramesWithTheTcpTupleOfTheConnection) {
  const int client = connectClient();
  writeAll(client, {0, 3, 'a', 'b', 'c', 0, 1});  // a whole frame and the start of the next
  ASSERT_TRUE(runUntil([&] { return listener_.frames.size() == 1; }));
  writeAll(client, {'z'});
  ASSERT_TRUE(runUntil([&] { return listener_.frames.size() == 2; }));
  EXPECT_EQ(listener_.frames[0], (std::vector<uint8_t>{'a', 'b', 'c'}));
  EXPECT_EQ(listener_.frames[1], (std::vector<uint8_t>{'z'}));
  EXPECT_EQ(listener_.lastFrom.protocol, ice::TransportProtocol::Tcp);
  sockaddr_in local{};
  socklen_t length = sizeof(local);
  ::getsockname(client, reinterpret_cast<sockaddr*>(&local), &length);
  EXPECT_EQ(listener_.lastFrom.port, ntohs(local.sin_port));
  EXPECT_EQ(server_->stats().connections, 1u);
  EXPECT_EQ(server_->stats().framesReceived, 2u);
}

TEST_F(IceTcpServerTest, SendFramesPacketsToThePeer) {
  const int client = connectClient();
  writeAll(client, {0, 1, 'x'});
  ASSERT_TRUE(runUntil([&] { return !listener_.frames.empty(); }));
  server_->send(std::vector<uint8_t>{1, 2, 3, 4}, listener_.lastFrom);
  server_->send(std::vector<uint8_t>{5}, listener_.lastFrom);
  server_->flush();
  EXPECT_EQ(readBytes(client, 9), (std::vector<uint8_t>{0, 4, 1, 2, 3, 4, 0, 1, 5}));
  // A tuple without a connection: counted, not sent anywhere.
  auto gone = listener_.lastFrom;
  gone.port = static_cast<uint16_t>(gone.port + 1);
  server_->send(std::vector<uint8_t>{1}, gone);
  EXPECT_EQ(server_->stats().noConnection, 1u);
}

TEST_F(IceTcpServerTest, OversizedFrameLengthClosesOnlyThatConnection) {
  const int bad = connectClient();
  const int good = connectClient();
  const size_t tooLong = net::TcpFrameReassembler::kMaxFrame + 1;
  writeAll(bad, {static_cast<uint8_t>(tooLong >> 8), static_cast<uint8_t>(tooLong), 1, 2, 3});
  ASSERT_TRUE(runUntil([&] { return listener_.closed.size() == 1; }));
  EXPECT_TRUE(closedByServer(bad));
  EXPECT_EQ(server_->stats().framingErrors, 1u);
  EXPECT_EQ(listener_.closed[0].protocol, ice::TransportProtocol::Tcp);
  writeAll(good, {0, 1, 'g'});
  ASSERT_TRUE(runUntil([&] { return listener_.frames.size() == 1; }));
  EXPECT_EQ(server_->stats().connections, 1u);
}

TEST_F(IceTcpServerTest, PeerCloseEndsTheTuple) {
  const int client = connectClient();
  writeAll(client, {0, 1, 'x'});
  ASSERT_TRUE(runUntil([&] { return !listener_.frames.empty(); }));
  ::shutdown(client, SHUT_RDWR);
  ASSERT_TRUE(runUntil([&] { return listener_.closed.size() == 1; }));
  EXPECT_EQ(listener_.closed[0], listener_.lastFrom);
  EXPECT_EQ(server_->stats().connections, 0u);
}

TEST_F(IceTcpServerTest, CloseWritesWhatIsQueuedThenClosesEvenFromAFrameCallback) {
  const int client = connectClient();
  // As when a DTLS alert closes the transport: its close_notify is queued, then the connection closed.
  listener_.onFrame = [&](const ice::TransportAddress& from) {
    server_->send(std::vector<uint8_t>{7, 7}, from);
    server_->close(from);
  };
  ASSERT_TRUE(runUntil([&] { return server_->stats().connections == 1; }));
  writeAll(client, {0, 1, 'x', 0, 1, 'y'});
  ASSERT_TRUE(runUntil([&] { return server_->stats().closed == 1; }));
  EXPECT_EQ(listener_.frames.size(), 1u);  // the frame after the close is not delivered
  EXPECT_EQ(readBytes(client, 4), (std::vector<uint8_t>{0, 2, 7, 7}));
  EXPECT_TRUE(closedByServer(client));
  EXPECT_TRUE(listener_.closed.empty());  // close() is the owner's decision: no callback
}

TEST_F(IceTcpServerTest, SweepClosesConnectionsNoTransportTook) {
  const int client = connectClient();
  ASSERT_TRUE(runUntil([&] { return server_->stats().connections == 1; }));
  const auto later = IceTcpServer::Clock::now() + IceTcpServer::kUnboundTimeout + 1s;
  server_->sweep(later, [](const ice::TransportAddress&) { return true; });
  EXPECT_EQ(server_->stats().connections, 1u);  // bound: kept
  server_->sweep(later, [](const ice::TransportAddress&) { return false; });
  EXPECT_EQ(server_->stats().connections, 0u);
  EXPECT_EQ(server_->stats().unboundClosed, 1u);
  EXPECT_TRUE(closedByServer(client));
}

TEST_F(IceTcpServerTest, FullSendQueueDropsPacketsInsteadOfBlocking) {
  const int client = connectClient();  // never reads
  int small = 4096;
  ::setsockopt(client, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
  writeAll(client, {0, 1, 'x'});
  ASSERT_TRUE(runUntil([&] { return !listener_.frames.empty(); }));
  const std::vector<uint8_t> packet(1200, 0x55);
  // Far more than the kernel buffers plus kSendQueueBytes can hold.
  for (int i = 0; i < 10000; ++i) {
    server_->send(packet, listener_.lastFrom);
    if (i % 50 == 0) server_->flush();
  }
  server_->flush();
  EXPECT_GT(server_->stats().sendDrops, 0u);
  EXPECT_EQ(server_->stats().connections, 1u);
}

}  // namespace
}  // namespace fluxmeet::media::worker
