#include "fluxmeet/media/ortc/h264_profile_level_id.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fluxmeet::media::ortc::h264 {
namespace {

Parameters withProfile(const std::string& profileLevelId, bool asymmetry = false) {
  Parameters parameters{{"profile-level-id", profileLevelId}};
  if (asymmetry) parameters["level-asymmetry-allowed"] = int64_t{1};
  return parameters;
}

// The values browsers offer, with the profile ITU-T H.264 section A.2 gives them.
TEST(H264ProfileLevelId, ParsesTheProfilesBrowsersOffer) {
  EXPECT_EQ(parseProfileLevelId("42e01f"),
            (ProfileLevelId{Profile::ConstrainedBaseline, Level::Level3_1}));
  EXPECT_EQ(parseProfileLevelId("42001f"), (ProfileLevelId{Profile::Baseline, Level::Level3_1}));
  EXPECT_EQ(parseProfileLevelId("4d001f"), (ProfileLevelId{Profile::Main, Level::Level3_1}));
  EXPECT_EQ(parseProfileLevelId("4D001F"), (ProfileLevelId{Profile::Main, Level::Level3_1}));
  EXPECT_EQ(parseProfileLevelId("640c1f"),
            (ProfileLevelId{Profile::ConstrainedHigh, Level::Level3_1}));
  EXPECT_EQ(parseProfileLevelId("640034"), (ProfileLevelId{Profile::High, Level::Level5_2}));
  EXPECT_EQ(parseProfileLevelId("f4001f"),
            (ProfileLevelId{Profile::PredictiveHigh444, Level::Level3_1}));
  // level_idc 11 with constraint_set3_flag is level 1b.
  EXPECT_EQ(parseProfileLevelId("42f00b"),
            (ProfileLevelId{Profile::ConstrainedBaseline, Level::Level1b}));
  EXPECT_EQ(parseProfileLevelId("42e00b"),
            (ProfileLevelId{Profile::ConstrainedBaseline, Level::Level1_1}));
}

TEST(H264ProfileLevelId, RejectsMalformedValues) {
  EXPECT_FALSE(parseProfileLevelId(""));
  EXPECT_FALSE(parseProfileLevelId("42e01"));
  EXPECT_FALSE(parseProfileLevelId("42e01f0"));
  EXPECT_FALSE(parseProfileLevelId("42e0zz"));
  EXPECT_FALSE(parseProfileLevelId("42e0ff"));  // no level 255
  EXPECT_FALSE(parseProfileLevelId("58001f"));  // Extended profile without constraints
  EXPECT_FALSE(parseProfileLevelId("64f01f"));  // High with Baseline-only constraint flags
}

TEST(H264ProfileLevelId, WritesCanonicalLowerCaseStrings) {
  EXPECT_EQ(toString({Profile::ConstrainedBaseline, Level::Level3_1}), "42e01f");
  EXPECT_EQ(toString({Profile::Main, Level::Level4}), "4d0028");
  EXPECT_EQ(toString({Profile::ConstrainedHigh, Level::Level5_2}), "640c34");
  EXPECT_EQ(toString({Profile::Baseline, Level::Level1b}), "42100b");
  EXPECT_FALSE(toString({Profile::High, Level::Level1b}));
}

TEST(H264ProfileLevelId, AbsentMeansConstrainedBaseline31AndIntegersAreRead) {
  EXPECT_EQ(profileLevelIdOf({}), (ProfileLevelId{Profile::ConstrainedBaseline, Level::Level3_1}));
  // sdp-transform turns an all-digit value such as 420029 into a JSON number.
  EXPECT_EQ(profileLevelIdOf({{"profile-level-id", int64_t{420029}}}),
            (ProfileLevelId{Profile::Baseline, Level::Level4_1}));
  EXPECT_TRUE(isSameProfile({}, withProfile("42e034")));
  EXPECT_FALSE(isSameProfile(withProfile("42e01f"), withProfile("4d001f")));
  EXPECT_FALSE(isSameProfile(withProfile("bogus"), withProfile("bogus")));
}

TEST(H264ProfileLevelId, AnswerLevelFollowsRfc6184Section8_2_2) {
  // Both allow asymmetry: the answer keeps the answerer's own level.
  auto asymmetric =
      profileLevelIdForAnswer(withProfile("42e034", true), withProfile("42e01f", true));
  ASSERT_TRUE(asymmetric.ok());
  EXPECT_EQ(asymmetric.value(), "42e034");
  // Otherwise the lower of the two.
  auto symmetric = profileLevelIdForAnswer(withProfile("42e034", true), withProfile("42e01f"));
  ASSERT_TRUE(symmetric.ok());
  EXPECT_EQ(symmetric.value(), "42e01f");
  // Level 1b sorts below 1.1 although its code is 0.
  auto lowest = profileLevelIdForAnswer(withProfile("42f00b"), withProfile("42e00c"));
  ASSERT_TRUE(lowest.ok());
  EXPECT_EQ(lowest.value(), "42f00b");
  // Neither names one: the answer names none.
  auto none = profileLevelIdForAnswer({}, {});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none.value().has_value());
  EXPECT_FALSE(profileLevelIdForAnswer(withProfile("42e01f"), withProfile("640c1f")).ok());
  EXPECT_FALSE(profileLevelIdForAnswer(withProfile("zz"), withProfile("42e01f")).ok());
}

}  // namespace
}  // namespace fluxmeet::media::ortc::h264
