#include "fluxmeet/notify/push_payload.hpp"

#include <nlohmann/json.hpp>

namespace fluxmeet::notify {

std::string_view pushKindName(PushKind kind) {
  switch (kind) {
    case PushKind::Reminder: return "reminder";
    case PushKind::Waiting: return "waiting";
    case PushKind::Started: return "started";
    case PushKind::Chat: return "chat";
    case PushKind::Test: return "test";
  }
  return "test";
}

std::string PushPayload::toJson() const {
  // Titles come from users (meeting titles, display names): replace, never throw, on bad UTF-8.
  nlohmann::json json{{"type", pushKindName(kind)}, {"title", title}, {"body", body}, {"url", url}, {"tag", tag}};
  if (!meetingCode.empty()) json["meetingCode"] = meetingCode;
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace fluxmeet::notify
