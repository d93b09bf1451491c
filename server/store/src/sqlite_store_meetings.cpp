// SqliteStore: meetings, their settings (a JSON column) and keyset-paginated listing.
#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "sqlite_store.hpp"

namespace fluxmeet::store {
namespace {

#define FLUXMEET_MEETING_COLUMNS                                                                           \
  "m.id, m.code, COALESCE(m.host_id, 0), COALESCE(u.username, ''), m.title, m.kind, m.starts_at, "          \
  "m.time_zone, m.duration_minutes, m.passcode, m.settings, m.locked, m.created_at, m.updated_at, "         \
  "m.started_at, m.ended_at, m.deleted_at"

constexpr std::string_view kMeetingByCode =
    "SELECT " FLUXMEET_MEETING_COLUMNS
    " FROM meetings m LEFT JOIN users u ON u.id = m.host_id WHERE m.code = ?1 AND (?2 OR m.deleted_at IS NULL)";
constexpr std::string_view kMeetingById =
    "SELECT " FLUXMEET_MEETING_COLUMNS " FROM meetings m LEFT JOIN users u ON u.id = m.host_id WHERE m.id = ?";

// Listing queries select the sort key as an extra last column (kSortKeyColumn) for the cursor.
// ?1 user, ?2 now, ?3 has cursor, ?4 cursor key, ?5 cursor id, ?6 limit.
constexpr int kSortKeyColumn = 17;
// Upcoming: hosted, or invited by the account's email (each through its own index).
constexpr std::string_view kListUpcoming =
    "WITH mine AS ("
    "  SELECT id FROM meetings WHERE host_id = ?1"
    "  UNION SELECT i.meeting_id FROM meeting_invitations i JOIN users u ON u.email = i.email WHERE u.id = ?1),"
    " candidates AS ("
    "  SELECT mm.id, COALESCE(mm.starts_at, mm.created_at) AS sort_key FROM mine JOIN meetings mm ON mm.id = mine.id"
    "  WHERE mm.deleted_at IS NULL AND mm.ended_at IS NULL"
    "    AND (mm.kind = 'instant' OR mm.starts_at + mm.duration_minutes * 60 > ?2))"
    " SELECT " FLUXMEET_MEETING_COLUMNS ", c.sort_key"
    " FROM candidates c JOIN meetings m ON m.id = c.id LEFT JOIN users u ON u.id = m.host_id"
    " WHERE (?3 = 0 OR c.sort_key > ?4 OR (c.sort_key = ?4 AND c.id > ?5))"
    " ORDER BY c.sort_key ASC, c.id ASC LIMIT ?6";
constexpr std::string_view kListPast =
    "WITH candidates AS ("
    "  SELECT id, COALESCE(ended_at, starts_at + duration_minutes * 60, deleted_at) AS sort_key FROM meetings mm"
    "  WHERE (host_id = ?1 OR EXISTS (SELECT 1 FROM meeting_participants p"
    "                                 WHERE p.meeting_id = mm.id AND p.user_id = ?1))"
    "    AND (ended_at IS NOT NULL OR (kind = 'scheduled' AND starts_at + duration_minutes * 60 <= ?2)"
    "         OR deleted_at IS NOT NULL))"
    " SELECT " FLUXMEET_MEETING_COLUMNS ", c.sort_key"
    " FROM candidates c JOIN meetings m ON m.id = c.id LEFT JOIN users u ON u.id = m.host_id"
    " WHERE (?3 = 0 OR c.sort_key < ?4 OR (c.sort_key = ?4 AND c.id < ?5))"
    " ORDER BY c.sort_key DESC, c.id DESC LIMIT ?6";

#undef FLUXMEET_MEETING_COLUMNS

constexpr int kMaxPageSize = 100;

std::string_view kindName(MeetingKind kind) { return kind == MeetingKind::Scheduled ? "scheduled" : "instant"; }

std::string settingsJson(const MeetingSettings& settings) {
  nlohmann::json json = {
      {"waitingRoom", settings.waitingRoom},
      {"guestsAllowed", settings.guestsAllowed},
      {"muteOnEntry", settings.muteOnEntry},
      {"screenShare", settings.screenShare == ScreenSharePolicy::HostsOnly ? "hosts" : "everyone"},
      {"autoRecord", settings.autoRecord},
  };
  return json.dump();
}

// Fields missing from the stored object keep their defaults, so a later version may add settings
// without rewriting every row.
Result<MeetingSettings> parseSettings(const std::string& text) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return makeError(ErrorCode::Internal, "stored meeting settings are not a JSON object");
  }
  MeetingSettings settings;
  auto readBool = [&json](const char* name, bool& out) {
    auto found = json.find(name);
    if (found != json.end() && found->is_boolean()) out = found->get<bool>();
  };
  readBool("waitingRoom", settings.waitingRoom);
  readBool("guestsAllowed", settings.guestsAllowed);
  readBool("muteOnEntry", settings.muteOnEntry);
  readBool("autoRecord", settings.autoRecord);
  auto share = json.find("screenShare");
  if (share != json.end() && share->is_string() && share->get<std::string>() == "hosts") {
    settings.screenShare = ScreenSharePolicy::HostsOnly;
  }
  return settings;
}

