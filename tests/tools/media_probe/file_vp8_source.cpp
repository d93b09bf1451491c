#include "file_vp8_source.hpp"

#include <algorithm>
#include <cstring>
#include <random>
#include <string_view>
#include <utility>

#include "fluxmeet/media/client/rtp_packet_writer.hpp"

namespace fluxmeet::tools {
namespace {

namespace client = media::client;

constexpr uint64_t kVideoClockRate = 90000;  // RFC 7741 section 4.1

// RFC 7741 section 4.2 descriptor as Chrome writes it for one temporal layer: X = 1, S on a
// frame's first packet, PID 0; then I = 1 and a 15-bit picture ID (M = 1).
constexpr size_t kDescriptorSize = 4;
constexpr uint8_t kExtendedBit = 0x80;
constexpr uint8_t kStartBit = 0x10;
constexpr uint8_t kPictureIdPresent = 0x80;
constexpr uint8_t kLongPictureId = 0x80;

Error invalidFile(const std::string& path, const std::string& why) {
  return makeError(ErrorCode::ValidationFailed, path + ": " + why, "file");
}

}  // namespace

Result<std::unique_ptr<FileVp8Source>> FileVp8Source::open(const std::string& path,
                                                           client::SyntheticVp8Options stream) {
  if (stream.layers.empty()) return makeError(ErrorCode::InvalidRequest, "FileVp8Source needs one layer's SSRC");
  const auto bytes = testsupport::readFile(path);
  if (bytes.empty()) return invalidFile(path, "cannot be read or is empty");
  auto file = testsupport::parseIvfFile(bytes);
  if (!file) return invalidFile(path, "not an IVF file");
  if (std::string_view(file->fourcc.data(), file->fourcc.size()) != "VP80") return invalidFile(path, "not VP8");
  if (file->frames.empty()) return invalidFile(path, "has no frames");
  if (!file->frames.front().keyframe()) return invalidFile(path, "does not start with a keyframe");
  const auto empty = [](const testsupport::VideoFrame& frame) { return frame.data.empty(); };
  if (std::any_of(file->frames.begin(), file->frames.end(), empty)) return invalidFile(path, "has an empty frame");
  return std::unique_ptr<FileVp8Source>(new FileVp8Source(std::move(*file), std::move(stream)));
}

FileVp8Source::FileVp8Source(testsupport::IvfFile file, client::SyntheticVp8Options stream)
    : file_(std::move(file)), stream_(std::move(stream)), ssrc_(stream_.layers.front().ssrc) {
  stream_.maxPayloadSize = std::clamp<size_t>(stream_.maxPayloadSize, kDescriptorSize + 1, payload_.size());
  // A loop lasts from the first frame to one frame after the last (the last frame's distance to
  // the one before it; one unit for a file of one frame).
  const auto& frames = file_.frames;
  const uint64_t last = frames.back().pts - std::min(frames.back().pts, frames.front().pts);
  const uint64_t lastStep = frames.size() > 1 && frames.back().pts > frames[frames.size() - 2].pts
                                ? frames.back().pts - frames[frames.size() - 2].pts
                                : 1;
  loopLength_ = last + lastStep;
  std::mt19937 random(ssrc_);
  sequenceNumber_ = static_cast<uint16_t>(random());
  timestampBase_ = random();
  pictureId_ = static_cast<uint16_t>(random() & 0x7FFF);
}

uint64_t FileVp8Source::toRtpTicks(uint64_t ptsUnits) const {
  return ptsUnits * kVideoClockRate * file_.timebaseNumerator / file_.timebaseDenominator;
}

ProbeSource::Clock::duration FileVp8Source::toDuration(uint64_t ptsUnits) const {
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::microseconds(ptsUnits * 1'000'000 * file_.timebaseNumerator / file_.timebaseDenominator));
}

ProbeSource::Clock::duration FileVp8Source::sendFrame(int64_t, const PacketSink& sink) {
  const auto& frame = file_.frames[next_];
  const uint64_t firstPts = file_.frames.front().pts;
  const uint64_t offset = frame.pts - std::min(frame.pts, firstPts);
  // The 90 kHz clock runs on over loops: RTP timestamps wrap modulo 2^32 (RFC 3550 section 5.1).
  const auto timestamp = static_cast<uint32_t>(timestampBase_ + toRtpTicks(loops_ * loopLength_ + offset));
  const std::string_view mid = stream_.mid;
  const client::RtpExtensionElement extensions[] = {
      {mid.empty() ? uint8_t{0} : stream_.midExtensionId, {reinterpret_cast<const uint8_t*>(mid.data()), mid.size()}},
  };

  const size_t dataPerPacket = stream_.maxPayloadSize - kDescriptorSize;
  const std::span<const uint8_t> data(frame.data);
  for (size_t start = 0; start < data.size(); start += dataPerPacket) {
    const size_t length = std::min(dataPerPacket, data.size() - start);
    uint8_t* p = payload_.data();
    p[0] = static_cast<uint8_t>(kExtendedBit | (start == 0 ? kStartBit : 0));
    p[1] = kPictureIdPresent;
    p[2] = static_cast<uint8_t>(kLongPictureId | (pictureId_ >> 8));
    p[3] = static_cast<uint8_t>(pictureId_);
    std::memcpy(p + kDescriptorSize, data.data() + start, length);
    const media::rtp::RtpHeaderFields fields{.marker = start + length >= data.size(),
                                             .payloadType = stream_.payloadType,
                                             .sequenceNumber = sequenceNumber_,
                                             .timestamp = timestamp,
                                             .ssrc = ssrc_};
    const auto size =
        client::writeRtpPacket(packet_, fields, extensions, std::span(payload_.data(), kDescriptorSize + length));
    if (!size) break;
    ++sequenceNumber_;
    sink(std::span<const uint8_t>(packet_.data(), *size));
  }
  if (frame.keyframe()) ++keyframesSent_;
  pictureId_ = static_cast<uint16_t>((pictureId_ + 1) & 0x7FFF);

  // The next frame is due its pts distance later; after the last frame, the first one again.
  ++next_;
  uint64_t nextOffset = loopLength_;
  if (next_ == file_.frames.size()) {
    next_ = 0;
    ++loops_;
  } else {
    nextOffset = file_.frames[next_].pts - std::min(file_.frames[next_].pts, firstPts);
  }
  return toDuration(nextOffset - std::min(nextOffset, offset));
}

media::ortc::RtpParameters FileVp8Source::producerParameters() const {
  return client::vp8ProducerParameters(stream_);
}

}  // namespace fluxmeet::tools
