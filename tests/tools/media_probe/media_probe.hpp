#pragma once
// MediaProbe: the command side of fluxmeet_media_probe (the protocol is described in main.cpp).
// It wraps ONE client::MediaClient - a WebRTC endpoint that is the peer of one server transport -
// answers JSON commands, sends VP8 / Opus once connected (synthetic, or real from files ffmpeg
// made), answers the SFU's keyframe requests like a browser would (a file's next keyframe does),
// and counts what it receives per SSRC. Test-only code.
//
// Threading: one thread; main.cpp polls fd() and stdin and calls tick() and handle().
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/client/media_client.hpp"
#include "fluxmeet/media/ortc/rtp_parameters.hpp"
#include "probe_source.hpp"

namespace fluxmeet::tools {

class MediaProbe {
 public:
  using Clock = std::chrono::steady_clock;
  // Unsolicited output lines ({"event": ...}).
  using EventSink = std::function<void(const nlohmann::json& event)>;

  static Result<std::unique_ptr<MediaProbe>> create(EventSink events);

  // One command object; returns the answer line ({"ok": true, ...} or an Error).
  Result<nlohmann::json> handle(const nlohmann::json& command);
  // Runs the client (reads what waits on its socket, runs its timers), reports state changes and
  // sends the media that is due at `now`.
  void tick(Clock::time_point now);
  // When tick() next has media to send (nullopt: nothing is being produced or not connected).
  std::optional<Clock::time_point> nextSendAt() const;
  int fd() const { return client_->fd(); }

 private:
  // What arrived on one SSRC.
  struct SsrcCounters {
    uint64_t packets = 0;
    uint64_t bytes = 0;
    uint64_t keyframes = 0;  // VP8 frames starting with a keyframe (media SSRCs only)
    std::string consumerId;  // empty: no consumer was registered for this SSRC
    std::string kind;
    bool rtx = false;
    bool vp8 = false;
  };

  explicit MediaProbe(std::unique_ptr<media::client::MediaClient> client, EventSink events);

  Result<nlohmann::json> connect(const nlohmann::json& command);
  Result<nlohmann::json> produce(const nlohmann::json& command);
  Result<nlohmann::json> expect(const nlohmann::json& command);
  nlohmann::json stats() const;

  void onRtp(media::rtp::RtpPacketView& packet);
  void onRtcp(const media::rtcp::RtcpCompound& compound);
  void sendMedia(Clock::time_point now);
  uint32_t newSsrc();

  std::unique_ptr<media::client::MediaClient> client_;
  EventSink events_;
  media::client::MediaClientState reportedState_ = media::client::MediaClientState::New;
  std::unique_ptr<ProbeSource> video_;
  std::unique_ptr<ProbeSource> audio_;
  int nextMid_ = 0;  // mediasoup-client numbers a transport's m-sections 0, 1, ...
  Clock::time_point nextVideo_{};
  Clock::time_point nextAudio_{};
  std::map<uint32_t, SsrcCounters> received_;
  uint64_t keyframeRequests_ = 0;  // PLI/FIR entries naming one of our video SSRCs
};

}  // namespace fluxmeet::tools
