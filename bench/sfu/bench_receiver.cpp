#include "bench_receiver.hpp"

#include <algorithm>

#include "fluxmeet/media/client/synthetic_trailer.hpp"

namespace fluxmeet::bench {

void BenchReceiver::startWindow() {
  counting_ = true;
  latenciesUs_.clear();
  for (auto& [ssrc, stream] : streams_) {
    stream.inWindow = false;
    stream.received = 0;
  }
}

void BenchReceiver::onRtp(const media::rtp::RtpPacketView& packet, int64_t arrivalNs) {
  auto& stream = streams_[packet.ssrc()];
  const int64_t sequence = stream.unwrapper.unwrap(packet.sequenceNumber());
  if (!counting_) return;
  if (!stream.inWindow) {
    stream.inWindow = true;
    stream.lowest = sequence;
    stream.highest = sequence;
  }
  stream.lowest = std::min(stream.lowest, sequence);
  stream.highest = std::max(stream.highest, sequence);
  ++stream.received;
  const auto trailer = media::client::readSyntheticTrailer(packet.payload());
  if (trailer && arrivalNs > 0 && arrivalNs >= trailer->sendTimeNs) {
    latenciesUs_.push_back(
        static_cast<uint32_t>(std::min<int64_t>((arrivalNs - trailer->sendTimeNs) / 1000, UINT32_MAX)));
  }
}

ReceiverTotals BenchReceiver::totals() const {
  ReceiverTotals totals;
  for (const auto& [ssrc, stream] : streams_) {
    if (!stream.inWindow) continue;
    ++totals.streams;
    totals.received += stream.received;
    totals.expected += static_cast<uint64_t>(stream.highest - stream.lowest + 1);
  }
  return totals;
}

}  // namespace fluxmeet::bench
