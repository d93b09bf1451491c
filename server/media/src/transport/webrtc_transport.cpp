#include "fluxmeet/media/transport/webrtc_transport.hpp"

#include <algorithm>
#include <utility>

namespace fluxmeet::media::transport {

std::string_view transportStateName(WebRtcTransport::State state) {
  switch (state) {
    case WebRtcTransport::State::New: return "new";
    case WebRtcTransport::State::Connecting: return "connecting";
    case WebRtcTransport::State::Connected: return "connected";
    case WebRtcTransport::State::Closed: return "closed";
  }
  return "closed";
}

Result<std::unique_ptr<WebRtcTransport>> WebRtcTransport::create(
    std::string id, net::DatagramSink& sink, TransportRegistry& registry, Listener& listener,
    std::shared_ptr<const dtls::DtlsCertificate> certificate, Options options) {
  auto credentials = ice::IceCredentials::generate();
  if (!credentials) return credentials.error();
  std::unique_ptr<WebRtcTransport> transport(new WebRtcTransport(
      std::move(id), sink, registry, listener, std::move(certificate), options, std::move(*credentials)));
  registry.registerUfrag(transport->iceUfrag(), *transport);
  return transport;
}

WebRtcTransport::WebRtcTransport(std::string id, net::DatagramSink& sink, TransportRegistry& registry,
                                 Listener& listener, std::shared_ptr<const dtls::DtlsCertificate> certificate,
                                 Options options, ice::IceCredentials credentials)
    : id_(std::move(id)),
      sink_(sink),
      registry_(registry),
      listener_(listener),
      certificate_(std::move(certificate)),
      options_(options),
      ice_(*this, std::move(credentials)) {}

WebRtcTransport::~WebRtcTransport() { close(); }

Result<void> WebRtcTransport::connect(std::string_view remoteRole, std::string_view fingerprintAlgorithm,
                                      std::string_view fingerprintValue, Clock::time_point now) {
  if (state_ == State::Closed) return makeError(ErrorCode::Unprocessable, "transport is closed");
  if (dtls_) return makeError(ErrorCode::Conflict, "transport already connected");
  dtls::DtlsRole localRole;
  if (remoteRole == "client" || remoteRole == "auto") {
    localRole = dtls::DtlsRole::Server;
  } else if (remoteRole == "server") {
    localRole = dtls::DtlsRole::Client;
  } else {
    return makeError(ErrorCode::ValidationFailed, "dtls role must be client, server or auto", "dtlsParameters.role");
  }
  auto dtls = dtls::DtlsTransport::create(certificate_, localRole, *this, options_.dtls);
  if (!dtls) return dtls.error();
  if (auto set = (*dtls)->setRemoteFingerprint(fingerprintAlgorithm, fingerprintValue); !set) {
    return makeError(ErrorCode::ValidationFailed, set.error().message, "dtlsParameters.fingerprints");
  }
  dtls_ = std::move(*dtls);
  state_ = State::Connecting;
  maybeStartDtls(now);
  return {};
}

Result<ice::IceCredentials> WebRtcTransport::restartIce() {
  if (state_ == State::Closed) return makeError(ErrorCode::Unprocessable, "transport is closed");
  auto credentials = ice::IceCredentials::generate();
  if (!credentials) return credentials.error();
  registry_.unregisterUfrag(ice_.localUfrag());
  ice_.restart(*credentials);
  registry_.registerUfrag(ice_.localUfrag(), *this);
  return *credentials;
}

void WebRtcTransport::close() {
  if (state_ == State::Closed) return;
  state_ = State::Closed;
  ice_.close();
  if (dtls_) dtls_->close();  // may send close_notify through onDtlsSend, still allowed here
  registry_.unregisterTransport(*this);
}

void WebRtcTransport::fail(std::string_view reason) {
  if (state_ == State::Closed) return;
  close();
  listener_.onTransportClosed(*this, reason);
}

void WebRtcTransport::receiveStun(const stun::StunMessage& message, std::span<const uint8_t> raw,
                                  const ice::TransportAddress& from, Clock::time_point now) {
  if (state_ == State::Closed) return;
  const size_t knownBefore = ice_.tuples().size();
  ice_.handleStun(message, raw, from, now);
  // Every tuple that passed a check may carry DTLS and media (RFC 8445 section 7.3.1.4: the
  // valid list); the worker routes them here by 5-tuple from now on.
  if (ice_.tuples().size() != knownBefore || fromKnownTuple(from)) registry_.registerTuple(from, *this);
  maybeStartDtls(now);
}

bool WebRtcTransport::fromKnownTuple(const ice::TransportAddress& from) const {
  const auto tuples = ice_.tuples();
  return std::find(tuples.begin(), tuples.end(), from) != tuples.end();
}

void WebRtcTransport::receiveDtls(std::span<const uint8_t> datagram, const ice::TransportAddress& from) {
  if (state_ == State::Closed || !dtls_ || !fromKnownTuple(from)) {
    ++stats_.droppedNotReady;
    return;
  }
  dtls_->handleIncoming(datagram);
}

void WebRtcTransport::receiveRtp(std::span<uint8_t> datagram, const ice::TransportAddress& from,
                                 Clock::time_point now) {
  if (state_ != State::Connected || !srtpIn_ || !fromKnownTuple(from)) {
    ++stats_.droppedNotReady;
    return;
  }
  size_t length = datagram.size();
  if (srtpIn_->unprotectRtp(datagram, length) != srtp::SrtpStatus::Ok) {
    ++stats_.srtpFailures;
    return;
  }
  auto packet = rtp::RtpPacketView::parse(datagram.first(length));
  if (!packet) {
    ++stats_.malformed;
    return;
  }
  ++stats_.rtpReceived;
  stats_.bytesReceived += length;
  listener_.onTransportRtp(*this, *packet, now);
}

void WebRtcTransport::receiveRtcp(std::span<uint8_t> datagram, const ice::TransportAddress& from,
                                  Clock::time_point now) {
  if (state_ != State::Connected || !srtpIn_ || !fromKnownTuple(from)) {
    ++stats_.droppedNotReady;
    return;
  }
  size_t length = datagram.size();
  if (srtpIn_->unprotectRtcp(datagram, length) != srtp::SrtpStatus::Ok) {
    ++stats_.srtpFailures;
    return;
  }
  auto compound = rtcp::RtcpCompound::parse(datagram.first(length));
  if (!compound) {
    ++stats_.malformed;
    return;
  }
  ++stats_.rtcpReceived;
  stats_.bytesReceived += length;
  listener_.onTransportRtcp(*this, *compound, now);
}

void WebRtcTransport::sendRtp(std::span<uint8_t> buffer, size_t length) {
  if (state_ != State::Connected || !srtpOut_ || !ice_.selectedTuple()) {
    ++stats_.droppedNotReady;
    return;
  }
  if (srtpOut_->protectRtp(buffer, length) != srtp::SrtpStatus::Ok) {
    ++stats_.srtpFailures;
    return;
  }
  ++stats_.rtpSent;
  sendProtected(buffer, length);
}

void WebRtcTransport::forgetOutboundStream(uint32_t ssrc) {
  if (srtpOut_) srtpOut_->removeStream(ssrc);
}

void WebRtcTransport::sendRtcp(std::span<uint8_t> buffer, size_t length) {
  if (state_ != State::Connected || !srtpOut_ || !ice_.selectedTuple()) {
    ++stats_.droppedNotReady;
    return;
  }
  if (srtpOut_->protectRtcp(buffer, length) != srtp::SrtpStatus::Ok) {
    ++stats_.srtpFailures;
    return;
  }
  ++stats_.rtcpSent;
  sendProtected(buffer, length);
}

void WebRtcTransport::sendProtected(std::span<uint8_t> buffer, size_t length) {
  stats_.bytesSent += length;
  // Built in the sink's own slot: commit without a copy. Otherwise copy it in.
  auto slot = sink_.sendSlot();
  if (slot.data() == buffer.data()) {
    sink_.commit(length, *ice_.selectedTuple());
  } else {
    sink_.send(buffer.first(length), *ice_.selectedTuple());
  }
}

void WebRtcTransport::onTimer(Clock::time_point now) {
  if (state_ == State::Closed) return;
  ice_.onTimer(now);
  if (state_ == State::Closed || !dtls_) return;
  if (auto due = dtls_->nextTimeout(now); due && *due <= now) dtls_->onTimer(now);
}

void WebRtcTransport::maybeStartDtls(Clock::time_point now) {
  if (!dtls_ || dtls_->state() != dtls::DtlsState::New) return;
  if (ice_.state() != ice::IceState::Connected && ice_.state() != ice::IceState::Completed) return;
  dtls_->start(now);
}

void WebRtcTransport::onIceSend(std::span<const uint8_t> packet, const ice::TransportAddress& to) {
  sink_.send(packet, to);
}

void WebRtcTransport::onIceSelectedTupleChanged(const ice::TransportAddress& tuple) {
  registry_.registerTuple(tuple, *this);
}

void WebRtcTransport::onIceStateChanged(ice::IceState) {}

void WebRtcTransport::onIceConsentExpired() { fail("ice-consent-expired"); }

void WebRtcTransport::tupleClosed(const ice::TransportAddress& tuple) { ice_.forgetTuple(tuple); }

void WebRtcTransport::onDtlsSend(std::span<const uint8_t> datagram) {
  // Before nomination the browser's only valid tuple is where its checks came from.
  if (const auto& selected = ice_.selectedTuple()) {
    sink_.send(datagram, *selected);
  } else if (!ice_.tuples().empty()) {
    sink_.send(datagram, ice_.tuples().back());
  }
}

void WebRtcTransport::onDtlsConnected(srtp::SrtpProfile profile, const srtp::SrtpKeys& local,
                                      const srtp::SrtpKeys& remote) {
  auto outbound = srtp::SrtpSession::create(srtp::SrtpDirection::Outbound, profile, local);
  auto inbound = srtp::SrtpSession::create(srtp::SrtpDirection::Inbound, profile, remote);
  if (!outbound || !inbound) {
    fail("srtp-failed");
    return;
  }
  srtpOut_ = std::move(*outbound);
  srtpIn_ = std::move(*inbound);
  state_ = State::Connected;
  listener_.onTransportConnected(*this);
}

void WebRtcTransport::onDtlsFailed(std::string_view reason) {
  // The detail (an OpenSSL error string) is for our diagnostics, not for the client.
  lastDtlsError_ = reason;
  fail("dtls-failed");
}

void WebRtcTransport::onDtlsClosed() { fail("dtls-closed"); }

}  // namespace fluxmeet::media::transport
