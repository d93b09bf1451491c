#pragma once
// GsoBatcher: plans how one send batch of a media worker goes out with UDP GSO (Linux 4.18+,
// UDP_SEGMENT: https://man7.org/linux/man-pages/man7/udp.7.html). A run is a series of datagrams
// to one destination, all of one size except the last, which may be shorter; the kernel takes a
// run as one sendmmsg entry (the payloads gathered by one iovec each, a UDP_SEGMENT control
// message giving the size) and splits it into datagrams as late as it can, so the route lookup,
// netfilter and qdisc are paid once per run instead of once per datagram.
//
// What groups in practice: a video frame forwarded to one consumer, which the sender split into
// equal packets (browsers do; the first or last packet may differ by a few bytes). Audio, RTX and
// RTCP break runs (other sizes), and so do other consumers on the same transport, which is fine:
// they go as runs of one, exactly as without GSO.
//
// Order: the batch interleaves destinations (packet 1 to every consumer, then packet 2...), so a
// run collects a destination's datagrams across the others; datagrams of one destination are
// never reordered. A run is only extended by the destination's very next datagram, and runs go
// out in the order of their first datagram, so each destination's datagrams leave in the order
// they were queued. Datagrams to different destinations may be reordered among themselves.
//
// Memory: fixed arrays sized for the largest batch; plan() allocates nothing and takes O(n).
// Threading: one media worker thread. Never throws.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "fluxmeet/media/ice/transport_address.hpp"

namespace fluxmeet::media::worker {

// One sendmmsg entry: `count` datagrams to one destination, whose slot indices are
// order()[first, first + count). Every datagram but the last is `segmentSize` bytes long.
struct GsoRun {
  uint16_t first = 0;
  uint16_t count = 0;
  uint16_t segmentSize = 0;
};

class GsoBatcher {
 public:
  static constexpr size_t kMaxDatagrams = 256;  // the largest batch plan() accepts
  // UDP_MAX_SEGMENTS in Linux 4.18 (later kernels allow more): the most datagrams per run.
  static constexpr size_t kMaxSegments = 64;
  // A run's payloads travel as one UDP datagram until segmentation, so they must fit one: 65535
  // bytes of IPv4 packet minus the 20-byte IPv4 and 8-byte UDP headers.
  static constexpr size_t kMaxRunBytes = 65507;

  // Plans the runs of `lengths.size()` queued datagrams (slot i: lengths[i] bytes to
  // destinations[i]; at most kMaxDatagrams; both spans of one size). With `gso` false every
  // datagram is a run of its own, in queue order.
  void plan(std::span<const size_t> lengths, std::span<const ice::TransportAddress> destinations, bool gso);

  std::span<const GsoRun> runs() const { return {runs_.data(), runCount_}; }
  // Slot indices, run after run.
  std::span<const uint16_t> order() const { return {order_.data(), datagramCount_}; }

 private:
  struct OpenRun {
    uint16_t head = 0;  // slot of the first datagram
    uint16_t tail = 0;  // slot of the last datagram so far
    uint16_t count = 0;
    uint16_t segmentSize = 0;
    size_t bytes = 0;
    bool closed = false;  // a shorter datagram ended it
  };
  // The open run of each destination in this batch, by hash with linear probing. Twice as many
  // entries as datagrams keeps probes short; the generation empties the table without clearing.
  static constexpr size_t kTableSize = 2 * kMaxDatagrams;
  struct TableEntry {
    uint32_t generation = 0;
    uint16_t run = 0;
  };

  void planPlain(std::span<const size_t> lengths);
  bool extend(OpenRun& run, uint16_t slot, size_t length);
  uint16_t startRun(uint16_t slot, size_t length);

  std::array<OpenRun, kMaxDatagrams> open_{};
  std::array<uint16_t, kMaxDatagrams> next_{};  // next slot of the same run
  std::array<TableEntry, kTableSize> table_{};
  uint32_t generation_ = 0;

  std::array<GsoRun, kMaxDatagrams> runs_{};
  std::array<uint16_t, kMaxDatagrams> order_{};
  size_t runCount_ = 0;
  size_t datagramCount_ = 0;
};

}  // namespace fluxmeet::media::worker
