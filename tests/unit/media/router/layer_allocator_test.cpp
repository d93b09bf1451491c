#include "fluxmeet/media/router/layer_allocator.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace fluxmeet::media::router {
namespace {

// Three encodings as the web client sends them (150k / 500k / 1.5M).
LayerDemand camera(int current = -1, uint8_t priority = 1, size_t preferred = 2) {
  return {.priority = priority,
          .preferred = preferred,
          .current = current,
          .bitrate = {150'000, 500'000, 1'500'000, 0},
          .active = {true, true, true, false}};
}

std::vector<int> allocate(std::vector<LayerDemand> &demands, uint64_t available) {
  std::vector<int> chosen(demands.size(), -1);
  allocateLayers(demands, available, chosen);
  // What the router does next: the choice becomes the consumer's target.
  for (size_t i = 0; i < demands.size(); ++i) demands[i].current = chosen[i];
  return chosen;
}

uint64_t sum(const std::vector<LayerDemand> &demands, const std::vector<int> &chosen) {
  uint64_t total = 0;
  for (size_t i = 0; i < demands.size(); ++i) total += demands[i].bitrate[static_cast<size_t>(chosen[i])];
  return total;
}

TEST(LayerAllocatorTest, WithoutAnEstimateEveryoneGetsItsPreferredLayer) {
  std::vector<LayerDemand> demands{camera(), camera(-1, 1, 1), camera(-1, 1, 0)};
  EXPECT_EQ(allocate(demands, 0), (std::vector<int>{2, 1, 0}));
}

TEST(LayerAllocatorTest, TheSumFitsTheEstimate) {
  std::vector<LayerDemand> demands{camera(), camera(), camera()};
  // 3 x 1.5M does not fit 2M; the first one in order gets the top, the others
  // what is left.
  const auto chosen = allocate(demands, 2'000'000);
  EXPECT_LE(sum(demands, chosen), 2'000'000u);
  EXPECT_EQ(chosen, (std::vector<int>{1, 1, 1}));  // 1.5M x 1.2 headroom does not fit 2M - 2x150k
}

TEST(LayerAllocatorTest, EveryoneKeepsAPictureWhenEvenTheLowestLayersDoNotFit) {
  std::vector<LayerDemand> demands{camera(), camera(), camera()};
  EXPECT_EQ(allocate(demands, 200'000), (std::vector<int>{0, 0, 0}));
}

TEST(LayerAllocatorTest, ScreenShareAndPinnedGoFirst) {
  std::vector<LayerDemand> demands{camera(), camera(-1, 2), camera()};
  const auto chosen = allocate(demands, 2'300'000);
  EXPECT_EQ(chosen[1], 2) << "the priority consumer gets the top layer";
  EXPECT_EQ(chosen[0], 1);
  EXPECT_EQ(chosen[2], 0);
  EXPECT_LE(sum(demands, chosen), 2'300'000u);
}

TEST(LayerAllocatorTest, APreferredLayerIsNeverExceeded) {
  std::vector<LayerDemand> demands{camera(-1, 1, 0), camera(-1, 1, 1)};
  EXPECT_EQ(allocate(demands, 50'000'000), (std::vector<int>{0, 1}));
}

TEST(LayerAllocatorTest, InactiveEncodingsAreSkipped) {
  LayerDemand demand = camera();
  demand.active = {false, true, false, false};
  std::vector<LayerDemand> demands{demand};
  EXPECT_EQ(allocate(demands, 50'000'000), (std::vector<int>{1}));
  demand.active = {false, false, false, false};
  demands = {demand};
  EXPECT_EQ(allocate(demands, 50'000'000), (std::vector<int>{-1}));
}

TEST(LayerAllocatorTest, FallingThenRisingEstimateMovesDownAtOnceAndUpOnlyWithHeadroom) {
  std::vector<LayerDemand> demands{camera(), camera()};
  EXPECT_EQ(allocate(demands, 4'000'000), (std::vector<int>{2, 2}));
  // Falling: the second one steps down as soon as both no longer fit.
  EXPECT_EQ(allocate(demands, 2'900'000), (std::vector<int>{2, 1}));
  EXPECT_EQ(allocate(demands, 1'000'000), (std::vector<int>{1, 1}));
  EXPECT_EQ(allocate(demands, 500'000), (std::vector<int>{0, 0}));
  // Rising just past what two layer-1 streams cost: not yet (20 % headroom for
  // an upgrade).
  EXPECT_EQ(allocate(demands, 1'050'000), (std::vector<int>{1, 0}));
  EXPECT_EQ(allocate(demands, 1'250'000), (std::vector<int>{1, 1}));
  // Hovering around 3M: once at the top it stays there while the sum fits,
  // without flipping.
  EXPECT_EQ(allocate(demands, 3'000'000), (std::vector<int>{2, 1}));
  EXPECT_EQ(allocate(demands, 3'200'000), (std::vector<int>{2, 1})) << "fits, but without the upgrade headroom";
  EXPECT_EQ(allocate(demands, 3'500'000), (std::vector<int>{2, 2}));
  for (uint64_t estimate : {3'050'000u, 3'300'000u, 3'000'000u, 3'200'000u}) {
    EXPECT_EQ(allocate(demands, estimate), (std::vector<int>{2, 2})) << estimate;
  }
  EXPECT_EQ(allocate(demands, 2'990'000), (std::vector<int>{2, 1}));
}

}  // namespace
}  // namespace fluxmeet::media::router
