// The SFU end to end without a browser: a real MediaWorker on 127.0.0.1, a Router set up through
// the same calls server/meeting/src/room_media.cpp makes, and our own WebRTC clients
// (client::MediaClient: ICE controlling agent + DTLS client + SRTP) - one publisher sending Opus
// and a three-layer VP8 simulcast (rids r0, r1, r2 with mid), two subscribers each consuming both
// tracks. Everything is bounded by packet counts and short timeouts; nothing asserts on speed.
#include "sfu_loopback_fixture.hpp"

namespace fluxmeet::media {
namespace {

TEST_F(SfuLoopbackTest, BothSubscribersGetOpusAndVp8WithRewrittenContinuousHeaders) {
  ASSERT_TRUE(pumpUntil([&] {
    return receivingVideo(60) && std::all_of(subscribers_.begin(), subscribers_.end(),
                                             [](const auto& s) { return s->audioPackets.size() >= 20; });
  }));
  const auto& routerOpus = subscribers_[0]->audio.rtpParameters.codecs.at(0);
  const auto& routerVp8 = subscribers_[0]->video.rtpParameters.codecs.at(0);
  ASSERT_EQ(routerOpus.mimeType, "audio/opus");
  ASSERT_EQ(routerVp8.mimeType, "video/VP8");
  for (const auto& subscriber : subscribers_) {
    SCOPED_TRACE(subscriber->transportId);
    EXPECT_EQ(subscriber->unexpected, 0u);
    // Router SSRCs and payload types, not the publisher's.
    for (uint32_t ssrc : {subscriber->videoSsrc(), subscriber->audioSsrc()}) {
      EXPECT_FALSE(vp8_->layerOfSsrc(ssrc).has_value());
      EXPECT_NE(ssrc, opus_->ssrc());
    }
    for (const auto& packet : subscriber->audioPackets) {
      ASSERT_EQ(packet.payloadType, routerOpus.payloadType);
      ASSERT_TRUE(packet.trailer.has_value());
      // RFC 6464 level, re-numbered to the subscriber's extension id: V=1, 30 dBov.
      ASSERT_EQ(packet.audioLevel, 0x80 | 30);
    }
    EXPECT_NE(routerOpus.payloadType, opus_->options().payloadType);
    for (const auto& packet : subscriber->videoPackets) {
      ASSERT_EQ(packet.payloadType, routerVp8.payloadType);
      ASSERT_TRUE(packet.trailer.has_value());
      // Nothing chose a layer: the consumer forwards the highest one.
      ASSERT_EQ(packet.trailer->layer, 2);
    }
    EXPECT_NE(routerVp8.payloadType, vp8_->options().payloadType);
    // The consumer's stream starts with a keyframe and has no holes.
    ASSERT_TRUE(subscriber->videoPackets.front().keyframe);
    EXPECT_TRUE(subscriber->videoPackets.front().trailer->keyframe);
    ASSERT_NO_FATAL_FAILURE(expectContinuous(subscriber->videoPackets, "video"));
    ASSERT_NO_FATAL_FAILURE(expectContinuous(subscriber->audioPackets, "audio"));
    ASSERT_NO_FATAL_FAILURE(expectPictureIdsContinuous(subscriber->videoPackets));
    // Timestamps are moved by one constant offset: the publisher's layer-2 timestamp of the frame
    // the trailer names, plus the consumer's own base.
    const auto sourceTimestamp = [this](const ReceivedRtp& packet) {
      return vp8_->layer(2).timestampBase + packet.trailer->frame * (90000 / kFps);
    };
    const uint32_t videoOffset =
        subscriber->videoPackets.front().timestamp - sourceTimestamp(subscriber->videoPackets.front());
    EXPECT_NE(videoOffset, 0u);
    for (const auto& packet : subscriber->videoPackets)
      ASSERT_EQ(packet.timestamp - sourceTimestamp(packet), videoOffset);
    // 20 ms of Opus per packet, at 48 kHz.
    for (size_t i = 1; i < subscriber->audioPackets.size(); ++i) {
      ASSERT_EQ(subscriber->audioPackets[i].timestamp - subscriber->audioPackets[i - 1].timestamp, 960u) << i;
    }
    // Frames arrive in order and whole: each trailer frame number follows the previous.
    for (size_t i = 1; i < subscriber->videoPackets.size(); ++i) {
      const auto& previous = *subscriber->videoPackets[i - 1].trailer;
      const auto& current = *subscriber->videoPackets[i].trailer;
      ASSERT_TRUE(current.frame == previous.frame || current.frame == previous.frame + 1) << i;
      ASSERT_EQ(subscriber->videoPackets[i].frameStart, current.frame != previous.frame) << i;
    }
  }
  // Two consumers of one producer: different SSRCs and their own sequence spaces.
  EXPECT_NE(subscribers_[0]->videoSsrc(), subscribers_[1]->videoSsrc());
  EXPECT_NE(subscribers_[0]->audioSsrc(), subscribers_[1]->audioSsrc());
}

TEST_F(SfuLoopbackTest, LostPacketIsRepairedByNackAsRtxCarryingTheOriginalSequenceNumber) {
  ASSERT_TRUE(pumpUntil([&] { return receivingVideo(20); }));
  Subscriber& lossy = *subscribers_[0];
  ASSERT_NE(lossy.rtxSsrc(), 0u) << "RTX must be negotiated with router capabilities";
  uint8_t rtxPayloadType = 0;
  for (const auto& codec : lossy.video.rtpParameters.codecs) {
    if (ortc::isRtxMimeType(codec.mimeType)) rtxPayloadType = static_cast<uint8_t>(codec.payloadType);
  }
  ASSERT_NE(rtxPayloadType, 0);

  // The network loses the next video packet to this subscriber.
  std::optional<uint16_t> lost;
  const uint32_t videoSsrc = lossy.videoSsrc();
  lossy.client->setRtpDropFilter([&lost, videoSsrc](uint32_t ssrc, uint16_t sequence) {
    if (ssrc != videoSsrc || lost) return false;
    lost = sequence;
    return true;
  });
  const size_t before = lossy.videoPackets.size();
  ASSERT_TRUE(pumpUntil([&] { return lost && lossy.videoPackets.size() > before; }));
  const auto& after = lossy.videoPackets.back();
  ASSERT_EQ(after.sequenceNumber, static_cast<uint16_t>(*lost + 1)) << "the gap the receiver sees";
  const uint32_t previousTimestamp = lossy.videoPackets[before - 1].timestamp;

  const uint16_t missing[] = {*lost};
  ASSERT_TRUE(lossy.client->sendNack(0x5EED0001, videoSsrc, missing));
  ASSERT_TRUE(pumpUntil([&] { return !lossy.rtxPackets.empty(); }));
  const auto& rtx = lossy.rtxPackets.front();
  // RFC 4588 section 4: RTX SSRC and payload type, the original sequence number first.
  EXPECT_EQ(rtx.ssrc, lossy.rtxSsrc());
  EXPECT_EQ(rtx.payloadType, rtxPayloadType);
  EXPECT_EQ(rtx.originalSequenceNumber, *lost);
  // The repaired packet belongs where the hole was.
  EXPECT_FALSE(rtp::isNewerTimestamp(previousTimestamp, rtx.timestamp));
  EXPECT_FALSE(rtp::isNewerTimestamp(rtx.timestamp, after.timestamp));
  ASSERT_TRUE(rtx.trailer.has_value());
  EXPECT_EQ(rtx.trailer->layer, 2);
  EXPECT_EQ(lossy.client->stats().srtpFailures, 0u);

  const auto stats = consumerStats("0-video");
  EXPECT_EQ(stats.nacksReceived, 1u);
  EXPECT_EQ(stats.packetsRetransmitted, 1u);
  EXPECT_TRUE(subscribers_[1]->rtxPackets.empty());
}

TEST_F(SfuLoopbackTest, LayerSwitchWaitsForAKeyframeOfTheNewLayerAndKeepsPictureIdsContinuous) {
  ASSERT_TRUE(pumpUntil([&] { return subscribers_[0]->videoFromLayer(2) >= 30; }));
  Subscriber& switching = *subscribers_[0];
  // The publisher answers keyframe requests five frames late, as an encoder may.
  keyframeDelayFrames_ = 5;
  const size_t requestedAt = switching.videoPackets.size();
  const size_t plisBefore = plisFor(0);
  ASSERT_TRUE(onRouter([](router::Router& router) { return router.setPreferredLayers("0-video", 0, std::nullopt); }));

  ASSERT_TRUE(pumpUntil([&] { return switching.videoFromLayer(0) > 0; }));
  EXPECT_GT(plisFor(0), plisBefore) << "the SFU asks the publisher for a layer-0 keyframe";
  const auto firstLow = std::find_if(switching.videoPackets.begin() + static_cast<std::ptrdiff_t>(requestedAt),
                                     switching.videoPackets.end(), [](const auto& p) { return p.trailer->layer == 0; });
  ASSERT_NE(firstLow, switching.videoPackets.end());
  // The switch lands on the keyframe, and layer 2 was forwarded until then (the publisher kept
  // sending layer-0 delta frames meanwhile; none was forwarded).
  EXPECT_TRUE(firstLow->frameStart);
  EXPECT_TRUE(firstLow->keyframe);
  EXPECT_TRUE(firstLow->trailer->keyframe);
  size_t highFrames = 0;
  for (auto it = switching.videoPackets.begin() + static_cast<std::ptrdiff_t>(requestedAt); it != firstLow; ++it) {
    ASSERT_EQ(it->trailer->layer, 2);
    if (it->frameStart) ++highFrames;
  }
  EXPECT_GE(highFrames, 4u) << "layer 2 keeps flowing while the keyframe is on its way";

  const size_t switchIndex = static_cast<size_t>(firstLow - switching.videoPackets.begin());
  ASSERT_TRUE(pumpUntil([&] { return switching.videoPackets.size() >= switchIndex + 20; }));
  for (size_t i = switchIndex; i < switching.videoPackets.size(); ++i) {
    ASSERT_EQ(switching.videoPackets[i].trailer->layer, 0) << "no layer-2 packet after the switch";
  }
  ASSERT_NO_FATAL_FAILURE(expectContinuous(switching.videoPackets, "video across the switch"));
  ASSERT_NO_FATAL_FAILURE(expectPictureIdsContinuous(switching.videoPackets));
  EXPECT_EQ(onRouter([](router::Router& router) { return router.findConsumer("0-video")->currentSpatialLayer(); }), 0);

  // The other subscriber did not move.
  for (const auto& packet : subscribers_[1]->videoPackets) ASSERT_EQ(packet.trailer->layer, 2);
}

TEST_F(SfuLoopbackTest, IceRestartInTheMiddleKeepsMediaFlowing) {
  ASSERT_TRUE(pumpUntil([&] { return receivingVideo(20); }));
  Subscriber& restarting = *subscribers_[0];
  const auto oldUfrag = restarting.client->ice().remoteCredentials().ufrag;

  // Subscriber side: new server credentials (signaling's restartIce), then new checks.
  auto credentials = onRouter([&](router::Router& router) { return router.restartIce(restarting.transportId); });
  ASSERT_TRUE(credentials);
  EXPECT_NE(credentials->ufrag, oldUfrag);
  size_t mark = restarting.videoPackets.size();
  ASSERT_TRUE(pumpUntil([&] { return restarting.videoPackets.size() >= mark + 10; }))
      << "media keeps flowing between the server's restart and the client's new checks";
  const uint64_t successesBefore = restarting.client->ice().stats().successResponses;
  restarting.client->restartIce(*credentials);
  ASSERT_TRUE(pumpUntil([&] {
    return restarting.client->ice().state() == client::IceAgentState::Connected &&
           restarting.client->ice().stats().successResponses > successesBefore;
  }));
  mark = restarting.videoPackets.size();
  ASSERT_TRUE(pumpUntil([&] { return restarting.videoPackets.size() >= mark + 20; }));

  // Publisher side, the same in the middle of the call.
  auto publisherCredentials =
      onRouter([&](router::Router& router) { return router.restartIce(publisher_.transportId); });
  ASSERT_TRUE(publisherCredentials);
  publisher_.client->restartIce(*publisherCredentials);
  ASSERT_TRUE(pumpUntil([&] { return publisher_.client->ice().state() == client::IceAgentState::Connected; }));
  std::vector<size_t> marks;
  for (const auto& subscriber : subscribers_) marks.push_back(subscriber->videoPackets.size());
  ASSERT_TRUE(pumpUntil([&] {
    for (size_t i = 0; i < subscribers_.size(); ++i) {
      if (subscribers_[i]->videoPackets.size() < marks[i] + 20 || subscribers_[i]->audioPackets.empty()) return false;
    }
    return true;
  }));

  EXPECT_EQ(restarting.client->ice().stats().restarts, 1u);
  EXPECT_EQ(restarting.client->ice().stats().errorResponses, 0u);
  for (const auto& subscriber : subscribers_) {
    ASSERT_NO_FATAL_FAILURE(expectContinuous(subscriber->videoPackets, "video across ICE restarts"));
    ASSERT_NO_FATAL_FAILURE(expectContinuous(subscriber->audioPackets, "audio across ICE restarts"));
  }
  const auto stats = onRouter([](router::Router& router) { return router.transportStats(); });
  for (const auto& transport : stats) {
    EXPECT_EQ(transport.state, "connected") << transport.id;
    EXPECT_EQ(transport.counters.srtpFailures, 0u) << transport.id;
  }
}

TEST_F(SfuLoopbackTest, PliFromASubscriberReachesThePublisherRateLimited) {
  ASSERT_TRUE(pumpUntil([&] { return receivingVideo(10); }));
  // Let the start-up keyframe requests age out of the SFU's 300 ms limiter window.
  ASSERT_TRUE(pumpUntil([&] { return plis_.empty() || Clock::now() - plis_.back().second > 400ms; }));
  const size_t plisBefore = plisFor(2);
  const size_t keyframesBefore = vp8_->layer(2).keyframes;
  const uint64_t requestsBefore = consumerStats("0-video").keyframeRequests;

  // Five PLIs in one compound: the router sees them within microseconds of each other.
  Subscriber& asking = *subscribers_[0];
  std::vector<uint8_t> compound;
  for (int i = 0; i < 5; ++i) {
    std::array<uint8_t, 12> pli{};
    ASSERT_TRUE(rtcp::writePli(pli, 0x5EED0002, asking.videoSsrc()));
    compound.insert(compound.end(), pli.begin(), pli.end());
  }
  const size_t mark = asking.videoPackets.size();
  ASSERT_TRUE(asking.client->sendRtcp(compound));
  ASSERT_TRUE(pumpUntil([&] { return plisFor(2) > plisBefore; }));
  ASSERT_TRUE(pumpUntil([&] {
    return std::any_of(asking.videoPackets.begin() + static_cast<std::ptrdiff_t>(mark), asking.videoPackets.end(),
                       [](const auto& p) { return p.keyframe; });
  })) << "the publisher's keyframe reaches the subscriber that asked";
  pumpFor(50ms);

  EXPECT_EQ(plisFor(2), plisBefore + 1) << "five requests, one PLI to the publisher";
  EXPECT_EQ(vp8_->layer(2).keyframes, keyframesBefore + 1);
  EXPECT_EQ(consumerStats("0-video").keyframeRequests, requestsBefore + 5);
  ASSERT_NO_FATAL_FAILURE(expectContinuous(asking.videoPackets, "video"));
}

TEST_F(SfuLoopbackTest, SecondSubscriberSwitchingInsideTheKeyframeRateLimitStillGetsItsKeyframe) {
  ASSERT_TRUE(
      pumpUntil([&] { return subscribers_[0]->videoFromLayer(2) >= 10 && subscribers_[1]->videoFromLayer(2) >= 10; }));
  // Subscriber 1 switches down; the publisher's layer-0 keyframe arrives at once.
  ASSERT_TRUE(onRouter([](router::Router& router) { return router.setPreferredLayers("1-video", 0, std::nullopt); }));
  ASSERT_TRUE(pumpUntil([&] { return subscribers_[1]->videoFromLayer(0) > 0; }));
  // Subscriber 0 switches down right after, inside the SFU's 300 ms limiter window for that
  // layer: its own request is swallowed, the keyframe it needs has already gone by.
  ASSERT_TRUE(onRouter([](router::Router& router) { return router.setPreferredLayers("0-video", 0, std::nullopt); }));
  ASSERT_TRUE(pumpUntil([&] { return subscribers_[0]->videoFromLayer(0) > 0; }))
      << "the consumer waits forever for a keyframe nobody asked for";
  ASSERT_NO_FATAL_FAILURE(expectContinuous(subscribers_[0]->videoPackets, "video"));
  ASSERT_NO_FATAL_FAILURE(expectPictureIdsContinuous(subscribers_[0]->videoPackets));
}


// A recorder-like reader of a producer (router::RtpTap): called on the worker thread.
struct CountingTap : router::RtpTap {
  void onRtp(const rtp::RtpPacketView& packet, int64_t arrivalNs) override {
    ++packets;
    lastSsrc = packet.ssrc();
    lastArrivalNs = arrivalNs;
  }
  void onSenderReport(const rtcp::SenderInfo& report, int64_t) override {
    ++senderReports;
    lastReportSsrc = report.ssrc;
  }
  std::atomic<size_t> packets{0};
  std::atomic<uint32_t> lastSsrc{0};
  std::atomic<int64_t> lastArrivalNs{0};
  std::atomic<size_t> senderReports{0};
  std::atomic<uint32_t> lastReportSsrc{0};
};

TEST_F(SfuLoopbackTest, TapReadsTheHighestActiveLayerItsSenderReportsAndAsksForKeyframes) {
  CountingTap video;
  CountingTap audio;
  CountingTap pinned;
  ASSERT_TRUE(onRouter([&](router::Router& router) { return router.attachTap("video", video); }));
  ASSERT_TRUE(onRouter([&](router::Router& router) { return router.attachTap("audio", audio); }));
  ASSERT_TRUE(onRouter([&](router::Router& router) { return router.attachTap("video", pinned, 0); }));
  EXPECT_FALSE(onRouter([&](router::Router& router) { return router.attachTap("video", video); }))
      << "one tap, one attachment";
  EXPECT_FALSE(onRouter([&](router::Router& router) { return router.attachTap("nope", video); }));
  EXPECT_FALSE(onRouter([&](router::Router& router) { return router.attachTap("video", pinned, 3); }));
  ASSERT_TRUE(pumpUntil([&] { return video.packets > 50 && audio.packets > 20 && pinned.packets > 20; }));
  EXPECT_EQ(video.lastSsrc.load(), 0x11110002u) << "the highest layer";
  EXPECT_EQ(pinned.lastSsrc.load(), 0x11110000u) << "the layer asked for";
  EXPECT_EQ(audio.lastSsrc.load(), 0x22220000u);
  EXPECT_NEAR(static_cast<double>(video.lastArrivalNs.load()),
              static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                      Clock::now().time_since_epoch()).count()),
              1e9);

