// Users, sessions with refresh-token rotation, and password resets.
#include "store_test_fixture.hpp"

namespace fluxmeet::store::test {
namespace {

using UsersTest = StoreTest;

TEST_F(UsersTest, CreatesAndFindsUsers) {
  User alice = makeUser("Alice", "alice@example.com");
  EXPECT_GT(alice.id, 0);
  EXPECT_EQ(alice.createdAt, kNow);

  auto byId = store_->findUserById(alice.id);
  ASSERT_TRUE(byId.ok());
  EXPECT_EQ(byId->username, "Alice");
  EXPECT_EQ(byId->email, "alice@example.com");
  EXPECT_EQ(byId->passwordHash, "$argon2id$hash-of-Alice");
  EXPECT_EQ(byId->updatedAt, kNow);

  auto byEmail = store_->findUserByEmail("alice@example.com");
  ASSERT_TRUE(byEmail.ok());
  EXPECT_EQ(byEmail->id, alice.id);

  // Emails are compared exactly; the caller lower-cases them.
  auto missing = store_->findUserByEmail("ALICE@example.com");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->findUserById(alice.id + 100).error().code, ErrorCode::NotFound);
}

TEST_F(UsersTest, DuplicateEmailIsConflictOnEmail) {
  makeUser("Alice", "alice@example.com");
  auto duplicate = store_->createUser(NewUser{"Other", "alice@example.com", "hash", kNow});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::Conflict);
  EXPECT_EQ(duplicate.error().field, "email");
  // The failed insert left nothing behind and the store is still usable.
  EXPECT_TRUE(store_->createUser(NewUser{"Bob", "bob@example.com", "hash", kNow}).ok());
}

TEST_F(UsersTest, UpdatesUserAndRejectsTakenEmail) {
  User alice = makeUser("Alice", "alice@example.com");
  makeUser("Bob", "bob@example.com");

  auto renamed = store_->updateUser(alice.id, UserUpdate{"Alice B.", std::nullopt, kNow + 10});
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(renamed->username, "Alice B.");
  EXPECT_EQ(renamed->email, "alice@example.com");
  EXPECT_EQ(renamed->updatedAt, kNow + 10);
  EXPECT_EQ(renamed->createdAt, kNow);

  auto moved = store_->updateUser(alice.id, UserUpdate{std::nullopt, "alice@new.example", kNow + 20});
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->email, "alice@new.example");
  EXPECT_EQ(moved->username, "Alice B.");

  auto taken = store_->updateUser(alice.id, UserUpdate{"X", "bob@example.com", kNow + 30});
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, ErrorCode::Conflict);
  EXPECT_EQ(taken.error().field, "email");
  // Rolled back as a whole: the username did not change either.
  EXPECT_EQ(store_->findUserById(alice.id)->username, "Alice B.");

  EXPECT_EQ(store_->updateUser(9999, UserUpdate{"X", std::nullopt, kNow}).error().code, ErrorCode::NotFound);
}

TEST_F(UsersTest, SessionUserOnlyForTheOwnersLiveSession) {
  User alice = makeUser("Alice", "alice@example.com");
  User bob = makeUser("Bob", "bob@example.com");
  makeSession(alice.id, "s-alice", "t-alice");
  makeSession(bob.id, "s-bob", "t-bob");

  auto found = store_->findSessionUser("s-alice", alice.id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, alice.id);
  EXPECT_EQ(found->email, "alice@example.com");
  EXPECT_EQ(found->passwordHash, "$argon2id$hash-of-Alice");

  // A token whose subject and session disagree (Bob's id with Alice's session) finds nothing.
  EXPECT_EQ(store_->findSessionUser("s-alice", bob.id).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->findSessionUser("no-such-session", alice.id).error().code, ErrorCode::NotFound);

  ASSERT_TRUE(store_->revokeSession(alice.id, "s-alice", kNow + 1).ok());
  EXPECT_EQ(store_->findSessionUser("s-alice", alice.id).error().code, ErrorCode::NotFound);
  EXPECT_TRUE(store_->findSessionUser("s-bob", bob.id).ok());
}

