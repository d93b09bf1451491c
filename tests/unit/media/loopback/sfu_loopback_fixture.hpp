#pragma once
// The fixture of the SFU loopback tests (sfu_loopback_test.cpp, sfu_loss_test.cpp):
// the SFU end to end without a browser: a real MediaWorker on 127.0.0.1, a Router set up through
// the same calls server/meeting/src/room_media.cpp makes, and our own WebRTC clients
// (client::MediaClient: ICE controlling agent + DTLS client + SRTP) - one publisher sending Opus
// and a three-layer VP8 simulcast (rids r0, r1, r2 with mid), two subscribers each consuming both
// tracks. Everything is bounded by packet counts and short timeouts; nothing asserts on speed.
#include <gtest/gtest.h>
#include <poll.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "fluxmeet/media/client/media_client.hpp"
#include "fluxmeet/media/client/synthetic_opus_source.hpp"
#include "fluxmeet/media/client/synthetic_trailer.hpp"
#include "fluxmeet/media/client/synthetic_vp8_source.hpp"
#include "fluxmeet/media/codecs/vp8_payload_descriptor.hpp"
#include "fluxmeet/media/net/byte_io.hpp"
#include "fluxmeet/media/ortc/default_codecs.hpp"
#include "fluxmeet/media/ortc/ortc.hpp"
#include "fluxmeet/media/rtcp/feedback.hpp"
#include "fluxmeet/media/rtcp/remb.hpp"
#include "fluxmeet/media/rtcp/sender_report.hpp"
#include "fluxmeet/media/rtp/sequence_number.hpp"
#include "fluxmeet/media/worker/media_worker.hpp"

namespace fluxmeet::media {
namespace {

using namespace std::chrono_literals;
using client::MediaClient;
using Clock = std::chrono::steady_clock;

constexpr const char* kRouterId = "loopback-room";
constexpr uint32_t kFps = 100;  // video frames every 10 ms keep the test short
constexpr auto kFrameInterval = std::chrono::milliseconds(1000 / kFps);
constexpr auto kAudioInterval = 20ms;
constexpr auto kTimeout = 3s;

inline std::shared_ptr<dtls::DtlsCertificate> serverCertificate() {
  static auto certificate = dtls::DtlsCertificate::generate().value();
  return certificate;
}
inline std::shared_ptr<dtls::DtlsCertificate> clientCertificate() {
  static auto certificate = dtls::DtlsCertificate::generate().value();
  return certificate;
}

inline int64_t realtimeNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Router events arrive on the worker thread.
class RecordingRouterListener : public router::RouterListener {
 public:
  void onTransportClosed(const std::string&, const std::string& transportId, std::string_view reason) override {
    std::lock_guard lock(mutex_);
    closedTransports.push_back(transportId + ": " + std::string(reason));
  }
  void onConsumerClosed(const std::string&, const std::string&) override {}
  void onActiveSpeaker(const std::string&, const std::string&) override {}
  std::vector<std::string> closed() {
    std::lock_guard lock(mutex_);
    return closedTransports;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> closedTransports;
};

// One RTP packet as a subscriber saw it.
struct ReceivedRtp {
  uint32_t ssrc = 0;
  uint8_t payloadType = 0;
  uint16_t sequenceNumber = 0;
  uint32_t timestamp = 0;
  bool marker = false;
  std::optional<client::SyntheticTrailer> trailer;
  // VP8 (after the OSN for RTX).
  bool frameStart = false;
  bool keyframe = false;
  std::optional<uint16_t> pictureId;
  std::optional<uint8_t> tl0PicIdx;
  std::optional<uint16_t> originalSequenceNumber;  // RTX only (RFC 4588 section 4)
  std::optional<uint8_t> audioLevel;
};

inline void readVp8(std::span<const uint8_t> payload, ReceivedRtp& out) {
  out.trailer = client::readSyntheticTrailer(payload);
  const auto descriptor = codecs::Vp8PayloadDescriptor::parse(payload);
  if (!descriptor) return;
  out.frameStart = descriptor->startsFrame();
  out.keyframe = descriptor->isKeyframe();
  out.pictureId = descriptor->pictureId();
  out.tl0PicIdx = descriptor->tl0PicIdx();
}

struct Peer {
  std::unique_ptr<MediaClient> client;
  std::string transportId;
};

struct Subscriber : Peer {
  router::ConsumerParameters audio;
  router::ConsumerParameters video;
  std::vector<ReceivedRtp> audioPackets;
  std::vector<ReceivedRtp> videoPackets;
  std::vector<ReceivedRtp> rtxPackets;
  size_t unexpected = 0;

