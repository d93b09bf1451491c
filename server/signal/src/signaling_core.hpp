#pragma once
// SignalingCore: the state behind SignalingServer (sessions, resume tokens, rooms) and the
// handling of every message. methods.cpp holds the method table; this file the session logic.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "connection.hpp"
#include "envelope.hpp"
#include "fluxmeet/auth/jwt.hpp"
#include "fluxmeet/http/metrics.hpp"
#include "fluxmeet/meeting/room_registry.hpp"
#include "fluxmeet/signal/signaling_server.hpp"
#include "peer_session.hpp"
#include "request_limits.hpp"

namespace fluxmeet::signal {

// What a method handler gets. `after` holds messages sent right after the response (a resumed
// peer's missed notifications).
struct MethodContext {
  SignalingCore& core;
  Connection& connection;
  PeerSession* session;  // null before hello
  meeting::Room* room;   // the session's room, or null
  std::vector<std::string> after;
  // Set by a handler whose answer is already JSON text (board.sync's page of stored elements):
  // sent as the response's data instead of the json the handler returns.
  std::string encodedData;
};

class SignalingCore : public ConnectionListener {
 public:
  SignalingCore(boost::asio::io_context& io, store::Store& store, const auth::JwtCodec& jwt, http::Metrics& metrics,
                SignalingOptions options, media::worker::MediaPlane* media = nullptr,
                meeting::MediaEventRelay* relay = nullptr);
  ~SignalingCore() override;

  void onOpened(Connection& connection) override;
  void onText(Connection& connection, std::string_view text) override;
  void onBinary(Connection& connection) override;
  void onClosed(Connection& connection) override;
  void closeAll();

  // Used by the method handlers (methods.cpp).
  Result<nlohmann::json> hello(MethodContext& context, const nlohmann::json& data);
  Result<nlohmann::json> join(MethodContext& context, const nlohmann::json& data);
  Result<nlohmann::json> leave(MethodContext& context);
  // Token -> identity, as hello checks it (also used by the whiteboard's REST routes).
  Result<Identity> authenticate(const std::string& token);
  // After an operation on a room: arms its whiteboard timer (held cursors, a debounced save)
  // for when Room::boardWakeAt says.
  void armBoardTimer(const std::string& code);

  boost::asio::io_context& io_;
  store::Store& store_;
  const auth::JwtCodec& jwt_;
  http::Metrics& metrics_;
  SignalingOptions options_;
  ConnectionLimits limits_;
  meeting::RoomRegistry registry_;
  RequestLimits requestLimits_;
  std::map<std::string, std::shared_ptr<PeerSession>> sessions_;  // by peerId
  std::map<std::string, std::string> resumeIndex_;                // resumeToken -> peerId
  std::set<Connection*> connections_;
  meeting::MediaEventRelay* relay_;

 private:
  boost::asio::steady_timer roomCloseTimer_;
  bool roomCloseArmed_ = false;
  struct BoardTimer {
    explicit BoardTimer(boost::asio::io_context& io) : timer(io) {}
    boost::asio::steady_timer timer;
    bool armed = false;
  };
  std::map<std::string, std::unique_ptr<BoardTimer>> boardTimers_;  // by room code

  void countInvalid(Connection& connection);
  void startGrace(const std::shared_ptr<PeerSession>& session);
  void forget(const std::string& peerId);
  // After an operation on a room: an ended room goes now, an empty one after its grace period.
  void releaseRoom(const std::string& code);
  void armRoomClose(meeting::RoomRegistry::Clock::time_point deadline);
  void resume(MethodContext& context, const std::shared_ptr<PeerSession>& session);
};

// Dispatches one validated request (methods.cpp). Fills `data` or returns the error.
Result<nlohmann::json> dispatch(MethodContext& context, const Request& request);
// True for the errors that count towards the invalid-message limit.
bool isClientMistake(const Error& error);

}  // namespace fluxmeet::signal
