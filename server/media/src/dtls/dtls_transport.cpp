#include "fluxmeet/media/dtls/dtls_transport.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <climits>

#include "dtls_context.hpp"
#include "dtls_srtp_export.hpp"

namespace fluxmeet::media::dtls {
namespace {

using Datagrams = std::vector<std::vector<uint8_t>>;

// The write side is a BIO of our own rather than a memory BIO: OpenSSL's DTLS layer writes each
// datagram (already cut to the MTU) with one BIO_write, and a memory BIO would glue them
// together. Each write becomes one queued datagram (BIO data: the transport's queue).
int datagramBioWrite(BIO* bio, const char* data, int length) {
  auto* queue = static_cast<Datagrams*>(BIO_get_data(bio));
  if (queue == nullptr || length <= 0) return 0;
  const auto* bytes = reinterpret_cast<const uint8_t*>(data);
  queue->emplace_back(bytes, bytes + length);
  return length;
}

long datagramBioCtrl(BIO* /*bio*/, int command, long /*number*/, void* /*pointer*/) {
  switch (command) {
    case BIO_CTRL_FLUSH: return 1;  // every write is already "sent"
    default: return 0;              // no MTU query (SSL_OP_NO_QUERY_MTU), nothing pending
  }
}

int datagramBioCreate(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

int datagramBioDestroy(BIO* /*bio*/) { return 1; }  // the queue belongs to the transport

// Built once per process and never freed: BIO_METHODs are immutable and shared by threads.
BIO_METHOD* datagramBioMethod() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* created =
        BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "fluxmeet-dtls-datagram");
    if (created != nullptr) {
      BIO_meth_set_write(created, datagramBioWrite);
      BIO_meth_set_ctrl(created, datagramBioCtrl);
      BIO_meth_set_create(created, datagramBioCreate);
      BIO_meth_set_destroy(created, datagramBioDestroy);
    }
    return created;
  }();
  return method;
}

std::string upperCase(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return result;
}

}  // namespace

std::string_view dtlsStateName(DtlsState state) {
  switch (state) {
    case DtlsState::New: return "new";
    case DtlsState::Connecting: return "connecting";
    case DtlsState::Connected: return "connected";
    case DtlsState::Failed: return "failed";
    case DtlsState::Closed: return "closed";
  }
  return "unknown";
}

void DtlsTransport::SslDeleter::operator()(SSL* ssl) const { SSL_free(ssl); }

DtlsTransport::DtlsTransport(std::shared_ptr<const DtlsCertificate> certificate, DtlsRole role,
                             Listener& listener, Options options)
    : certificate_(std::move(certificate)), role_(role), listener_(listener), options_(options) {}

DtlsTransport::~DtlsTransport() = default;

Result<std::unique_ptr<DtlsTransport>> DtlsTransport::create(
    std::shared_ptr<const DtlsCertificate> certificate, DtlsRole role, Listener& listener,
    Options options) {
  if (!certificate || certificate->sslContext() == nullptr) {
    return makeError(ErrorCode::InvalidRequest, "DtlsTransport needs a generated certificate");
  }
  std::unique_ptr<DtlsTransport> transport(
      new DtlsTransport(std::move(certificate), role, listener, options));
  if (Result<void> ready = transport->initSsl(); !ready) return std::move(ready).takeError();
  return transport;
}

Result<void> DtlsTransport::initSsl() {
  ERR_clear_error();
  ssl_.reset(SSL_new(certificate_->sslContext()));
  BIO_METHOD* method = datagramBioMethod();
  if (!ssl_ || method == nullptr) {
    return makeError(ErrorCode::Internal, takeOpenSslErrors("SSL_new"));
  }
  BIO* readBio = BIO_new(BIO_s_mem());
  BIO* writeBio = BIO_new(method);
  if (readBio == nullptr || writeBio == nullptr) {
    BIO_free(readBio);
    BIO_free(writeBio);
    return makeError(ErrorCode::Internal, takeOpenSslErrors("BIO_new"));
  }
  // An empty read BIO means "no more datagrams yet", not end of file.
  BIO_set_mem_eof_return(readBio, -1);
  BIO_set_data(writeBio, &outgoing_);
  SSL_set_bio(ssl_.get(), readBio, writeBio);  // the SSL owns both from here
  readBio_ = readBio;

  SSL_set_app_data(ssl_.get(), this);
  if (role_ == DtlsRole::Server) {
    SSL_set_accept_state(ssl_.get());
  } else {
    SSL_set_connect_state(ssl_.get());
  }
  // RFC 6347 section 4.1.1.1: we cannot discover the path MTU over a memory BIO, so it is
  // fixed (SSL_OP_NO_QUERY_MTU is set on the context) and handshake messages are fragmented
  // to fit it.
  // SSL_set_mtu answers the MTU it set, or 0 if it is below DTLS's minimum (256 - overhead).
  if (options_.mtu > LONG_MAX || SSL_set_mtu(ssl_.get(), static_cast<long>(options_.mtu)) <= 0) {
    return makeError(ErrorCode::InvalidRequest, takeOpenSslErrors("SSL_set_mtu"));
  }
  DTLS_set_timer_cb(ssl_.get(), &DtlsTransport::timerCallback);
  SSL_set_verify(ssl_.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                 &DtlsTransport::verifyCallback);
  return {};
}