  uint32_t videoSsrc() const { return video.rtpParameters.encodings.at(0).ssrc.value(); }
  uint32_t rtxSsrc() const { return video.rtpParameters.encodings.at(0).rtxSsrc.value_or(0); }
  uint32_t audioSsrc() const { return audio.rtpParameters.encodings.at(0).ssrc.value(); }
  size_t videoFromLayer(size_t layer) const {
    return std::count_if(videoPackets.begin(), videoPackets.end(),
                         [layer](const auto& p) { return p.trailer && p.trailer->layer == layer; });
  }
};

class SfuLoopbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    worker_ = std::make_unique<worker::MediaWorker>(
        worker::MediaWorkerOptions{.index = 0, .listenIp = "127.0.0.1", .port = 0}, serverCertificate(), listener_);
    ASSERT_TRUE(worker_->start());
    capabilities_ = ortc::generateRouterRtpCapabilities(ortc::defaultMediaCodecs()).value();
    auto created = worker_->invoke([&] { return worker_->createRouter(kRouterId, capabilities_); });
    ASSERT_TRUE(created);

    vp8_ = std::make_unique<client::SyntheticVp8Source>(client::SyntheticVp8Options{
        .layers = {{.ssrc = 0x11110000, .rid = "r0", .bitrate = 100000, .width = 320, .height = 180},
                   {.ssrc = 0x11110001, .rid = "r1", .bitrate = 200000, .width = 640, .height = 360},
                   {.ssrc = 0x11110002, .rid = "r2", .bitrate = 600000, .width = 1280, .height = 720}},
        .fps = kFps,
        .maxPayloadSize = 500});
    opus_ = std::make_unique<client::SyntheticOpusSource>(client::SyntheticOpusOptions{.ssrc = 0x22220000});

    ASSERT_NO_FATAL_FAILURE(connectPeer(publisher_));
    publisher_.client->setRtcpHandler([this](const rtcp::RtcpCompound& compound) { onPublisherRtcp(compound); });
    ASSERT_TRUE(onRouter([&](router::Router& router) {
      return router.produce(publisher_.transportId, "audio", ortc::MediaKind::Audio, opus_->producerParameters());
    }));
    ASSERT_TRUE(onRouter([&](router::Router& router) {
      return router.produce(publisher_.transportId, "video", ortc::MediaKind::Video, vp8_->producerParameters());
    }));
    for (size_t i = 0; i < 2; ++i) {
      subscribers_.push_back(std::make_unique<Subscriber>());
      ASSERT_NO_FATAL_FAILURE(subscribe(*subscribers_.back(), std::to_string(i)));
    }
  }

  void TearDown() override {
    EXPECT_TRUE(listener_.closed().empty()) << listener_.closed().front();
    subscribers_.clear();
    publisher_.client.reset();
    worker_->stop();
  }

  template <class Task>
  auto onRouter(Task&& task) -> std::invoke_result_t<Task&, router::Router&> {
    return worker_->invoke([&] { return task(*worker_->findRouter(kRouterId)); });
  }

  router::ConsumerStats consumerStats(const std::string& consumerId) {
    return onRouter([&](router::Router& router) { return router.findConsumer(consumerId)->stats(); });
  }

