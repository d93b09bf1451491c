#pragma once
// One SRTP/SRTCP crypto context for one direction of one transport, on OpenSSL EVP
// (RFC 3711; AES-GCM per RFC 7714). An Inbound session unprotects everything the peer sends,
// an Outbound session protects everything we send, for any SSRC: all SSRCs share the session
// keys, and each gets its own rollover counter and replay windows on its first packet
// (SrtpStreamTable; an inbound stream is created only once that packet authenticated).
// RFCs: https://www.rfc-editor.org/rfc/rfc3711, https://www.rfc-editor.org/rfc/rfc7714
//
// Packet formats (RFC 3711 sections 3.1 and 3.4, RFC 7714 sections 8.1 and 9.1):
//   AES_CM_128_HMAC_SHA1_80  SRTP:  header | AES-CM(payload) | tag(10) over header..payload||ROC
//                            SRTCP: header(8) | AES-CM(rest) | E||index(4) | tag(10)
//   AEAD_AES_128_GCM         SRTP:  header | GCM(payload) | tag(16), AAD = header incl. CSRCs
//                                   and extensions
//                            SRTCP: header(8) | GCM(rest) | tag(16) | E||index(4),
//                                   AAD = header(8) || E||index
// The packet index (ROC || SEQ) is estimated per RFC 3711 section 3.3.1 / appendix A; replay
// is refused with a kReplayWindow-packet bitmap per SSRC for SRTP and for SRTCP (section 3.3.2).
// The sender does no replay check: an SFU resends the very packet it forwarded when answering a
// NACK without RTX, and identical payload under the same index leaks nothing (section 9.1).
//
// Packet path: protect/unprotect work in place, never throw, never allocate (the EVP contexts
// are keyed once in create(); the stream table grows only on a new SSRC), and return an
// SrtpStatus the caller counts and drops on. Used from one media worker thread; not thread-safe.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/srtp/srtp_key_derivation.hpp"
#include "fluxmeet/media/srtp/srtp_profile.hpp"
#include "fluxmeet/media/srtp/srtp_stream_table.hpp"

namespace fluxmeet::media::srtp {

class SrtpCipher;  // OpenSSL contexts, server/media/src/srtp/srtp_cipher.hpp

enum class SrtpDirection { Inbound, Outbound };

enum class [[nodiscard]] SrtpStatus {
  Ok,
  BufferTooSmall,  // protect: capacity < length + trailer room
  BadPacket,       // too short or malformed header, or the wrong direction's call
  AuthFailed,      // tag check failed: tampered, wrong key, or not SRTP
  Replayed,        // RFC 3711 section 3.3.2 replay list: seen before or too old
  Failed,          // crypto library error, or an index space exhausted (time to re-key)
};

std::string_view srtpStatusName(SrtpStatus status);

class SrtpSession {
 public:
  // Room protect needs after the packet: RTP gets the auth tag (16 bytes for AES-GCM, 10 for
  // HMAC-SHA1-80; no MKI); RTCP gets that plus the 4-byte E flag + SRTCP index (RFC 3711
  // section 3.4).
  static constexpr size_t kRtpTrailerRoom = 16;
  static constexpr size_t kRtcpTrailerRoom = 16 + 4;
  // RFC 3711 section 3.3.2 allows a window of at least 64; libwebrtc and mediasoup use 1024
  // so reordering across a video keyframe burst is not mistaken for replay.
  static constexpr unsigned kReplayWindow = 1024;
  static_assert(kReplayWindow == ReplayWindow::kSize);

  // keys.key / keys.salt must have the profile's master key / salt lengths; the session keys
  // are derived per RFC 3711 section 4.3 (srtp_key_derivation.hpp).
  static Result<std::unique_ptr<SrtpSession>> create(SrtpDirection direction, SrtpProfile profile,
                                                     const SrtpKeys& keys);
  // With session keys given directly (known-answer tests, e.g. RFC 7714 section 16).
  static Result<std::unique_ptr<SrtpSession>> createWithSessionKeys(
      SrtpDirection direction, SrtpProfile profile, const SrtpSessionKeys& rtpKeys,
      const SrtpSessionKeys& rtcpKeys);
  ~SrtpSession();
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
  // Inbound sessions only. On AuthFailed with AES-GCM the payload bytes are left decrypted
  // with an unauthenticated key stream; drop the packet.
  SrtpStatus unprotectRtp(std::span<uint8_t> buffer, size_t& length);
  SrtpStatus unprotectRtcp(std::span<uint8_t> buffer, size_t& length);

  // Forgets one SSRC's stream (its rollover counter and replay lists), e.g. when a producer
  // closes. Returns false if there was no such stream.
  bool removeStream(uint32_t ssrc);

 private:
  SrtpSession(SrtpDirection direction, SrtpProfile profile, std::unique_ptr<SrtpCipher> rtp,
              std::unique_ptr<SrtpCipher> rtcp);
  size_t tagLength() const;
  // The stream of `ssrc`; for an unknown SSRC, `scratch` reset to a fresh stream (an inbound
  // caller inserts it once the packet authenticated, an outbound one right away).
  SrtpStream* streamFor(uint32_t ssrc, SrtpStream& scratch);

  SrtpDirection direction_;
  SrtpProfile profile_;
  std::unique_ptr<SrtpCipher> rtp_;
  std::unique_ptr<SrtpCipher> rtcp_;
  SrtpStreamTable streams_;
};

}  // namespace fluxmeet::media::srtp
