#include "file_opus_source.hpp"

#include <random>
#include <string_view>
#include <utility>

#include "fluxmeet/media/client/rtp_packet_writer.hpp"

namespace fluxmeet::tools {
namespace {

namespace client = media::client;

constexpr uint32_t kAudioClockRate = 48000;  // RFC 7587 section 4.1
// RFC 6716 section 3.2.5: at most 120 ms of audio in one packet.
constexpr uint32_t kMaxPacketSamples = kAudioClockRate * 120 / 1000;
// What fits one payload next to the RTP header and extensions in packet_.
constexpr size_t kMaxOpusPacket = 1500;

Error invalidFile(const std::string& path, const std::string& why) {
  return makeError(ErrorCode::ValidationFailed, path + ": " + why, "file");
}

}  // namespace

std::optional<uint32_t> opusPacketSamples(std::span<const uint8_t> packet) {
  if (packet.empty()) return std::nullopt;
  const uint8_t config = packet[0] >> 3;
  // Frame size by configuration (section 3.1, Table 2), in 48 kHz samples.
  uint32_t frameSamples = 0;
  if (config < 12) {  // SILK-only: 10, 20, 40, 60 ms
    static constexpr uint32_t kSilk[4] = {480, 960, 1920, 2880};
    frameSamples = kSilk[config % 4];
  } else if (config < 16) {  // Hybrid: 10, 20 ms
    frameSamples = config % 2 == 0 ? 480 : 960;
  } else {  // CELT-only: 2.5, 5, 10, 20 ms
    static constexpr uint32_t kCelt[4] = {120, 240, 480, 960};
    frameSamples = kCelt[config % 4];
  }
  // Code c (section 3.2): 0 = one frame, 1 and 2 = two, 3 = M frames counted in the next byte.
  uint32_t frames = 1;
  switch (packet[0] & 0x03) {
    case 0:
      frames = 1;
      break;
    case 1:
    case 2:
      frames = 2;
      break;
    default:
      if (packet.size() < 2) return std::nullopt;
      frames = packet[1] & 0x3F;
      break;
  }
  const uint32_t samples = frameSamples * frames;
  if (samples == 0 || samples > kMaxPacketSamples) return std::nullopt;
  return samples;
}

Result<std::unique_ptr<FileOpusSource>> FileOpusSource::open(const std::string& path,
                                                             client::SyntheticOpusOptions stream) {
  const auto bytes = testsupport::readFile(path);
  if (bytes.empty()) return invalidFile(path, "cannot be read or is empty");
  auto opus = testsupport::parseOggOpus(bytes);
  if (opus.empty()) return invalidFile(path, "not an Ogg Opus file with audio packets");
  std::vector<Packet> packets;
  packets.reserve(opus.size());
  for (auto& data : opus) {
    const auto samples = opusPacketSamples(data);
    if (!samples || data.size() > kMaxOpusPacket) {
      return invalidFile(path, "packet " + std::to_string(packets.size()) + " is not a valid Opus packet");
    }
    packets.push_back({std::move(data), *samples});
  }
  return std::unique_ptr<FileOpusSource>(new FileOpusSource(std::move(packets), std::move(stream)));
}

FileOpusSource::FileOpusSource(std::vector<Packet> packets, client::SyntheticOpusOptions stream)
    : packets_(std::move(packets)), stream_(std::move(stream)) {
  std::mt19937 random(stream_.ssrc);
  sequenceNumber_ = static_cast<uint16_t>(random());
  timestamp_ = random();
}

ProbeSource::Clock::duration FileOpusSource::sendFrame(int64_t, const PacketSink& sink) {
  const Packet& packet = packets_[next_];
  // RFC 6464 section 3: V in the top bit, then the level in -dBov.
  const uint8_t level = static_cast<uint8_t>((stream_.voiceActivity ? 0x80 : 0x00) | (stream_.levelDbov & 0x7F));
  const std::string_view mid = stream_.mid;
  const client::RtpExtensionElement extensions[] = {
      {mid.empty() ? uint8_t{0} : stream_.midExtensionId, {reinterpret_cast<const uint8_t*>(mid.data()), mid.size()}},
      {stream_.audioLevelExtensionId, {&level, 1}},
  };
  const media::rtp::RtpHeaderFields fields{.marker = sent_ == 0,  // RFC 3551 section 4.1: a talkspurt's first
                                           .payloadType = stream_.payloadType,
                                           .sequenceNumber = sequenceNumber_,
                                           .timestamp = timestamp_,
                                           .ssrc = stream_.ssrc};
  if (const auto size = client::writeRtpPacket(packet_, fields, extensions, packet.data)) {
    ++sequenceNumber_;
    ++sent_;
    sink(std::span<const uint8_t>(packet_.data(), *size));
  }
  // The 48 kHz clock advances by the packet's duration, also over the jump back to the start.
  timestamp_ += packet.samples;
  next_ = (next_ + 1) % packets_.size();
  return std::chrono::duration_cast<Clock::duration>(std::chrono::microseconds(uint64_t{packet.samples} * 1'000'000 /
                                                                               kAudioClockRate));
}

media::ortc::RtpParameters FileOpusSource::producerParameters() const {
  return client::opusProducerParameters(stream_);
}

}  // namespace fluxmeet::tools
