// Micro-benchmark of the SRTP packet path: one 1200-byte RTP packet protected, then protected
// and unprotected, per iteration; prints ns per packet. Build with -DFLUXMEET_BENCH=ON in a
// Release tree and run `bench_srtp [iterations]`.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "fluxmeet/media/srtp/srtp_session.hpp"

#ifdef FLUXMEET_BENCH_LIBSRTP
#include <srtp2/srtp.h>
#endif

namespace {

using fluxmeet::media::srtp::SrtpDirection;
using fluxmeet::media::srtp::SrtpKeys;
using fluxmeet::media::srtp::SrtpProfile;
using fluxmeet::media::srtp::SrtpSession;
using fluxmeet::media::srtp::SrtpStatus;

constexpr size_t kPacketSize = 1200;

SrtpKeys keysFor(SrtpProfile profile) {
  SrtpKeys keys;
  keys.key.assign(fluxmeet::media::srtp::srtpMasterKeyLength(profile), 0x42);
  keys.salt.assign(fluxmeet::media::srtp::srtpMasterSaltLength(profile), 0x24);
  return keys;
}

void writeHeader(std::vector<uint8_t>& buffer, uint32_t sequence) {
  buffer[0] = 0x80;
  buffer[1] = 0x60;
  buffer[2] = static_cast<uint8_t>(sequence >> 8);
  buffer[3] = static_cast<uint8_t>(sequence);
  buffer[8] = 0x12;
}

// Calls step(sequence) `iterations` times; returns ns per call.
double time(int iterations, const std::function<bool(uint32_t)>& step) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) {
    if (!step(static_cast<uint32_t>(i))) {
      std::fprintf(stderr, "packet %d failed\n", i);
      std::exit(1);
    }
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  return std::chrono::duration<double, std::nano>(elapsed).count() / iterations;
}

void benchOurs(SrtpProfile profile, const char* name, int iterations) {
  auto sender = SrtpSession::create(SrtpDirection::Outbound, profile, keysFor(profile));
  auto receiver = SrtpSession::create(SrtpDirection::Inbound, profile, keysFor(profile));
  std::vector<uint8_t> buffer(1500, 0xAB);
  const double protect = time(iterations, [&](uint32_t sequence) {
    writeHeader(buffer, sequence);
    size_t length = kPacketSize;
    return (*sender)->protectRtp(buffer, length) == SrtpStatus::Ok;
  });
  auto sender2 = SrtpSession::create(SrtpDirection::Outbound, profile, keysFor(profile));
  const double roundTrip = time(iterations, [&](uint32_t sequence) {
    writeHeader(buffer, sequence);
    size_t length = kPacketSize;
    return (*sender2)->protectRtp(buffer, length) == SrtpStatus::Ok &&
           (*receiver)->unprotectRtp(buffer, length) == SrtpStatus::Ok;
  });
  std::printf("ours     %-24s protect %7.1f ns  unprotect %7.1f ns\n", name, protect,
              roundTrip - protect);
}

#ifdef FLUXMEET_BENCH_LIBSRTP
void benchLibsrtp(SrtpProfile profile, const char* name, int iterations) {
  auto make = [&](srtp_ssrc_type_t type) {
    uint8_t keyAndSalt[SRTP_MAX_KEY_LEN] = {};
    const SrtpKeys keys = keysFor(profile);
    std::copy(keys.key.begin(), keys.key.end(), keyAndSalt);
    std::copy(keys.salt.begin(), keys.salt.end(), keyAndSalt + keys.key.size());
    srtp_policy_t policy{};
    if (profile == SrtpProfile::AeadAes128Gcm) {
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
    } else {
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
    }
    policy.ssrc.type = type;
    policy.key = keyAndSalt;
    policy.window_size = 1024;
    policy.allow_repeat_tx = 1;
    srtp_t session = nullptr;
    srtp_create(&session, &policy);
    return session;
  };
  srtp_t sender = make(ssrc_any_outbound);
  srtp_t sender2 = make(ssrc_any_outbound);
  srtp_t receiver = make(ssrc_any_inbound);
  std::vector<uint8_t> buffer(1500, 0xAB);
  const double protect = time(iterations, [&](uint32_t sequence) {
    writeHeader(buffer, sequence);
    int length = kPacketSize;
    return srtp_protect(sender, buffer.data(), &length) == srtp_err_status_ok;
  });
  const double roundTrip = time(iterations, [&](uint32_t sequence) {
    writeHeader(buffer, sequence);
    int length = kPacketSize;
    return srtp_protect(sender2, buffer.data(), &length) == srtp_err_status_ok &&
           srtp_unprotect(receiver, buffer.data(), &length) == srtp_err_status_ok;
  });
  std::printf("libsrtp2 %-24s protect %7.1f ns  unprotect %7.1f ns\n", name, protect,
              roundTrip - protect);
  srtp_dealloc(sender);
  srtp_dealloc(sender2);
  srtp_dealloc(receiver);
}
#endif

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 200000;
  if (iterations <= 0) {
    std::fprintf(stderr, "usage: bench_srtp [iterations > 0, default 200000]\n");
    return 2;
  }
  benchOurs(SrtpProfile::AeadAes128Gcm, "AEAD_AES_128_GCM", iterations);
  benchOurs(SrtpProfile::AesCm128HmacSha1_80, "AES_CM_128_HMAC_SHA1_80", iterations);
#ifdef FLUXMEET_BENCH_LIBSRTP
  srtp_init();
  benchLibsrtp(SrtpProfile::AeadAes128Gcm, "AEAD_AES_128_GCM", iterations);
  benchLibsrtp(SrtpProfile::AesCm128HmacSha1_80, "AES_CM_128_HMAC_SHA1_80", iterations);
#endif
  return 0;
}
