#include "board_routes.hpp"

#include <algorithm>
#include <cctype>

#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/common/encoding.hpp"
#include "fluxmeet/http/response.hpp"
#include "fluxmeet/meeting/meeting_code.hpp"
#include "fluxmeet/whiteboard/board.hpp"
#include "signaling_core.hpp"

namespace fluxmeet::signal {

namespace {

namespace bhttp = http::bhttp;
using nlohmann::json;

std::string meetingCode(const http::Request& request) {
  std::string code(request.param("code"));
  std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::tolower(c); });
  return code;
}

// "image/png; charset=x" -> "image/png"; BoardFiles wants the exact lower-case type.
std::string mediaType(std::string_view contentType) {
  std::string type(contentType.substr(0, contentType.find(';')));
  std::erase_if(type, [](unsigned char c) { return std::isspace(c); });
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  return type;
}

// {"elements":[...],"files":[...],"updatedAt":...}: the elements are the board's stored text,
// the rest small enough to go through json.
std::string boardBody(const std::string& liveElementsText, const json& files, const json& updatedAt) {
  return jsonObjectText({{"elements", liveElementsText},
                         {"files", files.dump(-1, ' ', false, json::error_handler_t::replace)},
                         {"updatedAt", updatedAt.dump()}});
}

}  // namespace

void BoardRoutes::registerRoutes(http::Router& router) {
  const std::size_t maxImage = whiteboard::FileLimits{}.maxFileBytes;
  router.add(
      bhttp::verb::put, "/api/v1/meetings/{code}/board/files/{fileId}",
      [this](http::Request& request) { return putFile(request); }, http::RouteOptions{.bodyLimit = maxImage});
  router.add(bhttp::verb::get, "/api/v1/meetings/{code}/board/files/{fileId}",
             [this](http::Request& request) { return getFile(request); });
  router.add(bhttp::verb::get, "/api/v1/meetings/{code}/board",
             [this](http::Request& request) { return getBoard(request); });
}

Result<store::Meeting> BoardRoutes::findMeeting(const std::string& code) {
  if (!meeting::isValidMeetingCode(code)) return makeError(ErrorCode::NotFound, "no meeting with that code");
  auto meeting = core_.store_.findMeetingByCode(code, true);
  if (!meeting && meeting.error().code == ErrorCode::NotFound) {
    return makeError(ErrorCode::NotFound, "no meeting with that code");
  }
  return meeting;
}

Result<Identity> BoardRoutes::caller(const http::Request& request) {
  std::string_view token = request.bearerToken();
  if (token.empty()) return makeError(ErrorCode::Unauthorized, "sign in, or join the meeting as a guest");
  if (token.size() > auth::kMaxTokenLength) return makeError(ErrorCode::Unauthorized, "token too long");
  auto claims = core_.jwt_.verify(token, unixNow());
  if (!claims) return claims.error();
  // Media cookies and other token kinds are good for their own routes only.
  if (claims->kind != "user" && claims->kind != "guest") {
    return makeError(ErrorCode::Unauthorized, "a user or guest token is required");
  }
  return core_.authenticate(std::string(token));
}

std::optional<std::string> BoardRoutes::joinedPeerId(const std::string& code, const Identity& identity) {
  meeting::Room* room = core_.registry_.find(code);
  if (!room) return std::nullopt;
  if (identity.guest && identity.guestMeetingCode != code) return std::nullopt;
  for (const auto& [peerId, session] : core_.sessions_) {
    if (session->identity.subject == identity.subject && session->roomCode == code && room->findPeer(peerId)) {
      return peerId;
    }
  }
  return std::nullopt;
}

Result<bool> BoardRoutes::isMember(store::Id meetingId, const Identity& identity) {
  if (!identity.userId) return false;
  return core_.store_.isMeetingMember(meetingId, *identity.userId);
}

boost::asio::awaitable<http::Response> BoardRoutes::putFile(http::Request& request) {
  auto identity = caller(request);
  if (!identity) co_return http::errorResponse(identity.error());
  const std::string code = meetingCode(request);
  if (!meeting::isValidMeetingCode(code)) {
    co_return http::errorResponse(ErrorCode::NotFound, "no meeting with that code");
  }
  auto peerId = joinedPeerId(code, *identity);
  if (!peerId) {
    co_return http::errorResponse(ErrorCode::Forbidden, "only those in the meeting can add images to its whiteboard");
  }
  meeting::Room& room = *core_.registry_.find(code);
  const std::string& body = request.message.body();
  auto added = room.boardAddFile(*peerId, std::string(request.param("fileId")),
                                 mediaType(request.header(bhttp::field::content_type)),
                                 std::vector<std::uint8_t>(body.begin(), body.end()));
  if (!added) co_return http::errorResponse(added.error());
  co_return http::jsonResponse(bhttp::status::created, *added);
}

