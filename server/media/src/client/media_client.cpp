#include "fluxmeet/media/client/media_client.hpp"

#include <poll.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <utility>

#include "fluxmeet/media/net/byte_io.hpp"
#include "fluxmeet/media/net/packet_classifier.hpp"
#include "fluxmeet/media/rtcp/feedback.hpp"
#include "fluxmeet/media/rtcp/receiver_report.hpp"
#include "fluxmeet/media/stun/stun_message.hpp"

namespace fluxmeet::media::client {
namespace {

// Reads per poll() are bounded so timers still run under a flood.
constexpr size_t kMaxBatchesPerPoll = 64;
// Loopback or LAN: a TCP connect that takes longer has failed.
constexpr std::chrono::milliseconds kTcpConnectTimeout{3000};

}  // namespace

std::string_view mediaClientStateName(MediaClientState state) {
  switch (state) {
    case MediaClientState::New:
      return "new";
    case MediaClientState::Connecting:
      return "connecting";
    case MediaClientState::Connected:
      return "connected";
    case MediaClientState::Failed:
      return "failed";
  }
  return "failed";
}

Result<std::unique_ptr<MediaClient>> MediaClient::create(MediaClientOptions options) {
  if (!options.certificate) return makeError(ErrorCode::InvalidRequest, "MediaClient needs a DTLS certificate");
  auto socket = ClientUdpSocket::open(options.localIp);
  if (!socket) return socket.error();
  auto credentials = ice::IceCredentials::generate();
  if (!credentials) return credentials.error();
  std::random_device random;
  const uint64_t tieBreaker = (static_cast<uint64_t>(random()) << 32) | random();
  return std::unique_ptr<MediaClient>(
      new MediaClient(std::move(options), std::move(*socket), std::move(*credentials), tieBreaker));
}

MediaClient::MediaClient(MediaClientOptions options, std::unique_ptr<ClientUdpSocket> socket, ice::IceCredentials local,
                         uint64_t tieBreaker)
    : options_(std::move(options)), socket_(std::move(socket)), ice_(std::move(local), tieBreaker, options_.ice) {}

MediaClient::~MediaClient() {
  // close_notify, so the server's transport learns we left (RFC 5246 section 7.2.1).
  if (dtls_) dtls_->close();
}

std::optional<srtp::SrtpProfile> MediaClient::srtpProfile() const { return profile_; }

Result<void> MediaClient::connect(const RemoteTransportParameters& remote) {
  if (state_ != MediaClientState::New) return makeError(ErrorCode::Conflict, "client already connected");
  auto dtls = dtls::DtlsTransport::create(options_.certificate, dtls::DtlsRole::Client, *this, options_.dtls);
  if (!dtls) return dtls.error();
  if (auto set = (*dtls)->setRemoteFingerprint(remote.fingerprintAlgorithm, remote.fingerprint); !set) return set;
  if (remote.candidate.protocol == ice::TransportProtocol::Tcp) {
    auto tcp = ClientTcpConnection::connect(options_.localIp, remote.candidate, kTcpConnectTimeout);
    if (!tcp) return tcp.error();
    tcp_ = std::move(*tcp);
  }
  dtls_ = std::move(*dtls);
  remote_ = remote.candidate;
  state_ = MediaClientState::Connecting;
  const auto now = Clock::now();
  ice_.start(remote.ice, now);
  runTimers(now);
  return {};
}

void MediaClient::restartIce(ice::IceCredentials remote) {
  if (state_ == MediaClientState::New || state_ == MediaClientState::Failed) return;
  const auto now = Clock::now();
  ice_.restart(std::move(remote), now);
  runTimers(now);
}

std::optional<MediaClient::Clock::time_point> MediaClient::nextDeadline(Clock::time_point now) const {
  std::optional<Clock::time_point> next = ice_.nextCheckAt();
  if (dtls_) {
    if (const auto due = dtls_->nextTimeout(now)) next = next ? std::min(*next, *due) : *due;
  }
  return next;
}

size_t MediaClient::poll(std::chrono::milliseconds timeout) {
  auto now = Clock::now();
  auto wait = timeout;
  if (const auto deadline = nextDeadline(now)) {
    const auto untilDeadline = std::chrono::ceil<std::chrono::milliseconds>(*deadline - now);
    wait = std::clamp(untilDeadline, std::chrono::milliseconds(0), wait);
  }
  const short events = tcp_ && tcp_->hasPendingWrites() ? POLLIN | POLLOUT : POLLIN;
  pollfd descriptor{.fd = fd(), .events = events, .revents = 0};
  size_t handled = 0;
  if (::poll(&descriptor, 1, static_cast<int>(wait.count())) > 0) handled = receiveWaiting();
  runTimers(Clock::now());
  return handled;
}

size_t MediaClient::receiveWaiting() {
  const auto handle = [this](std::span<uint8_t> datagram, const ice::TransportAddress& from, int64_t arrivalNs) {
    handleDatagram(datagram, from, arrivalNs);
  };
  if (tcp_) {
    tcp_->flush();
    const size_t count = tcp_->receiveBatch(handle);
    if (tcp_->closed()) fail("the ICE-TCP connection closed");
    return count;
  }
  size_t handled = 0;
  for (size_t batch = 0; batch < kMaxBatchesPerPoll; ++batch) {
    const size_t count = socket_->receiveBatch(handle);
    handled += count;
    if (count < ClientUdpSocket::kBatch) break;
  }
  return handled;
}

bool MediaClient::sendToServer(std::span<const uint8_t> packet) {
  return tcp_ ? tcp_->send(packet) : socket_->send(packet, remote_);
}

void MediaClient::runTimers(Clock::time_point now) {
  if (state_ == MediaClientState::New || state_ == MediaClientState::Failed) return;
  std::array<uint8_t, 256> check{};
  if (const auto size = ice_.nextCheck(check, now)) sendToServer(std::span(check.data(), *size));
  if (ice_.state() == IceAgentState::Failed && !ice_.everConnected()) {
    fail("ICE checks got no authenticated answer");
    return;
  }
  if (dtls_) {
    if (const auto due = dtls_->nextTimeout(now); due && *due <= now) dtls_->onTimer(now);
  }
}

// RFC 7983 section 7 demultiplexing, the same table the server uses (net::classifyPacket).
void MediaClient::handleDatagram(std::span<uint8_t> datagram, const ice::TransportAddress& from, int64_t arrivalNs) {
  if (from != remote_) {
    ++stats_.unknown;
    return;
  }
  switch (net::classifyPacket(datagram)) {
    case net::PacketKind::Stun:
      handleStun(datagram);
      return;
    case net::PacketKind::Dtls:
      if (dtls_) dtls_->handleIncoming(datagram);
      return;
    case net::PacketKind::Rtp:
      handleRtp(datagram, arrivalNs);
      return;
    case net::PacketKind::Rtcp:
      handleRtcp(datagram);
      return;
    case net::PacketKind::Unknown:
      ++stats_.unknown;
      return;
  }
}

void MediaClient::handleStun(std::span<const uint8_t> datagram) {
  const auto message = stun::StunMessage::parse(datagram);
  if (!message) {
    ++stats_.unknown;
    return;
  }
  const auto now = Clock::now();
  const bool succeeded = ice_.handleResponse(*message, now);
  // RFC 8842 section 5 / RFC 5763 section 5: the DTLS client starts once ICE works.
  if (succeeded && dtls_ && dtls_->state() == dtls::DtlsState::New) dtls_->start(now);
}

void MediaClient::handleRtp(std::span<uint8_t> datagram, int64_t arrivalNs) {
  if (!srtpIn_) {
    ++stats_.notReady;
    return;
  }
  // The RTP header is not encrypted (RFC 3711 section 3.1): SSRC and sequence are readable.
  if (dropFilter_ && dropFilter_(net::loadU32(&datagram[8]), net::loadU16(&datagram[2]))) {
    ++stats_.rtpDropped;
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
  if (rtpHandler_) rtpHandler_(*packet, arrivalNs);
}

void MediaClient::handleRtcp(std::span<uint8_t> datagram) {
  if (!srtpIn_) {
    ++stats_.notReady;
    return;
  }
  size_t length = datagram.size();
  if (srtpIn_->unprotectRtcp(datagram, length) != srtp::SrtpStatus::Ok) {
    ++stats_.srtpFailures;
    return;
  }
  const auto compound = rtcp::RtcpCompound::parse(datagram.first(length));
  if (!compound) {
    ++stats_.malformed;
    return;
  }
  ++stats_.rtcpReceived;
  stats_.bytesReceived += length;
  if (rtcpHandler_) rtcpHandler_(*compound);
}

bool MediaClient::sendRtp(std::span<const uint8_t> packet) {
  if (!srtpOut_ || state_ != MediaClientState::Connected) {
    ++stats_.notReady;
    return false;
  }
  if (packet.size() + srtp::SrtpSession::kRtpTrailerRoom > sendBuffer_.size()) {
    ++stats_.srtpFailures;
    return false;
  }
  std::memcpy(sendBuffer_.data(), packet.data(), packet.size());
  size_t length = packet.size();
  if (srtpOut_->protectRtp(sendBuffer_, length) != srtp::SrtpStatus::Ok) {
    ++stats_.srtpFailures;
    return false;
  }
  ++stats_.rtpSent;
  return sendToServer(std::span(sendBuffer_.data(), length));
}

bool MediaClient::sendRtcp(std::span<const uint8_t> compound) {
  if (!srtpOut_ || state_ != MediaClientState::Connected) {
    ++stats_.notReady;
    return false;
  }
  if (compound.size() + srtp::SrtpSession::kRtcpTrailerRoom > sendBuffer_.size()) {
    ++stats_.srtpFailures;
    return false;
  }
  std::memcpy(sendBuffer_.data(), compound.data(), compound.size());
  size_t length = compound.size();
  if (srtpOut_->protectRtcp(sendBuffer_, length) != srtp::SrtpStatus::Ok) {
    ++stats_.srtpFailures;
    return false;
  }
  ++stats_.rtcpSent;
  return sendToServer(std::span(sendBuffer_.data(), length));
}

bool MediaClient::sendNack(uint32_t senderSsrc, uint32_t mediaSsrc, std::span<const uint16_t> lost) {
  std::array<uint8_t, 512> packet{};
  const auto size = rtcp::writeNack(packet, senderSsrc, mediaSsrc, lost);
  return size && sendRtcp(std::span(packet.data(), *size));
}

bool MediaClient::sendPli(uint32_t senderSsrc, uint32_t mediaSsrc) {
  std::array<uint8_t, 64> packet{};
  const auto size = rtcp::writePli(packet, senderSsrc, mediaSsrc);
  return size && sendRtcp(std::span(packet.data(), *size));
}

bool MediaClient::sendReceiverReport(uint32_t senderSsrc, std::span<const rtcp::ReportBlock> blocks) {
  std::array<uint8_t, 8 + rtcp::kMaxReportBlocks * rtcp::kReportBlockSize> packet{};
  const auto size = rtcp::writeReceiverReport(packet, senderSsrc, blocks);
  return size && sendRtcp(std::span(packet.data(), *size));
}

void MediaClient::fail(std::string_view reason) {
  if (state_ == MediaClientState::Failed) return;
  state_ = MediaClientState::Failed;
  failure_ = std::string(reason);
}

void MediaClient::onDtlsSend(std::span<const uint8_t> datagram) { sendToServer(datagram); }

void MediaClient::onDtlsConnected(srtp::SrtpProfile profile, const srtp::SrtpKeys& local,
                                  const srtp::SrtpKeys& remote) {
  auto outbound = srtp::SrtpSession::create(srtp::SrtpDirection::Outbound, profile, local);
  auto inbound = srtp::SrtpSession::create(srtp::SrtpDirection::Inbound, profile, remote);
  if (!outbound || !inbound) {
    fail("SRTP session setup failed");
    return;
  }
  srtpOut_ = std::move(*outbound);
  srtpIn_ = std::move(*inbound);
  profile_ = profile;
  state_ = MediaClientState::Connected;
}

void MediaClient::onDtlsFailed(std::string_view reason) { fail(reason); }

void MediaClient::onDtlsClosed() { fail("DTLS closed by the server"); }

}  // namespace fluxmeet::media::client
