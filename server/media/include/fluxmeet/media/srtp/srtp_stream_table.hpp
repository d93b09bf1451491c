#pragma once
// Per-SSRC SRTP/SRTCP state of one SrtpSession (RFC 3711 section 3.2.1 "cryptographic context":
// everything but the keys, which all SSRCs of a session share): the RTP replay window, whose
// highest index also holds the rollover counter and s_l of section 3.3.1, the SRTCP replay window
// (section 3.4) and, for a sender, the next SRTCP index.
// https://www.rfc-editor.org/rfc/rfc3711#section-3.2.1
//
// SrtpStreamTable: an open-addressing hash index (linear probing, backward-shift deletion) over
// a dense array of streams. It allocates at construction and when a new SSRC pushes it past its
// capacity, which doubles - never for a packet of a known SSRC. At most kMaxStreams streams: a
// new SSRC beyond that evicts the least recently used stream (see insert()).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fluxmeet/media/srtp/srtp_replay_window.hpp"

namespace fluxmeet::media::srtp {

struct SrtpStream {
  uint32_t ssrc = 0;
  // SRTCP index this sender puts on its next packet (31 bits, RFC 3711 section 3.4).
  uint32_t nextSrtcpIndex = 0;
  uint64_t lastUsed = 0;  // SrtpStreamTable's clock at the last find()/insert()
  ReplayWindow rtp;       // packet indices i = 2^16 * ROC + SEQ
  ReplayWindow rtcp;      // SRTCP indices
};

class SrtpStreamTable {
 public:
  // An SFU transport carries up to ~2 SSRCs per consumer (media + RTX) and a router allows 500
  // consumers per transport, plus the SSRCs of consumers closed since (nobody removes those).
  static constexpr size_t kMaxStreams = 1024;

  explicit SrtpStreamTable(size_t initialCapacity = 8);

  // The stream of `ssrc`, or nullptr. Marks it as most recently used. The pointer stays valid
  // until the next insert() or remove().
  SrtpStream* find(uint32_t ssrc);

  // Adds `stream` (its ssrc must not be present) and returns the stored copy. When the table
  // holds kMaxStreams already, the least recently used stream is dropped first: an inbound
  // session only inserts after a packet authenticated, so only the peer can cause this; an
  // outbound stream revived after eviction restarts at ROC 0, acceptable because the evicted
  // one is the stream idle longest among more than a thousand.
  SrtpStream* insert(const SrtpStream& stream);

  bool remove(uint32_t ssrc);
  size_t size() const { return streams_.size(); }

 private:
  static constexpr int32_t kEmpty = -1;
  size_t home(uint32_t ssrc) const;
  size_t slotOf(uint32_t ssrc) const;  // slot holding ssrc, or slots_.size() when absent
  void rehash(size_t slotCount);
  void evictLeastRecentlyUsed();

  std::vector<SrtpStream> streams_;  // dense; order changes on remove()
  std::vector<int32_t> slots_;       // index into streams_ or kEmpty; size a power of two
  uint64_t clock_ = 0;
};

}  // namespace fluxmeet::media::srtp