boost::asio::awaitable<http::Response> BoardRoutes::getFile(http::Request& request) {
  auto identity = caller(request);
  if (!identity) co_return http::errorResponse(identity.error());
  const std::string code = meetingCode(request);
  auto meeting = findMeeting(code);
  if (!meeting) co_return http::errorResponse(meeting.error());
  auto member = isMember(meeting->id, *identity);
  if (!member) co_return http::errorResponse(member.error());
  if (!*member && !joinedPeerId(code, *identity)) {
    co_return http::errorResponse(ErrorCode::Forbidden, "only the meeting's members can see its whiteboard");
  }
  const std::string fileId(request.param("fileId"));
  std::string bytes;
  std::string mimeType;
  if (meeting::Room* room = core_.registry_.find(code);
      room && room->meeting().id == meeting->id && room->board().board().files().find(fileId)) {
    const whiteboard::BoardFile& file = *room->board().board().files().find(fileId);
    bytes.assign(file.bytes.begin(), file.bytes.end());
    mimeType = file.mimeType;
  } else {
    auto stored = core_.store_.findBoardFile(meeting->id, fileId);
    if (!stored) {
      if (stored.error().code != ErrorCode::NotFound) co_return http::errorResponse(stored.error());
      co_return http::errorResponse(ErrorCode::NotFound, "no such image on this whiteboard");
    }
    bytes.assign(stored->bytes.begin(), stored->bytes.end());
    mimeType = stored->mimeType;
  }
  http::Response response = http::textResponse(bhttp::status::ok, std::move(bytes), mimeType);
  // File ids are content hashes and a kept id never changes content (BoardFiles refuses that).
  response.set(bhttp::field::cache_control, "private, max-age=31536000, immutable");
  co_return response;
}

boost::asio::awaitable<http::Response> BoardRoutes::getBoard(http::Request& request) {
  auto identity = caller(request);
  if (!identity) co_return http::errorResponse(identity.error());
  const std::string code = meetingCode(request);
  auto meeting = findMeeting(code);
  if (!meeting) co_return http::errorResponse(meeting.error());
  auto member = isMember(meeting->id, *identity);
  if (!member) co_return http::errorResponse(member.error());
  if (!*member) {
    co_return http::errorResponse(ErrorCode::Forbidden, "only the host and those who attended can see this whiteboard");
  }
  std::string body;
  meeting::Room* room = core_.registry_.find(code);
  if (room && room->meeting().id == meeting->id) {
    // Live: the room's scene is newer than the last save.
    const whiteboard::Board& board = room->board().board();
    if (board.seq() == 0 && board.files().count() == 0) {
      co_return http::errorResponse(ErrorCode::NotFound, "this meeting has no whiteboard");
    }
    body = boardBody(board.liveElementsText(), board.files().toJson(), isoUtc(unixNow()));
  } else {
    auto saved = core_.store_.findBoard(meeting->id);
    auto files = core_.store_.listBoardFiles(meeting->id, false);
    if (!files) co_return http::errorResponse(files.error());
    if (!saved && saved.error().code != ErrorCode::NotFound) co_return http::errorResponse(saved.error());
    if (!saved && files->empty()) co_return http::errorResponse(ErrorCode::NotFound, "this meeting has no whiteboard");
    std::string elements = "[]";
    if (saved) {
      auto board = whiteboard::Board::fromJson(json::parse(saved->document, nullptr, false));
      if (!board) co_return http::errorResponse(ErrorCode::Internal, "the saved whiteboard is unreadable");
      elements = board->liveElementsText();
    }
    json listed = json::array();
    for (const auto& file : *files) {
      listed.push_back({{"id", file.fileId}, {"mimeType", file.mimeType}, {"size", file.size}});
    }
    body = boardBody(elements, listed, saved ? json(isoUtc(saved->updatedAt)) : json(nullptr));
  }
  co_return http::encodedJsonResponse(bhttp::status::ok, std::move(body));
}

}  // namespace fluxmeet::signal
