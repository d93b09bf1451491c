// Loss and bandwidth on the publisher side of the SFU, end to end over loopback
// (fixture in sfu_loopback_fixture.hpp): a packet the publisher's network loses
// is asked for again by the SFU's NACK generator, the publisher's repair (RTX
// or a plain resend) reaches every subscriber in the lost packet's place, and
// the producer bitrate cap is enforced at produce time and told to the
// publisher by REMB.
#include "sfu_loopback_fixture.hpp"

namespace fluxmeet::media {
namespace {

class SfuLossTest : public SfuLoopbackTest {
 protected:
  static constexpr size_t kTopLayer = 2;

  // Drops the publisher's next top-layer packet that starts a frame; returns
  // its frame number once it was dropped.
  void dropNextFrameStart() {
    const uint32_t ssrc = vp8_->options().layers[kTopLayer].ssrc;
    publisherDrop_ = [this, ssrc](std::span<const uint8_t> packet) {
      if (droppedFrame_ || packet.size() < rtp::kFixedHeaderSize || net::loadU32(&packet[8]) != ssrc) return false;
      std::vector<uint8_t> copy(packet.begin(), packet.end());
      auto view = rtp::RtpPacketView::parse(copy);
      if (!view) return false;
      ReceivedRtp parsed;
      readVp8(view->payload(), parsed);
      if (!parsed.frameStart || !parsed.trailer) return false;
      droppedFrame_ = parsed.trailer->frame;
      droppedSequence_ = view->sequenceNumber();
      return true;
    };
  }

  // The packet of `subscriber` that starts the dropped frame, if it came.
  const ReceivedRtp *repairedPacket(const Subscriber &subscriber) const {
    for (const auto &packet : subscriber.videoPackets) {
      if (packet.frameStart && packet.trailer && packet.trailer->layer == kTopLayer &&
          packet.trailer->frame == droppedFrame_) {
        return &packet;
      }
    }
    return nullptr;
  }

  void expectLossRepaired(bool rtx) {
    repairWithRtx_ = rtx;
    ASSERT_TRUE(pumpUntil([&] { return receivingVideo(20); }));
    std::vector<size_t> marks;
    for (const auto &subscriber : subscribers_) marks.push_back(subscriber->videoPackets.size());
    dropNextFrameStart();
    ASSERT_TRUE(pumpUntil([&] {
      return droppedFrame_ && std::all_of(subscribers_.begin(), subscribers_.end(),
                                          [this](const auto &s) { return repairedPacket(*s) != nullptr; });
    })) << "the repair reaches both subscribers";
    pumpFor(100ms);

    // The SFU asked for exactly the lost packet, and the publisher's answer was
    // used once.
    const uint32_t topSsrc = vp8_->options().layers[kTopLayer].ssrc;
    ASSERT_FALSE(publisherNacks_.empty());
    for (const auto &[ssrc, sequence] : publisherNacks_) {
      EXPECT_EQ(ssrc, topSsrc);
      EXPECT_EQ(sequence, *droppedSequence_);
    }
    EXPECT_GE(publisherRepairs_, 1u);

    for (size_t i = 0; i < subscribers_.size(); ++i) {
      SCOPED_TRACE(subscribers_[i]->transportId);
      const auto &packets = subscribers_[i]->videoPackets;
      const ReceivedRtp *repaired = repairedPacket(*subscribers_[i]);
      ASSERT_NE(repaired, nullptr);
      // It came after its successor (late) but carries the sequence number of
      // its place: sorted by sequence number, everything since the mark is
      // gap-free, with no duplicate.
      std::vector<ReceivedRtp> since(packets.begin() + static_cast<std::ptrdiff_t>(marks[i]), packets.end());
      const auto repairedAt = static_cast<size_t>(repaired - packets.data());
      const auto successor = std::find_if(packets.begin(), packets.end(), [repaired](const auto &p) {
        return p.sequenceNumber == static_cast<uint16_t>(repaired->sequenceNumber + 1);
      });
      ASSERT_NE(successor, packets.end());
      EXPECT_LT(static_cast<size_t>(successor - packets.begin()), repairedAt) << "the repair came late";
      EXPECT_EQ(successor->trailer->frame, *droppedFrame_) << "and sits before the rest of its frame";
      EXPECT_EQ(successor->timestamp, repaired->timestamp);
      std::sort(since.begin(), since.end(),
                [](const auto &a, const auto &b) { return rtp::isNewerSequence(b.sequenceNumber, a.sequenceNumber); });
      ASSERT_NO_FATAL_FAILURE(expectContinuous(since, "video sorted by sequence number"));
      ASSERT_NO_FATAL_FAILURE(expectPictureIdsContinuous(since));
      EXPECT_TRUE(subscribers_[i]->rtxPackets.empty()) << "a repair from upstream is forwarded as media";
    }

    const auto stats = onRouter([](router::Router &router) { return router.producerStats(); });
    const auto video = std::find_if(stats.begin(), stats.end(), [](const auto &p) { return p.id == "video"; });
    ASSERT_NE(video, stats.end());
    const auto &top = video->streams.at(kTopLayer);
    EXPECT_GE(top.nacksSent, 1u);
    EXPECT_EQ(top.packetsRepaired, 1u);
    EXPECT_EQ(top.packetsUnrepaired, 0u);
    EXPECT_EQ(top.packetsLost, 0) << "repaired: nothing is missing any more";
    EXPECT_EQ(top.rtxPackets, rtx ? publisherRepairs_ : 0u);
    for (size_t layer = 0; layer < kTopLayer; ++layer) EXPECT_EQ(video->streams.at(layer).nacksSent, 0u);
    const auto counters = onRouter([](router::Router &router) { return router.counters(); });
    EXPECT_EQ(counters.nacksSent, top.nacksSent);
    EXPECT_EQ(counters.repairedPackets, 1u);
    EXPECT_EQ(counters.packetsLost, 0u);
  }

