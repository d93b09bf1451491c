#include "fluxmeet/media/srtp/srtp_session.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "srtp_cipher.hpp"

namespace fluxmeet::media::srtp {
namespace {

constexpr size_t kRtpFixedHeader = 12;   // RFC 3550 section 5.1
constexpr size_t kRtcpFixedHeader = 8;   // RFC 3711 section 3.4: V..length and SSRC stay clear
constexpr size_t kSrtcpIndexLength = 4;  // E flag + 31-bit SRTCP index
constexpr size_t kHmacTagLength = 10;    // HMAC-SHA1 truncated to 80 bits, RFC 3711 section 4.2
constexpr size_t kGcmTagLength = SrtpCipher::kGcmTagLength;
constexpr uint32_t kEncryptedFlag = 0x80000000u;
constexpr uint32_t kMaxSrtcpIndex = 0x7FFFFFFFu;
constexpr uint64_t kSequenceSpan = 0x10000;

uint32_t readU32(const uint8_t* bytes) {
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) |
         bytes[3];
}

void writeU32(uint8_t* bytes, uint32_t value) {
  bytes[0] = static_cast<uint8_t>(value >> 24);
  bytes[1] = static_cast<uint8_t>(value >> 16);
  bytes[2] = static_cast<uint8_t>(value >> 8);
  bytes[3] = static_cast<uint8_t>(value);
}

// RFC 3550 section 5.1 / 5.3.1: fixed header, CC CSRCs, then an optional extension whose second
// 16-bit word counts its 32-bit words. Returns 0 when malformed or longer than `packet`.
size_t rtpHeaderSize(std::span<const uint8_t> packet) {
  if (packet.size() < kRtpFixedHeader || (packet[0] >> 6) != 2) return 0;
  size_t size = kRtpFixedHeader + 4 * size_t{packet[0] & 0x0Fu};
  if (packet[0] & 0x10) {
    if (size + 4 > packet.size()) return 0;
    size += 4 + 4 * ((size_t{packet[size + 2]} << 8) | packet[size + 3]);
  }
  return size <= packet.size() ? size : 0;
}

bool isRtcpV2(std::span<const uint8_t> packet) {
  return packet.size() >= kRtcpFixedHeader && (packet[0] >> 6) == 2;
}

// RFC 3711 section 3.3.1 and appendix A: the index i = 2^16 * v + SEQ whose v in {ROC - 1, ROC,
// ROC + 1} puts SEQ closest to s_l, the highest sequence number seen. Like libsrtp, a stream
// whose highest index is still below 2^15 guesses v = 0 (no ROC - 1 before the first wrap).
// False only when v would pass 2^32 - 1: the 2^48 packet limit of section 9.2, time to re-key.
bool estimateIndex(const ReplayWindow& window, uint16_t sequence, uint64_t& index) {
  if (window.empty() || window.highest() <= kSequenceSpan / 2) {
    index = sequence;
    return true;
  }
  const uint64_t roc = window.highest() / kSequenceSpan;
  const uint64_t highestSequence = window.highest() % kSequenceSpan;
  uint64_t v = roc;
  if (highestSequence < kSequenceSpan / 2) {
    if (sequence > highestSequence + kSequenceSpan / 2) v = roc - 1;  // roc > 0 here
  } else if (highestSequence - kSequenceSpan / 2 > sequence) {
    v = roc + 1;
  }
  if (v > 0xFFFFFFFFu) return false;
  index = v * kSequenceSpan + sequence;
  return true;
}

// RFC 3711 section 4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16).
std::array<uint8_t, 16> aesCmIv(std::span<const uint8_t> salt, uint32_t ssrc, uint64_t index) {
  std::array<uint8_t, 16> iv{};
  std::copy(salt.begin(), salt.end(), iv.begin());
  for (int i = 0; i < 4; ++i) iv[4 + i] ^= static_cast<uint8_t>(ssrc >> (24 - 8 * i));
  for (int i = 0; i < 6; ++i) iv[8 + i] ^= static_cast<uint8_t>(index >> (40 - 8 * i));
  return iv;
}

// RFC 7714 section 8.1 (SRTP: 0x0000 || SSRC || ROC || SEQ) and section 9.1 (SRTCP: 0x0000 ||
// SSRC || 0x0000 || 0 || SRTCP index), XORed with the 96-bit session salt. Both have the SSRC at
// bytes 2..5 and a 48-bit counter at bytes 6..11: the packet index resp. the SRTCP index.
std::array<uint8_t, 12> aesGcmIv(std::span<const uint8_t> salt, uint32_t ssrc, uint64_t index) {
  std::array<uint8_t, 12> iv{};
  for (int i = 0; i < 4; ++i) iv[2 + i] = static_cast<uint8_t>(ssrc >> (24 - 8 * i));
  for (int i = 0; i < 6; ++i) iv[6 + i] = static_cast<uint8_t>(index >> (40 - 8 * i));
  for (size_t i = 0; i < iv.size(); ++i) iv[i] ^= salt[i];
  return iv;
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

SrtpSession::SrtpSession(SrtpDirection direction, SrtpProfile profile,
                         std::unique_ptr<SrtpCipher> rtp, std::unique_ptr<SrtpCipher> rtcp)
    : direction_(direction), profile_(profile), rtp_(std::move(rtp)), rtcp_(std::move(rtcp)) {}

SrtpSession::~SrtpSession() = default;

Result<std::unique_ptr<SrtpSession>> SrtpSession::create(SrtpDirection direction,
                                                         SrtpProfile profile,
                                                         const SrtpKeys& keys) {
  auto rtpKeys = deriveSrtpSessionKeys(profile, keys, SrtpKeyUse::Rtp);
  if (!rtpKeys) return std::move(rtpKeys).takeError();
  auto rtcpKeys = deriveSrtpSessionKeys(profile, keys, SrtpKeyUse::Rtcp);
  if (!rtcpKeys) return std::move(rtcpKeys).takeError();
  auto session = createWithSessionKeys(direction, profile, *rtpKeys, *rtcpKeys);
  for (SrtpSessionKeys* derived : {&*rtpKeys, &*rtcpKeys}) {
    for (auto* key : {&derived->encryptionKey, &derived->salt, &derived->authKey}) {
      OPENSSL_cleanse(key->data(), key->size());
    }
  }
  return session;
}

Result<std::unique_ptr<SrtpSession>> SrtpSession::createWithSessionKeys(
    SrtpDirection direction, SrtpProfile profile, const SrtpSessionKeys& rtpKeys,
    const SrtpSessionKeys& rtcpKeys) {
  const bool encrypt = direction == SrtpDirection::Outbound;
  auto rtp = SrtpCipher::create(profile, rtpKeys, encrypt);
  if (!rtp) return std::move(rtp).takeError();
  auto rtcp = SrtpCipher::create(profile, rtcpKeys, encrypt);
  if (!rtcp) return std::move(rtcp).takeError();
  return std::unique_ptr<SrtpSession>(
      new SrtpSession(direction, profile, std::move(*rtp), std::move(*rtcp)));
}

size_t SrtpSession::tagLength() const {
  return profile_ == SrtpProfile::AeadAes128Gcm ? kGcmTagLength : kHmacTagLength;
}

SrtpStream* SrtpSession::streamFor(uint32_t ssrc, SrtpStream& scratch) {
  if (SrtpStream* stream = streams_.find(ssrc)) return stream;
  scratch.ssrc = ssrc;
  return &scratch;
}

SrtpStatus SrtpSession::protectRtp(std::span<uint8_t> buffer, size_t& length) {
  if (direction_ != SrtpDirection::Outbound || length < kRtpFixedHeader) {
    return SrtpStatus::BadPacket;
  }
  if (buffer.size() < kRtpTrailerRoom || length > buffer.size() - kRtpTrailerRoom) {
    return SrtpStatus::BufferTooSmall;
  }
  const size_t header = rtpHeaderSize(buffer.first(length));
  if (header == 0) return SrtpStatus::BadPacket;
  const auto sequence = static_cast<uint16_t>((buffer[2] << 8) | buffer[3]);
  const uint32_t ssrc = readU32(&buffer[8]);

  SrtpStream scratch;
  SrtpStream* stream = streamFor(ssrc, scratch);
  uint64_t index = 0;
  if (!estimateIndex(stream->rtp, sequence, index)) return SrtpStatus::Failed;
  if (stream == &scratch) stream = streams_.insert(scratch);
  stream->rtp.accept(index);  // tracks ROC and s_l; no replay refusal for a sender

  const std::span<uint8_t> payload = buffer.subspan(header, length - header);
  if (profile_ == SrtpProfile::AeadAes128Gcm) {
    // RFC 7714 section 8.2: AAD is the whole header, CSRCs and extension included.
    if (!rtp_->gcmSeal(aesGcmIv(rtp_->salt(), ssrc, index), buffer.first(header), {}, payload,
                       buffer.subspan(length).first<kGcmTagLength>())) {
      return SrtpStatus::Failed;
    }
    length += kGcmTagLength;
    return SrtpStatus::Ok;
  }
  if (!rtp_->aesCm(aesCmIv(rtp_->salt(), ssrc, index), payload)) return SrtpStatus::Failed;
  // RFC 3711 section 4.2: the tag covers the authenticated portion || ROC.
  uint8_t roc[4];
  writeU32(roc, static_cast<uint32_t>(index >> 16));
  std::array<uint8_t, SrtpCipher::kHmacSha1Length> digest;
  rtp_->hmacSha1(buffer.first(length), roc, digest);
  std::memcpy(&buffer[length], digest.data(), kHmacTagLength);
  length += kHmacTagLength;
  return SrtpStatus::Ok;
}

SrtpStatus SrtpSession::unprotectRtp(std::span<uint8_t> buffer, size_t& length) {
  const size_t tag = tagLength();
  if (direction_ != SrtpDirection::Inbound || length > buffer.size() ||
      length < kRtpFixedHeader + tag) {
    return SrtpStatus::BadPacket;
  }
  const size_t body = length - tag;
  const size_t header = rtpHeaderSize(buffer.first(body));
  if (header == 0) return SrtpStatus::BadPacket;
  const auto sequence = static_cast<uint16_t>((buffer[2] << 8) | buffer[3]);
  const uint32_t ssrc = readU32(&buffer[8]);

  SrtpStream scratch;
  SrtpStream* stream = streamFor(ssrc, scratch);
  uint64_t index = 0;
  if (!estimateIndex(stream->rtp, sequence, index)) return SrtpStatus::Failed;
  // RFC 3711 section 3.3: replay check first (cheap), authenticate, and only then update.
  if (stream->rtp.check(index) != ReplayWindow::Verdict::New) return SrtpStatus::Replayed;

  const std::span<uint8_t> payload = buffer.subspan(header, body - header);
  if (profile_ == SrtpProfile::AeadAes128Gcm) {
    if (!rtp_->gcmOpen(aesGcmIv(rtp_->salt(), ssrc, index), buffer.first(header), {}, payload,
                       buffer.subspan(body).first<kGcmTagLength>())) {
      return SrtpStatus::AuthFailed;
    }
  } else {
    uint8_t roc[4];
    writeU32(roc, static_cast<uint32_t>(index >> 16));
    std::array<uint8_t, SrtpCipher::kHmacSha1Length> digest;
    rtp_->hmacSha1(buffer.first(body), roc, digest);
    if (CRYPTO_memcmp(digest.data(), &buffer[body], kHmacTagLength) != 0) {
      return SrtpStatus::AuthFailed;
    }
    if (!rtp_->aesCm(aesCmIv(rtp_->salt(), ssrc, index), payload)) return SrtpStatus::Failed;
  }
  if (stream == &scratch) stream = streams_.insert(scratch);
  stream->rtp.accept(index);
  length = body;
  return SrtpStatus::Ok;
}

SrtpStatus SrtpSession::protectRtcp(std::span<uint8_t> buffer, size_t& length) {
  if (direction_ != SrtpDirection::Outbound || length < kRtcpFixedHeader) {
    return SrtpStatus::BadPacket;
  }
  if (buffer.size() < kRtcpTrailerRoom || length > buffer.size() - kRtcpTrailerRoom) {
    return SrtpStatus::BufferTooSmall;
  }
  if (!isRtcpV2(buffer.first(length))) return SrtpStatus::BadPacket;
  const uint32_t ssrc = readU32(&buffer[4]);
  SrtpStream scratch;
  SrtpStream* stream = streamFor(ssrc, scratch);
  if (stream == &scratch) stream = streams_.insert(scratch);
  if (stream->nextSrtcpIndex > kMaxSrtcpIndex) return SrtpStatus::Failed;  // RFC 3711 9.2
  const uint32_t index = stream->nextSrtcpIndex++;
  uint8_t flagAndIndex[kSrtcpIndexLength];
  writeU32(flagAndIndex, kEncryptedFlag | index);

  const std::span<uint8_t> body = buffer.subspan(kRtcpFixedHeader, length - kRtcpFixedHeader);
  if (profile_ == SrtpProfile::AeadAes128Gcm) {
    // RFC 7714 section 9.2: AAD = first 8 octets || E || SRTCP index; tag, then E || index.
    if (!rtcp_->gcmSeal(aesGcmIv(rtcp_->salt(), ssrc, index), buffer.first(kRtcpFixedHeader),
                        flagAndIndex, body, buffer.subspan(length).first<kGcmTagLength>())) {
      return SrtpStatus::Failed;
    }
    std::memcpy(&buffer[length + kGcmTagLength], flagAndIndex, kSrtcpIndexLength);
    length += kGcmTagLength + kSrtcpIndexLength;
    return SrtpStatus::Ok;
  }
  // RFC 3711 section 3.4: encrypt, append E || index, then the tag over everything before it.
  if (!rtcp_->aesCm(aesCmIv(rtcp_->salt(), ssrc, index), body)) return SrtpStatus::Failed;
  std::memcpy(&buffer[length], flagAndIndex, kSrtcpIndexLength);
  length += kSrtcpIndexLength;
  std::array<uint8_t, SrtpCipher::kHmacSha1Length> digest;
  rtcp_->hmacSha1(buffer.first(length), {}, digest);
  std::memcpy(&buffer[length], digest.data(), kHmacTagLength);
  length += kHmacTagLength;
  return SrtpStatus::Ok;
}

SrtpStatus SrtpSession::unprotectRtcp(std::span<uint8_t> buffer, size_t& length) {
  const size_t tag = tagLength();
  if (direction_ != SrtpDirection::Inbound || length > buffer.size() ||
      length < kRtcpFixedHeader + kSrtcpIndexLength + tag || !isRtcpV2(buffer.first(length))) {
    return SrtpStatus::BadPacket;
  }
  const bool gcm = profile_ == SrtpProfile::AeadAes128Gcm;
  // AES-CM: ... | E||index | tag;  AES-GCM: ... | tag | E||index.
  const size_t indexAt = gcm ? length - kSrtcpIndexLength : length - tag - kSrtcpIndexLength;
  const size_t tagAt = gcm ? indexAt - tag : length - tag;
  const size_t bodyEnd = gcm ? tagAt : indexAt;
  const uint32_t flagAndIndex = readU32(&buffer[indexAt]);
  const bool encrypted = (flagAndIndex & kEncryptedFlag) != 0;
  const uint32_t index = flagAndIndex & kMaxSrtcpIndex;
  const uint32_t ssrc = readU32(&buffer[4]);

  SrtpStream scratch;
  SrtpStream* stream = streamFor(ssrc, scratch);
  if (stream->rtcp.check(index) != ReplayWindow::Verdict::New) return SrtpStatus::Replayed;

  const std::span<uint8_t> body = buffer.subspan(kRtcpFixedHeader, bodyEnd - kRtcpFixedHeader);
  if (gcm) {
    // RFC 7714 section 9.3: an unencrypted SRTCP packet is all AAD with an empty plaintext.
    const auto iv = aesGcmIv(rtcp_->salt(), ssrc, index);
    const auto aadTail = buffer.subspan(indexAt, kSrtcpIndexLength);
    const auto tagBytes = buffer.subspan(tagAt).first<kGcmTagLength>();
    const bool ok = encrypted ? rtcp_->gcmOpen(iv, buffer.first(kRtcpFixedHeader), aadTail, body,
                                               tagBytes)
                              : rtcp_->gcmOpen(iv, buffer.first(bodyEnd), aadTail, {}, tagBytes);
    if (!ok) return SrtpStatus::AuthFailed;
  } else {
    std::array<uint8_t, SrtpCipher::kHmacSha1Length> digest;
    rtcp_->hmacSha1(buffer.first(tagAt), {}, digest);
    if (CRYPTO_memcmp(digest.data(), &buffer[tagAt], kHmacTagLength) != 0) {
      return SrtpStatus::AuthFailed;
    }
    if (encrypted && !rtcp_->aesCm(aesCmIv(rtcp_->salt(), ssrc, index), body)) {
      return SrtpStatus::Failed;
    }
  }
  if (stream == &scratch) stream = streams_.insert(scratch);
  stream->rtcp.accept(index);
  length = bodyEnd;
  return SrtpStatus::Ok;
}

bool SrtpSession::removeStream(uint32_t ssrc) { return streams_.remove(ssrc); }

}  // namespace fluxmeet::media::srtp
