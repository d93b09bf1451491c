#include "fluxmeet/media/srtp/srtp_session.hpp"

#include <arpa/inet.h>
#include <srtp2/srtp.h>

#include <algorithm>
#include <climits>
#include <string>

namespace fluxmeet::media::srtp {
namespace {

// libsrtp2 keeps process-wide state (the crypto kernel) that srtp_init fills once; media workers
// create sessions concurrently, so the first call is serialised here. It is never shut down:
// sessions may live until exit.
srtp_err_status_t ensureLibraryInitialised() {
  static const srtp_err_status_t status = srtp_init();
  return status;
}

SrtpStatus toStatus(srtp_err_status_t status) {
  switch (status) {
    case srtp_err_status_ok:
      return SrtpStatus::Ok;
    case srtp_err_status_auth_fail:
      return SrtpStatus::AuthFailed;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
      return SrtpStatus::Replayed;
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err:
      return SrtpStatus::BadPacket;
    default:
      return SrtpStatus::Failed;
  }
}

void setCryptoPolicy(SrtpProfile profile, srtp_policy_t& policy) {
  switch (profile) {
    case SrtpProfile::AeadAes128Gcm:
      // RFC 7714 section 14.2: AEAD_AES_128_GCM with a 16-byte tag for both SRTP and SRTCP.
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
      return;
    case SrtpProfile::AesCm128HmacSha1_80:
      // RFC 5764 section 4.1.2: AES-128 counter mode, HMAC-SHA1 with an 80-bit tag (both).
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
      return;
  }
}

}  // namespace

std::string_view srtpStatusName(SrtpStatus status) {
  switch (status) {
    case SrtpStatus::Ok:
      return "ok";
    case SrtpStatus::BufferTooSmall:
      return "buffer_too_small";
    case SrtpStatus::BadPacket:
      return "bad_packet";
    case SrtpStatus::AuthFailed:
      return "auth_failed";
    case SrtpStatus::Replayed:
      return "replayed";
    case SrtpStatus::Failed:
      return "failed";
  }
  return "failed";
}

void SrtpSession::ContextDeleter::operator()(srtp_ctx_t_* context) const { srtp_dealloc(context); }

SrtpSession::SrtpSession(SrtpDirection direction, SrtpProfile profile, ContextPtr context)
    : direction_(direction), profile_(profile), context_(std::move(context)) {}

Result<std::unique_ptr<SrtpSession>> SrtpSession::create(SrtpDirection direction,
                                                         SrtpProfile profile,
                                                         const SrtpKeys& keys) {
  if (srtp_err_status_t status = ensureLibraryInitialised(); status != srtp_err_status_ok) {
    return makeError(ErrorCode::Internal, "srtp_init failed: " + std::to_string(status));
  }
  if (keys.key.size() != srtpMasterKeyLength(profile) ||
      keys.salt.size() != srtpMasterSaltLength(profile)) {
    return makeError(ErrorCode::InvalidRequest, "SRTP key/salt length does not match " +
                                                    std::string(srtpProfileName(profile)));
  }

  // libsrtp2 takes the master key and master salt as one concatenated buffer.
  uint8_t keyAndSalt[SRTP_MAX_KEY_LEN] = {};
  std::copy(keys.key.begin(), keys.key.end(), keyAndSalt);
  std::copy(keys.salt.begin(), keys.salt.end(), keyAndSalt + keys.key.size());

  srtp_policy_t policy{};
  setCryptoPolicy(profile, policy);
  policy.ssrc.type = direction == SrtpDirection::Inbound ? ssrc_any_inbound : ssrc_any_outbound;
  policy.key = keyAndSalt;
  policy.window_size = kReplayWindow;
  // An SFU resends the very packet it forwarded when answering a NACK without RTX; libsrtp2
  // would refuse to protect the same index twice otherwise. The payload is identical, so the
  // keystream reuse warned about in RFC 3711 section 9.1 does not arise.
  policy.allow_repeat_tx = direction == SrtpDirection::Outbound ? 1 : 0;
  policy.next = nullptr;

  srtp_t raw = nullptr;
  srtp_err_status_t status = srtp_create(&raw, &policy);
  std::fill(std::begin(keyAndSalt), std::end(keyAndSalt), uint8_t{0});
  if (status != srtp_err_status_ok) {
    return makeError(ErrorCode::Internal, "srtp_create failed: " + std::to_string(status));
  }
  return std::unique_ptr<SrtpSession>(new SrtpSession(direction, profile, ContextPtr(raw)));
}

SrtpStatus SrtpSession::protectRtp(std::span<uint8_t> buffer, size_t& length) {
  if (direction_ != SrtpDirection::Outbound || length < 12) return SrtpStatus::BadPacket;
  if (length > INT_MAX - kRtpTrailerRoom || buffer.size() < length + kRtpTrailerRoom) {
    return SrtpStatus::BufferTooSmall;
  }
  int len = static_cast<int>(length);
  SrtpStatus status = toStatus(srtp_protect(context_.get(), buffer.data(), &len));
  if (status == SrtpStatus::Ok) length = static_cast<size_t>(len);
  return status;
}

SrtpStatus SrtpSession::protectRtcp(std::span<uint8_t> buffer, size_t& length) {
  if (direction_ != SrtpDirection::Outbound || length < 8) return SrtpStatus::BadPacket;
  if (length > INT_MAX - kRtcpTrailerRoom || buffer.size() < length + kRtcpTrailerRoom) {
    return SrtpStatus::BufferTooSmall;
  }
  int len = static_cast<int>(length);
  SrtpStatus status = toStatus(srtp_protect_rtcp(context_.get(), buffer.data(), &len));
  if (status == SrtpStatus::Ok) length = static_cast<size_t>(len);
  return status;
}

SrtpStatus SrtpSession::unprotectRtp(std::span<uint8_t> buffer, size_t& length) {
  if (direction_ != SrtpDirection::Inbound || length < 12) return SrtpStatus::BadPacket;
  if (length > buffer.size() || length > INT_MAX) return SrtpStatus::BadPacket;
  int len = static_cast<int>(length);
  SrtpStatus status = toStatus(srtp_unprotect(context_.get(), buffer.data(), &len));
  if (status == SrtpStatus::Ok) length = static_cast<size_t>(len);
  return status;
}

SrtpStatus SrtpSession::unprotectRtcp(std::span<uint8_t> buffer, size_t& length) {
  if (direction_ != SrtpDirection::Inbound || length < 8) return SrtpStatus::BadPacket;
  if (length > buffer.size() || length > INT_MAX) return SrtpStatus::BadPacket;
  int len = static_cast<int>(length);
  SrtpStatus status = toStatus(srtp_unprotect_rtcp(context_.get(), buffer.data(), &len));
  if (status == SrtpStatus::Ok) length = static_cast<size_t>(len);
  return status;
}

bool SrtpSession::removeStream(uint32_t ssrc) {
  return srtp_remove_stream(context_.get(), htonl(ssrc)) == srtp_err_status_ok;
}

}  // namespace fluxmeet::media::srtp