  // createTransport + connectTransport as RoomMedia does, then ICE + DTLS from the client.
  void connectPeer(Peer& peer) {
    peer.transportId = "transport-" + std::to_string(nextTransport_++);
    auto parameters = onRouter([&](router::Router& router) { return router.createWebRtcTransport(peer.transportId); });
    ASSERT_TRUE(parameters);
    auto created = MediaClient::create({.certificate = clientCertificate()});
    ASSERT_TRUE(created);
    peer.client = std::move(*created);
    // mediasoup-client answers the server's role "auto" with "client".
    ASSERT_TRUE(onRouter([&](router::Router& router) {
      return router.connectTransport(peer.transportId, "client", "sha-256", peer.client->fingerprintSha256());
    }));
    ASSERT_TRUE(peer.client->connect({.candidate = ice::makeIpv4Address(127, 0, 0, 1, worker_->port()),
                                      .ice = {parameters->iceUfrag, parameters->icePassword},
                                      .fingerprint = parameters->fingerprintSha256}));
    ASSERT_TRUE(pumpUntil([&] { return peer.client->connected(); }))
        << "state " << client::mediaClientStateName(peer.client->state()) << " " << peer.client->failure();
    EXPECT_EQ(peer.client->srtpProfile(), srtp::SrtpProfile::AeadAes128Gcm);
  }

  // RoomMedia::consume creates consumers paused; the client resumes once it is set up.
  void subscribe(Subscriber& subscriber, const std::string& name) {
    ASSERT_NO_FATAL_FAILURE(connectPeer(subscriber));
    for (const char* producer : {"audio", "video"}) {
      auto consumed = onRouter([&](router::Router& router) {
        return router.consume(subscriber.transportId, name + "-" + producer, producer, capabilities_, true);
      });
      ASSERT_TRUE(consumed) << consumed.error().message;
      (std::string_view(producer) == "audio" ? subscriber.audio : subscriber.video) = std::move(*consumed);
    }
    uint8_t audioLevelId = 0;
    for (const auto& extension : subscriber.audio.rtpParameters.headerExtensions) {
      if (extension.uri == ortc::kAudioLevelUri) audioLevelId = static_cast<uint8_t>(extension.id);
    }
    subscriber.client->setRtpHandler([&subscriber, audioLevelId](rtp::RtpPacketView& packet, int64_t) {
      ReceivedRtp received{.ssrc = packet.ssrc(),
                           .payloadType = packet.payloadType(),
                           .sequenceNumber = packet.sequenceNumber(),
                           .timestamp = packet.timestamp(),
                           .marker = packet.marker()};
      const auto payload = packet.payload();
      if (received.ssrc == subscriber.videoSsrc()) {
        readVp8(payload, received);
        subscriber.videoPackets.push_back(received);
      } else if (received.ssrc == subscriber.rtxSsrc() && payload.size() > 2) {
        received.originalSequenceNumber = net::loadU16(payload.data());
        readVp8(payload.subspan(2), received);
        subscriber.rtxPackets.push_back(received);
      } else if (received.ssrc == subscriber.audioSsrc()) {
        received.trailer = client::readSyntheticTrailer(payload);
        if (const auto level = packet.findExtension(audioLevelId); level && !level->empty()) {
          received.audioLevel = (*level)[0];
        }
        subscriber.audioPackets.push_back(received);
      } else {
        ++subscriber.unexpected;
      }
    });
    for (const char* producer : {"audio", "video"}) {
      ASSERT_TRUE(
          onRouter([&](router::Router& router) { return router.setConsumerPaused(name + "-" + producer, false); }));
    }
  }

