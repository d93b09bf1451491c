#pragma once
// MediaPlane: the SFU as the rest of the server sees it. It owns the DTLS certificate (one per
// process, RFC 8827 section 6.5 allows that), the router RTP capabilities (one codec list for
// every meeting) and the media workers, and hands each new meeting's Router to the least loaded
// worker. Everything else reaches media through a worker's post()/invoke().
//
// Threading: create, start and stop from the main thread; assignWorker() and the getters from
// the control thread.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/ice/turn_credentials.hpp"
#include "fluxmeet/media/ortc/rtp_parameters.hpp"
#include "fluxmeet/media/worker/media_worker.hpp"

namespace fluxmeet::media::worker {

struct MediaPlaneOptions {
  unsigned workers = 1;
  std::string listenIp = "0.0.0.0";
  uint16_t firstPort = 40000;  // worker i listens on firstPort + i; 0 = any free port each
  // ICE-TCP (RFC 6544): worker i also listens on TCP firstTcpPort + i (0 = any free port each);
  // nullopt = no ICE-TCP candidates.
  std::optional<uint16_t> firstTcpPort;
  // Addresses put in ICE candidates. Empty: every non-loopback local address, and loopback.
  std::vector<std::string> announcedAddresses;
  // TURN relays for clients that cannot reach the candidates directly (firewalls allowing only
  // TCP/TLS, symmetric NATs); the workers never use them, transports hand them out.
  ice::TurnOptions turn;
  // Caps every router applies (producers per transport, bitrate per producer, ...).
  router::RouterLimits routerLimits;
  // UDP GSO on the workers' sends where the kernel has it (udp_socket.hpp).
  bool udpGso = true;
};

// An ICE candidate as mediasoup-client's IceCandidate wants it (RFC 8839 section 5.1).
struct IceCandidate {
  std::string foundation;
  uint32_t priority = 0;
  std::string address;
  std::string protocol = "udp";
  uint16_t port = 0;
  std::string type = "host";
  std::string tcpType;  // "passive" for ICE-TCP (RFC 6544 section 4.5); empty for UDP
};

class MediaPlane {
 public:
  static Result<std::unique_ptr<MediaPlane>> start(MediaPlaneOptions options, router::RouterListener& listener);
  ~MediaPlane();
  MediaPlane(const MediaPlane&) = delete;
  MediaPlane& operator=(const MediaPlane&) = delete;

  void stop();

  const ortc::RtpCapabilities& routerCapabilities() const { return capabilities_; }
  size_t workerCount() const { return workers_.size(); }
  MediaWorker& worker(size_t index) { return *workers_[index]; }
  // The worker for a new router: the one with the fewest routers assigned so far.
  size_t assignWorker();
  void releaseWorker(size_t index);
  // The worker's host candidates: UDP on every announced address, then (ICE-TCP on) passive TCP
  // ones with lower priorities, so browsers use TCP only when UDP fails.
  std::vector<IceCandidate> candidates(size_t workerIndex) const;
  const std::vector<std::string>& announcedAddresses() const { return addresses_; }
  const ice::TurnOptions& turn() const { return turn_; }

 private:
  MediaPlane() = default;

  ortc::RtpCapabilities capabilities_;
  std::vector<std::unique_ptr<MediaWorker>> workers_;
  std::vector<size_t> routersPerWorker_;
  std::vector<std::string> addresses_;
  ice::TurnOptions turn_;
};

// Local IPv4 addresses, non-loopback first, then 127.0.0.1.
std::vector<std::string> localAddresses();

}  // namespace fluxmeet::media::worker
