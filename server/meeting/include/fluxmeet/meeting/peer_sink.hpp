#pragma once
// PeerSink: how a Room reaches one peer's connection. Declared here, implemented by the module
// that owns connections (server/signal), so the meeting logic runs and is tested without sockets
// (tests use a fake that records what it was sent).
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace fluxmeet::meeting {

class PeerSink {
 public:
  virtual ~PeerSink() = default;
  // One notification ({"method", "data"} on the wire). Must not call back into the Room.
  virtual void notify(std::string_view method, const nlohmann::json& data) = 0;
  // The same notification to many peers: `encoded` starts empty and the first sink that needs the
  // wire text keeps it there, so a broadcast serialises its JSON once, not once per recipient.
  virtual void notifyShared(std::string_view method, const nlohmann::json& data, std::string& /*encoded*/) {
    notify(method, data);
  }
  // A notification whose data is already JSON text (a relay assembled from pieces that were each
  // serialised once). The default parses it back, for sinks that only record (tests).
  virtual void notifyEncoded(std::string_view method, std::string_view dataJson) {
    notify(method, nlohmann::json::parse(dataJson));
  }
  // The room dropped this peer (removed, denied, meeting ended): the sink's owner forgets the room.
  // Not called for a peer's own leave().
  virtual void leftRoom() = 0;
};

}  // namespace fluxmeet::meeting
