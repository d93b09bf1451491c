#include "fluxmeet/media/router/layer_allocator.hpp"

#include <algorithm>

namespace fluxmeet::media::router {
namespace {

constexpr size_t kMaxOrdered = 64;  // consumers ordered on the stack; the rest keep input order

int lowestActive(const LayerDemand &demand) {
  for (size_t i = 0; i <= demand.preferred && i < kMaxEncodings; ++i) {
    if (demand.active[i]) return static_cast<int>(i);
  }
  return -1;
}

int highestActive(const LayerDemand &demand) {
  int best = -1;
  for (size_t i = 0; i <= demand.preferred && i < kMaxEncodings; ++i) {
    if (demand.active[i]) best = static_cast<int>(i);
  }
  return best;
}

}  // namespace

void allocateLayers(std::span<const LayerDemand> demands, uint64_t available, std::span<int> chosen) {
  const size_t count = std::min(demands.size(), chosen.size());
  if (available == 0) {
    for (size_t i = 0; i < count; ++i) chosen[i] = highestActive(demands[i]);
    return;
  }
  int64_t budget = static_cast<int64_t>(available);
  for (size_t i = 0; i < count; ++i) {
    chosen[i] = lowestActive(demands[i]);
    if (chosen[i] >= 0) budget -= demands[i].bitrate[static_cast<size_t>(chosen[i])];
  }
  std::array<size_t, kMaxOrdered> order{};
  const size_t ordered = std::min(count, kMaxOrdered);
  for (size_t i = 0; i < ordered; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(ordered), [&](size_t a, size_t b) {
    if (demands[a].priority != demands[b].priority) return demands[a].priority > demands[b].priority;
    return demands[a].preferred > demands[b].preferred;
  });
  for (size_t n = 0; n < count; ++n) {
    const size_t i = n < ordered ? order[n] : n;
    const LayerDemand &demand = demands[i];
    if (chosen[i] < 0) continue;
    const auto base = static_cast<int64_t>(demand.bitrate[static_cast<size_t>(chosen[i])]);
    for (int layer = highestActive(demand); layer > chosen[i]; --layer) {
      if (!demand.active[static_cast<size_t>(layer)]) continue;
      const auto rate = static_cast<int64_t>(demand.bitrate[static_cast<size_t>(layer)]);
      const auto needed =
          layer > demand.current ? static_cast<int64_t>(static_cast<double>(rate) * kUpgradeHeadroom) : rate;
      if (needed - base > budget) continue;
      budget -= rate - base;
      chosen[i] = layer;
      break;
    }
  }
}

}  // namespace fluxmeet::media::router
