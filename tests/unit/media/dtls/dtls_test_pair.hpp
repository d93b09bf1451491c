#pragma once
// Test helper: a DTLS client and server wired back to back in memory. Each side's onDtlsSend
// lands in a queue that pump() delivers to the other side, so tests can drop, reorder or
// inspect datagrams.
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fluxmeet/media/dtls/dtls_certificate.hpp"
#include "fluxmeet/media/dtls/dtls_transport.hpp"

namespace fluxmeet::media::dtls::dtls_test {

struct RecordingListener : DtlsTransport::Listener {
  void onDtlsSend(std::span<const uint8_t> datagram) override {
    outbox.emplace_back(datagram.begin(), datagram.end());
    ++datagramsSent;
    largestDatagram = std::max(largestDatagram, datagram.size());
  }
  void onDtlsConnected(srtp::SrtpProfile negotiated, const srtp::SrtpKeys& localKeys,
                       const srtp::SrtpKeys& remoteKeys) override {
    ++connectedCalls;
    profile = negotiated;
    local = localKeys;
    remote = remoteKeys;
  }
  void onDtlsFailed(std::string_view reason) override { failure = std::string(reason); }
  void onDtlsClosed() override { ++closedCalls; }

  std::deque<std::vector<uint8_t>> outbox;
  size_t datagramsSent = 0;
  size_t largestDatagram = 0;
  int connectedCalls = 0;
  std::optional<srtp::SrtpProfile> profile;
  srtp::SrtpKeys local;
  srtp::SrtpKeys remote;
  std::optional<std::string> failure;
  int closedCalls = 0;
};

// Certificates are generated once for the whole test binary, as a server does per process.
inline std::shared_ptr<DtlsCertificate> serverCertificate() {
  static std::shared_ptr<DtlsCertificate> certificate = DtlsCertificate::generate().value();
  return certificate;
}
inline std::shared_ptr<DtlsCertificate> clientCertificate() {
  static std::shared_ptr<DtlsCertificate> certificate = DtlsCertificate::generate().value();
  return certificate;
}

class DtlsPair {
 public:
  using Clock = DtlsTransport::Clock;
  // Decides per datagram whether pump() delivers it (true) or drops it (false).
  using Filter = std::function<bool(bool fromClient, const std::vector<uint8_t>& datagram)>;

  explicit DtlsPair(DtlsTransport::Options options = {}) {
    auto server = DtlsTransport::create(serverCertificate(), DtlsRole::Server, serverListener,
                                        options);
    auto client = DtlsTransport::create(clientCertificate(), DtlsRole::Client, clientListener,
                                        options);
    if (!server.ok()) ADD_FAILURE() << server.error().message;
    if (!client.ok()) ADD_FAILURE() << client.error().message;
    this->server = std::move(server.value());
    this->client = std::move(client.value());
  }

  void exchangeFingerprints() {
    ASSERT_TRUE(server->setRemoteFingerprint("sha-256", clientCertificate()->fingerprintSha256()));
    ASSERT_TRUE(client->setRemoteFingerprint("sha-256", serverCertificate()->fingerprintSha256()));
  }

  void start(Clock::time_point now = Clock::now()) {
    server->start(now);
    client->start(now);
  }

  // Delivers queued datagrams both ways until both queues are empty (bounded).
  void pump(const Filter& filter = nullptr) {
    for (int round = 0; round < 1000; ++round) {
      if (clientListener.outbox.empty() && serverListener.outbox.empty()) return;
      deliverOne(clientListener, *server, true, filter);
      deliverOne(serverListener, *client, false, filter);
    }
    ADD_FAILURE() << "pump did not settle";
  }

  bool bothConnected() const {
    return server->state() == DtlsState::Connected && client->state() == DtlsState::Connected;
  }

  RecordingListener serverListener;
  RecordingListener clientListener;
  std::unique_ptr<DtlsTransport> server;
  std::unique_ptr<DtlsTransport> client;

 private:
  static void deliverOne(RecordingListener& from, DtlsTransport& to, bool fromClient,
                         const Filter& filter) {
    if (from.outbox.empty()) return;
    std::vector<uint8_t> datagram = std::move(from.outbox.front());
    from.outbox.pop_front();
    if (!filter || filter(fromClient, datagram)) to.handleIncoming(datagram);
  }
};

}  // namespace fluxmeet::media::dtls::dtls_test
