#include "fluxmeet/signal/signaling_server.hpp"

#include "board_routes.hpp"
#include "signaling_core.hpp"
#include "ws_connection.hpp"

namespace fluxmeet::signal {

SignalingServer::SignalingServer(boost::asio::io_context& io, store::Store& store, const auth::JwtCodec& jwt,
                                 http::Metrics& metrics, SignalingOptions options, media::worker::MediaPlane* media,
                                 meeting::MediaEventRelay* relay)
    : core_(std::make_unique<SignalingCore>(io, store, jwt, metrics, options, media, relay)) {}

SignalingServer::~SignalingServer() = default;

void SignalingServer::accept(http::PlainStream stream, http::BeastRequest request, std::string remoteIp) {
  auto connection = std::make_shared<WsConnection<http::PlainStream>>(std::move(stream), std::move(request),
                                                                      std::move(remoteIp), *core_,
                                                                      core_->io_.get_executor(), core_->limits_);
  WsConnection<http::PlainStream>::start(std::move(connection));
}

void SignalingServer::accept(http::TlsStream stream, http::BeastRequest request, std::string remoteIp) {
  auto connection = std::make_shared<WsConnection<http::TlsStream>>(std::move(stream), std::move(request),
                                                                    std::move(remoteIp), *core_,
                                                                      core_->io_.get_executor(), core_->limits_);
  WsConnection<http::TlsStream>::start(std::move(connection));
}

void SignalingServer::closeAll() { core_->closeAll(); }

void SignalingServer::registerRoutes(http::Router& router) {
  boardRoutes_ = std::make_unique<BoardRoutes>(*core_);
  boardRoutes_->registerRoutes(router);
}

}  // namespace fluxmeet::signal
