#pragma once
// The JSON a Flux Meet service worker receives in a push event (docs/api.md "Push
// notifications"), encrypted end to end (RFC 8291):
//   {"type": "reminder"|"waiting"|"started"|"chat"|"test", "title", "body", "url", "tag"}
// plus "meetingCode" on chat messages (the service worker shows those only when no window of the
// app is on that meeting). `url` is a path of the web app to open on click ("/m/<code>" or "/");
// `tag` lets a newer notification replace an older one on the device (Notification.tag).
#include <string>
#include <string_view>

namespace fluxmeet::notify {

enum class PushKind { Reminder, Waiting, Started, Chat, Test };
std::string_view pushKindName(PushKind kind);

struct PushPayload {
  PushKind kind = PushKind::Test;
  std::string title;
  std::string body;
  std::string url = "/";
  std::string tag;
  std::string meetingCode;  // empty: not in the JSON

  std::string toJson() const;
};

}  // namespace fluxmeet::notify
