// SqliteStore: meeting invitations (issue 9). An invitation is an email address; the account with
// that address, if any, is found by joining users on the (lower-cased) email at read time, so an
// account made after the invitation finds it too.
#include <set>

#include "sqlite_store.hpp"

namespace fluxmeet::store {
namespace {

constexpr std::string_view kInvitationColumns =
    "SELECT i.id, i.meeting_id, i.email, i.invited_at, i.emailed_at,"
    " EXISTS (SELECT 1 FROM users u WHERE u.email = i.email) FROM meeting_invitations i";

Invitation readInvitation(const Query& q) {
  return Invitation{.id = q.int64(0),
                    .meetingId = q.int64(1),
                    .email = q.text(2),
                    .invitedAt = q.int64(3),
                    .emailedAt = q.optionalInt64(4),
                    .registered = q.boolean(5)};
}

}  // namespace

Result<std::vector<Invitation>> SqliteStore::addInvitations(const NewInvitations& invitations) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  std::vector<Id> addedIds;
  std::set<std::string> seen;
  for (const std::string& email : invitations.emails) {
    if (!seen.insert(email).second) continue;
    auto inserted = db_->execute(
        "INSERT INTO meeting_invitations (meeting_id, email, invited_at) VALUES (?, ?, ?)"
        " ON CONFLICT (meeting_id, email) DO NOTHING",
        invitations.meetingId, email, invitations.now);
    if (!inserted) {
      Error error = std::move(inserted).takeError();
      if (error.code == ErrorCode::NotFound) error.message = "meeting not found";
      return error;
    }
    if (*inserted == 1) addedIds.push_back(db_->lastInsertId());
  }
  auto total = fetchOne(*db_, "meeting not found", [](const Query& q) { return q.int64(0); },
                        "SELECT COUNT(*) FROM meeting_invitations WHERE meeting_id = ?", invitations.meetingId);
  if (!total) return std::move(total).takeError();
  if (*total > invitations.maxPerMeeting) {
    // The transaction rolls back when `tx` goes: nothing of this request is kept.
    return makeError(ErrorCode::Unprocessable,
                     "a meeting can have at most " + std::to_string(invitations.maxPerMeeting) + " invitations",
                     "emails");
  }
  std::vector<Invitation> added;
  added.reserve(addedIds.size());
  for (const Id id : addedIds) {
    auto row =
        fetchOne(*db_, "invitation not found", readInvitation, std::string(kInvitationColumns) + " WHERE i.id = ?", id);
    if (!row) return std::move(row).takeError();
    added.push_back(std::move(*row));
  }
  if (auto committed = tx->commit(); !committed) return std::move(committed).takeError();
  return added;
}

Result<std::vector<Invitation>> SqliteStore::listInvitations(Id meetingId) {
  return fetchAll(*db_, readInvitation, std::string(kInvitationColumns) + " WHERE i.meeting_id = ? ORDER BY i.id",
                  meetingId);
}

Result<void> SqliteStore::deleteInvitation(Id meetingId, Id invitationId) {
  return updateOne("invitation", "DELETE FROM meeting_invitations WHERE id = ? AND meeting_id = ?", invitationId,
                   meetingId);
}

Result<void> SqliteStore::markInvitationEmailed(Id invitationId, UnixTime now) {
  auto updated = db_->execute("UPDATE meeting_invitations SET emailed_at = ? WHERE id = ?", now, invitationId);
  if (!updated) return std::move(updated).takeError();
  return {};
}

Result<std::vector<Id>> SqliteStore::listInvitedUserIds(Id meetingId) {
  return fetchAll(
      *db_, [](const Query& q) { return q.int64(0); },
      "SELECT u.id FROM meeting_invitations i JOIN users u ON u.email = i.email WHERE i.meeting_id = ? ORDER BY u.id",
      meetingId);
}

}  // namespace fluxmeet::store
