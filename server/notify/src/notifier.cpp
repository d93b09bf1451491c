#include "fluxmeet/notify/notifier.hpp"

#include <spdlog/spdlog.h>

#include "fluxmeet/common/clock.hpp"

namespace fluxmeet::notify {

Notifier::Notifier(store::Store& store, std::string publicKey, bool allowPlainHttp)
    : store_(store), publicKey_(std::move(publicKey)), allowPlainHttp_(allowPlainHttp) {}

Notifier::~Notifier() = default;

Result<std::unique_ptr<Notifier>> Notifier::create(store::Store& store, NotifierOptions options) {
  std::unique_ptr<Notifier> notifier(
      new Notifier(store, options.vapidKeys.publicKeyBase64Url(), options.allowPlainHttp));
  std::weak_ptr<int> alive = notifier->alive_;
  auto post = std::move(options.post);
  push::PushSenderOptions senderOptions{.vapidKeys = std::move(options.vapidKeys),
                                        .subject = std::move(options.subject),
                                        .allowPlainHttp = options.allowPlainHttp,
                                        .extraCaFile = std::move(options.extraCaFile)};
  // The result is handed to the control thread; it finds the Notifier there only if it still exists.
  senderOptions.post = [post, alive](std::function<void()> callback) {
    post([alive, callback = std::move(callback)] {
      if (!alive.expired()) callback();
    });
  };
  auto sender = push::PushSender::create(std::move(senderOptions));
  if (!sender) return std::move(sender).takeError();
  notifier->sender_ = std::move(*sender);
  return notifier;
}

Result<size_t> Notifier::notifyUser(store::Id userId, const PushPayload& payload,
                                    const push::PushMessageOptions& options) {
  auto subscriptions = store_.listPushSubscriptions(userId);
  if (!subscriptions) return std::move(subscriptions).takeError();
  const std::string body = payload.toJson();
  size_t queued = 0;
  for (const store::PushSubscriptionRecord& row : *subscriptions) {
    auto sent = sender_->send(push::PushSubscription{row.endpoint, row.p256dh, row.auth}, body, options,
                              [this](const push::PushResult& result) { onResult(result); });
    if (sent) {
      ++queued;
    } else {
      // Endpoints are validated when saved, so this is a full queue or a shutdown: best effort.
      ++counters_.failed;
      spdlog::warn("push: {} not queued: {}", pushKindName(payload.kind), sent.error().message);
    }
  }
  return queued;
}

void Notifier::onResult(const push::PushResult& result) {
  switch (result.outcome) {
    case push::PushOutcome::Delivered:
      ++counters_.delivered;
      if (auto marked = store_.markPushDelivered(result.endpoint, unixNow()); !marked) {
        spdlog::warn("push: recording a delivery failed: {}", marked.error().message);
      }
      break;
    case push::PushOutcome::Gone:
      ++counters_.gone;
      if (auto deleted = store_.deletePushSubscriptionByEndpoint(result.endpoint); !deleted) {
        spdlog::warn("push: deleting a gone subscription failed: {}", deleted.error().message);
      }
      break;
    case push::PushOutcome::Failed:
      ++counters_.failed;
      // The endpoint is a capability URL: log only the push service's origin.
      spdlog::info("push: delivery to {} failed after {} attempt(s), HTTP {}: {}",
                   push::endpointOrigin(result.endpoint).ok() ? *push::endpointOrigin(result.endpoint) : "?",
                   result.attempts, result.httpStatus, result.error);
      break;
  }
}

}  // namespace fluxmeet::notify