  // Sender reports of the tapped encoding reach the tap; those of other layers do not.
  for (uint32_t ssrc : {0x11110002u, 0x11110001u}) {
    std::array<uint8_t, 28> report{};
    rtcp::SenderInfo info{.ssrc = ssrc, .ntpTimestamp = 1ull << 32, .rtpTimestamp = 90000};
    auto size = rtcp::writeSenderReport(report, info, {});
    ASSERT_TRUE(size);
    ASSERT_TRUE(publisher_.client->sendRtcp(std::span(report.data(), *size)));
  }
  ASSERT_TRUE(pumpUntil([&] { return video.senderReports > 0; }));
  pumpFor(50ms);
  EXPECT_EQ(video.senderReports.load(), 1u);
  EXPECT_EQ(video.lastReportSsrc.load(), 0x11110002u);
  EXPECT_EQ(pinned.senderReports.load(), 0u);

  // Keyframe requests go through the router's per-stream limiter, for the tapped layer.
  ASSERT_TRUE(pumpUntil([&] { return plis_.empty() || Clock::now() - plis_.back().second > 400ms; }));
  const size_t before = plisFor(2);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(onRouter([&](router::Router& router) { return router.requestTapKeyframe("video", video); }));
  }
  ASSERT_TRUE(pumpUntil([&] { return plisFor(2) > before; }));
  pumpFor(50ms);
  EXPECT_EQ(plisFor(2), before + 1);

  onRouter([&](router::Router& router) { router.detachTap("video", video); });
  EXPECT_EQ(onRouter([&](router::Router& router) { return router.tapCount("video"); }), 1u);
  const size_t after = video.packets;
  pumpFor(100ms);
  EXPECT_EQ(video.packets.load(), after) << "detached: nothing more";
  EXPECT_FALSE(onRouter([&](router::Router& router) { return router.requestTapKeyframe("video", video); }));
  // Closing the producer drops its taps.
  onRouter([&](router::Router& router) { router.closeProducer("audio"); });
  EXPECT_EQ(onRouter([&](router::Router& router) { return router.tapCount("audio"); }), 0u);
}

}  // namespace
}  // namespace fluxmeet::media
