#include "signaling_core.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/common/encoding.hpp"
#include "fluxmeet/http/json_schema.hpp"
#include "fluxmeet/meeting/meeting_code.hpp"

namespace fluxmeet::signal {

using json = nlohmann::json;

// RFC 6455 section 7.4.1 status codes.
constexpr std::uint16_t kPolicyViolation = 1008;
constexpr std::uint16_t kUnsupportedData = 1003;
constexpr std::uint16_t kGoingAway = 1001;
constexpr std::uint16_t kNormal = 1000;

SignalingCore::SignalingCore(boost::asio::io_context& io, store::Store& store, const auth::JwtCodec& jwt,
                             http::Metrics& metrics, SignalingOptions options, media::worker::MediaPlane* media,
                             meeting::MediaEventRelay* relay)
    : io_(io),
      store_(store),
      jwt_(jwt),
      metrics_(metrics),
      options_(options),
      limits_{options.maxMessageBytes, options.queueMessages, options.queueBytes},
      registry_(store, media, options.roomCloseGrace, options.recordings),
      relay_(relay),
      roomCloseTimer_(io) {
  if (relay_) relay_->setRegistry(&registry_);
  registry_.setLobbyListener(options.lobbyListener);
  registry_.setActivityListener(options.activityListener);
}

SignalingCore::~SignalingCore() {
  if (relay_) relay_->setRegistry(nullptr);
}

void SignalingCore::onOpened(Connection& connection) {
  connections_.insert(&connection);
  metrics_.websocketOpened();
}

void SignalingCore::onBinary(Connection& connection) {
  connection.send(errorResponse(nullptr, "invalid_request", "binary frames are not supported; send JSON text"));
  connection.close(kUnsupportedData, "binary frames are not supported");
}

void SignalingCore::countInvalid(Connection& connection) {
  if (++connection.invalidMessages >= options_.maxInvalidMessages) {
    connection.close(kPolicyViolation, "too many invalid messages");
  }
}

void SignalingCore::onText(Connection& connection, std::string_view text) {
  json id;
  auto request = parseRequest(text, id);
  if (!request) {
    connection.send(errorResponse(id, request.error()));
    countInvalid(connection);
    return;
  }
  if (!connection.session && request->method != "hello") {
    connection.send(errorResponse(id, "unauthorized", "send hello with a token first"));
    connection.close(kPolicyViolation, "hello required");
    return;
  }
  // Keep the session alive for the whole request even if it is forgotten meanwhile.
  std::shared_ptr<PeerSession> session = connection.session;
  std::string roomCode = session ? session->roomCode : std::string();
  MethodContext context{*this, connection, session.get(), roomCode.empty() ? nullptr : registry_.find(roomCode), {}};
  Result<json> result = makeError(ErrorCode::Internal, "internal error");
  // The one boundary where an unexpected exception in a handler becomes an error response.
  try {
    result = dispatch(context, *request);
  } catch (const std::exception& error) {
    spdlog::error("signaling {} failed: {}", request->method, error.what());
  }
  if (result) {
    connection.send(context.encodedData.empty() ? okResponse(id, *result)
                                                : encodedOkResponse(id, context.encodedData));
  } else {
    connection.send(errorResponse(id, result.error()));
    if (request->method == "hello" && !connection.session) {
      connection.close(kPolicyViolation, "hello failed");
    } else if (isClientMistake(result.error())) {
      countInvalid(connection);
    }
  }
  for (auto& message : context.after) connection.send(std::move(message));
  // Rooms emptied by this request (leave, end, remove...) go now, outside any Room method.
  if (!roomCode.empty()) {
    releaseRoom(roomCode);
    armBoardTimer(roomCode);
  }
}

void SignalingCore::onClosed(Connection& connection) {
  connections_.erase(&connection);
  metrics_.websocketClosed();
  std::shared_ptr<PeerSession> session = std::move(connection.session);
  if (!session || !session->attachedTo(connection)) return;
  session->detach();
  meeting::Room* room = session->roomCode.empty() ? nullptr : registry_.find(session->roomCode);
  if (room && room->findPeer(session->peerId)) {
    room->setConnected(session->peerId, false, nullptr);
    startGrace(session);
    return;
  }
  if (room) {  // waiting in the lobby: nobody keeps a seat there
    std::string code = session->roomCode;
    room->leave(session->peerId);
    releaseRoom(code);
  }
  forget(session->peerId);
}

void SignalingCore::startGrace(const std::shared_ptr<PeerSession>& session) {
  session->graceTimer.expires_after(options_.reconnectGrace);
  std::weak_ptr<PeerSession> weak = session;
  session->graceTimer.async_wait([this, weak](const boost::system::error_code& ec) {
    auto expired = weak.lock();
    if (ec || !expired || expired->connection()) return;
    if (!expired->roomCode.empty()) {
      std::string code = expired->roomCode;
      if (auto* room = registry_.find(code)) room->leave(expired->peerId, "disconnected");
      releaseRoom(code);
    }
    forget(expired->peerId);
  });
}

void SignalingCore::releaseRoom(const std::string& code) {
  if (auto deadline = registry_.releaseIfEmpty(code)) armRoomClose(*deadline);
}

void SignalingCore::armRoomClose(meeting::RoomRegistry::Clock::time_point deadline) {
  if (roomCloseArmed_ && roomCloseTimer_.expiry() <= deadline) return;
  roomCloseArmed_ = true;
  roomCloseTimer_.expires_at(deadline);
  roomCloseTimer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // re-armed or shut down; `this` may be gone
    roomCloseArmed_ = false;
    if (auto next = registry_.closeIdle()) armRoomClose(*next);
  });
}

