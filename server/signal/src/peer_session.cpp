#include "peer_session.hpp"

#include "envelope.hpp"

namespace fluxmeet::signal {

PeerSession::PeerSession(boost::asio::io_context& io, Identity identity_, std::string peerId_, std::size_t missedLimit)
    : identity(std::move(identity_)), peerId(std::move(peerId_)), graceTimer(io), missedLimit_(missedLimit) {}

void PeerSession::notify(std::string_view method, const nlohmann::json& data) { deliver(notification(method, data)); }

void PeerSession::notifyShared(std::string_view method, const nlohmann::json& data, std::string& encoded) {
  if (encoded.empty()) encoded = notification(method, data);
  deliver(encoded);
}

void PeerSession::notifyEncoded(std::string_view method, std::string_view dataJson) {
  deliver(encodedNotification(method, dataJson));
}

void PeerSession::deliver(std::string message) {
  if (auto connection = connection_.lock()) {
    connection->send(std::move(message));
    return;
  }
  if (missed_.size() >= missedLimit_) {
    missed_.clear();
    overflowed_ = true;
  }
  if (!overflowed_) missed_.push_back(std::move(message));
}

void PeerSession::attach(Connection& connection) {
  connection_ = connection.shared();
}

bool PeerSession::attachedTo(const Connection& connection) const {
  auto current = connection_.lock();
  return current.get() == &connection;
}

std::vector<std::string> PeerSession::takeMissed(bool& overflowed) {
  overflowed = overflowed_;
  std::vector<std::string> messages(std::make_move_iterator(missed_.begin()), std::make_move_iterator(missed_.end()));
  missed_.clear();
  overflowed_ = false;
  return messages;
}

}  // namespace fluxmeet::signal
