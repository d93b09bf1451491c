#include "probe_source.hpp"

#include <algorithm>
#include <utility>

namespace fluxmeet::tools {
namespace {

namespace client = media::client;
using namespace std::chrono_literals;

class SyntheticVideoSource final : public ProbeSource {
 public:
  explicit SyntheticVideoSource(client::SyntheticVp8Options options)
      : source_(std::move(options)),
        interval_(std::chrono::microseconds(1'000'000 / std::max<uint32_t>(source_.options().fps, 1))) {}

  Clock::duration sendFrame(int64_t sendTimeNs, const PacketSink& sink) override {
    source_.sendFrame(sendTimeNs, sink);
    return interval_;
  }
  bool requestKeyframe(uint32_t ssrc) override { return source_.requestKeyframeForSsrc(ssrc); }
  uint64_t keyframesSent() const override { return source_.layer(0).keyframes; }
  media::ortc::RtpParameters producerParameters() const override { return source_.producerParameters(); }

 private:
  client::SyntheticVp8Source source_;
  Clock::duration interval_;
};

class SyntheticAudioSource final : public ProbeSource {
 public:
  explicit SyntheticAudioSource(client::SyntheticOpusOptions options) : source_(std::move(options)) {}

  Clock::duration sendFrame(int64_t sendTimeNs, const PacketSink& sink) override {
    source_.sendFrame(sendTimeNs, sink);
    return 20ms;  // SyntheticOpusSource::kSamplesPerFrame at 48 kHz
  }
  bool requestKeyframe(uint32_t) override { return false; }
  uint64_t keyframesSent() const override { return 0; }
  media::ortc::RtpParameters producerParameters() const override { return source_.producerParameters(); }

 private:
  client::SyntheticOpusSource source_;
};

}  // namespace

std::unique_ptr<ProbeSource> makeSyntheticVideoSource(client::SyntheticVp8Options options) {
  return std::make_unique<SyntheticVideoSource>(std::move(options));
}

std::unique_ptr<ProbeSource> makeSyntheticAudioSource(client::SyntheticOpusOptions options) {
  return std::make_unique<SyntheticAudioSource>(std::move(options));
}

}  // namespace fluxmeet::tools
