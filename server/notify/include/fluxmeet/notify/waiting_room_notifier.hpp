#pragma once
// WaitingRoomNotifier: "someone is waiting in your waiting room" to a meeting's host who is not
// in the meeting (issue 9), if their waitingRoom setting is on, at most once a minute per
// meeting so a queue of arrivals is one notification. A meeting::LobbyListener, set on the
// rooms by the signaling wiring; runs on the control thread.
#include <chrono>
#include <functional>
#include <map>

#include "fluxmeet/meeting/lobby_listener.hpp"
#include "fluxmeet/notify/notifier.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::notify {

class WaitingRoomNotifier final : public meeting::LobbyListener {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kMinInterval{60};

  // `now` is the clock (tests pass their own); empty: steady_clock.
  WaitingRoomNotifier(store::Store& store, UserNotifier& notifier, std::function<Clock::time_point()> now = {});

  void onLobbyWaiting(const store::Meeting& meeting, std::string_view displayName, bool hostPresent) override;

  static PushPayload waitingPayload(const store::Meeting& meeting, std::string_view displayName);

 private:
  store::Store& store_;
  UserNotifier& notifier_;
  std::function<Clock::time_point()> now_;
  std::map<store::Id, Clock::time_point> lastSent_;  // by meeting id; pruned as it is used
};

}  // namespace fluxmeet::notify
