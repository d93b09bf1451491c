#include "fluxmeet/http/server.hpp"

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "fluxmeet/http/file_response.hpp"
#include "security_headers.hpp"

namespace fluxmeet::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::redirect_error;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kLargestBody = 16 * 1024 * 1024;

void splitTarget(std::string_view target, Request& request) {
  auto question = target.find('?');
  std::string_view rawPath = target.substr(0, question);
  request.query = question == std::string_view::npos ? std::string{} : std::string(target.substr(question + 1));
  auto decoded = percentDecode(rawPath, false);
  request.path = decoded ? std::move(*decoded) : std::string{};
}

std::string routeLabel(const Request& request, const RouteMatch& match) {
  if (match.route) return match.route->pattern;
  if (request.path.rfind("/api/", 0) == 0) return "unmatched";
  return "static";
}

// Streams a file's byte range after its header, 64 KiB at a time, so that no response holds a
// whole file in memory; each chunk gets the request timeout. Returns the bytes written (fewer on
// a write error or a file that shrank).
template <class Stream, class Duration>
asio::awaitable<std::uint64_t> writeFileBody(Stream& stream, const FileBody& file, Duration timeout,
                                             beast::error_code& ec) {
  const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) co_return 0;
  std::vector<char> chunk(64 * 1024);
  std::uint64_t written = 0;
  while (written < file.range.length) {
    const auto want = static_cast<size_t>(std::min<std::uint64_t>(chunk.size(), file.range.length - written));
    const ssize_t got = ::pread(fd, chunk.data(), want, static_cast<off_t>(file.range.offset + written));
    if (got <= 0) break;
    beast::get_lowest_layer(stream).expires_after(timeout);
    co_await asio::async_write(stream, asio::buffer(chunk.data(), static_cast<size_t>(got)),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    written += static_cast<std::uint64_t>(got);
  }
  ::close(fd);
  co_return written;
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, ServerOptions options, Router& router, Metrics& metrics)
    : io_(io), options_(std::move(options)), router_(router), metrics_(metrics), acceptor_(io) {}

ConnectionThreads::ConnectionThreads(unsigned count) {
  for (unsigned i = 0; i < count; ++i) {
    auto& context = *contexts_.emplace_back(std::make_unique<Context>());
    work_.push_back(asio::make_work_guard(context));
    threads_.emplace_back([&context] { context.run(); });
  }
}

ConnectionThreads::~ConnectionThreads() { join(); }

asio::io_context& ConnectionThreads::next() { return *contexts_[next_++ % contexts_.size()]; }

void ConnectionThreads::join() {
  work_.clear();
  for (auto& context : contexts_) context->stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  for (auto& context : contexts_) context->shutdown();
}

void HttpServer::setWebSocketHandler(std::string path, WebSocketHandler* handler) {
  webSocketPath_ = std::move(path);
  webSocketHandler_ = handler;
}

Result<void> HttpServer::start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(options_.address, ec);
  if (ec) return makeError(ErrorCode::InvalidRequest, "invalid listen address '" + options_.address + "'");
  tcp::endpoint endpoint{address, options_.port};
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return makeError(ErrorCode::Unavailable,
                     "cannot listen on " + options_.address + ":" + std::to_string(options_.port) + ": " + ec.message());
  }
  boundPort_ = acceptor_.local_endpoint().port();
  asio::co_spawn(io_, acceptLoop(), asio::detached);
  return {};
}

void HttpServer::stop(std::chrono::milliseconds deadline, std::function<void()> onDrained) {
  stopping_ = true;
  onDrained_ = std::move(onDrained);
  beast::error_code ec;
  acceptor_.close(ec);
  auto timer = std::make_shared<asio::steady_timer>(io_, deadline);
  timer->async_wait([this, timer](beast::error_code) {
    if (onDrained_) std::exchange(onDrained_, nullptr)();
  });
  maybeDrained();
}

