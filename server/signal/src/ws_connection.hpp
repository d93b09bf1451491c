#pragma once
// WsConnection<Stream>: one WebSocket (RFC 6455) over a plain or TLS stream handed over by the
// HTTP server. One coroutine reads (accept, then a read loop); writes go through a bounded queue
// with one write in flight (Beast allows one read and one write outstanding). Two threads: the
// stream and everything above belong to the connection's HTTP I/O thread; the listener (signaling)
// lives on the control thread. Listener calls are dispatched to the control executor and send/close
// to the stream's, so neither side is touched from the other's thread (when both are one thread,
// dispatch runs inline). Lifetime: shared_ptr held by the coroutine and pending handlers.
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <spdlog/spdlog.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <chrono>
#include <deque>
#include <exception>

#include "connection.hpp"
#include "fluxmeet/http/request.hpp"

namespace fluxmeet::signal {

template <class Stream>
class WsConnection : public Connection, public std::enable_shared_from_this<WsConnection<Stream>> {
 public:
  WsConnection(Stream&& stream, http::BeastRequest&& request, std::string remoteIp, ConnectionListener& listener,
               boost::asio::any_io_executor listenerExecutor, const ConnectionLimits& limits)
      : Connection(std::move(remoteIp)),
        ws_(std::move(stream)),
        request_(std::move(request)),
        listener_(listener),
        listenerExecutor_(std::move(listenerExecutor)),
        limits_(limits),
        killTimer_(ws_.get_executor()) {}

  static void start(std::shared_ptr<WsConnection> self) {
    auto executor = self->ws_.get_executor();
    boost::asio::co_spawn(executor, run(std::move(self)), [](std::exception_ptr error) {
      if (!error) return;
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        spdlog::error("websocket connection failed: {}", e.what());
      }
    });
  }

  void send(std::string message) override {
    boost::asio::dispatch(ws_.get_executor(), [self = this->shared_from_this(), message = std::move(message)]() mutable {
      self->sendHere(std::move(message));
    });
  }

  void close(std::uint16_t code, std::string_view reason) override {
    boost::asio::dispatch(ws_.get_executor(), [self = this->shared_from_this(), code, reason = std::string(reason)] {
      self->closeHere(code, reason);
    });
  }

  std::shared_ptr<Connection> shared() override { return this->shared_from_this(); }

 private:
  void sendHere(std::string message) {
    if (closing_ || finished_) return;
    if (queue_.size() >= limits_.queueMessages || queuedBytes_ + message.size() > limits_.queueBytes) {
      // Slow consumer: keep only the frame being written, then close (decided in docs/protocol.md).
      spdlog::warn("websocket {}: outgoing queue full, closing", remoteIp());
      while (queue_.size() > (writing_ ? 1u : 0u)) {
        queuedBytes_ -= queue_.back().size();
        queue_.pop_back();
      }
      closeHere(1008, "slow consumer");
      return;
    }
    queuedBytes_ += message.size();
    queue_.push_back(std::move(message));
    if (!writing_) writeNext();
  }

  void closeHere(std::uint16_t code, std::string_view reason) {
    if (closing_ || finished_) return;
    closing_ = true;
    closeReason_ = boost::beast::websocket::close_reason(static_cast<boost::beast::websocket::close_code>(code), boost::beast::string_view(reason.data(), reason.size()));
    if (!writing_) writeNext();
    // A peer that never completes the close handshake loses its TCP connection after 5 s.
    killTimer_.expires_after(std::chrono::seconds(5));
    killTimer_.async_wait([self = this->shared_from_this()](boost::system::error_code ec) {
      if (!ec) boost::beast::get_lowest_layer(self->ws_).close();
    });
  }

  // Runs `call` on the listener's thread, keeping this connection alive until it has.
  template <class Call>
  void toListener(Call call) {
    boost::asio::dispatch(listenerExecutor_,
                          [self = this->shared_from_this(), call = std::move(call)]() mutable { call(*self); });
  }

  static boost::asio::awaitable<void> run(std::shared_ptr<WsConnection> self) { co_await self->serve(); }

  boost::asio::awaitable<void> serve() {
    namespace websocket = boost::beast::websocket;
    boost::beast::error_code ec;
    // Ping after 15 s of silence, give up after 30 s without anything from the client.
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = std::chrono::seconds(30);
    timeouts.idle_timeout = std::chrono::seconds(30);
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    ws_.read_message_max(limits_.maxMessageBytes);
    // One frame, one send per message. Beast's default cuts payloads into 4 KiB frames, each
    // written with a system call of its own: a board.elements batch (~7 KB at 20 people drawing)
    // took two. Our messages are bounded by the queue limits, so nothing needs cutting up.
    ws_.auto_fragment(false);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& response) { response.set(boost::beast::http::field::server, "fluxmeet"); }));
    co_await ws_.async_accept(request_, boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (ec) co_return;
    toListener([](WsConnection& self) { self.listener_.onOpened(self); });
    boost::beast::flat_buffer buffer;
    for (;;) {
      co_await ws_.async_read(buffer, boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      if (ec) break;
      if (!closing_) {
        if (ws_.got_text()) {
          toListener([text = boost::beast::buffers_to_string(buffer.data())](WsConnection& self) {
            self.listener_.onText(self, text);
          });
        } else {
          toListener([](WsConnection& self) { self.listener_.onBinary(self); });
        }
      }
      buffer.consume(buffer.size());
    }
    if (ec != websocket::error::closed && ec != boost::asio::error::operation_aborted) {
      spdlog::debug("websocket {} ended: {}", remoteIp(), ec.message());
    }
    finished_ = true;
    killTimer_.cancel();
    toListener([](WsConnection& self) { self.listener_.onClosed(self); });
  }

  void writeNext() {
    if (writing_ || finished_) return;
    if (queue_.empty()) {
      if (closing_ && !closeSent_) {
        closeSent_ = true;
        writing_ = true;
        ws_.async_close(closeReason_, [self = this->shared_from_this()](boost::system::error_code) {
          self->writing_ = false;
        });
      }
      return;
    }
    writing_ = true;
    ws_.text(true);
    ws_.async_write(boost::asio::buffer(queue_.front()),
                    [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
                      self->writing_ = false;
                      self->queuedBytes_ -= self->queue_.front().size();
                      self->queue_.pop_front();
                      if (ec) {
                        boost::beast::get_lowest_layer(self->ws_).close();
                        return;
                      }
                      self->writeNext();
                    });
  }

  boost::beast::websocket::stream<Stream> ws_;
  http::BeastRequest request_;
  ConnectionListener& listener_;
  boost::asio::any_io_executor listenerExecutor_;
  ConnectionLimits limits_;
  boost::asio::steady_timer killTimer_;
  std::deque<std::string> queue_;
  std::size_t queuedBytes_ = 0;
  boost::beast::websocket::close_reason closeReason_;
  bool writing_ = false;
  bool closing_ = false;
  bool closeSent_ = false;
  bool finished_ = false;
};

}  // namespace fluxmeet::signal
