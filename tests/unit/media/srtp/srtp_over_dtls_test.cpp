// DTLS-SRTP end to end (RFC 5764): the keys each side's DtlsTransport exports drive SRTP
// sessions that interoperate - client local keys protect, server remote keys unprotect.
#include <gtest/gtest.h>

#include "../dtls/dtls_test_pair.hpp"
#include "fluxmeet/media/srtp/srtp_session.hpp"

namespace fluxmeet::media::srtp {
namespace {

using Bytes = std::vector<uint8_t>;

void expectOneWayWorks(SrtpProfile profile, const SrtpKeys& senderLocal,
                       const SrtpKeys& receiverRemote) {
  auto sender = SrtpSession::create(SrtpDirection::Outbound, profile, senderLocal);
  auto receiver = SrtpSession::create(SrtpDirection::Inbound, profile, receiverRemote);
  ASSERT_TRUE(sender.ok() && receiver.ok());

  const Bytes plain = {0x80, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x10,
                       0xDE, 0xAD, 0xBE, 0xEF, 'h',  'e',  'l',  'l', 'o'};
  Bytes buffer = plain;
  size_t length = buffer.size();
  buffer.resize(length + SrtpSession::kRtpTrailerRoom);
  ASSERT_EQ(sender.value()->protectRtp(buffer, length), SrtpStatus::Ok);
  ASSERT_EQ(receiver.value()->unprotectRtp(buffer, length), SrtpStatus::Ok);
  buffer.resize(length);
  EXPECT_EQ(buffer, plain);
}

TEST(SrtpOverDtlsTest, ExportedKeysInteroperateInBothDirections) {
  dtls::dtls_test::DtlsPair pair;
  pair.exchangeFingerprints();
  pair.start();
  pair.pump();
  ASSERT_TRUE(pair.bothConnected());
  const SrtpProfile profile = pair.clientListener.profile.value();
  EXPECT_EQ(profile, SrtpProfile::AeadAes128Gcm);

  expectOneWayWorks(profile, pair.clientListener.local, pair.serverListener.remote);
  expectOneWayWorks(profile, pair.serverListener.local, pair.clientListener.remote);

  // And the keys are direction-specific: the server's own local keys cannot read the client.
  auto sender = SrtpSession::create(SrtpDirection::Outbound, profile, pair.clientListener.local);
  auto wrong = SrtpSession::create(SrtpDirection::Inbound, profile, pair.serverListener.local);
  ASSERT_TRUE(sender.ok() && wrong.ok());
  Bytes buffer(12 + 20 + SrtpSession::kRtpTrailerRoom, 0);
  buffer[0] = 0x80;
  size_t length = 32;
  ASSERT_EQ(sender.value()->protectRtp(buffer, length), SrtpStatus::Ok);
  EXPECT_EQ(wrong.value()->unprotectRtp(buffer, length), SrtpStatus::AuthFailed);
}

}  // namespace
}  // namespace fluxmeet::media::srtp
