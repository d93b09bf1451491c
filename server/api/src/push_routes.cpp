// Web Push (issue 9, docs/api.md "Push notifications"): the server's VAPID public key, saving
// and removing a browser's push subscription, the signed-in user's notification settings and a
// test notification. A subscription belongs to the user who saved it; nobody else can delete it
// (another user's endpoint answers 404, exactly like an unknown one).
#include "api_state.hpp"
#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/notify/notification_rules.hpp"
#include "fluxmeet/push/push_encryption.hpp"

namespace fluxmeet::api {
namespace asio = boost::asio;
namespace bhttp = http::bhttp;
using http::Request;
using http::Response;
using nlohmann::json;

namespace {

Result<notify::Notifier*> notifier(State& state) {
  if (!state.services.notifier) return makeError(ErrorCode::Unavailable, "push notifications are not enabled");
  return state.services.notifier;
}

// A name for the devices list: what the client says, else its User-Agent, cut to the limit.
std::string deviceName(const json& body, const Request& request) {
  std::string name = http::optionalField<std::string>(body, "deviceName")
                         .value_or(std::string(request.header(bhttp::field::user_agent)));
  if (name.size() > notify::kMaxDeviceNameLength) {
    name.resize(notify::kMaxDeviceNameLength);
    // Do not leave half a UTF-8 sequence at the cut.
    while (!name.empty() && (static_cast<unsigned char>(name.back()) & 0xC0) == 0x80) name.pop_back();
    if (!name.empty() && (static_cast<unsigned char>(name.back()) & 0x80)) name.pop_back();
  }
  return name;
}

asio::awaitable<Response> getKey(State& state, Request&) {
  auto push = notifier(state);
  if (!push) co_return http::errorResponse(push.error());
  co_return http::jsonResponse(bhttp::status::ok, {{"publicKey", (*push)->publicKey()}});
}

asio::awaitable<Response> subscribe(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto push = notifier(state);
  if (!push) co_return http::errorResponse(push.error());
  auto body = readJsonBody(request, notify::subscriptionSchema());
  if (!body) co_return http::errorResponse(body.error());
  const std::string endpoint = (*body)["endpoint"].get<std::string>();
  if (auto valid = notify::checkPushEndpoint(endpoint, (*push)->allowPlainHttp()); !valid) {
    co_return http::errorResponse(valid.error());
  }
  const std::string p256dh = (*body)["keys"]["p256dh"].get<std::string>();
  const std::string auth = (*body)["keys"]["auth"].get<std::string>();
  if (auto keys = push::parseSubscriptionKeys(p256dh, auth); !keys) {
    Error error = keys.error();
    error.field = "keys." + error.field;
    co_return http::errorResponse(error);
  }
  auto saved = state.services.store.savePushSubscription(
      store::NewPushSubscription{.userId = authed->user.id,
                                 .endpoint = endpoint,
                                 .p256dh = p256dh,
                                 .auth = auth,
                                 .deviceName = deviceName(*body, request),
                                 .now = unixNow(),
                                 .maxPerUser = notify::kMaxSubscriptionsPerUser});
  if (!saved) co_return http::errorResponse(saved.error());
  co_return http::jsonResponse(saved->created ? bhttp::status::created : bhttp::status::ok, {{"id", saved->id}});
}

asio::awaitable<Response> unsubscribe(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto body = readJsonBody(request, notify::unsubscribeSchema());
  if (!body) co_return http::errorResponse(body.error());
  auto deleted =
      state.services.store.deletePushSubscription(authed->user.id, (*body)["endpoint"].get<std::string>());
  if (!deleted) {
    if (deleted.error().code == ErrorCode::NotFound) {
      co_return http::errorResponse(ErrorCode::NotFound, "no such subscription");
    }
    co_return http::errorResponse(deleted.error());
  }
  co_return http::noContent();
}

asio::awaitable<Response> sendTest(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto push = notifier(state);
  if (!push) co_return http::errorResponse(push.error());
  const notify::PushPayload payload{.kind = notify::PushKind::Test,
                                    .title = "Flux Meet",
                                    .body = "Notifications work on this device",
                                    .url = "/",
                                    .tag = "test"};
  auto queued = (*push)->notifyUser(authed->user.id, payload,
                                    push::PushMessageOptions{.ttl = std::chrono::minutes(10),
                                                             .urgency = push::Urgency::Normal});
  if (!queued) co_return http::errorResponse(queued.error());
  co_return http::jsonResponse(bhttp::status::accepted, {{"queued", *queued}});
}

asio::awaitable<Response> getSettings(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto settings = state.services.store.notificationSettings(authed->user.id);
  if (!settings) co_return http::errorResponse(settings.error());
  co_return http::jsonResponse(bhttp::status::ok, notify::notificationSettingsJson(*settings));
}

asio::awaitable<Response> patchSettings(State& state, Request& request) {
  auto authed = authenticate(state, request);
  if (!authed) co_return http::errorResponse(authed.error());
  auto body = readJsonBody(request, notify::notificationSettingsSchema());
  if (!body) co_return http::errorResponse(body.error());
  auto current = state.services.store.notificationSettings(authed->user.id);
  if (!current) co_return http::errorResponse(current.error());
  const store::NotificationSettings updated = notify::applySettingsPatch(*current, *body);
  if (auto saved = state.services.store.saveNotificationSettings(authed->user.id, updated, unixNow()); !saved) {
    co_return http::errorResponse(saved.error());
  }
  co_return http::jsonResponse(bhttp::status::ok, notify::notificationSettingsJson(updated));
}

}  // namespace

void registerPushRoutes(http::Router& router, State& state) {
  using bhttp::verb;
  router.add(verb::get, "/api/v1/push/key", withState(state, getKey));
  router.add(verb::post, "/api/v1/push/subscriptions", withState(state, subscribe));
  router.add(verb::delete_, "/api/v1/push/subscriptions", withState(state, unsubscribe));
  router.add(verb::post, "/api/v1/push/test", withState(state, sendTest));
  router.add(verb::get, "/api/v1/users/me/notifications", withState(state, getSettings));
  router.add(verb::patch, "/api/v1/users/me/notifications", withState(state, patchSettings));
}

}  // namespace fluxmeet::api
