// HttpServer with and without ConnectionThreads over real loopback sockets: whatever thread carries
// the connection, a route handler runs on the control thread (where the store and rooms live), and
// the server stops and is destroyed cleanly with keep-alive connections still open (ASan watches).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <atomic>
#include <nlohmann/json.hpp>
#include <memory>
#include <thread>
#include <vector>

#include "fluxmeet/http/server.hpp"

namespace fluxmeet::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

class ConnectionThreadsTest : public ::testing::TestWithParam<unsigned> {
 protected:
  void SetUp() override {
    threads_ = std::make_unique<ConnectionThreads>(GetParam());
    router_.add(bhttp::verb::get, "/where", [this](Request&) -> asio::awaitable<Response> {
      handlerThread_ = std::this_thread::get_id();
      co_return jsonResponse(bhttp::status::ok, nlohmann::json{{"ok", true}});
    });
    ServerOptions options{.address = "127.0.0.1", .port = 0, .accessLog = false};
    options.connectionThreads = threads_.get();
    server_ = std::make_unique<HttpServer>(io_, options, router_, metrics_);
    ASSERT_TRUE(server_->start().ok());
    control_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    asio::post(io_, [this] { server_->stop(std::chrono::seconds(1), [this] { io_.stop(); }); });
    control_.join();
    threads_->join();
    server_.reset();
  }

  // A keep-alive connection that stays open until after TearDown has stopped the server.
  asio::ip::tcp::socket& connect() {
    auto& socket = connections_.emplace_back(client_);
    socket.connect({asio::ip::make_address("127.0.0.1"), server_->boundPort()});
    return socket;
  }

  // One GET over `socket`; the response's status.
  unsigned get(asio::ip::tcp::socket& socket, const char* target) {
    bhttp::request<bhttp::empty_body> request{bhttp::verb::get, target, 11};
    request.set(bhttp::field::host, "127.0.0.1");
    bhttp::write(socket, request);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    bhttp::read(socket, buffer, response);
    return response.result_int();
  }

  // Declared before the control loop, as in the app: destroyed after it.
  std::unique_ptr<ConnectionThreads> threads_;
  asio::io_context io_{1};
  Router router_;
  Metrics metrics_;
  std::unique_ptr<HttpServer> server_;
  std::thread control_;
  std::atomic<std::thread::id> handlerThread_;
  asio::io_context client_;
  std::vector<asio::ip::tcp::socket> connections_;
};

TEST_P(ConnectionThreadsTest, HandlersRunOnTheControlThread) {
  auto& socket = connect();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(get(socket, "/where"), 200u);
    EXPECT_EQ(handlerThread_.load(), control_.get_id());
  }
  EXPECT_EQ(get(socket, "/api/v1/nothing-here"), 404u);
}

TEST_P(ConnectionThreadsTest, ManyConnectionsAreServedAndStillOpenAtStop) {
  for (int i = 0; i < 8; ++i) connect();
  for (auto& socket : connections_) {
    handlerThread_ = std::thread::id{};
    EXPECT_EQ(get(socket, "/where"), 200u);
    EXPECT_EQ(handlerThread_.load(), control_.get_id());
  }
}

INSTANTIATE_TEST_SUITE_P(ThreadCounts, ConnectionThreadsTest, ::testing::Values(0u, 1u, 2u),
                         [](const auto& info) { return std::to_string(info.param) + "Threads"; });

}  // namespace
}  // namespace fluxmeet::http
