#pragma once
// MediaClient: our own minimal WebRTC endpoint, for tests and benchmarks ONLY - the server never
// uses it. It stands in for a browser running mediasoup-client, so the SFU can be exercised over
// real sockets without one: a UDP socket on a local address, an ICE controlling full agent for
// the SFU's single host candidate (IceControllingAgent), DTLS in the client role checking the
// server's certificate fingerprint (RFC 5763 section 5), and SRTP/SRTCP in each direction with
// the keys DTLS-SRTP exports (RFC 5764 section 4.2). One client is one WebRtcTransport's peer,
// bundled (RFC 8843): any number of SSRCs, RTP and RTCP on the one 5-tuple (RFC 5761).
// Given a TCP candidate (protocol Tcp) it connects over ICE-TCP instead, as the active side
// (RFC 6544; ClientTcpConnection frames every packet, RFC 4571), and the UDP socket stays idle.
//
//   create() -> connect(server's ICE/DTLS parameters) -> poll() until connected()
//   -> sendRtp()/sendRtcp() plain packets (protected here); received RTP/RTCP arrive decrypted
//      in the handlers; restartIce() swaps the remote ICE credentials mid-call.
//
// Poll-driven, no threads of its own: poll() waits on the socket for up to a timeout, reads
// everything waiting, and runs the ICE check and DTLS retransmission timers. The SFU worker runs
// on its own thread, so a test simply polls its clients in turn.
//
// Not hardened like the server: it trusts the one peer it talks to (but still authenticates ICE
// responses and the DTLS certificate). Never throws; the packet path allocates nothing.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/client/client_tcp_connection.hpp"
#include "fluxmeet/media/client/client_udp_socket.hpp"
#include "fluxmeet/media/client/ice_controlling_agent.hpp"
#include "fluxmeet/media/dtls/dtls_certificate.hpp"
#include "fluxmeet/media/dtls/dtls_transport.hpp"
#include "fluxmeet/media/ice/ice_credentials.hpp"
#include "fluxmeet/media/ice/transport_address.hpp"
#include "fluxmeet/media/rtcp/compound.hpp"
#include "fluxmeet/media/rtcp/report_block.hpp"
#include "fluxmeet/media/rtp/rtp_packet.hpp"
#include "fluxmeet/media/srtp/srtp_session.hpp"

namespace fluxmeet::media::client {

struct MediaClientOptions {
  std::string localIp = "127.0.0.1";
  // Our DTLS identity; many clients may share one (the server only checks the fingerprint).
  std::shared_ptr<const dtls::DtlsCertificate> certificate;
  IceControllingAgent::Options ice;
  dtls::DtlsTransport::Options dtls;
};

// What signaling tells a browser about the server's transport (mediasoup's
// createWebRtcTransport answer): its candidate, ICE credentials and DTLS fingerprint.
struct RemoteTransportParameters {
  ice::TransportAddress candidate;  // protocol Tcp: connect over ICE-TCP
  ice::IceCredentials ice;
  std::string fingerprintAlgorithm = "sha-256";
  std::string fingerprint;  // "AB:CD:..." of the server's certificate
};

enum class MediaClientState { New, Connecting, Connected, Failed };

std::string_view mediaClientStateName(MediaClientState state);

struct MediaClientStats {
  uint64_t rtpSent = 0;
  uint64_t rtcpSent = 0;
  uint64_t rtpReceived = 0;
  uint64_t rtcpReceived = 0;
  uint64_t bytesReceived = 0;
  uint64_t rtpDropped = 0;    // by the drop filter (simulated loss)
  uint64_t srtpFailures = 0;  // unprotect/protect failed
  uint64_t malformed = 0;
  uint64_t notReady = 0;  // media before SRTP keys, or sends before connected
  uint64_t unknown = 0;   // not STUN/DTLS/RTP/RTCP, or from another address
};

class MediaClient final : private dtls::DtlsTransport::Listener {
 public:
  using Clock = std::chrono::steady_clock;
  // Decrypted RTP; arrivalNs is the kernel's CLOCK_REALTIME arrival stamp (ns). The buffer is the
  // client's and valid only during the call.
  using RtpHandler = std::function<void(rtp::RtpPacketView& packet, int64_t arrivalNs)>;
  using RtcpHandler = std::function<void(const rtcp::RtcpCompound& compound)>;
  // Simulated network loss, decided on the clear SRTP header before decryption (as a lost
  // datagram never reaches the receiver's replay list): return true to drop the packet.
  using RtpDropFilter = std::function<bool(uint32_t ssrc, uint16_t sequenceNumber)>;

  static Result<std::unique_ptr<MediaClient>> create(MediaClientOptions options);
  ~MediaClient() override;
  MediaClient(const MediaClient&) = delete;
  MediaClient& operator=(const MediaClient&) = delete;

