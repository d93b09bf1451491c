#include "fluxmeet/media/dtls/dtls_transport.hpp"

#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "dtls_test_pair.hpp"

namespace fluxmeet::media::dtls {
namespace {

using dtls_test::DtlsPair;
using Clock = DtlsTransport::Clock;
using std::chrono::milliseconds;

TEST(DtlsTransportTest, HandshakeConnectsBothSidesWithGcmAndMirroredKeys) {
  DtlsPair pair;
  pair.exchangeFingerprints();
  pair.start();
  pair.pump();

  ASSERT_TRUE(pair.bothConnected())
      << pair.serverListener.failure.value_or("") << pair.clientListener.failure.value_or("");
  EXPECT_EQ(pair.serverListener.connectedCalls, 1);
  EXPECT_EQ(pair.clientListener.connectedCalls, 1);
  EXPECT_EQ(pair.serverListener.profile, srtp::SrtpProfile::AeadAes128Gcm);
  EXPECT_EQ(pair.clientListener.profile, srtp::SrtpProfile::AeadAes128Gcm);
  // RFC 5764 section 4.2: what the client writes with is what the server reads with.
  EXPECT_EQ(pair.clientListener.local, pair.serverListener.remote);
  EXPECT_EQ(pair.clientListener.remote, pair.serverListener.local);
  EXPECT_NE(pair.clientListener.local, pair.clientListener.remote);
  EXPECT_EQ(pair.clientListener.local.key.size(), 16u);
  EXPECT_EQ(pair.clientListener.local.salt.size(), 12u);  // RFC 7714 section 12
  EXPECT_FALSE(pair.server->nextTimeout(Clock::now()).has_value());
  EXPECT_FALSE(pair.client->nextTimeout(Clock::now()).has_value());
}

TEST(DtlsTransportTest, EveryDatagramFitsTheMtu) {
  DtlsPair pair;
  pair.exchangeFingerprints();
  pair.start();
  pair.pump();
  ASSERT_TRUE(pair.bothConnected());
  EXPECT_LE(pair.serverListener.largestDatagram, 1200u);
  EXPECT_LE(pair.clientListener.largestDatagram, 1200u);
}

TEST(DtlsTransportTest, SmallMtuFragmentsHandshakeMessagesAndStillConnects) {
  // RFC 6347 section 4.2.3: the Certificate message (~400 bytes) must be fragmented to 300.
  DtlsTransport::Options options;
  options.mtu = 300;
  DtlsPair pair(options);
  pair.exchangeFingerprints();
  pair.start();
  pair.pump();
  ASSERT_TRUE(pair.bothConnected()) << pair.serverListener.failure.value_or("");
  EXPECT_LE(pair.serverListener.largestDatagram, 300u);
  EXPECT_LE(pair.clientListener.largestDatagram, 300u);
}

TEST(DtlsTransportTest, FingerprintMismatchFailsTheHandshake) {
  DtlsPair pair;
  std::string wrong = dtls_test::clientCertificate()->fingerprintSha256();
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  ASSERT_TRUE(pair.server->setRemoteFingerprint("sha-256", wrong));
  ASSERT_TRUE(pair.client->setRemoteFingerprint(
      "sha-256", dtls_test::serverCertificate()->fingerprintSha256()));
  pair.start();
  pair.pump();

  EXPECT_EQ(pair.server->state(), DtlsState::Failed);
  ASSERT_TRUE(pair.serverListener.failure.has_value());
  EXPECT_NE(pair.serverListener.failure->find("fingerprint"), std::string::npos)
      << *pair.serverListener.failure;
  EXPECT_EQ(pair.serverListener.connectedCalls, 0);
  // The server's bad_certificate alert reaches the client, which must not report connected.
  EXPECT_EQ(pair.client->state(), DtlsState::Failed);
  EXPECT_EQ(pair.clientListener.connectedCalls, 0);
}

TEST(DtlsTransportTest, FingerprintSignalledAfterHandshakeIsCheckedThen) {
  DtlsPair pair;
  pair.start();
  pair.pump();
  // Handshake done, but nobody is authenticated yet.
  EXPECT_EQ(pair.server->state(), DtlsState::Connecting);
  EXPECT_EQ(pair.client->state(), DtlsState::Connecting);
  EXPECT_EQ(pair.clientListener.connectedCalls + pair.serverListener.connectedCalls, 0);

  ASSERT_TRUE(pair.client->setRemoteFingerprint(
      "sha-256", dtls_test::serverCertificate()->fingerprintSha256()));
  EXPECT_EQ(pair.client->state(), DtlsState::Connected);
  // A late mismatch fails and tells the peer (close_notify).
  ASSERT_TRUE(pair.server->setRemoteFingerprint(
      "sha-256", dtls_test::serverCertificate()->fingerprintSha256()));
  EXPECT_EQ(pair.server->state(), DtlsState::Failed);
  pair.pump();
  EXPECT_EQ(pair.client->state(), DtlsState::Closed);
  EXPECT_EQ(pair.clientListener.closedCalls, 1);
}

TEST(DtlsTransportTest, RejectsBadFingerprintArguments) {
  DtlsPair pair;
  EXPECT_FALSE(pair.server->setRemoteFingerprint("md5", "AB:CD").ok());
  EXPECT_FALSE(pair.server->setRemoteFingerprint("sha-256", "AB:CD").ok());
  // Case-insensitive value; then a second call is refused.
  std::string lower = dtls_test::clientCertificate()->fingerprintSha256();
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_TRUE(pair.server->setRemoteFingerprint("SHA-256", lower).ok());
  EXPECT_FALSE(pair.server->setRemoteFingerprint("sha-256", lower).ok());
}

TEST(DtlsTransportTest, LostClientHelloIsRetransmittedOnTimer) {
  DtlsTransport::Options options;
  // Long enough that a slow sanitizer build does not retransmit by itself before we drop.
  options.initialRetransmitTimeout = milliseconds(300);
  DtlsPair pair(options);
  pair.exchangeFingerprints();
  Clock::time_point now = Clock::now();
  pair.start(now);
  ASSERT_EQ(pair.clientListener.outbox.size(), 1u);  // the ClientHello
  const std::vector<uint8_t> firstHello = pair.clientListener.outbox.front();
  EXPECT_EQ(firstHello[0], 22);        // handshake record (RFC 6347 section 4.1)
  pair.clientListener.outbox.clear();  // lost

  std::optional<Clock::time_point> due = pair.client->nextTimeout(now);
  ASSERT_TRUE(due.has_value());
  EXPECT_LE(*due, now + milliseconds(300));
  EXPECT_GT(*due, now + milliseconds(100));

  // OpenSSL times retransmissions on its own clock, so real time has to pass too.
  for (int tick = 0; tick < 150 && !pair.bothConnected(); ++tick) {
    std::this_thread::sleep_for(milliseconds(20));
    now += milliseconds(20);
    pair.client->onTimer(now);
    pair.server->onTimer(now);
    pair.pump();
  }
  EXPECT_TRUE(pair.bothConnected());
  EXPECT_GE(pair.clientListener.datagramsSent, 3u);  // hello, hello again, flight 5
}

TEST(DtlsTransportTest, LostServerFlightIsRetransmittedOnTimer) {
  DtlsTransport::Options options;
  // Long enough that a slow sanitizer build does not retransmit by itself before we drop.
  options.initialRetransmitTimeout = milliseconds(300);
  DtlsPair pair(options);
  pair.exchangeFingerprints();
  Clock::time_point now = Clock::now();
  pair.start(now);
  bool droppedOnce = false;
  pair.pump([&](bool fromClient, const std::vector<uint8_t>&) {
    if (fromClient || droppedOnce) return true;
    droppedOnce = true;  // the first datagram of the server's flight 4
    return false;
  });
  EXPECT_FALSE(pair.bothConnected());
  for (int tick = 0; tick < 150 && !pair.bothConnected(); ++tick) {
    std::this_thread::sleep_for(milliseconds(20));
    now += milliseconds(20);
    pair.client->onTimer(now);
    pair.server->onTimer(now);
    pair.pump();
  }
  EXPECT_TRUE(pair.bothConnected());
}

TEST(DtlsTransportTest, HandshakeTimesOutWithoutAPeer) {
  DtlsPair pair;
  pair.exchangeFingerprints();
  Clock::time_point now = Clock::now();
  pair.client->start(now);
  std::optional<Clock::time_point> due = pair.client->nextTimeout(now);
  ASSERT_TRUE(due.has_value());
  pair.client->onTimer(now + milliseconds(30001));
  EXPECT_EQ(pair.client->state(), DtlsState::Failed);
  EXPECT_NE(pair.clientListener.failure.value_or("").find("timed out"), std::string::npos);
  EXPECT_FALSE(pair.client->nextTimeout(now).has_value());
}

TEST(DtlsTransportTest, DatagramsBeforeStartAreDropped) {
  DtlsPair pair;
  pair.exchangeFingerprints();
  pair.client->start(Clock::now());
  std::vector<uint8_t> hello = pair.clientListener.outbox.front();
  pair.server->handleIncoming(hello);  // server not started
  EXPECT_EQ(pair.server->droppedDatagrams(), 1u);
  EXPECT_TRUE(pair.serverListener.outbox.empty());
  EXPECT_EQ(pair.server->state(), DtlsState::New);
}

TEST(DtlsTransportTest, RandomBytesNeverCrashAndLeaveTheHandshakeUsable) {
  std::mt19937 random(12345);
  auto garbage = [&random] {
    std::vector<uint8_t> bytes(1 + random() % 1500);
    for (uint8_t& byte : bytes) byte = static_cast<uint8_t>(random());
    // Half of them look like DTLS records (content type 20..25, version FEFD) to get deeper.
    if (random() % 2 == 0 && bytes.size() >= 13) {
      bytes[0] = static_cast<uint8_t>(20 + random() % 6);
      bytes[1] = 0xFE;
      bytes[2] = 0xFD;
    }
    return bytes;
  };

  DtlsPair pair;
  pair.exchangeFingerprints();
  pair.start();
  for (int i = 0; i < 300; ++i) {
    pair.server->handleIncoming(garbage());
    pair.client->handleIncoming(garbage());
  }
  pair.server->handleIncoming({});
  pair.serverListener.outbox.clear();
  // Records that fail to parse are discarded (RFC 6347 section 4.1.2.7); whatever state the
  // garbage left, it is a reported one.
  for (auto* listener : {&pair.serverListener, &pair.clientListener}) {
    if (listener->failure) {
      EXPECT_FALSE(listener->failure->empty());
    }
  }

  DtlsPair fresh;
  fresh.exchangeFingerprints();
  fresh.start();
  fresh.pump();
  ASSERT_TRUE(fresh.bothConnected());
  for (int i = 0; i < 300; ++i) {
    fresh.server->handleIncoming(garbage());
    fresh.client->handleIncoming(garbage());
  }
  // Epoch-0 or unauthenticated records cannot hurt an established association.
  EXPECT_TRUE(fresh.bothConnected()) << fresh.serverListener.failure.value_or("");
}

TEST(DtlsTransportTest, CloseNotifyClosesThePeer) {
  DtlsPair pair;
  pair.exchangeFingerprints();
  pair.start();
  pair.pump();
  ASSERT_TRUE(pair.bothConnected());

  pair.client->close();
  EXPECT_EQ(pair.client->state(), DtlsState::Closed);
  ASSERT_EQ(pair.clientListener.outbox.size(), 1u);
  EXPECT_EQ(pair.clientListener.outbox.front()[0], 21);  // alert record (close_notify)
  pair.pump();
  EXPECT_EQ(pair.server->state(), DtlsState::Closed);
  EXPECT_EQ(pair.serverListener.closedCalls, 1);
  EXPECT_EQ(pair.clientListener.closedCalls, 0);  // own close is not reported
  EXPECT_FALSE(pair.serverListener.failure.has_value());
  EXPECT_FALSE(pair.clientListener.failure.has_value());

  pair.client->close();  // idempotent
  pair.server->handleIncoming(std::vector<uint8_t>(20, 23));
  EXPECT_EQ(pair.server->droppedDatagrams(), 1u);
}

TEST(DtlsTransportTest, CloseDuringHandshakeSendsNothingAndStopsTimers) {
  DtlsPair pair;
  pair.client->start(Clock::now());
  pair.clientListener.outbox.clear();
  pair.client->close();
  EXPECT_EQ(pair.client->state(), DtlsState::Closed);
  EXPECT_TRUE(pair.clientListener.outbox.empty());
  EXPECT_FALSE(pair.client->nextTimeout(Clock::now()).has_value());
}

}  // namespace
}  // namespace fluxmeet::media::dtls