void SignalingCore::armBoardTimer(const std::string& code) {
  meeting::Room* room = registry_.find(code);
  auto due = room ? room->boardWakeAt() : std::nullopt;
  auto it = boardTimers_.find(code);
  if (!due) {
    if (it != boardTimers_.end() && !it->second->armed) boardTimers_.erase(it);
    return;
  }
  if (it == boardTimers_.end()) it = boardTimers_.emplace(code, std::make_unique<BoardTimer>(io_)).first;
  BoardTimer& entry = *it->second;
  if (entry.armed && entry.timer.expiry() <= *due) return;
  entry.armed = true;
  entry.timer.expires_at(*due);
  entry.timer.async_wait([this, code](const boost::system::error_code& ec) {
    if (ec) return;  // re-armed or shut down; `this` may be gone
    auto fired = boardTimers_.find(code);
    if (fired != boardTimers_.end()) fired->second->armed = false;
    // The room may have closed meanwhile (it saved its board then), or be a new one by now.
    if (meeting::Room* room = registry_.find(code)) room->onBoardTimer(std::chrono::steady_clock::now());
    armBoardTimer(code);
  });
}

void SignalingCore::forget(const std::string& peerId) {
  auto it = sessions_.find(peerId);
  if (it == sessions_.end()) return;
  resumeIndex_.erase(it->second->resumeToken);
  requestLimits_.forget(peerId);
  sessions_.erase(it);
}

void SignalingCore::closeAll() {
  std::vector<Connection*> open(connections_.begin(), connections_.end());
  for (Connection* connection : open) connection->close(kGoingAway, "server shutting down");
}

Result<Identity> SignalingCore::authenticate(const std::string& token) {
  auto claims = jwt_.verify(token, unixNow());
  if (!claims) return claims.error();
  if (claims->kind == "guest") {
    std::string name = claims->displayName.empty() ? "Guest" : claims->displayName;
    return Identity{claims->subject, std::nullopt, true, claims->meetingCode, std::move(name)};
  }
  // A "media" token (the recordings cookie) opens one file route, never a meeting.
  if (claims->kind != "user") return makeError(ErrorCode::Unauthorized, "a user or guest token is required");
  store::Id userId = 0;
  const std::string& subject = claims->subject;
  auto [end, ec] = std::from_chars(subject.data(), subject.data() + subject.size(), userId);
  if (ec != std::errc{} || end != subject.data() + subject.size()) {
    return makeError(ErrorCode::Unauthorized, "malformed token subject");
  }
  auto user = store_.findSessionUser(claims->sessionId, userId);
  if (!user) return makeError(ErrorCode::Unauthorized, "session ended; sign in again");
  return Identity{"user:" + subject, userId, false, {}, user->username};
}

