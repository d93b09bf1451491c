#include "fluxmeet/notify/reminder_scheduler.hpp"

#include <spdlog/spdlog.h>

namespace fluxmeet::notify {

ReminderScheduler::ReminderScheduler(store::Store& store, UserNotifier& notifier)
    : store_(store), notifier_(notifier) {}

PushPayload ReminderScheduler::reminderPayload(const store::DueReminder& reminder, store::UnixTime now) {
  // Rounded up: 4 min 10 s to go reads "in 5 minutes", never "in 0 minutes".
  const store::UnixTime minutes = std::max<store::UnixTime>(1, (reminder.startsAt - now + 59) / 60);
  return PushPayload{.kind = PushKind::Reminder,
                     .title = reminder.title,
                     .body = "Starts in " + std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes"),
                     .url = "/m/" + reminder.code,
                     .tag = "reminder:" + reminder.code};
}

Result<size_t> ReminderScheduler::runOnce(store::UnixTime now) {
  if (now - lastPrune_ >= 3600) {
    const auto retention = std::chrono::duration_cast<std::chrono::seconds>(kSentNotificationRetention).count();
    if (auto pruned = store_.pruneSentNotifications(now - retention); !pruned) return pruned.error();
    lastPrune_ = now;
  }
  auto due = store_.listDueReminders(now);
  if (!due) return std::move(due).takeError();
  size_t sent = 0;
  for (const store::DueReminder& reminder : *due) {
    auto claimed = store_.claimNotification(
        store::reminderNotificationKey(reminder.meetingId, reminder.startsAt, reminder.userId), now);
    if (!claimed) return std::move(claimed).takeError();
    if (!*claimed) continue;
    // Useless once the meeting has started: the push service may drop it after that.
    const auto ttl = std::chrono::seconds(std::max<store::UnixTime>(60, reminder.startsAt - now));
    push::PushMessageOptions options{.ttl = ttl, .urgency = push::Urgency::High};
    auto queued = notifier_.notifyUser(reminder.userId, reminderPayload(reminder, now), options);
    if (!queued) {
      spdlog::warn("push: reminder for meeting {} not sent: {}", reminder.code, queued.error().message);
      continue;
    }
    ++sent;
  }
  return sent;
}

void ReminderScheduler::start(boost::asio::io_context& io, std::chrono::milliseconds interval,
                              std::function<store::UnixTime()> clock) {
  timer_ = std::make_unique<boost::asio::steady_timer>(io);
  interval_ = interval;
  clock_ = std::move(clock);
  if (auto pass = runOnce(clock_()); !pass) spdlog::warn("push: reminder pass failed: {}", pass.error().message);
  arm();
}

void ReminderScheduler::stop() {
  if (timer_) timer_->cancel();
}

void ReminderScheduler::arm() {
  timer_->expires_after(interval_);
  timer_->async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    if (auto pass = runOnce(clock_()); !pass) spdlog::warn("push: reminder pass failed: {}", pass.error().message);
    arm();
  });
}

}  // namespace fluxmeet::notify