// findSessionUser keeps what it found (it runs on every request); every write to the user or their
// sessions must show in the next lookup. Each case reads first so the answer is held.
TEST_F(UsersTest, SessionUserFollowsEveryWriteAfterItWasRead) {
  User alice = makeUser("Alice", "alice@example.com");
  User bob = makeUser("Bob", "bob@example.com");
  makeSession(alice.id, "s-a1", "t-a1");
  makeSession(alice.id, "s-a2", "t-a2");
  makeSession(bob.id, "s-b1", "t-b1");
  auto lookup = [&](const std::string& session, Id user) { return store_->findSessionUser(session, user); };

  ASSERT_EQ(lookup("s-a1", alice.id)->username, "Alice");
  ASSERT_TRUE(store_->updateUser(alice.id, UserUpdate{"Alice B.", "alice.b@example.com", kNow + 1}).ok());
  EXPECT_EQ(lookup("s-a1", alice.id)->username, "Alice B.");
  EXPECT_EQ(lookup("s-a1", alice.id)->email, "alice.b@example.com");
  // A held answer is still only for the session's owner.
  EXPECT_EQ(lookup("s-a1", bob.id).error().code, ErrorCode::NotFound);

  ASSERT_TRUE(lookup("s-a2", alice.id).ok());
  ASSERT_TRUE(store_->updatePassword(alice.id, "hash-2", "s-a1", kNow + 2).ok());
  EXPECT_EQ(lookup("s-a1", alice.id)->passwordHash, "hash-2");
  EXPECT_EQ(lookup("s-a2", alice.id).error().code, ErrorCode::NotFound);

  // A replayed refresh token revokes its session.
  ASSERT_TRUE(lookup("s-b1", bob.id).ok());
  ASSERT_TRUE(store_->rotateRefreshToken(RefreshRotation{"t-b1", "t-b2", kNow + 3, kNow + 3600}).ok());
  ASSERT_TRUE(lookup("s-b1", bob.id).ok());
  ASSERT_FALSE(store_->rotateRefreshToken(RefreshRotation{"t-b1", "t-b3", kNow + 4, kNow + 3600}).ok());
  EXPECT_EQ(lookup("s-b1", bob.id).error().code, ErrorCode::NotFound);

  makeSession(bob.id, "s-b2", "t-b4");
  ASSERT_TRUE(lookup("s-b2", bob.id).ok());
  ASSERT_TRUE(store_->revokeAllSessions(bob.id, kNow + 5).ok());
  EXPECT_EQ(lookup("s-b2", bob.id).error().code, ErrorCode::NotFound);

  makeSession(bob.id, "s-b3", "t-b5");
  ASSERT_TRUE(lookup("s-b3", bob.id).ok());
  ASSERT_TRUE(store_->createPasswordReset(bob.id, "reset-b", kNow, kNow + 900).ok());
  ASSERT_TRUE(store_->consumePasswordReset("reset-b", "hash-b", kNow + 6).ok());
  EXPECT_EQ(lookup("s-b3", bob.id).error().code, ErrorCode::NotFound);

  ASSERT_TRUE(lookup("s-a1", alice.id).ok());
  ASSERT_TRUE(store_->deleteUser(alice.id, kNow + 7).ok());
  EXPECT_EQ(lookup("s-a1", alice.id).error().code, ErrorCode::NotFound);
}

TEST_F(UsersTest, UpdatePasswordRevokesOtherSessionsOnly) {
  User alice = makeUser("Alice", "alice@example.com");
  User bob = makeUser("Bob", "bob@example.com");
  makeSession(alice.id, "s-keep", "t-keep");
  makeSession(alice.id, "s-other1", "t-other1");
  makeSession(alice.id, "s-other2", "t-other2");
  makeSession(bob.id, "s-bob", "t-bob");

  ASSERT_TRUE(store_->updatePassword(alice.id, "new-hash", "s-keep", kNow + 5).ok());
  EXPECT_EQ(store_->findUserById(alice.id)->passwordHash, "new-hash");
  EXPECT_FALSE(store_->findSession("s-keep")->revokedAt.has_value());
  EXPECT_EQ(store_->findSession("s-other1")->revokedAt, kNow + 5);
  EXPECT_EQ(store_->findSession("s-other2")->revokedAt, kNow + 5);
  EXPECT_FALSE(store_->findSession("s-bob")->revokedAt.has_value());

  auto active = store_->listActiveSessions(alice.id, kNow + 6);
  ASSERT_TRUE(active.ok());
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ(active->front().id, "s-keep");

  // Without a session to keep, every session goes.
  ASSERT_TRUE(store_->updatePassword(alice.id, "newer-hash", "", kNow + 7).ok());
  EXPECT_TRUE(store_->listActiveSessions(alice.id, kNow + 8)->empty());
  EXPECT_EQ(store_->updatePassword(9999, "h", "", kNow).error().code, ErrorCode::NotFound);
}