  // The publisher answers PLI/FIR like a browser: a keyframe on that encoding, optionally a few
  // frames late so a test can watch the SFU wait for it. NACKs (RFC 4585 6.2.1) it answers from
  // the packets the simulated network lost on the way out, and it keeps every REMB.
  void onPublisherRtcp(const rtcp::RtcpCompound& compound) {
    for (const auto& packet : compound) {
      if (packet.packetType == rtcp::packet_type::kRtpFeedback && packet.count == rtcp::fmt::kNack) {
        if (const auto nack = rtcp::NackView::parse(packet)) {
          nack->forEachLost([&](uint16_t sequence) {
            publisherNacks_.push_back({nack->mediaSsrc(), sequence});
            repairPublisherPacket(nack->mediaSsrc(), sequence);
          });
        }
        continue;
      }
      if (packet.packetType == rtcp::packet_type::kPayloadFeedback && packet.count == rtcp::fmt::kApplicationLayer) {
        if (const auto remb = rtcp::RembView::parse(packet)) publisherRembs_.push_back(remb->bitrateBps());
        continue;
      }
      if (packet.packetType != rtcp::packet_type::kPayloadFeedback || packet.count != rtcp::fmt::kPli) continue;
      const auto pli = rtcp::parsePli(packet);
      if (!pli) continue;
      plis_.push_back({pli->mediaSsrc, Clock::now()});
      vp8_->requestKeyframeForSsrc(pli->mediaSsrc, keyframeDelayFrames_);
    }
  }

  // Resends a packet the publisher's network lost: as the browser does, RTX (RFC 4588 section 4:
  // RTX SSRC and payload type, the original sequence number before the payload, repaired-rid
  // instead of rid) or, when repairWithRtx_ is off, the original packet again.
  void repairPublisherPacket(uint32_t ssrc, uint16_t sequence) {
    for (const auto& lost : publisherLost_) {
      if (net::loadU32(&lost[8]) != ssrc || net::loadU16(&lost[2]) != sequence) continue;
      std::vector<uint8_t> repair = lost;
      if (repairWithRtx_) {
        auto original = rtp::RtpPacketView::parse(repair);
        if (!original) return;
        auto extensions = original->extensionData();
        // One-byte elements (RFC 8285 section 4.2): id << 4 | (length - 1).
        for (size_t i = 0; i < extensions.size();) {
          if (extensions[i] == 0) {
            ++i;
            continue;
          }
          const uint8_t id = extensions[i] >> 4;
          if (id == vp8_->options().ridExtensionId) {
            extensions[i] = static_cast<uint8_t>(vp8_->options().repairedRidExtensionId << 4 | (extensions[i] & 0x0F));
          }
          i += 1 + (extensions[i] & 0x0F) + 1;
        }
        const size_t header = original->headerSize();
        repair.insert(repair.begin() + static_cast<std::ptrdiff_t>(header),
                      {static_cast<uint8_t>(sequence >> 8), static_cast<uint8_t>(sequence & 0xFF)});
        auto rtx = rtp::RtpPacketView::parse(repair);
        if (!rtx) return;
        rtx->setSsrc(kPublisherRtxSsrcBase + (ssrc & 0xFF));
        rtx->setPayloadType(vp8_->options().rtxPayloadType);
        rtx->setSequenceNumber(publisherRtxSequence_++);
      }
      publisher_.client->sendRtp(repair);
      ++publisherRepairs_;
      return;
    }
  }

  // The publisher's first send of each packet goes through publisherDrop_: true = the network
  // loses it (it is kept for a NACK).
  void sendFromPublisher(std::span<const uint8_t> packet) {
    if (publisherDrop_ && publisherDrop_(packet)) {
      publisherLost_.emplace_back(packet.begin(), packet.end());
      return;
    }
    publisher_.client->sendRtp(packet);
  }

  size_t plisFor(size_t layer) const {
    const uint32_t ssrc = vp8_->options().layers[layer].ssrc;
    return std::count_if(plis_.begin(), plis_.end(), [ssrc](const auto& pli) { return pli.first == ssrc; });
  }

  std::vector<MediaClient*> clients() {
    std::vector<MediaClient*> all;
    if (publisher_.client) all.push_back(publisher_.client.get());
    for (auto& subscriber : subscribers_) {
      if (subscriber->client) all.push_back(subscriber->client.get());
    }
    return all;
  }