// RFC 6347 section 4.2.4.1: the timer doubles on each retransmission up to a ceiling.
unsigned int DtlsTransport::timerCallback(SSL* ssl, unsigned int previousUs) {
  const auto* self = static_cast<const DtlsTransport*>(SSL_get_app_data(ssl));
  const auto initial = static_cast<uint64_t>(
      std::chrono::microseconds(self->options_.initialRetransmitTimeout).count());
  const auto ceiling = static_cast<uint64_t>(
      std::chrono::microseconds(self->options_.maxRetransmitTimeout).count());
  const uint64_t next = previousUs == 0 ? initial : std::min<uint64_t>(2ULL * previousUs, ceiling);
  return static_cast<unsigned int>(std::min<uint64_t>(next, UINT_MAX));
}

// Called while the peer's Certificate message is processed. If the signalled fingerprint is
// already known a mismatch aborts the handshake here, so OpenSSL sends the peer a fatal
// bad_certificate alert; otherwise the check waits for setRemoteFingerprint().
int DtlsTransport::verifyCallback(int /*preverifyOk*/, X509_STORE_CTX* store) {
  auto* ssl = static_cast<SSL*>(
      X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* self = ssl == nullptr ? nullptr : static_cast<DtlsTransport*>(SSL_get_app_data(ssl));
  if (self == nullptr) return 0;
  // Self-signed: the chain is the leaf alone, and only the leaf's fingerprint was signalled.
  if (X509_STORE_CTX_get_error_depth(store) != 0 || self->remoteFingerprint_.empty()) return 1;
  if (self->fingerprintMatches(X509_STORE_CTX_get_current_cert(store))) return 1;
  self->verifyFailure_ = "remote certificate does not match the signalled fingerprint";
  X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
  return 0;
}

bool DtlsTransport::fingerprintMatches(X509* peerCertificate) const {
  if (peerCertificate == nullptr) return false;
  Result<std::string> actual = DtlsCertificate::fingerprint(peerCertificate, remoteAlgorithm_);
  return actual.ok() && actual.value() == remoteFingerprint_;
}

Result<void> DtlsTransport::setRemoteFingerprint(std::string_view algorithm,
                                                 std::string_view value) {
  if (!remoteFingerprint_.empty()) {
    return makeError(ErrorCode::Conflict, "remote fingerprint already set");
  }
  // Our own certificate's fingerprint under the same hash validates the name and the length.
  Result<std::string> ours = DtlsCertificate::fingerprint(certificate_->x509(), algorithm);
  if (!ours) return std::move(ours).takeError();
  if (value.size() != ours.value().size()) {
    return makeError(ErrorCode::ValidationFailed, "fingerprint has the wrong length", "value");
  }
  remoteAlgorithm_ = std::string(algorithm);
  remoteFingerprint_ = upperCase(value);
  completeIfVerified();
  return {};
}

void DtlsTransport::start(Clock::time_point now) {
  if (state_ != DtlsState::New) return;
  state_ = DtlsState::Connecting;
  handshakeDeadline_ = now + options_.handshakeTimeout;
  if (role_ == DtlsRole::Client) advanceHandshake();  // ClientHello (RFC 6347 section 4.2.1)
}

void DtlsTransport::handleIncoming(std::span<const uint8_t> datagram) {
  if ((state_ != DtlsState::Connecting && state_ != DtlsState::Connected) || datagram.empty() ||
      datagram.size() > INT_MAX) {
    ++droppedDatagrams_;
    return;
  }
  if (BIO_write(readBio_, datagram.data(), static_cast<int>(datagram.size())) <= 0) {
    ++droppedDatagrams_;
    return;
  }
  if (!handshakeDone_) advanceHandshake();
  if (handshakeDone_ && (state_ == DtlsState::Connecting || state_ == DtlsState::Connected)) {
    readRecords();
  }
  // One datagram per call: whatever OpenSSL did not consume (it discards bad records) must
  // not be mistaken for the start of the next datagram.
  (void)BIO_reset(readBio_);
}

void DtlsTransport::advanceHandshake() {
  ERR_clear_error();
  const int result = SSL_do_handshake(ssl_.get());
  if (result == 1) {
    flushOutgoing();
    if (state_ == DtlsState::Connecting) onHandshakeDone();
    return;
  }
  handleSslResult(result, "DTLS handshake failed");
}

void DtlsTransport::readRecords() {
  // DTLS application data would carry SCTP (data channels); until that exists it is drained
  // and dropped. Reading is also what surfaces close_notify and fatal alerts.
  uint8_t buffer[4096];
  while (state_ == DtlsState::Connecting || state_ == DtlsState::Connected) {
    ERR_clear_error();
    const int result = SSL_read(ssl_.get(), buffer, sizeof(buffer));
    if (result <= 0) {
      handleSslResult(result, "DTLS read failed");
      return;
    }
    ++applicationRecords_;
  }
}

void DtlsTransport::handleSslResult(int result, const char* what) {
  // SSL_get_error and the error queue must be read before any callback runs more OpenSSL code.
  const int error = SSL_get_error(ssl_.get(), result);
  std::string reason;
  if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE &&
      error != SSL_ERROR_ZERO_RETURN) {
    reason = verifyFailure_.empty() ? takeOpenSslErrors(what) : verifyFailure_;
  }
  ERR_clear_error();
  flushOutgoing();  // alerts OpenSSL wrote go out before we report
  if (state_ != DtlsState::Connecting && state_ != DtlsState::Connected) return;

  switch (error) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      return;
    case SSL_ERROR_ZERO_RETURN:
      // The peer's close_notify. RFC 5246 section 7.2.1: answer with our own.
      state_ = DtlsState::Closed;
      handshakeDeadline_.reset();
      (void)SSL_shutdown(ssl_.get());
      ERR_clear_error();
      flushOutgoing();
      listener_.onDtlsClosed();
      return;
    default:
      fail(std::move(reason));
      return;
  }
}

