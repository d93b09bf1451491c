#pragma once
// WebRtcTransport: one browser's bundled media connection, the layers stacked as in RFC 8834
// section 3 and demultiplexed per RFC 7983: ICE-lite (IceServer) -> DTLS (DtlsTransport) ->
// SRTP/SRTCP (SrtpSession, one per direction). The owner (a Router) gets plain RTP and RTCP out
// and gives plain RTP and RTCP in; this class does the cryptography and picks the tuple.
//
// Threading: one media worker thread; no locks. The packet path (receiveRtp/Rtcp, sendRtp/Rtcp)
// never allocates and never throws. Listener callbacks run synchronously; a listener must not
// destroy the transport from inside one (close it, and destroy it later).
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/dtls/dtls_transport.hpp"
#include "fluxmeet/media/ice/ice_server.hpp"
#include "fluxmeet/media/net/datagram_sink.hpp"
#include "fluxmeet/media/rtcp/compound.hpp"
#include "fluxmeet/media/rtp/rtp_packet.hpp"
#include "fluxmeet/media/srtp/srtp_session.hpp"

namespace fluxmeet::media::transport {

using Clock = std::chrono::steady_clock;

struct WebRtcTransportStats {
  uint64_t rtpReceived = 0;
  uint64_t rtcpReceived = 0;
  uint64_t rtpSent = 0;
  uint64_t rtcpSent = 0;
  uint64_t bytesReceived = 0;
  uint64_t bytesSent = 0;
  uint64_t srtpFailures = 0;    // unprotect failed (auth, replay) or protect failed
  uint64_t malformed = 0;       // not parseable as RTP/RTCP after decryption
  uint64_t droppedNotReady = 0; // media before DTLS finished or after close
};

// The worker's demultiplexer: which transport owns which ICE ufrag and 5-tuple.
class TransportRegistry {
 public:
  virtual ~TransportRegistry() = default;
  virtual void registerUfrag(std::string_view ufrag, class WebRtcTransport& transport) = 0;
  virtual void unregisterUfrag(std::string_view ufrag) = 0;
  virtual void registerTuple(const ice::TransportAddress& tuple, WebRtcTransport& transport) = 0;
  // Forgets every ufrag and tuple of `transport`.
  virtual void unregisterTransport(WebRtcTransport& transport) = 0;
};

class WebRtcTransport : private ice::IceServer::Listener, private dtls::DtlsTransport::Listener {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // Decrypted, parsed RTP; the view's buffer may be rewritten in place by the listener.
    virtual void onTransportRtp(WebRtcTransport& transport, rtp::RtpPacketView& packet, Clock::time_point now) = 0;
    virtual void onTransportRtcp(WebRtcTransport& transport, const rtcp::RtcpCompound& compound,
                                 Clock::time_point now) = 0;
    // SRTP keys are in place: media can flow both ways.
    virtual void onTransportConnected(WebRtcTransport& transport) = 0;
    // ICE consent lost, DTLS failed or closed by the peer. The transport is closed already.
    // `reason`: "ice-consent-expired", "dtls-failed", "dtls-closed" or "srtp-failed".
    virtual void onTransportClosed(WebRtcTransport& transport, std::string_view reason) = 0;
  };

  enum class State { New, Connecting, Connected, Closed };

  struct Options {
    dtls::DtlsTransport::Options dtls;
  };

  // Registers its ufrag with `registry`. `sink`, `registry` and `listener` outlive it.
  static Result<std::unique_ptr<WebRtcTransport>> create(std::string id, net::DatagramSink& sink,
                                                         TransportRegistry& registry, Listener& listener,
                                                         std::shared_ptr<const dtls::DtlsCertificate> certificate,
                                                         Options options);
  ~WebRtcTransport() override;
  WebRtcTransport(const WebRtcTransport&) = delete;
  WebRtcTransport& operator=(const WebRtcTransport&) = delete;

  const std::string& id() const { return id_; }
  State state() const { return state_; }
  std::string_view iceUfrag() const { return ice_.localUfrag(); }
  std::string_view icePassword() const { return ice_.localPassword(); }
  ice::IceState iceState() const { return ice_.state(); }
  dtls::DtlsState dtlsState() const { return dtls_ ? dtls_->state() : dtls::DtlsState::New; }
  const std::optional<ice::TransportAddress>& selectedTuple() const { return ice_.selectedTuple(); }
  const WebRtcTransportStats& stats() const { return stats_; }
  // Why DTLS failed (OpenSSL's words), for logs; empty if it did not.
  const std::string& lastDtlsError() const { return lastDtlsError_; }

