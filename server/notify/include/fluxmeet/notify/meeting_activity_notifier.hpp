#pragma once
// MeetingActivityNotifier: the pushes a live meeting causes (issue 9, docs/api.md "What is sent").
//   started: once per start of a meeting (a room nobody was in gets its first person, after it
//            was closed for at least kStartQuietPeriod), to its invitees with an account who have
//            meetingStarted on and are not in it. The start's key in sent_notifications makes it
//            once even if two nodes saw the same start.
//   chat:    each message, to the other signed-in people in the meeting with chat on, at most one
//            push per person and meeting every kChatInterval (later ones in the window are
//            dropped; the tag makes the newest replace the older on the device). The service
//            worker shows it only when no window of the app is on that meeting.
// A meeting::ActivityListener set on the rooms by the signaling wiring; runs on the control
// thread, where the Store lives. Chat messages have no private recipients in Flux Meet: every
// message goes to the whole room, so its text is only pushed to people who received it anyway.
#include <chrono>
#include <functional>
#include <map>
#include <utility>

#include "fluxmeet/meeting/activity_listener.hpp"
#include "fluxmeet/notify/notifier.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::notify {

// The sent-notification key of a meeting's start: "started:<meetingId>:<startedAt>".
std::string startedNotificationKey(store::Id meetingId, store::UnixTime startedAt);

// The first `maxCharacters` code points of UTF-8 `text`; a longer text is cut to one less and
// ends with "…", so the result is never longer than `maxCharacters` code points.
std::string previewText(std::string_view text, size_t maxCharacters);

class MeetingActivityNotifier final : public meeting::ActivityListener {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::minutes kStartQuietPeriod{5};
  static constexpr std::chrono::seconds kChatInterval{15};
  static constexpr size_t kChatPreviewCharacters = 120;

  // `now` is the clock (tests pass their own); empty: steady_clock. `wallClock` gives the time
  // written with a claimed key; empty: the system clock.
  MeetingActivityNotifier(store::Store& store, UserNotifier& notifier, std::function<Clock::time_point()> now = {},
                          std::function<store::UnixTime()> wallClock = {});

  void onMeetingStarted(const store::Meeting& meeting, std::string_view startedBy,
                        const std::vector<store::Id>& presentUserIds) override;
  void onMeetingClosed(const store::Meeting& meeting) override;
  void onChatMessage(const store::Meeting& meeting, const store::ChatMessage& message,
                     const std::vector<store::Id>& recipientUserIds) override;

  static PushPayload startedPayload(const store::Meeting& meeting, std::string_view startedBy);
  static PushPayload chatPayload(const store::Meeting& meeting, const store::ChatMessage& message);

 private:
  // One of the user's notification settings; false (and a warning) when it cannot be read.
  bool settingOn(store::Id userId, bool store::NotificationSettings::*setting);

  store::Store& store_;
  UserNotifier& notifier_;
  std::function<Clock::time_point()> now_;
  std::function<store::UnixTime()> wallClock_;
  std::map<store::Id, Clock::time_point> closedAt_;  // by meeting id; pruned as it is used
  std::map<std::pair<store::Id, store::Id>, Clock::time_point> lastChatPush_;  // (meeting, user); pruned
};

}  // namespace fluxmeet::notify