void HttpServer::maybeDrained() {
  if (stopping_ && inFlight_ == 0 && onDrained_) std::exchange(onDrained_, nullptr)();
}

asio::awaitable<void> HttpServer::acceptLoop() {
  while (!stopping_) {
    beast::error_code ec;
    tcp::socket accepted = co_await acceptor_.async_accept(redirect_error(use_awaitable, ec));
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) co_return;
      spdlog::warn("accept failed: {}", ec.message());
      continue;
    }
    accepted.set_option(tcp::no_delay(true), ec);
    std::string remoteIp = accepted.remote_endpoint(ec).address().to_string();
    // Accepted here, then handed over as a descriptor: an accept still pending on the I/O thread's
    // context when the server stops would outlive that context.
    asio::io_context& connectionContext = connectionThreads() ? options_.connectionThreads->next() : io_;
    tcp::socket socket(connectionContext);
    if (&connectionContext == &io_) {
      socket = std::move(accepted);
    } else {
      const auto protocol = accepted.local_endpoint(ec).protocol();
      if (ec) continue;  // the peer is already gone
      const int descriptor = accepted.release(ec);
      if (ec) continue;
      socket.assign(protocol, descriptor, ec);
      if (ec) {
        ::close(descriptor);
        spdlog::warn("cannot hand a connection to an I/O thread: {}", ec.message());
        continue;
      }
    }
    asio::co_spawn(connectionContext, handshakeAndServe(std::move(socket), std::move(remoteIp)), asio::detached);
  }
}

asio::awaitable<void> HttpServer::handshakeAndServe(tcp::socket socket, std::string remoteIp) {
  if (!options_.tls) {
    PlainStream stream(std::move(socket));
    co_await serveConnection(stream, remoteIp, false);
    co_return;
  }
  TlsStream stream(std::move(socket), *options_.tls);
  beast::get_lowest_layer(stream).expires_after(options_.requestTimeout);
  beast::error_code ec;
  co_await stream.async_handshake(asio::ssl::stream_base::server, redirect_error(use_awaitable, ec));
  if (ec) co_return;
  co_await serveConnection(stream, remoteIp, true);
}

