#include "fluxmeet/meeting/join_policy.hpp"

#include <gtest/gtest.h>

namespace fluxmeet::meeting {
namespace {

using store::Role;

struct Case {
  const char* name;
  JoinFacts facts;
  std::optional<JoinOutcome> outcome;  // nullopt: refused with `error`
  ErrorCode error = ErrorCode::Internal;
};

TEST(JoinPolicy, DecidesEveryRule) {
  const Case cases[] = {
      {"participant joins an open meeting", {.role = Role::Participant}, JoinOutcome::Join},
      {"guest joins when guests allowed", {.role = Role::Guest}, JoinOutcome::Join},
      {"guest refused when guests not allowed", {.role = Role::Guest, .guestsAllowed = false}, std::nullopt,
       ErrorCode::Forbidden},
      {"host unaffected by guestsAllowed", {.role = Role::Host, .guestsAllowed = false}, JoinOutcome::Join},
      {"banned participant refused", {.role = Role::Participant, .banned = true}, std::nullopt, ErrorCode::Forbidden},
      {"locked refuses participant", {.role = Role::Participant, .locked = true}, std::nullopt, ErrorCode::Forbidden},
      {"locked refuses cohost", {.role = Role::CoHost, .locked = true}, std::nullopt, ErrorCode::Forbidden},
      {"locked admits host", {.role = Role::Host, .locked = true}, JoinOutcome::Join},
      {"waiting room: participant waits", {.role = Role::Participant, .waitingRoom = true}, JoinOutcome::Wait},
      {"waiting room: guest waits", {.role = Role::Guest, .waitingRoom = true}, JoinOutcome::Wait},
      {"waiting room: host joins", {.role = Role::Host, .waitingRoom = true}, JoinOutcome::Join},
      {"waiting room: cohost joins", {.role = Role::CoHost, .waitingRoom = true}, JoinOutcome::Join},
      {"missing passcode", {.passcode = PasscodeCheck::Missing}, std::nullopt, ErrorCode::Forbidden},
      {"wrong passcode", {.passcode = PasscodeCheck::Wrong}, std::nullopt, ErrorCode::Forbidden},
      {"rate limited passcode", {.passcode = PasscodeCheck::RateLimited}, std::nullopt, ErrorCode::RateLimited},
      {"correct passcode then waiting room",
       {.waitingRoom = true, .passcode = PasscodeCheck::Correct},
       JoinOutcome::Wait},
      {"ended meeting refuses participant", {.role = Role::Participant, .endedByHost = true}, std::nullopt,
       ErrorCode::Unprocessable},
      {"ended meeting refuses cohost", {.role = Role::CoHost, .endedByHost = true}, std::nullopt,
       ErrorCode::Unprocessable},
      {"ended meeting: host starts it again", {.role = Role::Host, .endedByHost = true}, JoinOutcome::Join},
      {"ban checked before passcode", {.banned = true, .passcode = PasscodeCheck::Correct}, std::nullopt,
       ErrorCode::Forbidden},
  };
  for (const auto& c : cases) {
    auto decision = decideJoin(c.facts);
    if (c.outcome) {
      ASSERT_TRUE(decision.ok()) << c.name << ": " << decision.error().message;
      EXPECT_EQ(*decision, *c.outcome) << c.name;
    } else {
      ASSERT_FALSE(decision.ok()) << c.name;
      EXPECT_EQ(decision.error().code, c.error) << c.name;
    }
  }
}

TEST(JoinPolicy, PasscodeErrorsNameTheField) {
  auto wrong = decideJoin({.passcode = PasscodeCheck::Wrong});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().field, "passcode");
}

}  // namespace
}  // namespace fluxmeet::meeting
