#pragma once
// Private to the auth module: the built-in list of passwords too common to allow.
#include <string_view>

namespace fluxmeet::auth {

// True if the lower-cased `password` is in the built-in list. `lowered` must be ASCII
// lower-cased by the caller.
bool isCommonPassword(std::string_view lowered);

}  // namespace fluxmeet::auth