template <class Stream>
asio::awaitable<void> HttpServer::serveConnection(Stream& stream, const std::string& remoteIp, bool secure) {
  beast::flat_buffer buffer;
  beast::error_code ec;
  bool bodyLeftUnread = false;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options_.headerLimit));
    parser.body_limit(kLargestBody);
    beast::get_lowest_layer(stream).expires_after(options_.idleTimeout);
    co_await bhttp::async_read_header(stream, buffer, parser, redirect_error(use_awaitable, ec));
    if (ec == bhttp::error::header_limit) {
      Response response = errorResponse(ErrorCode::InvalidRequest, "request headers are too large");
      response.result(bhttp::status::request_header_fields_too_large);
      response.keep_alive(false);
      response.prepare_payload();
      co_await bhttp::async_write(stream, response, redirect_error(use_awaitable, ec));
      break;
    }
    if (ec) break;

    const auto started = std::chrono::steady_clock::now();
    Request request;
    request.remoteIp = remoteIp;
    request.secure = secure;
    splitTarget(parser.get().target(), request);

    if (webSocketHandler_ && request.path == webSocketPath_ && beast::websocket::is_upgrade(parser.get())) {
      beast::get_lowest_layer(stream).expires_never();
      webSocketHandler_->accept(std::move(stream), parser.release(), remoteIp);
      co_return;
    }

    RouteMatch match = router_.match(parser.get().method(), request.path, request);
    std::size_t bodyLimit = match.route ? match.route->options.bodyLimit : 0;
    Response response;
    bool readBody = true;
    bool answerWithoutBody = false;
    const bool hasBody = parser.chunked() || parser.content_length().value_or(0) > 0;
    if (parser.get().version() >= 11 && parser.get().find(bhttp::field::host) == parser.get().end()) {
      // RFC 9112 section 3.2: a 1.1 request without Host is answered 400.
      response = errorResponse(ErrorCode::InvalidRequest, "missing Host header");
      readBody = false;
    } else if (!match.route && hasBody) {
      // No route: answer 404/405 without reading a body nobody wants; the connection then closes.
      answerWithoutBody = true;
      readBody = false;
    } else if (auto length = parser.content_length(); length && *length > bodyLimit) {
      response = errorResponse(ErrorCode::PayloadTooLarge,
                               "request body exceeds " + std::to_string(bodyLimit) + " bytes");
      readBody = false;
    } else if (parser.chunked() && bodyLimit == 0) {
      response = errorResponse(ErrorCode::PayloadTooLarge, "this route takes no request body");
      readBody = false;
    }
    if (readBody) {
      parser.body_limit(bodyLimit);
      beast::get_lowest_layer(stream).expires_after(options_.requestTimeout);
      co_await bhttp::async_read(stream, buffer, parser, redirect_error(use_awaitable, ec));
      if (ec == bhttp::error::body_limit) {
        response = errorResponse(ErrorCode::PayloadTooLarge,
                                 "request body exceeds " + std::to_string(bodyLimit) + " bytes");
        readBody = false;
      } else if (ec) {
        break;
      }
    }
    if (readBody) {
      request.message = parser.release();
      response = co_await dispatchOnControl(request, match);
    } else {
      request.message = parser.release();
      request.message.keep_alive(false);  // the unread body would be taken for the next request
      bodyLeftUnread = hasBody;
      if (answerWithoutBody) response = co_await dispatchOnControl(request, match);
    }

    finishResponse(request, response);
    bool keepAlive = request.message.keep_alive() && !stopping_;
    response.keep_alive(keepAlive);
    const std::optional<FileBody> file = takeFileBody(response);
    if (request.method() == bhttp::verb::head) {
      response.prepare_payload();
      response.body().clear();
    } else {
      response.prepare_payload();
    }
    beast::get_lowest_layer(stream).expires_after(options_.requestTimeout);
    std::uint64_t bytesSent = response.body().size();
    if (file) {
      response.content_length(file->range.length);
      bytesSent = 0;
      bhttp::response_serializer<bhttp::string_body> header(response);
      co_await bhttp::async_write_header(stream, header, redirect_error(use_awaitable, ec));
      if (!ec && request.method() != bhttp::verb::head) bytesSent = co_await writeFileBody(stream, *file, options_.requestTimeout, ec);
      if (bytesSent < file->range.length && request.method() != bhttp::verb::head) keepAlive = false;
    } else {
      co_await bhttp::async_write(stream, response, redirect_error(use_awaitable, ec));
    }

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics_.recordRequest(routeLabel(request, match), bhttp::to_string(request.method()), response.result_int(),
                           seconds);
    if (options_.accessLog) {
      // The query string is never logged: nothing secret belongs there, and this makes sure.
      spdlog::info("http ip={} method={} path={} status={} ms={:.2f} bytes={}", request.remoteIp,
                   bhttp::to_string(request.method()), request.path, response.result_int(), seconds * 1000.0,
                   bytesSent);
    }
    if (stopping_) asio::post(io_, [this] { maybeDrained(); });
    if (ec || !keepAlive) break;
  }
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    co_await stream.async_shutdown(redirect_error(use_awaitable, ec));
  } else {
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (bodyLeftUnread) {
      // Lingering close: closing with unread bytes makes the kernel send RST, which can destroy our
      // 413/404 before the client reads it. Read and discard what it still sends, bounded in bytes
      // and time.
      std::array<char, 16 * 1024> sink;
      std::size_t drained = 0;
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
      while (drained < 1024 * 1024) {
        std::size_t n = co_await stream.async_read_some(asio::buffer(sink), redirect_error(use_awaitable, ec));
        if (ec) break;
        drained += n;
      }
    }
  }
}

