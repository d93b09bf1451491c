#pragma once
// libsrtp2 as the reference SRTP implementation for interop tests only: fluxmeet_media no longer
// links it. One srtp_t per direction with the ssrc_any_inbound / ssrc_any_outbound templates,
// configured as the SFU used to configure it (replay window 1024, repeated sends allowed).
#include <gtest/gtest.h>
#include <srtp2/srtp.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "fluxmeet/media/srtp/srtp_session.hpp"

namespace fluxmeet::media::srtp::testing {

class LibsrtpReference {
 public:
  using Bytes = std::vector<uint8_t>;

  LibsrtpReference(SrtpDirection direction, SrtpProfile profile, const SrtpKeys& keys) {
    static const srtp_err_status_t initialised = srtp_init();
    EXPECT_EQ(initialised, srtp_err_status_ok);

    uint8_t keyAndSalt[SRTP_MAX_KEY_LEN] = {};
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
    policy.ssrc.type = direction == SrtpDirection::Inbound ? ssrc_any_inbound : ssrc_any_outbound;
    policy.key = keyAndSalt;
    policy.window_size = SrtpSession::kReplayWindow;
    policy.allow_repeat_tx = direction == SrtpDirection::Outbound ? 1 : 0;
    EXPECT_EQ(srtp_create(&session_, &policy), srtp_err_status_ok);
  }
  ~LibsrtpReference() { srtp_dealloc(session_); }
  LibsrtpReference(const LibsrtpReference&) = delete;
  LibsrtpReference& operator=(const LibsrtpReference&) = delete;

  // Each resizes `packet` to the result; returns libsrtp's status.
  srtp_err_status_t protectRtp(Bytes& packet) { return run(packet, srtp_protect); }
  srtp_err_status_t protectRtcp(Bytes& packet) { return run(packet, srtp_protect_rtcp); }
  srtp_err_status_t unprotectRtp(Bytes& packet) { return run(packet, srtp_unprotect); }
  srtp_err_status_t unprotectRtcp(Bytes& packet) { return run(packet, srtp_unprotect_rtcp); }

 private:
  template <class Function>
  srtp_err_status_t run(Bytes& packet, Function function) {
    int length = static_cast<int>(packet.size());
    packet.resize(packet.size() + SRTP_MAX_TRAILER_LEN);
    const srtp_err_status_t status = function(session_, packet.data(), &length);
    packet.resize(status == srtp_err_status_ok ? static_cast<size_t>(length)
                                               : packet.size() - SRTP_MAX_TRAILER_LEN);
    return status;
  }

  srtp_t session_ = nullptr;
};

}  // namespace fluxmeet::media::srtp::testing
