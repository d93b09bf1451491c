#pragma once
// Meeting codes: the short shareable part of a meeting link, "abc-defg-hij" (3-4-3 lower-case
// letters a-z). Each letter comes from libsodium's CSPRNG (randombytes_uniform(26), unbiased),
// so a code carries 26^10 ~= 1.4e14 possibilities ~= 47 bits of randomness: enough that
// guessing a live meeting's code is impractical when joining attempts are rate limited, and
// collisions among stored meetings are rare (the store's unique index still decides; on a
// conflict the caller generates another code).
#include <string>
#include <string_view>

namespace fluxmeet::meeting {

inline constexpr size_t kMeetingCodeLength = 12;  // 10 letters + 2 hyphens

std::string generateMeetingCode();

// True for exactly the format generateMeetingCode() produces (lower-case only: callers
// normalise user input first if they want to accept "ABC-DEFG-HIJ").
bool isValidMeetingCode(std::string_view code);

}  // namespace fluxmeet::meeting