Result<Meeting> readMeeting(const Query& q) {
  Meeting meeting;
  meeting.id = q.int64(0);
  meeting.code = q.text(1);
  meeting.hostId = q.int64(2);
  meeting.hostName = q.text(3);
  meeting.title = q.text(4);
  meeting.kind = q.text(5) == "scheduled" ? MeetingKind::Scheduled : MeetingKind::Instant;
  meeting.startsAt = q.optionalInt64(6);
  meeting.timeZone = q.text(7);
  meeting.durationMinutes = q.int32(8);
  meeting.passcode = q.text(9);
  auto settings = parseSettings(q.text(10));
  if (!settings) return std::move(settings).takeError();
  meeting.settings = *settings;
  meeting.locked = q.boolean(11);
  meeting.createdAt = q.int64(12);
  meeting.updatedAt = q.int64(13);
  meeting.startedAt = q.optionalInt64(14);
  meeting.endedAt = q.optionalInt64(15);
  meeting.deletedAt = q.optionalInt64(16);
  return meeting;
}

// Cursor: "<scope>:<sort key>:<id>" with scope "u" or "p" — the position after the last item of
// the previous page. Opaque to clients; parsed strictly so a tampered cursor is an error, not a
// silently different page.
struct Cursor {
  std::int64_t sortKey = 0;
  Id id = 0;
};

char scopeTag(MeetingScope scope) { return scope == MeetingScope::Upcoming ? 'u' : 'p'; }

std::string formatCursor(MeetingScope scope, std::int64_t sortKey, Id id) {
  return std::string(1, scopeTag(scope)) + ":" + std::to_string(sortKey) + ":" + std::to_string(id);
}

bool parseInt(std::string_view text, std::int64_t& out) {
  if (text.empty() || text.front() == '+') return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::optional<Cursor> parseCursor(MeetingScope scope, std::string_view text) {
  if (text.size() < 2 || text[0] != scopeTag(scope) || text[1] != ':') return std::nullopt;
  text.remove_prefix(2);
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  Cursor cursor;
  if (!parseInt(text.substr(0, colon), cursor.sortKey) || !parseInt(text.substr(colon + 1), cursor.id) ||
      cursor.id <= 0) {
    return std::nullopt;
  }
  return cursor;
}

std::optional<std::string> optionalSettingsJson(const std::optional<MeetingSettings>& settings) {
  if (!settings) return std::nullopt;
  return settingsJson(*settings);
}

}  // namespace

Result<Meeting> SqliteStore::loadMeeting(Id meetingId) {
  return fetchOne(*db_, "meeting not found", readMeeting, kMeetingById, meetingId);
}

Result<Meeting> SqliteStore::createMeeting(const NewMeeting& meeting) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  std::optional<Id> hostId;
  if (meeting.hostId != 0) hostId = meeting.hostId;
  auto inserted = db_->execute(
      "INSERT INTO meetings (code, host_id, title, kind, starts_at, time_zone, duration_minutes, passcode, settings,"
      " locked, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
      meeting.code, hostId, meeting.title, kindName(meeting.kind), meeting.startsAt, meeting.timeZone,
      meeting.durationMinutes, meeting.passcode, settingsJson(meeting.settings), meeting.now, meeting.now);
  if (!inserted) {
    Error error = std::move(inserted).takeError();
    if (error.code == ErrorCode::Conflict) {
      error.message = "meeting code is already taken";
      error.field = "code";
    } else if (error.code == ErrorCode::NotFound) {
      error.message = "host not found";
    }
    return error;
  }
  auto created = loadMeeting(db_->lastInsertId());
  if (!created) return created;
  if (auto committed = tx->commit(); !committed) return std::move(committed).takeError();
  return created;
}