TEST_F(UsersTest, RotatesRefreshTokens) {
  User alice = makeUser("Alice", "alice@example.com");
  Session created = makeSession(alice.id, "s1", "token-1");
  EXPECT_EQ(created.lastSeenAt, kNow);
  EXPECT_EQ(created.userAgent, "test-agent");
  EXPECT_EQ(created.ip, "192.0.2.1");

  auto rotated = store_->rotateRefreshToken(RefreshRotation{"token-1", "token-2", kNow + 100, kNow + 7200});
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  EXPECT_EQ(rotated->id, "s1");
  EXPECT_EQ(rotated->userId, alice.id);
  EXPECT_EQ(rotated->lastSeenAt, kNow + 100);
  EXPECT_EQ(rotated->expiresAt, kNow + 7200);

  auto stored = store_->findSession("s1");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->lastSeenAt, kNow + 100);
  EXPECT_EQ(stored->expiresAt, kNow + 7200);

  // The new token rotates again; the session is found through its current token only.
  EXPECT_EQ(store_->findSessionByRefreshToken("token-2", kNow + 150)->id, "s1");
  EXPECT_EQ(store_->findSessionByRefreshToken("token-1", kNow + 150).error().code, ErrorCode::NotFound);
  EXPECT_TRUE(store_->rotateRefreshToken(RefreshRotation{"token-2", "token-3", kNow + 200, kNow + 7300}).ok());
}

TEST_F(UsersTest, ReusedRefreshTokenRevokesTheSession) {
  User alice = makeUser("Alice", "alice@example.com");
  makeSession(alice.id, "s1", "token-1");
  ASSERT_TRUE(store_->rotateRefreshToken(RefreshRotation{"token-1", "token-2", kNow + 10, kNow + 3600}).ok());

  auto replay = store_->rotateRefreshToken(RefreshRotation{"token-1", "token-x", kNow + 20, kNow + 3600});
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.error().code, ErrorCode::Unauthorized);
  EXPECT_EQ(replay.error().message, "refresh token reuse detected");
  EXPECT_EQ(store_->findSession("s1")->revokedAt, kNow + 20);
  // The replay's new token was not stored ...
  EXPECT_EQ(store_->rotateRefreshToken(RefreshRotation{"token-x", "token-y", kNow + 25, kNow + 3600}).error().code,
            ErrorCode::Unauthorized);
  // ... and the legitimate newest token of the family is dead too.
  auto newest = store_->rotateRefreshToken(RefreshRotation{"token-2", "token-3", kNow + 30, kNow + 3600});
  ASSERT_FALSE(newest.ok());
  EXPECT_EQ(newest.error().code, ErrorCode::Unauthorized);
  EXPECT_TRUE(store_->listActiveSessions(alice.id, kNow + 30)->empty());
}

TEST_F(UsersTest, RejectsExpiredAndUnknownRefreshTokens) {
  User alice = makeUser("Alice", "alice@example.com");
  makeSession(alice.id, "s1", "token-1", kNow + 60);
  auto expired = store_->rotateRefreshToken(RefreshRotation{"token-1", "token-2", kNow + 60, kNow + 3600});
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::Unauthorized);
  EXPECT_EQ(store_->findSessionByRefreshToken("token-1", kNow + 60).error().code, ErrorCode::NotFound);
  // An expired token is not "used": the session is not revoked by the attempt.
  EXPECT_FALSE(store_->findSession("s1")->revokedAt.has_value());

  auto unknown = store_->rotateRefreshToken(RefreshRotation{"nope", "token-2", kNow, kNow + 3600});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::Unauthorized);

  // A revoked session's token no longer rotates.
  makeSession(alice.id, "s2", "token-s2");
  ASSERT_TRUE(store_->revokeSession(alice.id, "s2", kNow + 1).ok());
  EXPECT_EQ(store_->rotateRefreshToken(RefreshRotation{"token-s2", "t", kNow + 2, kNow + 3600}).error().code,
            ErrorCode::Unauthorized);
}

TEST_F(UsersTest, ListsAndRevokesSessions) {
  User alice = makeUser("Alice", "alice@example.com");
  User bob = makeUser("Bob", "bob@example.com");
  makeSession(alice.id, "a1", "ta1");
  makeSession(alice.id, "a2", "ta2", kNow + 30);  // expires soon
  makeSession(bob.id, "b1", "tb1");

  auto active = store_->listActiveSessions(alice.id, kNow + 10);
  ASSERT_TRUE(active.ok());
  EXPECT_EQ(active->size(), 2u);
  EXPECT_EQ(store_->listActiveSessions(alice.id, kNow + 40)->size(), 1u);

  auto foreign = store_->revokeSession(alice.id, "b1", kNow + 1);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::NotFound);
  EXPECT_FALSE(store_->findSession("b1")->revokedAt.has_value());
  EXPECT_EQ(store_->revokeSession(alice.id, "missing", kNow).error().code, ErrorCode::NotFound);

  ASSERT_TRUE(store_->revokeSession(alice.id, "a1", kNow + 2).ok());
  EXPECT_EQ(store_->findSession("a1")->revokedAt, kNow + 2);
  EXPECT_EQ(store_->listActiveSessions(alice.id, kNow + 10)->size(), 1u);

  ASSERT_TRUE(store_->revokeAllSessions(alice.id, kNow + 3).ok());
  EXPECT_TRUE(store_->listActiveSessions(alice.id, kNow + 10)->empty());
  EXPECT_EQ(store_->findSession("a1")->revokedAt, kNow + 2);  // first revocation time kept
  EXPECT_EQ(store_->listActiveSessions(bob.id, kNow + 10)->size(), 1u);
  EXPECT_EQ(store_->findSession("nope").error().code, ErrorCode::NotFound);
}