  // The browser's DTLS parameters (mediasoup-client's transport "connect" event). `remoteRole`
  // is the browser's role: "client" makes us the DTLS server, "server" the client, "auto" picks
  // server. Fails on a second call, an unknown role or fingerprint algorithm.
  Result<void> connect(std::string_view remoteRole, std::string_view fingerprintAlgorithm,
                       std::string_view fingerprintValue, Clock::time_point now);
  // New ICE credentials (RFC 8445 section 9); DTLS and SRTP are kept.
  Result<ice::IceCredentials> restartIce();
  // Closes ICE, sends DTLS close_notify, forgets its registry entries. No callback.
  void close();

  // From the worker's demultiplexer, by kind (RFC 7983).
  void receiveStun(const stun::StunMessage& message, std::span<const uint8_t> raw, const ice::TransportAddress& from,
                   Clock::time_point now);
  void receiveDtls(std::span<const uint8_t> datagram, const ice::TransportAddress& from);
  void receiveRtp(std::span<uint8_t> datagram, const ice::TransportAddress& from, Clock::time_point now);
  void receiveRtcp(std::span<uint8_t> datagram, const ice::TransportAddress& from, Clock::time_point now);
  // The tuple's ICE-TCP connection closed: nothing more goes to it. Media pauses (counted as not
  // ready) until the browser nominates another tuple; consent expiry still closes the transport.
  void tupleClosed(const ice::TransportAddress& tuple);

  // Protects and sends plain RTP/RTCP built in `buffer` (length bytes used; the buffer must have
  // SrtpSession::kRtpTrailerRoom/kRtcpTrailerRoom spare). Dropped and counted when not connected.
  void sendRtp(std::span<uint8_t> buffer, size_t length);
  void sendRtcp(std::span<uint8_t> buffer, size_t length);
  // A stream we sent is gone for good (its consumer closed): drop its SRTP state, so the
  // session's stream table holds only live SSRCs.
  void forgetOutboundStream(uint32_t ssrc);
  // A buffer from the sink to build one outgoing packet in, then sendRtp/Rtcp on it; this avoids
  // a copy. Only valid until the next call on this transport or its sink.
  std::span<uint8_t> packetBuffer() { return sink_.sendSlot(); }

  // Drives ICE consent and DTLS retransmission; call every ~50-100 ms.
  void onTimer(Clock::time_point now);

 private:
  WebRtcTransport(std::string id, net::DatagramSink& sink, TransportRegistry& registry, Listener& listener,
                  std::shared_ptr<const dtls::DtlsCertificate> certificate, Options options,
                  ice::IceCredentials credentials);

  // ice::IceServer::Listener
  void onIceSend(std::span<const uint8_t> packet, const ice::TransportAddress& to) override;
  void onIceSelectedTupleChanged(const ice::TransportAddress& tuple) override;
  void onIceStateChanged(ice::IceState state) override;
  void onIceConsentExpired() override;
  // dtls::DtlsTransport::Listener
  void onDtlsSend(std::span<const uint8_t> datagram) override;
  void onDtlsConnected(srtp::SrtpProfile profile, const srtp::SrtpKeys& local, const srtp::SrtpKeys& remote) override;
  void onDtlsFailed(std::string_view reason) override;
  void onDtlsClosed() override;

  void maybeStartDtls(Clock::time_point now);
  void fail(std::string_view reason);
  bool fromKnownTuple(const ice::TransportAddress& from) const;
  void sendProtected(std::span<uint8_t> buffer, size_t length);

  std::string id_;
  net::DatagramSink& sink_;
  TransportRegistry& registry_;
  Listener& listener_;
  std::shared_ptr<const dtls::DtlsCertificate> certificate_;
  Options options_;
  ice::IceServer ice_;
  std::unique_ptr<dtls::DtlsTransport> dtls_;  // made by connect(), when the role is known
  std::unique_ptr<srtp::SrtpSession> srtpIn_;
  std::unique_ptr<srtp::SrtpSession> srtpOut_;
  State state_ = State::New;
  WebRtcTransportStats stats_;
  std::string lastDtlsError_;
};

std::string_view transportStateName(WebRtcTransport::State state);

}  // namespace fluxmeet::media::transport
