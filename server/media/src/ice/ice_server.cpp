#include "fluxmeet/media/ice/ice_server.hpp"

#include <algorithm>
#include <utility>

#include "fluxmeet/media/stun/stun_message_builder.hpp"

namespace fluxmeet::media::ice {
namespace {

// STUN error codes used by a lite agent (RFC 8489 section 14.8, RFC 8445 section 16.1).
constexpr uint16_t kBadRequest = 400;
constexpr uint16_t kUnauthorized = 401;
constexpr uint16_t kRoleConflict = 487;

}  // namespace

std::string_view iceStateName(IceState state) {
  switch (state) {
    case IceState::New: return "new";
    case IceState::Connected: return "connected";
    case IceState::Completed: return "completed";
    case IceState::Disconnected: return "disconnected";
    case IceState::Closed: return "closed";
  }
  return "closed";
}

IceServer::IceServer(Listener& listener, IceCredentials localCredentials)
    : listener_(listener), credentials_(std::move(localCredentials)) {}

void IceServer::handleStun(const stun::StunMessage& message, std::span<const uint8_t> raw,
                           const TransportAddress& from, TimePoint now) {
  bytesReceived_ += raw.size();
  // A lite agent sends no requests (RFC 8445 section 2.5), so responses are strays; Binding
  // indications are keepalives (RFC 8445 section 11) and need no answer.
  if (state_ == IceState::Closed || message.messageClass() != stun::StunClass::Request ||
      message.type() != stun::type::kBindingRequest) {
    ++stats_.ignored;
    return;
  }
  // RFC 8489 section 7.3: a FINGERPRINT that does not verify means "not STUN": discard silently.
  if (message.hasFingerprint() && !message.verifyFingerprint()) {
    ++stats_.ignored;
    return;
  }
  // RFC 8489 section 9.1.3 (short-term credentials): both USERNAME and MESSAGE-INTEGRITY are
  // required, else 400.
  const auto username = message.username();
  if (!username || !message.hasMessageIntegrity()) {
    sendError(message, from, kBadRequest, "Bad Request", false);
    return;
  }
  // RFC 8445 section 7.2.2: USERNAME is "<receiver ufrag>:<sender ufrag>". A USERNAME without
  // the colon is malformed (400); a different local ufrag (e.g. one retired by restart()) is a
  // username not currently valid, which RFC 8489 section 9.1.3 answers with 401.
  const size_t colon = username->find(':');
  if (colon == std::string_view::npos || colon == 0) {
    sendError(message, from, kBadRequest, "Bad Request", false);
    return;
  }
  if (username->substr(0, colon) != credentials_.ufrag ||
      !message.verifyMessageIntegrity(std::string_view(credentials_.password))) {
    sendError(message, from, kUnauthorized, "Unauthorized", false);
    return;
  }
  // RFC 8445 section 7.3.1.1: we are always controlled; a peer that also claims to be
  // controlled gets 487 so that it switches to controlling. (A lite agent cannot take the
  // controlling role, section 6.1.1, so the tie-breaker is not compared.)
  if (message.iceControlled().has_value()) {
    sendError(message, from, kRoleConflict, "Role Conflict", true);
    return;
  }
  sendSuccess(message, from);
  acceptCheck(from, message.useCandidate(), now);
}

void IceServer::acceptCheck(const TransportAddress& from, bool nominated, TimePoint now) {
  if (nominated) {
    // Aggressive nomination (browsers) or regular: for a lite agent, a nominated valid check
    // selects the pair (RFC 8445 section 7.3.1.5).
    if (restartPending_) {
      tupleCount_ = 0;
      restartPending_ = false;
    }
    rememberTuple(from);
    renewConsent(now);
    const bool changed = !selected_ || *selected_ != from;
    selected_ = from;
    if (changed) listener_.onIceSelectedTupleChanged(from);
    setState(IceState::Completed);
    return;
  }
  rememberTuple(from);
  if (selected_ && *selected_ == from) {
    // RFC 7675 section 5.1: an authenticated check from the selected pair renews consent.
    renewConsent(now);
    if (state_ == IceState::Disconnected) setState(IceState::Completed);
  } else if (state_ == IceState::New) {
    setState(IceState::Connected);
  }
}

void IceServer::rememberTuple(const TransportAddress& tuple) {
  const auto begin = tuples_.begin();
  const auto end = begin + static_cast<std::ptrdiff_t>(tupleCount_);
  if (std::find(begin, end, tuple) != end) return;
  if (tupleCount_ == kMaxTuples) {
    // Evict the oldest tuple that is not the selected one.
    auto victim = begin;
    if (selected_ && *victim == *selected_) ++victim;
    std::move(victim + 1, end, victim);
    --tupleCount_;
  }
  tuples_[tupleCount_++] = tuple;
}

void IceServer::renewConsent(TimePoint now) {
  lastConsent_ = now;
  consentExpired_ = false;
}

void IceServer::onTimer(TimePoint now) {
  // Disconnected by a closed TCP tuple, the peer still has the rest of its consent window to
  // come back on another one.
  const bool watched = state_ == IceState::Completed || state_ == IceState::Disconnected;
  if (!watched || consentExpired_ || now - lastConsent_ < kConsentTimeout) return;
  consentExpired_ = true;
  setState(IceState::Disconnected);
  listener_.onIceConsentExpired();
}

void IceServer::forgetTuple(const TransportAddress& tuple) {
  const auto begin = tuples_.begin();
  const auto end = begin + static_cast<std::ptrdiff_t>(tupleCount_);
  const auto found = std::find(begin, end, tuple);
  if (found != end) {
    std::move(found + 1, end, found);
    --tupleCount_;
  }
  if (state_ == IceState::Closed || !selected_ || *selected_ != tuple) return;
  if (tupleCount_ > 0) {
    selected_ = tuples_[tupleCount_ - 1];
    listener_.onIceSelectedTupleChanged(*selected_);
    return;
  }
  selected_.reset();
  setState(IceState::Disconnected);
}

void IceServer::restart(IceCredentials newCredentials) {
  if (state_ == IceState::Closed) return;
  credentials_ = std::move(newCredentials);
  restartPending_ = true;
}

void IceServer::close() { state_ = IceState::Closed; }

void IceServer::setState(IceState state) {
  if (state_ == state) return;
  state_ = state;
  listener_.onIceStateChanged(state);
}

void IceServer::sendSuccess(const stun::StunMessage& request, const TransportAddress& to) {
  // RFC 8445 section 7.3.1.2 / RFC 8489 sections 9.1.3, 14.5, 14.7: same transaction id,
  // XOR-MAPPED-ADDRESS = the source, MESSAGE-INTEGRITY with our password, then FINGERPRINT.
  ++stats_.successResponses;
  send(stun::StunMessageBuilder(response_, stun::type::kBindingSuccess, request.transactionId())
           .addXorMappedAddress(to)
           .addMessageIntegrity(std::string_view(credentials_.password))
           .addFingerprint()
           .finish(),
       to);
}

void IceServer::sendError(const stun::StunMessage& request, const TransportAddress& to,
                          uint16_t code, std::string_view reason, bool authenticated) {
  if (code == kBadRequest) ++stats_.badRequests;
  if (code == kUnauthorized) ++stats_.unauthorized;
  if (code == kRoleConflict) ++stats_.roleConflicts;
  stun::StunMessageBuilder builder(response_, stun::type::kBindingError, request.transactionId());
  builder.addErrorCode(code, reason);
  if (authenticated) builder.addMessageIntegrity(std::string_view(credentials_.password));
  send(builder.addFingerprint().finish(), to);
}

void IceServer::send(std::optional<size_t> size, const TransportAddress& to) {
  // The buffer is sized for every response we build, so this only fails on a bug.
  if (!size) return;
  listener_.onIceSend(std::span<const uint8_t>(response_.data(), *size), to);
}

}  // namespace fluxmeet::media::ice
