#pragma once
// DTLS-SRTP (RFC 5764) for one WebRTC transport: runs the DTLS 1.2 handshake over datagrams the
// owner carries (OpenSSL on a memory read BIO and a datagram-preserving write BIO), checks the
// peer certificate against the fingerprint signalled out of band (RFC 5763 section 5,
// RFC 8122 section 5), and hands out the SRTP keys (RFC 5764 section 4.2).
//
// Threading: one media worker thread; the owner's event loop feeds handleIncoming() and calls
// onTimer() at nextTimeout(). Listener callbacks run synchronously inside those calls. A
// listener may call close() from a callback but must not destroy the transport there.
//
// RFCs: https://www.rfc-editor.org/rfc/rfc5764 (DTLS-SRTP), https://www.rfc-editor.org/rfc/rfc6347
// (DTLS 1.2), https://www.rfc-editor.org/rfc/rfc5763#section-5 (fingerprint authentication),
// https://www.rfc-editor.org/rfc/rfc8122#section-5 (fingerprint syntax).
#include <openssl/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/dtls/dtls_certificate.hpp"
#include "fluxmeet/media/srtp/srtp_profile.hpp"

namespace fluxmeet::media::dtls {

// RFC 5763 section 5: the side whose SDP said a=setup:active is the DTLS client. An ICE-lite
// SFU is usually the server (mediasoup-client picks "client" for itself).
enum class DtlsRole { Server, Client };

enum class DtlsState {
  New,         // start() not called: incoming datagrams are dropped
  Connecting,  // handshake running, or done and waiting for setRemoteFingerprint()
  Connected,   // handshake done and fingerprint verified: onDtlsConnected was called
  Failed,      // terminal: onDtlsFailed was called
  Closed,      // terminal: close() was called or the peer sent close_notify
};

std::string_view dtlsStateName(DtlsState state);

class DtlsTransport {
 public:
  using Clock = std::chrono::steady_clock;

  class Listener {
   public:
    virtual ~Listener() = default;
    // One datagram for the wire (never larger than Options::mtu).
    virtual void onDtlsSend(std::span<const uint8_t> datagram) = 0;
    // Handshake done and peer authenticated. `local` protects what we send (an Outbound
    // SrtpSession), `remote` unprotects what the peer sends (an Inbound one).
    virtual void onDtlsConnected(srtp::SrtpProfile profile, const srtp::SrtpKeys& local,
                                 const srtp::SrtpKeys& remote) = 0;
    // Handshake failure, fingerprint mismatch, fatal alert or timeout. Terminal.
    virtual void onDtlsFailed(std::string_view reason) = 0;
    // The peer sent close_notify. Terminal. (Not called for our own close().)
    virtual void onDtlsClosed() = 0;
  };

  struct Options {
    // Bytes per datagram; handshake messages larger than this are fragmented (RFC 6347
    // section 4.2.3). 1200 keeps DTLS inside the smallest path MTU WebRTC assumes, with room
    // for IPv6 + UDP + TURN framing.
    size_t mtu = 1200;
    // RFC 6347 section 4.2.4.1 suggests 1 s; WebRTC stacks start lower (libwebrtc 50 ms,
    // mediasoup 100 ms) because the peers just proved reachability over ICE. Doubles on each
    // retransmission up to maxRetransmitTimeout.
    std::chrono::milliseconds initialRetransmitTimeout{100};
    std::chrono::milliseconds maxRetransmitTimeout{4000};
    // Give up if the handshake (and fingerprint) is not done this long after start().
    std::chrono::milliseconds handshakeTimeout{30000};
  };

  static Result<std::unique_ptr<DtlsTransport>> create(
      std::shared_ptr<const DtlsCertificate> certificate, DtlsRole role, Listener& listener,
      Options options);
  static Result<std::unique_ptr<DtlsTransport>> create(
      std::shared_ptr<const DtlsCertificate> certificate, DtlsRole role, Listener& listener) {
    return create(std::move(certificate), role, listener, Options{});
  }
  ~DtlsTransport();
  DtlsTransport(const DtlsTransport&) = delete;
  DtlsTransport& operator=(const DtlsTransport&) = delete;

  // The fingerprint from the peer's signalling (RFC 8122 section 5 algorithm name and "AB:CD"
  // value, case-insensitive). May come before or after the handshake finishes; the transport
  // reports connected only once it matches. Fails for an unknown algorithm or a second call.
  Result<void> setRemoteFingerprint(std::string_view algorithm, std::string_view value);

  // Begins the handshake (call once ICE is connected): a client sends its ClientHello, a
  // server starts listening. Arms the handshake timeout from `now`.
  void start(Clock::time_point now);

  // One received datagram classified as DTLS (RFC 7983 first byte 20..63). Bad records are
  // discarded as RFC 6347 section 4.1.2.7 requires; fatal alerts fail the transport.
  void handleIncoming(std::span<const uint8_t> datagram);

  // When to call onTimer() next, or nullopt if no retransmission or deadline is pending.
  std::optional<Clock::time_point> nextTimeout(Clock::time_point now) const;
  // Retransmits the last flight if its timer expired (RFC 6347 section 4.2.4) and enforces
  // the handshake timeout.
  void onTimer(Clock::time_point now);

  // Sends close_notify (if the handshake got far enough) and moves to Closed.
  void close();

  DtlsState state() const { return state_; }
  DtlsRole role() const { return role_; }
  // Datagrams dropped because the transport was not started or already finished.
  uint64_t droppedDatagrams() const { return droppedDatagrams_; }

 private:
  struct SslDeleter { void operator()(SSL* ssl) const; };

  DtlsTransport(std::shared_ptr<const DtlsCertificate> certificate, DtlsRole role,
                Listener& listener, Options options);
  Result<void> initSsl();

  static int verifyCallback(int preverifyOk, X509_STORE_CTX* store);
  static unsigned int timerCallback(SSL* ssl, unsigned int previousUs);

  void advanceHandshake();
  void readRecords();
  void onHandshakeDone();
  bool fingerprintMatches(X509* peerCertificate) const;
  void completeIfVerified();
  void handleSslResult(int result, const char* what);
  void fail(std::string reason);
  void flushOutgoing();

  std::shared_ptr<const DtlsCertificate> certificate_;
  DtlsRole role_;
  Listener& listener_;
  Options options_;
  std::unique_ptr<SSL, SslDeleter> ssl_;
  BIO* readBio_ = nullptr;  // owned by ssl_ (SSL_set_bio)

  DtlsState state_ = DtlsState::New;
  bool handshakeDone_ = false;
  std::optional<Clock::time_point> handshakeDeadline_;
  std::string remoteAlgorithm_;
  std::string remoteFingerprint_;  // upper-case, as DtlsCertificate::fingerprint() prints
  std::string verifyFailure_;     // why verifyCallback rejected the peer, for onDtlsFailed

  srtp::SrtpProfile profile_ = srtp::SrtpProfile::AeadAes128Gcm;
  srtp::SrtpKeys localKeys_;
  srtp::SrtpKeys remoteKeys_;

  std::vector<std::vector<uint8_t>> outgoing_;  // datagrams OpenSSL wrote, sent after each call
  bool flushing_ = false;
  uint64_t droppedDatagrams_ = 0;
  uint64_t applicationRecords_ = 0;  // DTLS application data (no SCTP here yet): read, dropped
};

}  // namespace fluxmeet::media::dtls
