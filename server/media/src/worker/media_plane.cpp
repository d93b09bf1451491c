#include "fluxmeet/media/worker/media_plane.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <algorithm>

#include "fluxmeet/media/ortc/default_codecs.hpp"
#include "fluxmeet/media/ortc/ortc.hpp"

namespace fluxmeet::media::worker {

std::vector<std::string> localAddresses() {
  std::vector<std::string> addresses;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) == 0) {
    for (ifaddrs* item = list; item; item = item->ifa_next) {
      if (!item->ifa_addr || item->ifa_addr->sa_family != AF_INET) continue;
      char text[INET_ADDRSTRLEN] = {};
      const auto* v4 = reinterpret_cast<const sockaddr_in*>(item->ifa_addr);
      if (!::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text))) continue;
      if (std::string_view(text).starts_with("127.")) continue;
      addresses.emplace_back(text);
    }
    ::freeifaddrs(list);
  }
  addresses.emplace_back("127.0.0.1");
  return addresses;
}

Result<std::unique_ptr<MediaPlane>> MediaPlane::start(MediaPlaneOptions options, router::RouterListener& listener) {
  auto certificate = dtls::DtlsCertificate::generate();
  if (!certificate) return certificate.error();
  auto capabilities = ortc::generateRouterRtpCapabilities(ortc::defaultMediaCodecs());
  if (!capabilities) return capabilities.error();
  std::unique_ptr<MediaPlane> plane(new MediaPlane());
  plane->capabilities_ = std::move(*capabilities);
  plane->addresses_ = options.announcedAddresses.empty() ? localAddresses() : options.announcedAddresses;
  plane->turn_ = std::move(options.turn);
  const unsigned count = std::max(options.workers, 1U);
  for (unsigned i = 0; i < count; ++i) {
    const uint16_t port = options.firstPort == 0 ? 0 : static_cast<uint16_t>(options.firstPort + i);
    std::optional<uint16_t> tcpPort;
    if (options.firstTcpPort) tcpPort = *options.firstTcpPort == 0 ? 0 : static_cast<uint16_t>(*options.firstTcpPort + i);
    auto worker = std::make_unique<MediaWorker>(
        MediaWorkerOptions{.index = i,
                           .listenIp = options.listenIp,
                           .port = port,
                           .tcpPort = tcpPort,
                           .routerLimits = options.routerLimits,
                           .udpGso = options.udpGso},
        *certificate, listener);
    if (auto started = worker->start(); !started) return started.error();
    plane->workers_.push_back(std::move(worker));
  }
  plane->routersPerWorker_.assign(plane->workers_.size(), 0);
  return plane;
}

MediaPlane::~MediaPlane() { stop(); }

void MediaPlane::stop() {
  for (auto& worker : workers_) worker->stop();
}

size_t MediaPlane::assignWorker() {
  const auto it = std::min_element(routersPerWorker_.begin(), routersPerWorker_.end());
  ++*it;
  return static_cast<size_t>(it - routersPerWorker_.begin());
}

void MediaPlane::releaseWorker(size_t index) {
  if (index < routersPerWorker_.size() && routersPerWorker_[index] > 0) --routersPerWorker_[index];
}

std::vector<IceCandidate> MediaPlane::candidates(size_t workerIndex) const {
  std::vector<IceCandidate> result;
  const uint16_t port = workers_[workerIndex]->port();
  // RFC 8445 section 5.1.2.1 priority for host candidates: type preference 126, local
  // preference descending in announcement order, component 1.
  uint32_t localPreference = 65535;
  for (const auto& address : addresses_) {
    result.push_back({.foundation = "udp" + std::to_string(result.size()),
                      .priority = (126U << 24) | (localPreference << 8) | 255U,
                      .address = address,
                      .protocol = "udp",
                      .port = port,
                      .type = "host"});
    localPreference -= 1;
  }
  const uint16_t tcpPort = workers_[workerIndex]->tcpPort();
  if (tcpPort == 0) return result;
  // RFC 6544 section 4.2: local preference = (2^13) * direction-pref + other-pref, passive
  // direction-pref 4 for a host candidate. (4 << 13) + 8191 = 40959 stays below every UDP local
  // preference above, so each TCP candidate ranks under all UDP ones.
  uint32_t otherPreference = 8191;
  size_t tcpIndex = 0;
  for (const auto& address : addresses_) {
    const uint32_t tcpLocalPreference = (4U << 13) | otherPreference;
    result.push_back({.foundation = "tcp" + std::to_string(tcpIndex++),
                      .priority = (126U << 24) | (tcpLocalPreference << 8) | 255U,
                      .address = address,
                      .protocol = "tcp",
                      .port = tcpPort,
                      .type = "host",
                      .tcpType = "passive"});
    otherPreference -= 1;
  }
  return result;
}

}  // namespace fluxmeet::media::worker
