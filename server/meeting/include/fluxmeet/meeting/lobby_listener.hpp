#pragma once
// LobbyListener: what a Room tells the outside when someone starts waiting in its lobby, so that
// a host who is not in the meeting can be told (Web Push, issue 9). The meeting module knows
// nothing of how; the listener is set by whoever wires the rooms (signaling) and runs on the
// control thread, inside the Room's join: it must be quick and must not call back into the Room.
#include <string_view>

#include "fluxmeet/store/store.hpp"

namespace fluxmeet::meeting {

class LobbyListener {
 public:
  virtual ~LobbyListener() = default;
  // `hostPresent`: the meeting's host has joined and is connected.
  virtual void onLobbyWaiting(const store::Meeting& meeting, std::string_view displayName, bool hostPresent) = 0;
};

}  // namespace fluxmeet::meeting
