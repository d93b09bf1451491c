#pragma once
// PeerSession: one signed-in peer, from hello until it leaves or its reconnection grace period
// runs out. It is the meeting's PeerSink: notifications go to the current connection, or, while
// the peer is reconnecting, into a bounded buffer that is replayed on resume (overflow: the
// resumed peer gets a fresh snapshot instead).
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connection.hpp"
#include "fluxmeet/meeting/peer_sink.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::signal {

struct Identity {
  std::string subject;  // "user:<id>" or "guest:<random>"
  std::optional<store::Id> userId;
  bool guest = false;
  std::string guestMeetingCode;  // the one meeting a guest token is for
  std::string displayName;       // username, or the guest's chosen name
};

class PeerSession : public meeting::PeerSink {
 public:
  PeerSession(boost::asio::io_context& io, Identity identity, std::string peerId, std::size_t missedLimit);

  void notify(std::string_view method, const nlohmann::json& data) override;
  void notifyShared(std::string_view method, const nlohmann::json& data, std::string& encoded) override;
  void notifyEncoded(std::string_view method, std::string_view dataJson) override;
  void leftRoom() override { roomCode.clear(); }

  void attach(Connection& connection);
  void detach() { connection_.reset(); }
  bool attachedTo(const Connection& connection) const;
  std::shared_ptr<Connection> connection() const { return connection_.lock(); }
  // Missed notifications in order; overflowed when some were dropped.
  std::vector<std::string> takeMissed(bool& overflowed);

  const Identity identity;
  const std::string peerId;
  std::string roomCode;  // empty: not in a meeting (or lobby)
  std::string resumeToken;
  boost::asio::steady_timer graceTimer;

 private:
  // Sends now, or keeps the message for a reconnect within the grace period (bounded).
  void deliver(std::string message);
  std::weak_ptr<Connection> connection_;
  std::size_t missedLimit_;
  std::deque<std::string> missed_;
  bool overflowed_ = false;
};

}  // namespace fluxmeet::signal
