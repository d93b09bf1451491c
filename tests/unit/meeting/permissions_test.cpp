#include "fluxmeet/meeting/permissions.hpp"

#include <gtest/gtest.h>

namespace fluxmeet::meeting {
namespace {

using store::Role;

TEST(Permissions, ModerationIsForHostsAndCohosts) {
  EXPECT_TRUE(ensureCanModerate(Role::Host).ok());
  EXPECT_TRUE(ensureCanModerate(Role::CoHost).ok());
  EXPECT_EQ(ensureCanModerate(Role::Participant).error().code, ErrorCode::Forbidden);
  EXPECT_EQ(ensureCanModerate(Role::Guest).error().code, ErrorCode::Forbidden);
}

TEST(Permissions, HostOnly) {
  EXPECT_TRUE(ensureIsHost(Role::Host).ok());
  for (Role role : {Role::CoHost, Role::Participant, Role::Guest}) {
    EXPECT_EQ(ensureIsHost(role).error().code, ErrorCode::Forbidden);
  }
}

TEST(Permissions, OutranksMatrix) {
  const Role roles[] = {Role::Host, Role::CoHost, Role::Participant, Role::Guest};
  // expected[actor][target]
  const bool expected[4][4] = {
      {false, true, true, true},     // host
      {false, false, true, true},    // cohost
      {false, false, false, false},  // participant
      {false, false, false, false},  // guest
  };
  for (int a = 0; a < 4; ++a) {
    for (int t = 0; t < 4; ++t) {
      EXPECT_EQ(ensureOutranks(roles[a], roles[t]).ok(), expected[a][t])
          << store::roleName(roles[a]) << " -> " << store::roleName(roles[t]);
    }
  }
}

}  // namespace
}  // namespace fluxmeet::meeting
