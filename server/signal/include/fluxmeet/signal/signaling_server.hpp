#pragma once
// SignalingServer: the WebSocket endpoint /ws (docs/protocol.md). One coroutine per connection
// on the control io_context; requests are validated against one schema per method and handed to
// the live meetings (server/meeting). Register with HttpServer::setWebSocketHandler("/ws", &server).
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "fluxmeet/auth/jwt.hpp"
#include "fluxmeet/http/metrics.hpp"
#include "fluxmeet/http/router.hpp"
#include "fluxmeet/http/server.hpp"
#include "fluxmeet/meeting/media_event_relay.hpp"
#include "fluxmeet/media/worker/media_plane.hpp"
#include "fluxmeet/meeting/activity_listener.hpp"
#include "fluxmeet/meeting/lobby_listener.hpp"
#include "fluxmeet/meeting/recording_service.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::signal {

// A board.update of the largest element the whiteboard accepts (128 KiB: a long freehand stroke,
// whiteboard::ElementLimits::maxBytes) must fit, with its envelope (methods.cpp checks).
inline constexpr std::size_t kDefaultMaxMessageBytes = 192 * 1024;

struct SignalingOptions {
  std::chrono::milliseconds reconnectGrace{30000};  // a dropped peer stays in its meeting this long
  std::chrono::milliseconds roomCloseGrace{10000};  // an emptied meeting keeps its Router this long
  std::size_t maxMessageBytes = kDefaultMaxMessageBytes;
  std::size_t queueMessages = 1024;  // per connection; full -> close 1008
  std::size_t queueBytes = 4 * 1024 * 1024;
  std::size_t missedNotifications = 256;  // buffered while reconnecting; more -> fresh snapshot
  int maxInvalidMessages = 10;
  // Server recording (owned by the caller, outliving this server); null: recording.start
  // answers unavailable.
  meeting::RecordingService* recordings = nullptr;
  // Told when someone starts waiting in a lobby (push to an absent host); null: nobody.
  meeting::LobbyListener* lobbyListener = nullptr;
  // Told when a meeting starts or closes and of each chat message (push to invitees and to
  // participants in the background); null: nobody. Must outlive this server.
  meeting::ActivityListener* activityListener = nullptr;
};

class SignalingCore;
class BoardRoutes;

class SignalingServer : public http::WebSocketHandler {
 public:
  // `media` and `relay` may be null (no media plane: media methods answer unavailable); when
  // given, both must outlive this server.
  SignalingServer(boost::asio::io_context& io, store::Store& store, const auth::JwtCodec& jwt, http::Metrics& metrics,
                  SignalingOptions options = {}, media::worker::MediaPlane* media = nullptr,
                  meeting::MediaEventRelay* relay = nullptr);
  ~SignalingServer() override;
  SignalingServer(const SignalingServer&) = delete;
  SignalingServer& operator=(const SignalingServer&) = delete;

  void accept(http::PlainStream stream, http::BeastRequest request, std::string remoteIp) override;
  void accept(http::TlsStream stream, http::BeastRequest request, std::string remoteIp) override;

  // Shutdown: closes every connection with 1001 (going away).
  void closeAll();

  // The REST routes that need the live meetings: the whiteboard's images and saved board
  // (docs/api.md "Whiteboard"). Call before the HTTP server starts.
  void registerRoutes(http::Router& router);

 private:
  std::unique_ptr<SignalingCore> core_;
  std::unique_ptr<BoardRoutes> boardRoutes_;
};

}  // namespace fluxmeet::signal