Result<Meeting> SqliteStore::findMeetingByCode(const std::string& code, bool includeDeleted) {
  return fetchOne(*db_, "meeting not found", readMeeting, kMeetingByCode, code, includeDeleted);
}

Result<Meeting> SqliteStore::updateMeeting(Id meetingId, const MeetingUpdate& update) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  // NULL means "unchanged"; an empty passcode is a value and clears it.
  auto changed = db_->execute(
      "UPDATE meetings SET title = COALESCE(?, title), starts_at = COALESCE(?, starts_at),"
      " time_zone = COALESCE(?, time_zone), duration_minutes = COALESCE(?, duration_minutes),"
      " passcode = COALESCE(?, passcode), settings = COALESCE(?, settings), updated_at = ?"
      " WHERE id = ? AND deleted_at IS NULL",
      update.title, update.startsAt, update.timeZone, update.durationMinutes, update.passcode,
      optionalSettingsJson(update.settings), update.now, meetingId);
  if (!changed) return std::move(changed).takeError();
  if (*changed == 0) return makeError(ErrorCode::NotFound, "meeting not found");
  auto updated = loadMeeting(meetingId);
  if (!updated) return updated;
  if (auto committed = tx->commit(); !committed) return std::move(committed).takeError();
  return updated;
}

Result<void> SqliteStore::deleteMeeting(Id meetingId, UnixTime now) {
  // Soft delete: participations and chat stay readable as history of past occurrences.
  return updateOne("meeting", "UPDATE meetings SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                   now, now, meetingId);
}

Result<MeetingPage> SqliteStore::listMeetings(Id userId, MeetingScope scope, const std::string& cursor, int limit,
                                              UnixTime now) {
  Cursor after;
  const bool hasCursor = !cursor.empty();
  if (hasCursor) {
    auto parsed = parseCursor(scope, cursor);
    if (!parsed) return makeError(ErrorCode::ValidationFailed, "invalid cursor", "cursor");
    after = *parsed;
  }
  const int pageSize = std::clamp(limit, 1, kMaxPageSize);
  // One extra row tells whether another page follows.
  auto rows = fetchAll(
      *db_,
      [](const Query& q) -> Result<std::pair<Meeting, std::int64_t>> {
        auto meeting = readMeeting(q);
        if (!meeting) return std::move(meeting).takeError();
        return std::pair<Meeting, std::int64_t>(std::move(*meeting), q.int64(kSortKeyColumn));
      },
      scope == MeetingScope::Upcoming ? kListUpcoming : kListPast, userId, now, hasCursor, after.sortKey, after.id,
      pageSize + 1);
  if (!rows) return std::move(rows).takeError();
  MeetingPage page;
  const bool more = rows->size() > static_cast<size_t>(pageSize);
  if (more) rows->resize(static_cast<size_t>(pageSize));
  if (more && !rows->empty()) page.nextCursor = formatCursor(scope, rows->back().second, rows->back().first.id);
  page.items.reserve(rows->size());
  for (auto& [meeting, sortKey] : *rows) page.items.push_back(std::move(meeting));
  return page;
}

Result<void> SqliteStore::setMeetingLocked(Id meetingId, bool locked, UnixTime now) {
  return updateOne("meeting", "UPDATE meetings SET locked = ?, updated_at = ? WHERE id = ?", locked, now, meetingId);
}

Result<void> SqliteStore::markMeetingStarted(Id meetingId, UnixTime now) {
  return updateOne("meeting", "UPDATE meetings SET started_at = ?, ended_at = NULL, updated_at = ? WHERE id = ?", now,
                   now, meetingId);
}

Result<void> SqliteStore::markMeetingEnded(Id meetingId, UnixTime now) {
  return updateOne("meeting", "UPDATE meetings SET ended_at = ?, updated_at = ? WHERE id = ?", now, now, meetingId);
}

}  // namespace fluxmeet::store
