// The packet path must not allocate (docs: STYLE.md rule 5; the reason for our own SRTP on
// OpenSSL instead of Debian's NSS-backed libsrtp2). Counted with the sanitizer allocator's
// malloc hook, which sees malloc, operator new and OpenSSL's CRYPTO_malloc alike; only in
// AddressSanitizer builds (the `make test` build), skipped elsewhere.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "../allocation_counter.hpp"
#include "fluxmeet/media/srtp/srtp_session.hpp"

namespace fluxmeet::media::srtp {
namespace {

using Bytes = std::vector<uint8_t>;

[[maybe_unused]] SrtpKeys keysFor(SrtpProfile profile) {
  SrtpKeys keys;
  keys.key.assign(srtpMasterKeyLength(profile), 0x42);
  keys.salt.assign(srtpMasterSaltLength(profile), 0x24);
  return keys;
}

class SrtpNoAllocationTest : public ::testing::TestWithParam<SrtpProfile> {};

TEST_P(SrtpNoAllocationTest, ProtectAndUnprotectDoNotAllocateForKnownStreams) {
#ifndef FLUXMEET_COUNT_ALLOCATIONS
  GTEST_SKIP() << "allocation counting needs an AddressSanitizer build";
#else
  auto sender = SrtpSession::create(SrtpDirection::Outbound, GetParam(), keysFor(GetParam()));
  auto receiver = SrtpSession::create(SrtpDirection::Inbound, GetParam(), keysFor(GetParam()));
  ASSERT_TRUE(sender.ok() && receiver.ok());
  Bytes buffer(1500);
  auto roundTrip = [&](uint16_t sequence, bool rtcp) {
    size_t length = rtcp ? 52 : 1200;
    buffer[0] = rtcp ? 0x81 : 0x80;
    buffer[1] = rtcp ? 0xC8 : 0x60;
    buffer[2] = static_cast<uint8_t>(sequence >> 8);
    buffer[3] = static_cast<uint8_t>(sequence);
    buffer[4] = buffer[8] = 0x12;  // SSRC for RTCP (bytes 4..7) and RTP (8..11)
    bool ok = (rtcp ? (*sender)->protectRtcp(buffer, length)
                    : (*sender)->protectRtp(buffer, length)) == SrtpStatus::Ok;
    ok = ok && (rtcp ? (*receiver)->unprotectRtcp(buffer, length)
                     : (*receiver)->unprotectRtp(buffer, length)) == SrtpStatus::Ok;
    return ok;
  };
  // The first packet of an SSRC may allocate (the stream table grows only for new SSRCs).
  ASSERT_TRUE(roundTrip(65000, false));
  ASSERT_TRUE(roundTrip(0, true));

  Bytes wire(1500);
  Bytes copy(1500);  // allocated before counting
  auto unprotectCopy = [&](size_t length, bool forgeTag) {
    std::copy(wire.begin(), wire.end(), copy.begin());
    if (forgeTag) copy[length - 1] ^= 0x01;
    return (*receiver)->unprotectRtp(copy, length);
  };

  const size_t before = allocations();
  int failures = 0;
  for (uint32_t i = 1; i < 2000; ++i) {  // crosses the sequence wrap
    if (!roundTrip(static_cast<uint16_t>(65000 + i), false)) ++failures;
    if (i % 10 == 0 && !roundTrip(0, true)) ++failures;
  }
  // Rejections take the same path: a replay, and a forged tag on a fresh sequence number.
  for (uint16_t sequence : {3000, 3001}) {
    size_t length = 1200;
    wire[0] = 0x80;
    wire[2] = static_cast<uint8_t>(sequence >> 8);
    wire[3] = static_cast<uint8_t>(sequence);
    wire[8] = 0x12;
    if ((*sender)->protectRtp(wire, length) != SrtpStatus::Ok) ++failures;
    if (sequence == 3000) {
      if (unprotectCopy(length, false) != SrtpStatus::Ok) ++failures;
      if (unprotectCopy(length, false) != SrtpStatus::Replayed) ++failures;
    } else if (unprotectCopy(length, true) != SrtpStatus::AuthFailed) {
      ++failures;
    }
  }
  const size_t after = allocations();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(after - before, 0u) << "allocations on the packet path";

  // The counter itself works.
  auto* probe = new int(7);
  EXPECT_GT(allocations(), after);
  delete probe;
#endif
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpNoAllocationTest,
                         ::testing::Values(SrtpProfile::AeadAes128Gcm,
                                           SrtpProfile::AesCm128HmacSha1_80),
                         [](const auto& info) {
                           return info.param == SrtpProfile::AeadAes128Gcm ? "AeadAes128Gcm"
                                                                           : "AesCm128HmacSha1_80";
                         });

}  // namespace
}  // namespace fluxmeet::media::srtp
