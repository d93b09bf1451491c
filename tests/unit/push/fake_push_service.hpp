#pragma once
// A push service stand-in for the sender tests: a Boost.Beast HTTP/1.1 server on 127.0.0.1 (an
// ephemeral port) on its own thread. It records every request and answers what the test's
// handler returns. Keep-alive is honoured, as curl reuses connections like against real
// services. The destructor stops it.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace fluxmeet::push::test {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lower-case names
  std::vector<uint8_t> body;

  std::string header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
  }
};

struct Reply {
  int status = 201;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class FakePushService {
 public:
  using Handler = std::function<Reply(const ReceivedRequest&)>;

  explicit FakePushService(Handler handler)
      : handler_(std::move(handler)),
        acceptor_(io_, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {
    boost::asio::co_spawn(io_, acceptLoop(), boost::asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }

  ~FakePushService() {
    io_.stop();
    thread_.join();
  }

  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port()) + path; }

  std::vector<ReceivedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  using Socket = boost::asio::ip::tcp::socket;

  boost::asio::awaitable<void> acceptLoop() {
    for (;;) {
      boost::system::error_code ec;
      Socket socket = co_await acceptor_.async_accept(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      if (ec) co_return;
      boost::asio::co_spawn(io_, session(std::move(socket)), boost::asio::detached);
    }
  }

  boost::asio::awaitable<void> session(Socket socket) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    for (;;) {
      boost::system::error_code ec;
      http::request<http::vector_body<uint8_t>> request;
      co_await http::async_read(socket, buffer, request, boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      if (ec) co_return;
      ReceivedRequest received;
      received.method = std::string(request.method_string());
      received.target = std::string(request.target());
      for (const auto& field : request) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        received.headers[name] = std::string(field.value());
      }
      received.body = request.body();
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(received);
      }
      Reply reply = handler_(received);
      http::response<http::string_body> response{static_cast<http::status>(reply.status), request.version()};
      for (const auto& [name, value] : reply.headers) response.set(name, value);
      response.body() = reply.body;
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      co_await http::async_write(socket, response, boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      if (ec || !response.keep_alive()) co_return;
    }
  }

  Handler handler_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  mutable std::mutex mutex_;
  std::vector<ReceivedRequest> requests_;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace fluxmeet::push::test