  // For the server's connectTransport(): our role is "client" (we send the ClientHello).
  const std::string& fingerprintSha256() const { return options_.certificate->fingerprintSha256(); }
  const ice::IceCredentials& localIceCredentials() const { return ice_.localCredentials(); }
  const ice::TransportAddress& localAddress() const { return tcp_ ? tcp_->localAddress() : socket_->localAddress(); }
  // What to poll: the ICE-TCP connection once connect() made one (-1 once it ended, so a poll
  // loop sleeps instead of spinning on its end of file), else the UDP socket.
  int fd() const {
    if (tcp_) return tcp_->closed() ? -1 : tcp_->fd();
    return socket_->fd();
  }

  // Starts ICE checks towards the server; DTLS begins once a check succeeds. Fails on a second
  // call or an unusable fingerprint.
  Result<void> connect(const RemoteTransportParameters& remote);
  // ICE restart with the server's new credentials (after Router::restartIce): checks again on
  // the same socket; DTLS and SRTP are kept and media keeps flowing.
  void restartIce(ice::IceCredentials remote);

  // Waits up to `timeout` for datagrams, handles every one waiting, runs timers. Returns the
  // number of datagrams handled. poll(0ms) never blocks.
  size_t poll(std::chrono::milliseconds timeout);

  MediaClientState state() const { return state_; }
  bool connected() const { return state_ == MediaClientState::Connected; }
  const std::string& failure() const { return failure_; }
  const IceControllingAgent& ice() const { return ice_; }
  dtls::DtlsState dtlsState() const { return dtls_ ? dtls_->state() : dtls::DtlsState::New; }
  std::optional<srtp::SrtpProfile> srtpProfile() const;
  const MediaClientStats& stats() const { return stats_; }
  const ClientUdpSocketStats& socketStats() const { return tcp_ ? tcp_->stats() : socket_->stats(); }

  void setRtpHandler(RtpHandler handler) { rtpHandler_ = std::move(handler); }
  void setRtcpHandler(RtcpHandler handler) { rtcpHandler_ = std::move(handler); }
  void setRtpDropFilter(RtpDropFilter filter) { dropFilter_ = std::move(filter); }

  // Protect and send one plain RTP packet / RTCP compound. False (and counted) before
  // connected() or when protection fails.
  bool sendRtp(std::span<const uint8_t> packet);
  bool sendRtcp(std::span<const uint8_t> compound);
  // RTCP feedback (RFC 4585 section 6.2.1 generic NACK, 6.3.1 PLI) and a receiver report
  // (RFC 3550 section 6.4.2) about the server's streams.
  bool sendNack(uint32_t senderSsrc, uint32_t mediaSsrc, std::span<const uint16_t> lost);
  bool sendPli(uint32_t senderSsrc, uint32_t mediaSsrc);
  bool sendReceiverReport(uint32_t senderSsrc, std::span<const rtcp::ReportBlock> blocks);

 private:
  MediaClient(MediaClientOptions options, std::unique_ptr<ClientUdpSocket> socket, ice::IceCredentials local,
              uint64_t tieBreaker);

  void handleDatagram(std::span<uint8_t> datagram, const ice::TransportAddress& from, int64_t arrivalNs);
  void handleStun(std::span<const uint8_t> datagram);
  void handleRtp(std::span<uint8_t> datagram, int64_t arrivalNs);
  void handleRtcp(std::span<uint8_t> datagram);
  void runTimers(Clock::time_point now);
  std::optional<Clock::time_point> nextDeadline(Clock::time_point now) const;
  void fail(std::string_view reason);
  // To the server over whichever of UDP or ICE-TCP connect() chose.
  bool sendToServer(std::span<const uint8_t> packet);
  size_t receiveWaiting();

  // dtls::DtlsTransport::Listener
  void onDtlsSend(std::span<const uint8_t> datagram) override;
  void onDtlsConnected(srtp::SrtpProfile profile, const srtp::SrtpKeys& local, const srtp::SrtpKeys& remote) override;
  void onDtlsFailed(std::string_view reason) override;
  void onDtlsClosed() override;

  MediaClientOptions options_;
  std::unique_ptr<ClientUdpSocket> socket_;
  std::unique_ptr<ClientTcpConnection> tcp_;  // set by connect() to a TCP candidate
  IceControllingAgent ice_;
  std::unique_ptr<dtls::DtlsTransport> dtls_;
  std::unique_ptr<srtp::SrtpSession> srtpIn_;
  std::unique_ptr<srtp::SrtpSession> srtpOut_;
  std::optional<srtp::SrtpProfile> profile_;
  ice::TransportAddress remote_;
  MediaClientState state_ = MediaClientState::New;
  std::string failure_;
  MediaClientStats stats_;
  RtpHandler rtpHandler_;
  RtcpHandler rtcpHandler_;
  RtpDropFilter dropFilter_;
  std::array<uint8_t, ClientUdpSocket::kMaxDatagram> sendBuffer_{};
};

}  // namespace fluxmeet::media::client
