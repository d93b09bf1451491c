#pragma once
// MediaEventRelay: carries Router events from media worker threads to the control thread, where
// the Room of that router (router id = meeting code) turns them into notifications. The worker
// never waits: it posts and goes on.
#include <functional>
#include <string>

#include "fluxmeet/media/router/router.hpp"
#include "fluxmeet/meeting/room_registry.hpp"

namespace fluxmeet::meeting {

class MediaEventRelay final : public media::router::RouterListener {
 public:
  // `postToControl` runs a task on the control thread (e.g. boost::asio::post on its io_context).
  explicit MediaEventRelay(std::function<void(std::function<void()>)> postToControl)
      : post_(std::move(postToControl)) {}

  // The registry to deliver to; set once the signaling core exists, cleared before it goes.
  void setRegistry(RoomRegistry* registry) { registry_ = registry; }

  void onTransportClosed(const std::string& routerId, const std::string& transportId, std::string_view reason) override {
    deliver(routerId, [transportId, reason = std::string(reason)](Room& room) { room.onTransportClosed(transportId, reason); });
  }
  void onConsumerClosed(const std::string& routerId, const std::string& consumerId) override {
    deliver(routerId, [consumerId](Room& room) { room.onConsumerClosed(consumerId); });
  }
  void onConsumerLayersChanged(const std::string& routerId, const std::string& consumerId, int spatialLayer) override {
    deliver(routerId, [consumerId, spatialLayer](Room& room) { room.onConsumerLayersChanged(consumerId, spatialLayer); });
  }
  void onActiveSpeaker(const std::string& routerId, const std::string& producerId) override {
    deliver(routerId, [producerId](Room& room) { room.onActiveSpeaker(producerId); });
  }

 private:
  template <class Action>
  void deliver(const std::string& routerId, Action action) {
    post_([this, routerId, action = std::move(action)]() {
      if (!registry_) return;
      if (Room* room = registry_->find(routerId)) action(*room);
    });
  }

  std::function<void(std::function<void()>)> post_;
  RoomRegistry* registry_ = nullptr;
};

}  // namespace fluxmeet::meeting