Result<json> SignalingCore::hello(MethodContext& context, const json& data) {
  if (context.session) return makeError(ErrorCode::Conflict, "hello was already sent");
  auto identity = authenticate(data["token"].get<std::string>());
  if (!identity) return identity.error();
  if (auto resumeToken = http::optionalField<std::string>(data, "resumeToken")) {
    auto indexed = resumeIndex_.find(*resumeToken);
    if (indexed != resumeIndex_.end()) {
      auto session = sessions_.at(indexed->second);
      if (session->identity.subject == identity->subject) {
        resume(context, session);
        return json{{"peerId", session->peerId}, {"resumeToken", session->resumeToken}, {"resumed", true}};
      }
    }
  }
  std::string peerId = randomToken(12);
  auto session = std::make_shared<PeerSession>(io_, std::move(*identity), peerId, options_.missedNotifications);
  session->resumeToken = randomToken(32);
  session->attach(context.connection);
  resumeIndex_[session->resumeToken] = peerId;
  sessions_[peerId] = session;
  context.connection.session = session;
  return json{{"peerId", peerId}, {"resumeToken", session->resumeToken}, {"resumed", false}};
}

void SignalingCore::resume(MethodContext& context, const std::shared_ptr<PeerSession>& session) {
  if (auto previous = session->connection()) {
    // The old socket is still open (the client noticed the drop first): it loses the session.
    previous->session.reset();
    previous->close(kNormal, "resumed on another connection");
  }
  session->graceTimer.cancel();
  session->attach(context.connection);
  context.connection.session = session;
  context.session = session.get();
  resumeIndex_.erase(session->resumeToken);
  session->resumeToken = randomToken(32);
  resumeIndex_[session->resumeToken] = session->peerId;

  bool overflowed = false;
  std::vector<std::string> missed = session->takeMissed(overflowed);
  meeting::Room* room = session->roomCode.empty() ? nullptr : registry_.find(session->roomCode);
  if (room && room->findPeer(session->peerId)) {
    if (overflowed) {
      context.after.push_back(notification("room.snapshot", room->snapshot(session->peerId)));
    } else {
      context.after = std::move(missed);
    }
    room->setConnected(session->peerId, true, session.get());
  } else {
    context.after = std::move(missed);
  }
}

Result<json> SignalingCore::join(MethodContext& context, const json& data) {
  PeerSession& session = *context.session;
  if (!session.roomCode.empty()) return makeError(ErrorCode::Conflict, "already in a meeting; leave it first");
  std::string code = data["code"].get<std::string>();
  std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!meeting::isValidMeetingCode(code)) return makeError(ErrorCode::NotFound, "no meeting with that code");
  const Identity& identity = session.identity;
  if (identity.guest && identity.guestMeetingCode != code) {
    return makeError(ErrorCode::Forbidden, "this guest link is for another meeting");
  }
  meeting::JoinRequest request{.peerId = session.peerId,
                               .userId = identity.userId,
                               .identity = identity.subject,
                               .ip = context.connection.remoteIp(),
                               .guest = identity.guest,
                               .displayName = data.value("displayName", identity.displayName),
                               .passcode = http::optionalField<std::string>(data, "passcode"),
                               .sink = &session};
  meeting::Room* room = nullptr;
  auto joined = registry_.join(code, request, room);
  if (joined) session.roomCode = code;
  return joined;
}

Result<json> SignalingCore::leave(MethodContext& context) {
  PeerSession& session = *context.session;
  if (session.roomCode.empty() || !context.room) return makeError(ErrorCode::Unprocessable, "not in a meeting");
  context.room->leave(session.peerId);
  session.roomCode.clear();
  return json::object();
}

}  // namespace fluxmeet::signal
