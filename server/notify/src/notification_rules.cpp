#include "fluxmeet/notify/notification_rules.hpp"

#include "fluxmeet/push/vapid.hpp"

namespace fluxmeet::notify {
namespace {

using http::FieldRule;
using http::JsonType;

Error endpointError(std::string message) {
  return makeError(ErrorCode::ValidationFailed, std::move(message), "endpoint");
}

}  // namespace

const http::Schema& notificationSettingsSchema() {
  static const http::Schema schema{{
      FieldRule{.name = "reminders", .type = JsonType::Boolean},
      FieldRule{.name = "reminderMinutes",
                .type = JsonType::Integer,
                .minimum = kMinReminderMinutes,
                .maximum = kMaxReminderMinutes},
      FieldRule{.name = "waitingRoom", .type = JsonType::Boolean},
      FieldRule{.name = "meetingStarted", .type = JsonType::Boolean},
      FieldRule{.name = "chat", .type = JsonType::Boolean},
  }};
  return schema;
}

store::NotificationSettings applySettingsPatch(store::NotificationSettings settings, const nlohmann::json& patch) {
  if (auto value = http::optionalField<bool>(patch, "reminders")) settings.reminders = *value;
  if (auto value = http::optionalField<int>(patch, "reminderMinutes")) settings.reminderMinutes = *value;
  if (auto value = http::optionalField<bool>(patch, "waitingRoom")) settings.waitingRoom = *value;
  if (auto value = http::optionalField<bool>(patch, "meetingStarted")) settings.meetingStarted = *value;
  if (auto value = http::optionalField<bool>(patch, "chat")) settings.chat = *value;
  return settings;
}

nlohmann::json notificationSettingsJson(const store::NotificationSettings& settings) {
  return {{"reminders", settings.reminders},
          {"reminderMinutes", settings.reminderMinutes},
          {"waitingRoom", settings.waitingRoom},
          {"meetingStarted", settings.meetingStarted},
          {"chat", settings.chat}};
}

const http::Schema& subscriptionSchema() {
  // p256dh: 65 bytes = 87 base64url characters; auth: 16 bytes = 22. Room for '=' padding.
  static const http::Schema keys{{
      FieldRule{.name = "p256dh", .type = JsonType::String, .required = true, .minLength = 1, .maxLength = 100},
      FieldRule{.name = "auth", .type = JsonType::String, .required = true, .minLength = 1, .maxLength = 32},
  }};
  static const http::Schema schema{
      {
          FieldRule{.name = "endpoint",
                    .type = JsonType::String,
                    .required = true,
                    .minLength = 1,
                    .maxLength = kMaxEndpointLength},
          FieldRule{.name = "keys", .type = JsonType::Object, .required = true, .object = &keys},
          FieldRule{.name = "deviceName",
                    .type = JsonType::String,
                    .nullable = true,
                    .maxLength = kMaxDeviceNameLength},
          FieldRule{.name = "expirationTime", .type = JsonType::Any, .nullable = true},
      },
  };
  return schema;
}

const http::Schema& unsubscribeSchema() {
  static const http::Schema schema{{
      FieldRule{.name = "endpoint", .type = JsonType::String, .required = true, .minLength = 1,
                .maxLength = kMaxEndpointLength},
  }};
  return schema;
}

Result<void> checkPushEndpoint(std::string_view endpoint, bool allowPlainHttp) {
  if (endpoint.size() > kMaxEndpointLength) return endpointError("endpoint is too long");
  const bool https = endpoint.starts_with("https://");
  if (!https && !(allowPlainHttp && endpoint.starts_with("http://"))) {
    return endpointError("endpoint must be an https URL");
  }
  for (const char c : endpoint) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return endpointError("endpoint must be a URL of printable ASCII characters");
    }
  }
  if (endpoint.find('#') != std::string_view::npos) return endpointError("endpoint must not have a fragment");
  const std::string_view rest = endpoint.substr(endpoint.find("://") + 3);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
  if (authority.find('@') != std::string_view::npos) return endpointError("endpoint must not hold user information");
  if (authority.empty() || authority.front() == ':') return endpointError("endpoint has no host");
  if (auto origin = push::endpointOrigin(endpoint); !origin) return endpointError("endpoint has no valid host");
  return {};
}

}  // namespace fluxmeet::notify
