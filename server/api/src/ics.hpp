#pragma once
#include <string>

#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::api {

// An RFC 5545 VCALENDAR with one VEVENT for a scheduled meeting. The passcode is included only
// for the host, who decides whom to forward it to.
std::string buildIcsInvite(const store::Meeting& meeting, const std::string& baseUrl, const std::string& host,
                           bool includePasscode, UnixTime now);

}  // namespace fluxmeet::api