TEST_F(UsersTest, SessionForUnknownUserIsNotFound) {
  auto session = store_->createSession(NewSession{"s", 4242, "t", kNow, kNow + 10, "", ""});
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.error().code, ErrorCode::NotFound);
}

TEST_F(UsersTest, FailedWriteLeavesNothingBehind) {
  User alice = makeUser("Alice", "alice@example.com");
  makeSession(alice.id, "s1", "token-1");
  // The session row is inserted before the refresh token; the duplicate token hash fails the
  // second insert, and the transaction takes the first one back with it.
  auto duplicate = store_->createSession(NewSession{"s2", alice.id, "token-1", kNow, kNow + 60, "", ""});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::Conflict);
  EXPECT_EQ(store_->findSession("s2").error().code, ErrorCode::NotFound);
  // Same for a rotation whose new hash collides: the presented token stays unused.
  makeSession(alice.id, "s3", "token-3");
  auto collided = store_->rotateRefreshToken(RefreshRotation{"token-3", "token-1", kNow + 1, kNow + 60});
  ASSERT_FALSE(collided.ok());
  EXPECT_EQ(collided.error().code, ErrorCode::Conflict);
  EXPECT_TRUE(store_->rotateRefreshToken(RefreshRotation{"token-3", "token-4", kNow + 2, kNow + 60}).ok());
}

TEST_F(UsersTest, PasswordResetIsSingleUse) {
  User alice = makeUser("Alice", "alice@example.com");
  makeSession(alice.id, "s1", "t1");
  ASSERT_TRUE(store_->createPasswordReset(alice.id, "reset-1", kNow, kNow + 900).ok());
  ASSERT_TRUE(store_->createPasswordReset(alice.id, "reset-2", kNow, kNow + 900).ok());

  auto consumed = store_->consumePasswordReset("reset-1", "reset-hash", kNow + 60);
  ASSERT_TRUE(consumed.ok()) << consumed.error().message;
  EXPECT_EQ(*consumed, alice.id);
  EXPECT_EQ(store_->findUserById(alice.id)->passwordHash, "reset-hash");
  EXPECT_EQ(store_->findSession("s1")->revokedAt, kNow + 60);

  auto again = store_->consumePasswordReset("reset-1", "other-hash", kNow + 61);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::Unauthorized);
  // Other outstanding links of the user were spent by the first use.
  EXPECT_EQ(store_->consumePasswordReset("reset-2", "other-hash", kNow + 62).error().code, ErrorCode::Unauthorized);
  EXPECT_EQ(store_->findUserById(alice.id)->passwordHash, "reset-hash");
  EXPECT_EQ(store_->createPasswordReset(4242, "reset-x", kNow, kNow + 900).error().code, ErrorCode::NotFound);
}

TEST_F(UsersTest, ExpiredPasswordResetIsRejected) {
  User alice = makeUser("Alice", "alice@example.com");
  ASSERT_TRUE(store_->createPasswordReset(alice.id, "reset-1", kNow, kNow + 900).ok());
  auto expired = store_->consumePasswordReset("reset-1", "new-hash", kNow + 900);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::Unauthorized);
  EXPECT_EQ(store_->findUserById(alice.id)->passwordHash, "$argon2id$hash-of-Alice");
  EXPECT_EQ(store_->consumePasswordReset("unknown", "h", kNow).error().code, ErrorCode::Unauthorized);
}

TEST(RoleNames, RoundTrip) {
  for (Role role : {Role::Host, Role::CoHost, Role::Participant, Role::Guest}) {
    EXPECT_EQ(parseRole(roleName(role)), role);
  }
  EXPECT_EQ(roleName(Role::CoHost), "cohost");
  EXPECT_FALSE(parseRole("Host").has_value());
  EXPECT_FALSE(parseRole("").has_value());
}

}  // namespace
}  // namespace fluxmeet::store::test