asio::awaitable<Response> HttpServer::dispatchOnControl(Request& request, const RouteMatch& match) {
  auto handle = [this, &request, &match]() -> asio::awaitable<Response> {
    ++inFlight_;
    Response response = co_await dispatch(request, match);
    --inFlight_;
    co_return response;
  };
  if (!connectionThreads()) co_return co_await handle();
  // The handler runs where the store and the rooms live; the response comes back to this
  // connection's thread to be written. The request stays in this coroutine's frame meanwhile.
  co_return co_await asio::co_spawn(io_, std::move(handle), use_awaitable);
}

asio::awaitable<Response> HttpServer::dispatch(Request& request, const RouteMatch& match) {
  if (request.path.empty()) co_return errorResponse(ErrorCode::InvalidRequest, "malformed request target");
  if (!originAllowed(request)) {
    co_return errorResponse(ErrorCode::Forbidden, "cross-origin request refused");
  }
  if (request.method() == bhttp::verb::options && request.header(bhttp::field::origin).size() > 0) {
    co_return noContent();  // CORS preflight; finishResponse adds the Allow-* headers
  }
  if (match.kind == RouteMatch::Kind::MethodNotAllowed) {
    Response response = errorResponse(ErrorCode::InvalidRequest, "method not allowed");
    response.result(bhttp::status::method_not_allowed);
    response.set(bhttp::field::allow, match.allowedMethods);
    co_return response;
  }
  if (match.kind == RouteMatch::Kind::NotFound) {
    // API and WebSocket paths never fall back to the web app, so clients get a JSON 404.
    bool apiPath = request.path.rfind("/api/", 0) == 0 || request.path == "/api" || request.path == "/ws";
    if (!apiPath && staticFiles_) {
      if (auto response = staticFiles_->serve(request)) co_return std::move(*response);
    }
    co_return errorResponse(ErrorCode::NotFound, "no such resource");
  }
  // The one boundary where an unexpected exception from a handler becomes a response.
  try {
    co_return co_await match.route->handler(request);
  } catch (const std::exception& error) {
    spdlog::error("handler {} {} failed: {}", bhttp::to_string(request.method()), match.route->pattern, error.what());
  }
  co_return errorResponse(ErrorCode::Internal, "internal error");
}

void HttpServer::finishResponse(const Request& request, Response& response) const {
  response.set(bhttp::field::server, "fluxmeet");
  applySecurityHeaders(response, request.secure);
  std::string_view origin = request.header(bhttp::field::origin);
  bool listed = std::find(options_.allowedOrigins.begin(), options_.allowedOrigins.end(), origin) !=
                options_.allowedOrigins.end();
  if (!origin.empty() && listed) {
    response.set(bhttp::field::access_control_allow_origin, origin);
    response.set(bhttp::field::access_control_allow_credentials, "true");
    response.set(bhttp::field::access_control_allow_methods, "GET, POST, PATCH, PUT, DELETE, OPTIONS");
    response.set(bhttp::field::access_control_allow_headers, "Authorization, Content-Type");
    response.set(bhttp::field::access_control_max_age, "600");
    response.set(bhttp::field::vary, "Origin");
  }
}

bool HttpServer::originAllowed(const Request& request) const {
  std::string_view origin = request.header(bhttp::field::origin);
  if (origin.empty()) return true;  // not a browser cross-site request
  if (!options_.publicOrigin.empty() && origin == options_.publicOrigin) return true;
  std::string_view host = request.header(bhttp::field::host);
  std::string sameOrigin = std::string(request.secure ? "https://" : "http://") + std::string(host);
  if (origin == sameOrigin) return true;
  if (std::find(options_.allowedOrigins.begin(), options_.allowedOrigins.end(), origin) !=
      options_.allowedOrigins.end()) {
    return true;
  }
  // Safe methods from elsewhere are answered without CORS headers, so the browser withholds them.
  auto method = request.method();
  return method == bhttp::verb::get || method == bhttp::verb::head;
}

}  // namespace fluxmeet::http