void DtlsTransport::onHandshakeDone() {
  handshakeDone_ = true;
  Result<ExportedSrtpKeys> keys = exportSrtpKeys(ssl_.get(), role_);
  if (!keys) {
    fail(keys.error().message);
    return;
  }
  profile_ = keys->profile;
  localKeys_ = std::move(keys->local);
  remoteKeys_ = std::move(keys->remote);
  completeIfVerified();
}

// RFC 5763 section 5 / RFC 8842 section 5: the association is authenticated only when the
// certificate the peer presented hashes to the fingerprint its signalling carried.
void DtlsTransport::completeIfVerified() {
  if (!handshakeDone_ || state_ != DtlsState::Connecting || remoteFingerprint_.empty()) return;
  X509* peer = SSL_get0_peer_certificate(ssl_.get());
  if (!fingerprintMatches(peer)) {
    (void)SSL_shutdown(ssl_.get());  // tell the peer, then give up
    ERR_clear_error();
    flushOutgoing();
    fail(peer == nullptr ? "peer presented no certificate"
                         : "remote certificate does not match the signalled fingerprint");
    return;
  }
  state_ = DtlsState::Connected;
  handshakeDeadline_.reset();
  listener_.onDtlsConnected(profile_, localKeys_, remoteKeys_);
}

std::optional<DtlsTransport::Clock::time_point> DtlsTransport::nextTimeout(
    Clock::time_point now) const {
  if (state_ != DtlsState::Connecting) return std::nullopt;
  std::optional<Clock::time_point> next = handshakeDeadline_;
  timeval remaining{};
  // OpenSSL keeps the retransmission timer itself (on its own clock); ask how long is left.
  if (!handshakeDone_ && DTLSv1_get_timeout(ssl_.get(), &remaining) == 1) {
    const Clock::time_point retransmit =
        now + std::chrono::seconds(remaining.tv_sec) + std::chrono::microseconds(remaining.tv_usec);
    next = next ? std::min(*next, retransmit) : retransmit;
  }
  return next;
}

void DtlsTransport::onTimer(Clock::time_point now) {
  if (state_ != DtlsState::Connecting) return;
  if (handshakeDeadline_ && now >= *handshakeDeadline_) {
    fail("DTLS handshake timed out");
    return;
  }
  if (handshakeDone_) return;  // only waiting for the fingerprint
  ERR_clear_error();
  // Retransmits the last flight only if OpenSSL's timer has really expired.
  const int result = DTLSv1_handle_timeout(ssl_.get());
  std::string reason;
  if (result < 0) reason = takeOpenSslErrors("DTLS retransmission limit reached");
  ERR_clear_error();
  flushOutgoing();
  if (result < 0) fail(std::move(reason));
}

void DtlsTransport::close() {
  if (state_ == DtlsState::Failed || state_ == DtlsState::Closed) return;
  const bool sendCloseNotify = handshakeDone_;
  state_ = DtlsState::Closed;
  handshakeDeadline_.reset();
  if (sendCloseNotify) {
    (void)SSL_shutdown(ssl_.get());  // close_notify (RFC 5246 section 7.2.1)
    ERR_clear_error();
  }
  flushOutgoing();
}

void DtlsTransport::fail(std::string reason) {
  if (state_ == DtlsState::Failed || state_ == DtlsState::Closed) return;
  state_ = DtlsState::Failed;
  handshakeDeadline_.reset();
  listener_.onDtlsFailed(reason);
}

void DtlsTransport::flushOutgoing() {
  if (flushing_) return;  // a callback re-entered: the outer loop sends what it queued
  flushing_ = true;
  while (!outgoing_.empty()) {
    Datagrams batch;
    batch.swap(outgoing_);
    for (const std::vector<uint8_t>& datagram : batch) listener_.onDtlsSend(datagram);
  }
  flushing_ = false;
}

}  // namespace fluxmeet::media::dtls
