#pragma once
// BoardRoutes: the whiteboard's REST side (docs/api.md "Whiteboard"). Images do not fit the
// 192 KiB signaling messages, so they travel over HTTP; these routes live in the signaling module
// because who may upload is decided by who is in the live meeting right now.
//   PUT /api/v1/meetings/{code}/board/files/{fileId}  raw image body -> 201 {fileId, mimeType, size}
//       a user or guest currently joined to the meeting (not while read-only, unless host/co-host)
//   GET /api/v1/meetings/{code}/board/files/{fileId}  the bytes, for the meeting's members
//       (host or attended) and guests currently joined
//   GET /api/v1/meetings/{code}/board                 {elements, files, updatedAt}, members only
// Handlers run on the control thread, like the signaling core they use.
#include <optional>
#include <string>

#include "fluxmeet/http/router.hpp"
#include "peer_session.hpp"

namespace fluxmeet::signal {

class SignalingCore;

class BoardRoutes {
 public:
  explicit BoardRoutes(SignalingCore& core) : core_(core) {}
  void registerRoutes(http::Router& router);

  // Handlers (public for the route binding; references only, see runBlocking's note on GCC PR 99576).
  boost::asio::awaitable<http::Response> putFile(http::Request& request);
  boost::asio::awaitable<http::Response> getFile(http::Request& request);
  boost::asio::awaitable<http::Response> getBoard(http::Request& request);

 private:
  // The meeting (deleted ones too: a board outlives them in history); NotFound for a bad code.
  Result<store::Meeting> findMeeting(const std::string& code);
  // The bearer token's user or guest (not other token kinds).
  Result<Identity> caller(const http::Request& request);
  // The peer id `identity` is joined to the live meeting `code` with, if any.
  std::optional<std::string> joinedPeerId(const std::string& code, const Identity& identity);
  // Host or attendee of the meeting (a signed-in user).
  Result<bool> isMember(store::Id meetingId, const Identity& identity);

  SignalingCore& core_;
};

}  // namespace fluxmeet::signal
