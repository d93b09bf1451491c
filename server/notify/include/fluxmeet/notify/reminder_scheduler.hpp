#pragma once
// ReminderScheduler: "your meeting starts in N minutes" to the host and to every invitee with an
// account of each scheduled meeting (issue 9), reminderMinutes (each their own setting) before it
// starts.
//
// Each pass reads what is due from the database (Store::listDueReminders) and claims each
// reminder's key in sent_notifications before sending, so a reminder goes out at most once, even
// across restarts and even if two passes overlap; a server that was down for part of the window
// sends it late on start, as long as the meeting has not begun. Claim-then-send means a crash
// between the two loses that reminder rather than doubling it.
//
// runOnce takes the time, so the due computation is tested with any clock; start() runs it on
// an asio timer on the control thread.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/notify/notifier.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::notify {

// Keys older than this are never looked at again: a reminder is at most 1440 minutes early and
// is only due before its meeting starts.
inline constexpr std::chrono::hours kSentNotificationRetention{48};

class ReminderScheduler {
 public:
  ReminderScheduler(store::Store& store, UserNotifier& notifier);

  // One pass at `now`: sends every reminder that is due and was not sent before. Returns how
  // many were sent.
  Result<size_t> runOnce(store::UnixTime now);

  // Runs a pass now and then every `interval` on `io` until stop(). `clock` gives the time.
  void start(boost::asio::io_context& io, std::chrono::milliseconds interval,
             std::function<store::UnixTime()> clock);
  void stop();

  static PushPayload reminderPayload(const store::DueReminder& reminder, store::UnixTime now);

 private:
  void arm();

  store::Store& store_;
  UserNotifier& notifier_;
  store::UnixTime lastPrune_ = 0;
  std::unique_ptr<boost::asio::steady_timer> timer_;
  std::chrono::milliseconds interval_{30000};
  std::function<store::UnixTime()> clock_;
};

}  // namespace fluxmeet::notify
