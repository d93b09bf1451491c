#include "fluxmeet/notify/waiting_room_notifier.hpp"

#include <spdlog/spdlog.h>

namespace fluxmeet::notify {

WaitingRoomNotifier::WaitingRoomNotifier(store::Store& store, UserNotifier& notifier,
                                         std::function<Clock::time_point()> now)
    : store_(store), notifier_(notifier), now_(now ? std::move(now) : [] { return Clock::now(); }) {}

PushPayload WaitingRoomNotifier::waitingPayload(const store::Meeting& meeting, std::string_view displayName) {
  return PushPayload{.kind = PushKind::Waiting,
                     .title = "Someone is waiting: " + meeting.title,
                     .body = std::string(displayName) + " is waiting in the waiting room",
                     .url = "/m/" + meeting.code,
                     .tag = "waiting:" + meeting.code};
}

void WaitingRoomNotifier::onLobbyWaiting(const store::Meeting& meeting, std::string_view displayName,
                                         bool hostPresent) {
  if (hostPresent || meeting.hostId == 0) return;
  const Clock::time_point now = now_();
  std::erase_if(lastSent_, [now](const auto& entry) { return now - entry.second >= kMinInterval; });
  if (lastSent_.count(meeting.id)) return;
  auto settings = store_.notificationSettings(meeting.hostId);
  if (!settings) {
    spdlog::warn("push: waiting-room settings of meeting {}: {}", meeting.code, settings.error().message);
    return;
  }
  if (!settings->waitingRoom) return;
  lastSent_[meeting.id] = now;
  // Stale after a few minutes: the person has given up or been let in by then.
  push::PushMessageOptions options{.ttl = std::chrono::minutes(5), .urgency = push::Urgency::High};
  if (auto queued = notifier_.notifyUser(meeting.hostId, waitingPayload(meeting, displayName), options); !queued) {
    spdlog::warn("push: waiting-room notification for {} not sent: {}", meeting.code, queued.error().message);
  }
}

}  // namespace fluxmeet::notify
