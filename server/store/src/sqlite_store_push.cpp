// SqliteStore: Web Push subscriptions, notification settings and the keys of notifications
// already sent (issue 9).
#include "sqlite_store.hpp"

namespace fluxmeet::store {
namespace {

constexpr int kDefaultReminderMinutes = NotificationSettings{}.reminderMinutes;
// The widest reminder window (1440 minutes): bounds the scan of upcoming meetings.
constexpr UnixTime kMaxReminderLead = 1440 * 60;
// A tick never sends more than this many reminders; the rest come on the next tick.
constexpr int kDueReminderBatch = 500;

PushSubscriptionRecord readSubscription(const Query& q) {
  PushSubscriptionRecord row;
  row.id = q.int64(0);
  row.userId = q.int64(1);
  row.endpoint = q.text(2);
  row.p256dh = q.text(3);
  row.auth = q.text(4);
  row.deviceName = q.text(5);
  row.createdAt = q.int64(6);
  row.lastSuccessAt = q.optionalInt64(7);
  return row;
}

DueReminder readDueReminder(const Query& q) {
  return DueReminder{.meetingId = q.int64(0),
                     .code = q.text(1),
                     .title = q.text(2),
                     .startsAt = q.int64(3),
                     .userId = q.int64(4),
                     .reminderMinutes = q.int32(5)};
}

}  // namespace

std::string reminderNotificationKey(Id meetingId, UnixTime startsAt, Id userId) {
  // listDueReminders builds the same string in SQL.
  return "reminder:" + std::to_string(meetingId) + ":" + std::to_string(startsAt) + ":" + std::to_string(userId);
}

Result<PushSubscriptionSaved> SqliteStore::savePushSubscription(const NewPushSubscription& subscription) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  auto existing = fetchOne(*db_, "push subscription not found", [](const Query& q) {
    return std::pair<Id, Id>{q.int64(0), q.int64(1)};
  }, "SELECT id, user_id FROM push_subscriptions WHERE endpoint = ?", subscription.endpoint);
  if (!existing && existing.error().code != ErrorCode::NotFound) return std::move(existing).takeError();
  PushSubscriptionSaved saved;
  if (existing) {
    // The same browser again (new keys after a resubscribe, or another user signed in on it).
    saved.id = existing->first;
    saved.created = existing->second != subscription.userId;
    auto updated = db_->execute(
        "UPDATE push_subscriptions SET user_id = ?, p256dh = ?, auth = ?, device_name = ?, updated_at = ?"
        " WHERE id = ?",
        subscription.userId, subscription.p256dh, subscription.auth, subscription.deviceName, subscription.now,
        saved.id);
    if (!updated) return std::move(updated).takeError();
  } else {
    auto inserted = db_->execute(
        "INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, device_name, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        subscription.userId, subscription.endpoint, subscription.p256dh, subscription.auth, subscription.deviceName,
        subscription.now, subscription.now);
    if (!inserted) return std::move(inserted).takeError();
    saved.id = db_->lastInsertId();
    saved.created = true;
  }
  // Browsers drop subscriptions without telling us; past the limit the ones that have gone the
  // longest without a delivery (never delivered counts as their creation) make room.
  auto trimmed = db_->execute(
      "DELETE FROM push_subscriptions WHERE user_id = ? AND id IN ("
      " SELECT id FROM push_subscriptions WHERE user_id = ? AND id != ?"
      " ORDER BY COALESCE(last_success_at, created_at) DESC, id DESC LIMIT -1 OFFSET ?)",
      subscription.userId, subscription.userId, saved.id, std::max(0, subscription.maxPerUser - 1));
  if (!trimmed) return std::move(trimmed).takeError();
  if (auto committed = tx->commit(); !committed) return std::move(committed).takeError();
  return saved;
}

Result<void> SqliteStore::deletePushSubscription(Id userId, const std::string& endpoint) {
  return updateOne("push subscription", "DELETE FROM push_subscriptions WHERE user_id = ? AND endpoint = ?", userId,
                   endpoint);
}

Result<void> SqliteStore::deletePushSubscriptionByEndpoint(const std::string& endpoint) {
  auto deleted = db_->execute("DELETE FROM push_subscriptions WHERE endpoint = ?", endpoint);
  if (!deleted) return std::move(deleted).takeError();
  return {};
}

Result<std::vector<PushSubscriptionRecord>> SqliteStore::listPushSubscriptions(Id userId) {
  return fetchAll(*db_, readSubscription,
                  "SELECT id, user_id, endpoint, p256dh, auth, device_name, created_at, last_success_at"
                  " FROM push_subscriptions WHERE user_id = ? ORDER BY created_at, id",
                  userId);
}

