#pragma once
// ActivityListener: what a Room tells the outside about its life and its chat, so that people
// who are not looking can be told (Web Push, issue 9: "the meeting started" to invitees, "new
// message" to participants whose app is in the background). The meeting module knows nothing of
// how. Set by whoever wires the rooms (signaling); called on the control thread from inside the
// Room's methods (never from a media worker): it must be quick and must not call back into the Room.
#include <string_view>
#include <vector>

#include "fluxmeet/store/store.hpp"

namespace fluxmeet::meeting {

class ActivityListener {
 public:
  virtual ~ActivityListener() = default;
  // Someone entered a room nobody was in: a new occurrence, already recorded in the store
  // (meeting.startedAt is its time). `presentUserIds`: the accounts in the meeting now.
  virtual void onMeetingStarted(const store::Meeting& meeting, std::string_view startedBy,
                                const std::vector<store::Id>& presentUserIds) = 0;
  // The room of a started meeting closed: ended by the host, emptied past its grace, or shutdown.
  virtual void onMeetingClosed(const store::Meeting& meeting) = 0;
  // A chat message was stored and sent to everyone in the room. `recipientUserIds`: the distinct
  // accounts of the other joined peers (never the sender's own account).
  virtual void onChatMessage(const store::Meeting& meeting, const store::ChatMessage& message,
                             const std::vector<store::Id>& recipientUserIds) = 0;
};

}  // namespace fluxmeet::meeting
