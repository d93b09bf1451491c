#include "fluxmeet/notify/meeting_activity_notifier.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "fluxmeet/common/clock.hpp"

namespace fluxmeet::notify {
namespace {

bool isContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string startedNotificationKey(store::Id meetingId, store::UnixTime startedAt) {
  return "started:" + std::to_string(meetingId) + ":" + std::to_string(startedAt);
}

std::string previewText(std::string_view text, size_t maxCharacters) {
  if (maxCharacters == 0) return {};
  size_t characters = 0;
  size_t cutAt = text.size();  // where the (maxCharacters)th code point starts
  for (size_t i = 0; i < text.size(); ++i) {
    if (isContinuationByte(text[i])) continue;
    if (characters == maxCharacters - 1) cutAt = i;
    if (characters == maxCharacters) return std::string(text.substr(0, cutAt)) + "\u2026";
    ++characters;
  }
  return std::string(text);
}

MeetingActivityNotifier::MeetingActivityNotifier(store::Store& store, UserNotifier& notifier,
                                                 std::function<Clock::time_point()> now,
                                                 std::function<store::UnixTime()> wallClock)
    : store_(store),
      notifier_(notifier),
      now_(now ? std::move(now) : [] { return Clock::now(); }),
      wallClock_(wallClock ? std::move(wallClock) : [] { return unixNow(); }) {}

PushPayload MeetingActivityNotifier::startedPayload(const store::Meeting& meeting, std::string_view startedBy) {
  return PushPayload{.kind = PushKind::Started,
                     .title = meeting.title,
                     .body = std::string(startedBy) + " started the meeting",
                     .url = "/m/" + meeting.code,
                     .tag = "started:" + meeting.code};
}

PushPayload MeetingActivityNotifier::chatPayload(const store::Meeting& meeting, const store::ChatMessage& message) {
  return PushPayload{.kind = PushKind::Chat,
                     .title = message.senderName + " in " + meeting.title,
                     .body = previewText(message.body, kChatPreviewCharacters),
                     .url = "/m/" + meeting.code,
                     .tag = "chat:" + meeting.code,
                     .meetingCode = meeting.code};
}

bool MeetingActivityNotifier::settingOn(store::Id userId, bool store::NotificationSettings::*setting) {
  auto settings = store_.notificationSettings(userId);
  if (!settings) {
    spdlog::warn("push: notification settings of user {}: {}", userId, settings.error().message);
    return false;
  }
  return (*settings).*setting;
}

void MeetingActivityNotifier::onMeetingClosed(const store::Meeting& meeting) { closedAt_[meeting.id] = now_(); }

void MeetingActivityNotifier::onMeetingStarted(const store::Meeting& meeting, std::string_view startedBy,
                                               const std::vector<store::Id>& presentUserIds) {
  const Clock::time_point now = now_();
  std::erase_if(closedAt_, [now](const auto& entry) { return now - entry.second >= kStartQuietPeriod; });
  // Back within the quiet period (everyone left and came straight back): the same session.
  if (closedAt_.erase(meeting.id) != 0 || !meeting.startedAt) return;
  auto invitees = store_.listInvitedUserIds(meeting.id);
  if (!invitees) {
    spdlog::warn("push: invitees of meeting {}: {}", meeting.code, invitees.error().message);
    return;
  }
  if (invitees->empty()) return;
  auto claimed = store_.claimNotification(startedNotificationKey(meeting.id, *meeting.startedAt), wallClock_());
  if (!claimed) {
    spdlog::warn("push: start of meeting {} not announced: {}", meeting.code, claimed.error().message);
    return;
  }
  if (!*claimed) return;
  const PushPayload payload = startedPayload(meeting, startedBy);
  // Worth little once the meeting is well under way.
  const push::PushMessageOptions options{.ttl = std::chrono::minutes(15), .urgency = push::Urgency::High};
  for (const store::Id userId : *invitees) {
    if (std::find(presentUserIds.begin(), presentUserIds.end(), userId) != presentUserIds.end()) continue;
    if (!settingOn(userId, &store::NotificationSettings::meetingStarted)) continue;
    if (auto queued = notifier_.notifyUser(userId, payload, options); !queued) {
      spdlog::warn("push: start of meeting {} not sent to user {}: {}", meeting.code, userId, queued.error().message);
    }
  }
}

void MeetingActivityNotifier::onChatMessage(const store::Meeting& meeting, const store::ChatMessage& message,
                                            const std::vector<store::Id>& recipientUserIds) {
  if (recipientUserIds.empty()) return;
  const Clock::time_point now = now_();
  std::erase_if(lastChatPush_, [now](const auto& entry) { return now - entry.second >= kChatInterval; });
  const PushPayload payload = chatPayload(meeting, message);
  // A chat line is stale within a minute; the person is in the meeting and sees the rest there.
  const push::PushMessageOptions options{.ttl = std::chrono::seconds(60), .urgency = push::Urgency::Normal};
  for (const store::Id userId : recipientUserIds) {
    if (message.senderUserId && *message.senderUserId == userId) continue;
    const auto key = std::make_pair(meeting.id, userId);
    if (lastChatPush_.count(key) != 0) continue;
    if (!settingOn(userId, &store::NotificationSettings::chat)) continue;
    lastChatPush_[key] = now;
    if (auto queued = notifier_.notifyUser(userId, payload, options); !queued) {
      spdlog::warn("push: chat of meeting {} not sent to user {}: {}", meeting.code, userId, queued.error().message);
    }
  }
}

}  // namespace fluxmeet::notify
