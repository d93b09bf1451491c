#pragma once
// HttpServer: listener -> one coroutine per connection (HTTP/1.1 keep-alive, optional TLS)
// -> Router for API routes, StaticFiles for the web client, WebSocketHandler for upgrades.
// Threads: given ConnectionThreads, each connection lives on one of its I/O threads, which do the
// socket work, TLS, parsing and serialisation; every route handler still runs on the control
// io_context (where the store, rooms and signaling live), so handlers need no locks and must not
// block (blocking work goes to a pool). Without them everything runs on the control thread.
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/http/metrics.hpp"
#include "fluxmeet/http/router.hpp"
#include "fluxmeet/http/static_files.hpp"

namespace fluxmeet::http {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// Takes over a connection whose request asked for a WebSocket upgrade on the registered path.
// Called on the connection's I/O thread; the stream stays bound to that thread's io_context.
class WebSocketHandler {
 public:
  virtual ~WebSocketHandler() = default;
  virtual void accept(PlainStream stream, BeastRequest request, std::string remoteIp) = 0;
  virtual void accept(TlsStream stream, BeastRequest request, std::string remoteIp) = 0;
};

// The I/O threads that carry connections, each with its own io_context. Owned by whoever owns the
// control io_context and declared BEFORE it: when the process stops, handlers still queued on the
// control loop may own sockets of these contexts, so these must be destroyed last.
class ConnectionThreads {
 public:
  explicit ConnectionThreads(unsigned count);
  ~ConnectionThreads();
  ConnectionThreads(const ConnectionThreads&) = delete;
  ConnectionThreads& operator=(const ConnectionThreads&) = delete;

  bool empty() const { return contexts_.empty(); }
  // Round robin over the threads' contexts; called from the accepting (control) thread only.
  boost::asio::io_context& next();
  // Stops the loops, joins the threads and destroys what they still had pending (connections, and
  // with them signaling sessions whose timers belong to the control loop), so call it after the
  // control loop stopped and while everything it owns still exists. Idempotent.
  void join();

 private:
  // io_context with its (protected) shutdown() callable: pending work goes, services stay, so sockets
  // of these threads that other owners still hold can be destroyed later.
  struct Context : boost::asio::io_context {
    using boost::asio::io_context::shutdown;
  };
  std::vector<std::unique_ptr<Context>> contexts_;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  std::size_t next_ = 0;
};

struct ServerOptions {
  std::string address = "0.0.0.0";
  std::uint16_t port = 6001;  // 0 picks a free port (tests); boundPort() tells which
  std::shared_ptr<boost::asio::ssl::context> tls;  // null: plain HTTP
  std::size_t headerLimit = 8 * 1024;
  std::chrono::seconds requestTimeout{30};  // to read one whole request once it started
  std::chrono::seconds idleTimeout{75};     // keep-alive idle connections
  std::vector<std::string> allowedOrigins;  // CORS allowlist (exact origins)
  std::string publicOrigin;                 // "https://meet.example.com" from PUBLIC_URL
  bool accessLog = true;
  ConnectionThreads* connectionThreads = nullptr;  // null or empty: connections on the control thread
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, ServerOptions options, Router& router, Metrics& metrics);
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void setStaticFiles(std::shared_ptr<StaticFiles> files) { staticFiles_ = std::move(files); }
  void setWebSocketHandler(std::string path, WebSocketHandler* handler);

  // Binds and starts accepting. Fails with a clear message when the address is unusable.
  Result<void> start();
  std::uint16_t boundPort() const { return boundPort_; }
  // Stops accepting; calls onDrained once in-flight requests finished (or the deadline passed).
  void stop(std::chrono::milliseconds deadline, std::function<void()> onDrained);

 private:
  boost::asio::awaitable<void> acceptLoop();
  boost::asio::awaitable<void> handshakeAndServe(boost::asio::ip::tcp::socket socket, std::string remoteIp);
  template <class Stream>
  boost::asio::awaitable<void> serveConnection(Stream& stream, const std::string& remoteIp, bool secure);
  boost::asio::awaitable<Response> dispatch(Request& request, const RouteMatch& match);
  boost::asio::awaitable<Response> dispatchOnControl(Request& request, const RouteMatch& match);

  void finishResponse(const Request& request, Response& response) const;
  bool originAllowed(const Request& request) const;
  void maybeDrained();

  boost::asio::io_context& io_;
  ServerOptions options_;
  Router& router_;
  Metrics& metrics_;
  std::shared_ptr<StaticFiles> staticFiles_;
  std::string webSocketPath_;
  WebSocketHandler* webSocketHandler_ = nullptr;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t boundPort_ = 0;
  std::atomic<bool> stopping_ = false;
  int inFlight_ = 0;  // requests inside a handler; control thread only
  std::function<void()> onDrained_;
  bool connectionThreads() const { return options_.connectionThreads && !options_.connectionThreads->empty(); }
};

}  // namespace fluxmeet::http
