#include "fluxmeet/meeting/permissions.hpp"

namespace fluxmeet::meeting {

namespace {

int rank(Role role) {
  switch (role) {
    case Role::Host: return 3;
    case Role::CoHost: return 2;
    case Role::Participant:
    case Role::Guest: return 1;
  }
  return 0;
}

}  // namespace

bool isModerator(Role role) { return role == Role::Host || role == Role::CoHost; }

Result<void> ensureCanModerate(Role actor) {
  if (isModerator(actor)) return {};
  return makeError(ErrorCode::Forbidden, "only the host or a co-host can do this");
}

Result<void> ensureIsHost(Role actor) {
  if (actor == Role::Host) return {};
  return makeError(ErrorCode::Forbidden, "only the host can do this");
}

Result<void> ensureCanDraw(Role actor, bool readOnly) {
  if (!readOnly || isModerator(actor)) return {};
  return makeError(ErrorCode::Forbidden, "the whiteboard is read-only");
}

Result<void> ensureOutranks(Role actor, Role target) {
  if (auto moderate = ensureCanModerate(actor); !moderate) return moderate;
  if (rank(actor) > rank(target)) return {};
  return makeError(ErrorCode::Forbidden, "you cannot do this to a " + std::string(store::roleName(target)));
}

}  // namespace fluxmeet::meeting
