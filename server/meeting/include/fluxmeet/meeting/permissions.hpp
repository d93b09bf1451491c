#pragma once
// Named permission checks of the meeting roles; docs/protocol.md's role x method table lists
// which method uses which. Each returns Forbidden with a message a user can read.
#include "fluxmeet/common/result.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::meeting {

using store::Role;

// Host or co-host.
bool isModerator(Role role);
// Lobby, mute others, mute all, remove, lock/unlock, settings, delete others' chat.
Result<void> ensureCanModerate(Role actor);
// Role changes, ending the meeting.
Result<void> ensureIsHost(Role actor);
// Drawing on the whiteboard (board.update, image uploads): everyone, but only hosts and
// co-hosts while the board is read-only.
Result<void> ensureCanDraw(Role actor, bool readOnly);
// Acting on another peer (remove): the host outranks everyone, a co-host outranks participants
// and guests; nobody outranks the host.
Result<void> ensureOutranks(Role actor, Role target);

}  // namespace fluxmeet::meeting
