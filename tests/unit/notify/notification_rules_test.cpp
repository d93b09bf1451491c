// What clients may send: the settings PATCH (types, range 1..1440, no unknown fields) and push
// endpoints (https only unless the test setting allows http; no credentials, no fragments).
#include "fluxmeet/notify/notification_rules.hpp"

#include <gtest/gtest.h>

namespace fluxmeet::notify {
namespace {

Result<void> validateSettings(const char* text) {
  return http::validate(nlohmann::json::parse(text), notificationSettingsSchema());
}

TEST(NotificationSettingsPatch, AcceptsEachFieldAlone) {
  for (const char* body : {R"({})", R"({"reminders": false})", R"({"reminderMinutes": 1})",
                           R"({"reminderMinutes": 1440})", R"({"waitingRoom": false})", R"({"meetingStarted": true})",
                           R"({"chat": false})"}) {
    EXPECT_TRUE(validateSettings(body).ok()) << body;
  }
}

TEST(NotificationSettingsPatch, RefusesBadValuesNamingTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"reminderMinutes": 0})", "reminderMinutes"},     {R"({"reminderMinutes": 1441})", "reminderMinutes"},
      {R"({"reminderMinutes": 2.5})", "reminderMinutes"},   {R"({"reminderMinutes": "10"})", "reminderMinutes"},
      {R"({"reminders": "yes"})", "reminders"},             {R"({"chat": 1})", "chat"},
      {R"({"waitingroom": true})", "waitingroom"},
  };
  for (const auto& [body, field] : cases) {
    auto valid = validateSettings(body);
    ASSERT_FALSE(valid.ok()) << body;
    EXPECT_EQ(valid.error().field, field) << body;
  }
}

TEST(NotificationSettingsPatch, ChangesOnlyWhatItNames) {
  const auto patched = applySettingsPatch(store::NotificationSettings{},
                                          nlohmann::json::parse(R"({"reminderMinutes": 30, "chat": false})"));
  EXPECT_TRUE(patched.reminders);
  EXPECT_EQ(patched.reminderMinutes, 30);
  EXPECT_TRUE(patched.waitingRoom);
  EXPECT_TRUE(patched.meetingStarted);
  EXPECT_FALSE(patched.chat);
  EXPECT_EQ(notificationSettingsJson(patched),
            nlohmann::json::parse(
                R"({"reminders":true,"reminderMinutes":30,"waitingRoom":true,"meetingStarted":true,"chat":false})"));
}

TEST(PushEndpoint, HttpsOnlyUnlessAllowed) {
  EXPECT_TRUE(checkPushEndpoint("https://fcm.googleapis.com/fcm/send/abc:def", false).ok());
  EXPECT_TRUE(checkPushEndpoint("https://updates.push.services.mozilla.com/wpush/v2/gAAA", false).ok());
  EXPECT_FALSE(checkPushEndpoint("http://127.0.0.1:9000/push/1", false).ok());
  EXPECT_TRUE(checkPushEndpoint("http://127.0.0.1:9000/push/1", true).ok());
  for (const char* bad : {"ftp://x/y", "https://", "https:///path", "https://user:pw@push.example/x",
                          "https://push.example/x#frag", "https://push.example/a b", "javascript:alert(1)"}) {
    auto checked = checkPushEndpoint(bad, true);
    ASSERT_FALSE(checked.ok()) << bad;
    EXPECT_EQ(checked.error().field, "endpoint") << bad;
  }
  EXPECT_FALSE(checkPushEndpoint("https://push.example/" + std::string(kMaxEndpointLength, 'a'), false).ok());
}

TEST(PushSubscriptionBody, TakesWhatBrowsersSend) {
  const auto body = nlohmann::json::parse(
      R"({"endpoint":"https://push.example/x","expirationTime":null,"keys":{"p256dh":"BA","auth":"AA"}})");
  EXPECT_TRUE(http::validate(body, subscriptionSchema()).ok());
  const auto missingAuth = nlohmann::json::parse(R"({"endpoint":"https://push.example/x","keys":{"p256dh":"BA"}})");
  auto checked = http::validate(missingAuth, subscriptionSchema());
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().field, "keys.auth");
}

}  // namespace
}  // namespace fluxmeet::notify