  // Sends media on schedule (once the publisher is connected) and polls every client until
  // `done` holds or `timeout` passes.
  bool pumpUntil(const std::function<bool()>& done, Clock::duration timeout = kTimeout) {
    const auto deadline = Clock::now() + timeout;
    while (!done()) {
      const auto now = Clock::now();
      if (now >= deadline) return false;
      if (publisher_.client && publisher_.client->connected()) {
        auto send = [this](std::span<const uint8_t> packet) { sendFromPublisher(packet); };
        if (now >= nextVideo_) {
          vp8_->sendFrame(realtimeNs(), send);
          nextVideo_ = std::max(nextVideo_ + kFrameInterval, now);
        }
        if (now >= nextAudio_) {
          opus_->sendFrame(realtimeNs(), send);
          nextAudio_ = std::max(nextAudio_ + kAudioInterval, now);
        }
      }
      const auto all = clients();
      std::vector<pollfd> descriptors;
      for (auto* client : all) descriptors.push_back({.fd = client->fd(), .events = POLLIN, .revents = 0});
      ::poll(descriptors.data(), descriptors.size(), 2);
      for (auto* client : all) client->poll(0ms);
    }
    return true;
  }

  void pumpFor(Clock::duration duration) {
    const auto until = Clock::now() + duration;
    pumpUntil([until] { return Clock::now() >= until; }, duration + 1s);
  }

  bool receivingVideo(size_t minimum) {
    return std::all_of(subscribers_.begin(), subscribers_.end(),
                       [minimum](const auto& s) { return s->videoPackets.size() >= minimum; });
  }

  RecordingRouterListener listener_;
  std::unique_ptr<worker::MediaWorker> worker_;
  ortc::RtpCapabilities capabilities_;
  std::unique_ptr<client::SyntheticVp8Source> vp8_;
  std::unique_ptr<client::SyntheticOpusSource> opus_;
  Peer publisher_;
  std::vector<std::unique_ptr<Subscriber>> subscribers_;
  std::vector<std::pair<uint32_t, Clock::time_point>> plis_;
  uint32_t keyframeDelayFrames_ = 0;
  static constexpr uint32_t kPublisherRtxSsrcBase = 0x33330000;
  std::function<bool(std::span<const uint8_t>)> publisherDrop_;
  std::vector<std::vector<uint8_t>> publisherLost_;
  std::vector<std::pair<uint32_t, uint16_t>> publisherNacks_;  // media SSRC, sequence number
  std::vector<uint64_t> publisherRembs_;                       // bits/s
  bool repairWithRtx_ = true;
  uint16_t publisherRtxSequence_ = 7000;
  size_t publisherRepairs_ = 0;
  Clock::time_point nextVideo_{};
  Clock::time_point nextAudio_{};
  int nextTransport_ = 0;
};

// Every packet of `packets` continues the previous one: sequence + 1, timestamp not older.
inline void expectContinuous(const std::vector<ReceivedRtp>& packets, const char* what) {
  for (size_t i = 1; i < packets.size(); ++i) {
    ASSERT_EQ(packets[i].sequenceNumber, static_cast<uint16_t>(packets[i - 1].sequenceNumber + 1))
        << what << " packet " << i;
    ASSERT_FALSE(rtp::isNewerTimestamp(packets[i - 1].timestamp, packets[i].timestamp)) << what << " packet " << i;
  }
}

// Frame starts carry consecutive picture IDs (15 bits) and, all frames being TL0, TL0PICIDX.
inline void expectPictureIdsContinuous(const std::vector<ReceivedRtp>& packets) {
  std::optional<ReceivedRtp> previous;
  for (const auto& packet : packets) {
    if (!packet.frameStart) continue;
    ASSERT_TRUE(packet.pictureId && packet.tl0PicIdx);
    if (previous) {
      ASSERT_EQ(*packet.pictureId, (*previous->pictureId + 1) & 0x7FFF) << "seq " << packet.sequenceNumber;
      ASSERT_EQ(*packet.tl0PicIdx, static_cast<uint8_t>(*previous->tl0PicIdx + 1)) << "seq " << packet.sequenceNumber;
    }
    previous = packet;
  }
}

}  // namespace
}  // namespace fluxmeet::media
