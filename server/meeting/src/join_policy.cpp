#include "fluxmeet/meeting/join_policy.hpp"

namespace fluxmeet::meeting {

Result<JoinOutcome> decideJoin(const JoinFacts& facts) {
  using store::Role;
  if (facts.role == Role::Guest && !facts.guestsAllowed) {
    return makeError(ErrorCode::Forbidden, "this meeting does not allow guests");
  }
  if (facts.endedByHost && facts.role != Role::Host) {
    return makeError(ErrorCode::Unprocessable, "the host ended this meeting; you can join when the host starts it again");
  }
  if (facts.banned) return makeError(ErrorCode::Forbidden, "you were removed from this meeting");
  if (facts.locked && facts.role != Role::Host) return makeError(ErrorCode::Forbidden, "the meeting is locked");
  switch (facts.passcode) {
    case PasscodeCheck::NotRequired:
    case PasscodeCheck::Correct: break;
    case PasscodeCheck::Missing: return makeError(ErrorCode::Forbidden, "this meeting needs a passcode", "passcode");
    case PasscodeCheck::Wrong: return makeError(ErrorCode::Forbidden, "wrong passcode", "passcode");
    case PasscodeCheck::RateLimited:
      return makeError(ErrorCode::RateLimited, "too many passcode attempts; try again in a minute", "passcode");
  }
  bool moderator = facts.role == Role::Host || facts.role == Role::CoHost;
  if (facts.waitingRoom && !moderator) return JoinOutcome::Wait;
  return JoinOutcome::Join;
}

}  // namespace fluxmeet::meeting
