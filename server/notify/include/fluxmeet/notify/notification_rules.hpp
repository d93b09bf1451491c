#pragma once
// Validation of what clients send for Web Push (docs/api.md "Push notifications"): the
// notification settings PATCH and a browser's PushSubscription. The REST routes check bodies
// against these schemas, then these functions apply the rules a schema cannot say.
#include <nlohmann/json.hpp>
#include <string_view>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/http/json_schema.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::notify {

inline constexpr int kMinReminderMinutes = 1;
inline constexpr int kMaxReminderMinutes = 1440;
inline constexpr size_t kMaxEndpointLength = 2048;
inline constexpr size_t kMaxDeviceNameLength = 100;
inline constexpr int kMaxSubscriptionsPerUser = 20;

// PATCH /api/v1/users/me/notifications: every field optional, none unknown.
const http::Schema& notificationSettingsSchema();
// The settings after a validated patch; fields it leaves out keep their value.
store::NotificationSettings applySettingsPatch(store::NotificationSettings settings, const nlohmann::json& patch);
nlohmann::json notificationSettingsJson(const store::NotificationSettings& settings);

// POST /api/v1/push/subscriptions: {"endpoint", "keys": {"p256dh", "auth"}, "deviceName"?}.
// Extra fields browsers put in PushSubscription.toJSON() ("expirationTime") are accepted.
const http::Schema& subscriptionSchema();
// DELETE /api/v1/push/subscriptions: {"endpoint"}.
const http::Schema& unsubscribeSchema();
// An https URL with a host (http too when allowPlainHttp, for tests), no user information,
// no fragment, at most kMaxEndpointLength characters. ValidationFailed(field "endpoint").
Result<void> checkPushEndpoint(std::string_view endpoint, bool allowPlainHttp);

}  // namespace fluxmeet::notify
