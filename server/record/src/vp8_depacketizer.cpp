#include "fluxmeet/record/vp8_depacketizer.hpp"

#include <optional>

#include "fluxmeet/media/codecs/vp8_payload_descriptor.hpp"

namespace fluxmeet::record {
namespace {

using media::codecs::Vp8PayloadDescriptor;

// Most frames fit; bigger keyframes grow the buffer once and it stays.
constexpr size_t kInitialFrameCapacity = 64 * 1024;

}  // namespace

Vp8Depacketizer::Vp8Depacketizer(FrameListener& listener, Vp8DepacketizerOptions options)
    : listener_(listener), options_(options), reorder_(options.reorderWindow, options.maxPacketSize) {
  frame_.reserve(std::min(kInitialFrameCapacity, options_.maxFrameSize));
}

PushResult Vp8Depacketizer::push(const media::rtp::RtpPacketView& packet) {
  return push(OrderedPacket{packet.sequenceNumber(), packet.timestamp(), packet.marker(), packet.payload()});
}

PushResult Vp8Depacketizer::push(const OrderedPacket& packet) {
  ++stats_.packets;
  reorder_.insert(packet, *this);
  return takeResult();
}

void Vp8Depacketizer::flush() {
  reorder_.flush(*this);
  // A frame still open at the end lost its last packet or its marker: we cannot tell which.
  if (state_ == State::Assembling) ++stats_.framesDropped;
  state_ = State::Idle;
  requestPending_ = false;
}

void Vp8Depacketizer::reset() {
  reorder_.reset();
  if (state_ == State::Assembling) ++stats_.framesDropped;
  state_ = State::Idle;
  waitingForKeyframe_ = true;
  keyframeRequested_ = false;
  requestPending_ = false;
}

PushResult Vp8Depacketizer::takeResult() {
  if (!requestPending_) return PushResult::Ok;
  requestPending_ = false;
  ++stats_.keyframeRequests;
  return PushResult::NeedKeyframe;
}

void Vp8Depacketizer::requireKeyframe() {
  waitingForKeyframe_ = true;
  keyframeRequested_ = true;
  requestPending_ = true;
}

void Vp8Depacketizer::discard(uint32_t timestamp, bool marker) {
  if (state_ == State::Assembling) ++stats_.framesDropped;
  frameTimestamp_ = timestamp;
  state_ = marker ? State::Idle : State::Discarding;
}

void Vp8Depacketizer::emitFrame() {
  state_ = State::Idle;
  ++stats_.frames;
  listener_.onFrame(EncodedFrame{frame_, frameTimestamp_, frameKeyframe_, width_, height_});
}

void Vp8Depacketizer::handleFrameStart(const OrderedPacket& packet, bool keyframe, uint16_t width,
                                       uint16_t height) {
  if (waitingForKeyframe_ && !keyframe) {
    ++stats_.framesSkipped;
    // The first frame skipped at the start of a recording asks for a keyframe; after a loss
    // the request went out already.
    if (!keyframeRequested_) requireKeyframe();
    discard(packet.timestamp, packet.marker);
    return;
  }
  if (keyframe) {
    waitingForKeyframe_ = false;
    keyframeRequested_ = false;
    width_ = width;
    height_ = height;
  }
  state_ = State::Assembling;
  frameTimestamp_ = packet.timestamp;
  frameKeyframe_ = keyframe;
  frame_.clear();
}

void Vp8Depacketizer::onOrderedPacket(const OrderedPacket& packet) {
  if (packet.afterGap && state_ != State::Idle) {
    // The hole may hold the end of the frame in progress or whole frames after it: either way
    // the picture chain is broken.
    discard(frameTimestamp_, false);
    requireKeyframe();
  } else if (packet.afterGap) {
    requireKeyframe();
  }
  // Padding-only packets (RFC 3550 section 5.1, bandwidth probing) take a sequence number but
  // carry no media.
  if (packet.payload.empty()) return;

  const std::optional<Vp8PayloadDescriptor> descriptor = Vp8PayloadDescriptor::parse(packet.payload);
  if (!descriptor) {
    ++stats_.malformed;
    discard(packet.timestamp, packet.marker);
    requireKeyframe();
    return;
  }

  if (state_ != State::Idle && packet.timestamp != frameTimestamp_) {
    if (state_ == State::Assembling && descriptor->startsFrame()) {
      emitFrame();  // in sequence and a new frame starts: the previous one only missed its marker
    } else if (state_ == State::Assembling) {
      discard(frameTimestamp_, false);
      requireKeyframe();
    }
    state_ = State::Idle;
  }
  if (state_ == State::Discarding) {
    if (packet.marker) state_ = State::Idle;
    return;
  }
  if (state_ == State::Idle) {
    if (!descriptor->startsFrame()) {
      // The start of this frame is missing although no hole was seen (a sender bug or a skipped
      // oversize packet): nothing decodable until a keyframe.
      ++stats_.framesDropped;
      discard(packet.timestamp, packet.marker);
      requireKeyframe();
      return;
    }
    const auto size = descriptor->keyframeSize();
    handleFrameStart(packet, descriptor->isKeyframe(), size ? size->width : 0, size ? size->height : 0);
    if (state_ != State::Assembling) return;
  } else if (descriptor->startsFrame()) {
    // A second first packet in one picture: not a stream we can trust.
    discard(packet.timestamp, packet.marker);
    requireKeyframe();
    return;
  }

  const std::span<const uint8_t> data = packet.payload.subspan(descriptor->size());
  if (frame_.size() + data.size() > options_.maxFrameSize) {
    ++stats_.oversizeFrames;
    discard(packet.timestamp, packet.marker);
    requireKeyframe();
    return;
  }
  frame_.insert(frame_.end(), data.begin(), data.end());
  if (packet.marker) emitFrame();
}

}  // namespace fluxmeet::record
