#pragma once
// One SRTP/SRTCP crypto context for one direction of one transport, wrapping libsrtp2
// (RFC 3711; AES-GCM per RFC 7714). An Inbound session unprotects everything the peer sends,
// an Outbound session protects everything we send, for any SSRC (libsrtp2's ssrc_any_inbound /
// ssrc_any_outbound templates: a stream per SSRC is cloned on its first packet, so allocation
// happens once per SSRC, not per packet).
// RFCs: https://www.rfc-editor.org/rfc/rfc3711, https://www.rfc-editor.org/rfc/rfc7714
//
// Packet path: protect/unprotect work in place, never throw, add no allocation of their own, and
// return an SrtpStatus the caller counts and drops on. Caveat: Debian's libsrtp2 is built on
// NSS, which itself mallocs inside every call (measured: ~5 per AES-GCM and ~14 per AES-CM +
// HMAC-SHA1 operation); an OpenSSL-backed libsrtp2 does not. Used from one media worker
// thread; not thread-safe.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/srtp/srtp_profile.hpp"

struct srtp_ctx_t_;  // libsrtp2's session (srtp_t), kept out of this header

namespace fluxmeet::media::srtp {

enum class SrtpDirection { Inbound, Outbound };

enum class [[nodiscard]] SrtpStatus {
  Ok,
  BufferTooSmall,  // protect: capacity < length + trailer room
  BadPacket,       // too short or malformed header
  AuthFailed,      // tag check failed: tampered, wrong key, or not SRTP
  Replayed,        // RFC 3711 section 3.3.2 replay list: seen before or too old
  Failed,          // any other libsrtp2 error
};

std::string_view srtpStatusName(SrtpStatus status);

class SrtpSession {
 public:
  // Room protect needs after the packet: RTP gets the auth tag (up to 16 bytes; libsrtp2 demands
  // SRTP_MAX_TRAILER_LEN = 144 because it reserves room for an MKI we never use); RTCP gets
  // that plus the 4-byte E flag + SRTCP index (RFC 3711 section 3.4).
  static constexpr size_t kRtpTrailerRoom = 144;
  static constexpr size_t kRtcpTrailerRoom = 144 + 4;
  // RFC 3711 section 3.3.2 allows a window of at least 64; libwebrtc and mediasoup use 1024
  // so reordering across a video keyframe burst is not mistaken for replay.
  static constexpr unsigned kReplayWindow = 1024;

  // keys.key / keys.salt must have the profile's master key / salt lengths.
  static Result<std::unique_ptr<SrtpSession>> create(SrtpDirection direction, SrtpProfile profile,
                                                     const SrtpKeys& keys);
  ~SrtpSession() = default;
  SrtpSession(const SrtpSession&) = delete;
  SrtpSession& operator=(const SrtpSession&) = delete;

  SrtpDirection direction() const { return direction_; }
  SrtpProfile profile() const { return profile_; }

  // In place. `length` is the plain packet's length on entry and the protected one on return.
  // `buffer` is the whole writable buffer: buffer.size() >= length + kRtpTrailerRoom
  // (kRtcpTrailerRoom for RTCP), else BufferTooSmall. Outbound sessions only.
  SrtpStatus protectRtp(std::span<uint8_t> buffer, size_t& length);
  SrtpStatus protectRtcp(std::span<uint8_t> buffer, size_t& length);

  // In place. `length` is the protected packet's length on entry and the plain one on return.
  // Inbound sessions only.
  SrtpStatus unprotectRtp(std::span<uint8_t> buffer, size_t& length);
  SrtpStatus unprotectRtcp(std::span<uint8_t> buffer, size_t& length);

  // Forgets one SSRC's stream (its rollover counter and replay list), e.g. when a producer
  // closes. Returns false if there was no such stream.
  bool removeStream(uint32_t ssrc);

 private:
  struct ContextDeleter {
    void operator()(srtp_ctx_t_* context) const;  // srtp_dealloc
  };
  using ContextPtr = std::unique_ptr<srtp_ctx_t_, ContextDeleter>;
  SrtpSession(SrtpDirection direction, SrtpProfile profile, ContextPtr context);

  SrtpDirection direction_;
  SrtpProfile profile_;
  ContextPtr context_;
};

}  // namespace fluxmeet::media::srtp
