#pragma once
// H.264 profile-level-id (RFC 6184 section 8.1): three bytes in hex, profile_idc, profile-iop
// (the constraint_set flags) and level_idc. Two H.264 codecs can only be negotiated together when
// they decode the same profile; the level of the answer follows RFC 6184 section 8.2.2 and
// libwebrtc (level-asymmetry-allowed lets each side keep its own level).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/ortc/rtp_parameters.hpp"

namespace fluxmeet::media::ortc::h264 {

enum class Profile {
  ConstrainedBaseline,
  Baseline,
  Main,
  ConstrainedHigh,
  High,
  PredictiveHigh444,
};

// level_idc values of ITU-T H.264 Table A-1; Level1b is coded as level_idc 11 with
// constraint_set3_flag set (or level_idc 9 in High profiles, which browsers do not send).
enum class Level : uint8_t {
  Level1b = 0,
  Level1 = 10,
  Level1_1 = 11,
  Level1_2 = 12,
  Level1_3 = 13,
  Level2 = 20,
  Level2_1 = 21,
  Level2_2 = 22,
  Level3 = 30,
  Level3_1 = 31,
  Level3_2 = 32,
  Level4 = 40,
  Level4_1 = 41,
  Level4_2 = 42,
  Level5 = 50,
  Level5_1 = 51,
  Level5_2 = 52,
};

struct ProfileLevelId {
  Profile profile = Profile::ConstrainedBaseline;
  Level level = Level::Level3_1;

  friend bool operator==(const ProfileLevelId&, const ProfileLevelId&) = default;
};

// Parses six hex digits ("42e01f"); nullopt for anything that is not a known profile and level.
std::optional<ProfileLevelId> parseProfileLevelId(std::string_view text);
// The six-digit lower-case form; nullopt for Level1b outside the profiles that can express it.
std::optional<std::string> toString(const ProfileLevelId& profileLevelId);

// The profile-level-id of codec parameters. Absent means Constrained Baseline level 3.1: RFC 6184
// says Baseline level 1, but every browser follows libwebrtc's default, and we must agree with
// them.
std::optional<ProfileLevelId> profileLevelIdOf(const Parameters& parameters);

bool isSameProfile(const Parameters& a, const Parameters& b);

// The profile-level-id to answer with when `local` supports what `remote` offers: nullopt when
// neither side names one (the answer then names none either); an error when they differ in
// profile or one is malformed.
Result<std::optional<std::string>> profileLevelIdForAnswer(const Parameters& local,
                                                           const Parameters& remote);

}  // namespace fluxmeet::media::ortc::h264