Result<void> SqliteStore::markPushDelivered(const std::string& endpoint, UnixTime now) {
  // Deleted meanwhile (unsubscribed while the message was in flight) is fine.
  auto updated = db_->execute("UPDATE push_subscriptions SET last_success_at = ? WHERE endpoint = ?", now, endpoint);
  if (!updated) return std::move(updated).takeError();
  return {};
}

Result<NotificationSettings> SqliteStore::notificationSettings(Id userId) {
  auto found = fetchOne(
      *db_, "no settings",
      [](const Query& q) {
        return NotificationSettings{.reminders = q.boolean(0),
                                    .reminderMinutes = q.int32(1),
                                    .waitingRoom = q.boolean(2),
                                    .meetingStarted = q.boolean(3),
                                    .chat = q.boolean(4)};
      },
      "SELECT reminders, reminder_minutes, waiting_room, meeting_started, chat FROM notification_settings"
      " WHERE user_id = ?",
      userId);
  if (!found && found.error().code == ErrorCode::NotFound) return NotificationSettings{};
  return found;
}

Result<void> SqliteStore::saveNotificationSettings(Id userId, const NotificationSettings& settings, UnixTime now) {
  auto tx = Transaction::begin(*db_);
  if (!tx) return std::move(tx).takeError();
  auto saved = db_->execute(
      "INSERT INTO notification_settings (user_id, reminders, reminder_minutes, waiting_room, meeting_started, chat,"
      " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET reminders = excluded.reminders,"
      " reminder_minutes = excluded.reminder_minutes, waiting_room = excluded.waiting_room,"
      " meeting_started = excluded.meeting_started, chat = excluded.chat, updated_at = excluded.updated_at",
      userId, settings.reminders, settings.reminderMinutes, settings.waitingRoom, settings.meetingStarted,
      settings.chat, now);
  if (!saved) {
    Error error = std::move(saved).takeError();
    if (error.code == ErrorCode::NotFound) error.message = "user not found";
    return error;
  }
  return tx->commit();
}

Result<bool> SqliteStore::claimNotification(const std::string& key, UnixTime now) {
  // The PRIMARY KEY decides: of two claims of one key only the first inserts a row.
  auto inserted = db_->execute("INSERT OR IGNORE INTO sent_notifications (key, sent_at) VALUES (?, ?)", key, now);
  if (!inserted) return std::move(inserted).takeError();
  return *inserted == 1;
}

Result<void> SqliteStore::pruneSentNotifications(UnixTime before) {
  auto deleted = db_->execute("DELETE FROM sent_notifications WHERE sent_at < ?", before);
  if (!deleted) return std::move(deleted).takeError();
  return {};
}

Result<std::vector<DueReminder>> SqliteStore::listDueReminders(UnixTime now) {
  // Recipients: the host and every invitee with an account, each with their own settings.
  static const std::string minutes = "COALESCE(s.reminder_minutes, " + std::to_string(kDefaultReminderMinutes) + ")";
  static const std::string sql =
      "WITH soon AS ("
      "  SELECT id, code, title, starts_at, host_id FROM meetings"
      "  WHERE kind = 'scheduled' AND deleted_at IS NULL AND starts_at > ?1 AND starts_at <= ?1 + " +
      std::to_string(kMaxReminderLead) +
      "),"
      " recipients AS ("
      "  SELECT id AS meeting_id, host_id AS user_id FROM soon WHERE host_id IS NOT NULL"
      "  UNION SELECT soon.id, u.id FROM soon JOIN meeting_invitations i ON i.meeting_id = soon.id"
      "    JOIN users u ON u.email = i.email)"
      " SELECT m.id, m.code, m.title, m.starts_at, r.user_id, " +
      minutes +
      " FROM recipients r JOIN soon m ON m.id = r.meeting_id"
      " LEFT JOIN notification_settings s ON s.user_id = r.user_id"
      " WHERE COALESCE(s.reminders, 1) = 1 AND m.starts_at - " +
      minutes +
      " * 60 <= ?1"
      " AND NOT EXISTS (SELECT 1 FROM sent_notifications n"
      "   WHERE n.key = 'reminder:' || m.id || ':' || m.starts_at || ':' || r.user_id)"
      " ORDER BY m.starts_at, m.id, r.user_id LIMIT " +
      std::to_string(kDueReminderBatch);
  return fetchAll(*db_, readDueReminder, sql, now);
}

}  // namespace fluxmeet::store
