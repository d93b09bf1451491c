// Room chat: persisted first, then acknowledged and broadcast (nothing acknowledged is lost).
#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/meeting/permissions.hpp"
#include "fluxmeet/meeting/room.hpp"
#include "room_json.hpp"

namespace fluxmeet::meeting {

namespace {

// Own message: sent by this live peer, or by the same signed-in user in an earlier visit.
bool ownMessage(const store::ChatMessage& message, const Peer& peer) {
  if (message.senderPeerId == peer.peerId) return true;
  return peer.userId && message.senderUserId && *peer.userId == *message.senderUserId;
}

}  // namespace

Result<nlohmann::json> Room::chatSend(const std::string& peerId, const std::string& text) {
  auto peer = joinedPeer(peerId);
  if (!peer) return peer.error();
  auto stored = store_.addChatMessage(store::NewChatMessage{.meetingId = meeting_.id,
                                                            .senderUserId = (*peer)->userId,
                                                            .senderPeerId = peerId,
                                                            .senderName = (*peer)->displayName,
                                                            .body = text,
                                                            .now = unixNow()});
  if (!stored) return stored.error();
  nlohmann::json message = chatMessageJson(*stored);
  broadcast("chat.message", message, peerId);
  if (activityListener_) activityListener_->onChatMessage(meeting_, *stored, presentUserIds((*peer)->userId));
  return message;
}

Result<nlohmann::json> Room::chatHistory(const std::string& peerId, store::Id before, int limit) {
  auto peer = joinedPeer(peerId);
  if (!peer) return peer.error();
  auto page = store_.listChat(meeting_.id, before, limit + 1);
  if (!page) return page.error();
  bool hasMore = static_cast<int>(page->size()) > limit;
  if (hasMore) page->pop_back();
  nlohmann::json messages = nlohmann::json::array();
  for (auto it = page->rbegin(); it != page->rend(); ++it) messages.push_back(chatMessageJson(*it));
  return nlohmann::json{{"messages", messages}, {"hasMore", hasMore}};
}

Result<nlohmann::json> Room::chatEdit(const std::string& peerId, store::Id messageId, const std::string& text) {
  auto peer = joinedPeer(peerId);
  if (!peer) return peer.error();
  auto existing = store_.findChatMessage(meeting_.id, messageId);
  if (!existing) return existing.error();
  if (!ownMessage(*existing, **peer)) return makeError(ErrorCode::Forbidden, "you can only edit your own messages");
  if (existing->deleted) return makeError(ErrorCode::Unprocessable, "the message was deleted");
  auto edited = store_.editChatMessage(meeting_.id, messageId, text, unixNow());
  if (!edited) return edited.error();
  nlohmann::json message = chatMessageJson(*edited);
  broadcast("chat.edited", message, peerId);
  return message;
}

Result<nlohmann::json> Room::chatDelete(const std::string& peerId, store::Id messageId) {
  auto peer = joinedPeer(peerId);
  if (!peer) return peer.error();
  auto existing = store_.findChatMessage(meeting_.id, messageId);
  if (!existing) return existing.error();
  if (!ownMessage(*existing, **peer)) {
    if (auto allowed = ensureCanModerate((*peer)->role); !allowed) {
      return makeError(ErrorCode::Forbidden, "you can only delete your own messages");
    }
  }
  auto deleted = store_.deleteChatMessage(meeting_.id, messageId, unixNow());
  if (!deleted) return deleted.error();
  nlohmann::json message = chatMessageJson(*deleted);
  broadcast("chat.deleted", message, peerId);
  return message;
}

}  // namespace fluxmeet::meeting
