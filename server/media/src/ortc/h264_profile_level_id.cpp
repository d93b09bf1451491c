#include "fluxmeet/media/ortc/h264_profile_level_id.hpp"

#include <array>
#include <cstdio>

namespace fluxmeet::media::ortc::h264 {
namespace {

// RFC 6184 section 8.1 profile-iop bit 4 (0x10) is constraint_set3_flag.
constexpr uint8_t kConstraintSet3Flag = 0x10;

// A profile-iop pattern, written MSB first: '1'/'0' must match, 'x' is free.
struct BitPattern {
  uint8_t mask = 0;
  uint8_t value = 0;

  constexpr explicit BitPattern(const char (&pattern)[9]) {
    for (int i = 0; i < 8; ++i) {
      auto bit = static_cast<uint8_t>(1U << (7 - i));
      if (pattern[i] != 'x') mask = static_cast<uint8_t>(mask | bit);
      if (pattern[i] == '1') value = static_cast<uint8_t>(value | bit);
    }
  }
  constexpr bool matches(uint8_t profileIop) const { return (profileIop & mask) == value; }
};

struct ProfilePattern {
  uint8_t profileIdc;
  BitPattern profileIop;
  Profile profile;
};

// ITU-T H.264 section A.2 as libwebrtc tabulates it: which profile_idc + constraint flags decode
// as which profile (a Main or Extended stream with constraint_set1 is also Constrained Baseline).
constexpr std::array<ProfilePattern, 9> kProfilePatterns{{
    {0x42, BitPattern("x1xx0000"), Profile::ConstrainedBaseline},
    {0x4D, BitPattern("1xxx0000"), Profile::ConstrainedBaseline},
    {0x58, BitPattern("11xx0000"), Profile::ConstrainedBaseline},
    {0x42, BitPattern("x0xx0000"), Profile::Baseline},
    {0x58, BitPattern("10xx0000"), Profile::Baseline},
    {0x4D, BitPattern("0x0x0000"), Profile::Main},
    {0x64, BitPattern("00000000"), Profile::High},
    {0x64, BitPattern("00001100"), Profile::ConstrainedHigh},
    {0xF4, BitPattern("00000000"), Profile::PredictiveHigh444},
}};

std::optional<Level> levelFromIdc(uint8_t levelIdc, uint8_t profileIop) {
  switch (levelIdc) {
    case 11:
      return (profileIop & kConstraintSet3Flag) != 0 ? Level::Level1b : Level::Level1_1;
    case 10:
    case 12:
    case 13:
    case 20:
    case 21:
    case 22:
    case 30:
    case 31:
    case 32:
    case 40:
    case 41:
    case 42:
    case 50:
    case 51:
    case 52:
      return static_cast<Level>(levelIdc);
    default:
      return std::nullopt;
  }
}

std::optional<int> hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

// Level1b sorts between Level1 and Level1_1 although its enum value is 0.
bool isLessLevel(Level a, Level b) {
  if (a == Level::Level1b) return b != Level::Level1 && b != Level::Level1b;
  if (b == Level::Level1b) return a != Level::Level1;
  return static_cast<uint8_t>(a) < static_cast<uint8_t>(b);
}

Level minLevel(Level a, Level b) { return isLessLevel(a, b) ? a : b; }

bool isLevelAsymmetryAllowed(const Parameters& parameters) {
  return parameterAsString(parameters, "level-asymmetry-allowed") == "1";
}

}  // namespace

std::optional<ProfileLevelId> parseProfileLevelId(std::string_view text) {
  if (text.size() != 6) return std::nullopt;
  uint32_t numeric = 0;
  for (char c : text) {
    auto digit = hexDigit(c);
    if (!digit) return std::nullopt;
    numeric = (numeric << 4) | static_cast<uint32_t>(*digit);
  }
  auto levelIdc = static_cast<uint8_t>(numeric & 0xFF);
  auto profileIop = static_cast<uint8_t>((numeric >> 8) & 0xFF);
  auto profileIdc = static_cast<uint8_t>((numeric >> 16) & 0xFF);
  auto level = levelFromIdc(levelIdc, profileIop);
  if (!level) return std::nullopt;
  for (const auto& pattern : kProfilePatterns) {
    if (pattern.profileIdc == profileIdc && pattern.profileIop.matches(profileIop)) {
      return ProfileLevelId{pattern.profile, *level};
    }
  }
  return std::nullopt;
}

std::optional<std::string> toString(const ProfileLevelId& profileLevelId) {
  // Level 1b needs constraint_set3_flag, which only the Baseline family and Main can carry.
  if (profileLevelId.level == Level::Level1b) {
    switch (profileLevelId.profile) {
      case Profile::ConstrainedBaseline:
        return "42f00b";
      case Profile::Baseline:
        return "42100b";
      case Profile::Main:
        return "4d100b";
      default:
        return std::nullopt;
    }
  }
  const char* profileIdcIop = nullptr;
  switch (profileLevelId.profile) {
    case Profile::ConstrainedBaseline:
      profileIdcIop = "42e0";
      break;
    case Profile::Baseline:
      profileIdcIop = "4200";
      break;
    case Profile::Main:
      profileIdcIop = "4d00";
      break;
    case Profile::ConstrainedHigh:
      profileIdcIop = "640c";
      break;
    case Profile::High:
      profileIdcIop = "6400";
      break;
    case Profile::PredictiveHigh444:
      profileIdcIop = "f400";
      break;
  }
  std::array<char, 8> text{};
  std::snprintf(text.data(), text.size(), "%s%02x", profileIdcIop,
                static_cast<unsigned>(profileLevelId.level));
  return std::string(text.data());
}

std::optional<ProfileLevelId> profileLevelIdOf(const Parameters& parameters) {
  auto text = parameterAsString(parameters, "profile-level-id");
  if (!text) return ProfileLevelId{Profile::ConstrainedBaseline, Level::Level3_1};
  return parseProfileLevelId(*text);
}

bool isSameProfile(const Parameters& a, const Parameters& b) {
  auto first = profileLevelIdOf(a);
  auto second = profileLevelIdOf(b);
  return first && second && first->profile == second->profile;
}

Result<std::optional<std::string>> profileLevelIdForAnswer(const Parameters& local,
                                                           const Parameters& remote) {
  if (!local.contains("profile-level-id") && !remote.contains("profile-level-id")) {
    return std::optional<std::string>{};
  }
  auto localId = profileLevelIdOf(local);
  auto remoteId = profileLevelIdOf(remote);
  if (!localId || !remoteId) {
    return makeError(ErrorCode::Unprocessable, "invalid H264 profile-level-id",
                     "parameters.profile-level-id");
  }
  if (localId->profile != remoteId->profile) {
    return makeError(ErrorCode::Unprocessable, "H264 profiles differ",
                     "parameters.profile-level-id");
  }
  // RFC 6184 section 8.2.2: without level-asymmetry-allowed on both sides the answer may not
  // exceed the offered level; with it each direction keeps the level its receiver supports.
  bool asymmetryAllowed = isLevelAsymmetryAllowed(local) && isLevelAsymmetryAllowed(remote);
  Level level = asymmetryAllowed ? localId->level : minLevel(localId->level, remoteId->level);
  auto text = toString(ProfileLevelId{localId->profile, level});
  if (!text) {
    return makeError(ErrorCode::Unprocessable, "H264 level 1b is not possible in this profile",
                     "parameters.profile-level-id");
  }
  return std::optional<std::string>{std::move(*text)};
}

}  // namespace fluxmeet::media::ortc::h264
