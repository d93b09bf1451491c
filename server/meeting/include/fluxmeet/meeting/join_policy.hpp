#pragma once
// The join decision as a pure function of the facts, so every rule is table-tested:
// guests allowed -> not banned -> locked only for the host -> passcode (non-hosts, rate limited
// by the caller) -> waiting room for everyone but hosts and co-hosts.
#include "fluxmeet/common/result.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::meeting {

enum class JoinOutcome { Join, Wait };

enum class PasscodeCheck { NotRequired, Correct, Missing, Wrong, RateLimited };

struct JoinFacts {
  store::Role role = store::Role::Participant;  // role the peer would get (host, cohost, participant, guest)
  bool guestsAllowed = true;
  bool banned = false;
  bool locked = false;
  bool waitingRoom = false;
  bool endedByHost = false;  // ended with meeting.end and not started again (nor rescheduled) since
  PasscodeCheck passcode = PasscodeCheck::NotRequired;
};

Result<JoinOutcome> decideJoin(const JoinFacts& facts);

}  // namespace fluxmeet::meeting