  std::optional<uint32_t> droppedFrame_;
  std::optional<uint16_t> droppedSequence_;
};

TEST_F(SfuLossTest, PublisherLossIsNackedAndTheRtxRepairTakesItsPlaceAtEverySubscriber) {
  ASSERT_NO_FATAL_FAILURE(expectLossRepaired(true));
}

TEST_F(SfuLossTest, PublisherLossRepairedOnTheSameSsrcWithoutRtxIsForwardedToo) {
  ASSERT_NO_FATAL_FAILURE(expectLossRepaired(false));
}

TEST_F(SfuLossTest, ProducerBitrateCapIsToldToThePublisherByRembAndTooLargeEncodingsAreRefused) {
  ASSERT_TRUE(pumpUntil([&] { return !publisherRembs_.empty(); }));
  // One video producer at the default cap plus the audio allowance; REMB's
  // 18-bit mantissa rounds down a little.
  const uint64_t expected = router::RouterLimits{}.maxProducerBitrate + 128'000;
  EXPECT_LE(publisherRembs_.back(), expected);
  EXPECT_GE(publisherRembs_.back(), expected - expected / 1000);
  const auto transports = onRouter([](router::Router &router) { return router.transportStats(); });
  const auto publisher = std::find_if(transports.begin(), transports.end(),
                                      [this](const auto &t) { return t.id == publisher_.transportId; });
  ASSERT_NE(publisher, transports.end());
  EXPECT_EQ(publisher->maxIncomingBitrate, expected);

  auto greedy = vp8_->producerParameters();
  greedy.mid = "7";
  for (auto &encoding : greedy.encodings) {
    encoding.rid = *encoding.rid + "x";
    encoding.maxBitrate = 1'500'000;  // 4.5 Mbit/s in all
  }
  const auto refused = onRouter([&](router::Router &router) {
    return router.produce(publisher_.transportId, "greedy", ortc::MediaKind::Video, greedy);
  });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::ValidationFailed);
  EXPECT_NE(refused.error().message.find("3000000"), std::string::npos) << refused.error().message;
  greedy.encodings.back().maxBitrate = 0;  // 3 Mbit/s exactly is allowed
  EXPECT_TRUE(onRouter([&](router::Router &router) {
    return router.produce(publisher_.transportId, "greedy", ortc::MediaKind::Video, greedy);
  }));
}

}  // namespace
}  // namespace fluxmeet::media
