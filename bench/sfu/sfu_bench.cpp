// bench_sfu: N publishers and M subscribers on one Router over loopback, with real ICE, DTLS and
// SRTP (client::MediaClient). Every publisher sends synthetic VP8 (optionally a three-layer
// simulcast) and Opus; every subscriber consumes every publisher's audio and video. Prints one
// Markdown table row (see --header):
//   forwarded packets/s    RTP the worker sent to subscribers, per second of the window
//   worker CPU µs/pkt      the worker thread's CPU time (user + system: its encryption, its
//                          sendmmsg, and the kernel's loopback delivery done in that call) over
//                          the window, divided by the forwarded packets; read from the thread's
//                          own CPU clock (pthread_getcpuclockid + clock_gettime, the same figure
//                          as utime + stime in /proc/self/task/<tid>/stat, with ns resolution)
//   peak RSS               VmHWM of the whole process (worker and clients)
//   RSS per consumer       RSS growth across creating the consumers, divided by their number
//   loss                   1 - received / expected over every consumer's continuous sequence
//   latency p50/p99        kernel arrival stamp at the subscriber's socket (SO_TIMESTAMPNS) minus
//                          the send time the publisher wrote into the payload just before
//                          encrypting: two loopback hops plus everything the worker does
//   sendmmsg / GSO         the worker's sendmmsg calls per 100 forwarded packets, and the share of
//                          its datagrams that left inside UDP GSO sends (--gso on, the default)
// The media worker runs in this process on its own thread, pinned to --worker-cpu; the clients
// run on the main thread, pinned to --client-cpu.
#include <poll.h>
#include <pthread.h>
#include <sched.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bench_receiver.hpp"
#include "fluxmeet/media/client/media_client.hpp"
#include "fluxmeet/media/client/synthetic_opus_source.hpp"
#include "fluxmeet/media/client/synthetic_vp8_source.hpp"
#include "fluxmeet/media/ortc/default_codecs.hpp"
#include "fluxmeet/media/ortc/ortc.hpp"
#include "fluxmeet/media/rtcp/feedback.hpp"
#include "fluxmeet/media/worker/media_worker.hpp"
#include "proc_stats.hpp"

namespace fluxmeet::bench {
namespace {

using namespace std::chrono_literals;
namespace client = media::client;
using Clock = std::chrono::steady_clock;

constexpr const char* kRouterId = "bench";
constexpr Clock::duration kAudioInterval = std::chrono::milliseconds(20);

struct Options {
  int publishers = 1;
  int subscribers = 10;
  double seconds = 10;
  double warmup = 2;
  int videoKbps = 800;  // top layer
  int fps = 30;
  bool simulcast = false;
  bool audio = true;
  int workerCpu = 1;
  int clientCpu = 0;
  bool gso = true;
  bool header = false;
};

class SilentListener : public media::router::RouterListener {
 public:
  void onTransportClosed(const std::string&, const std::string& id, std::string_view reason) override {
    if (teardown) return;  // the clients' own close_notify
    std::fprintf(stderr, "bench_sfu: transport %s closed: %.*s\n", id.c_str(), static_cast<int>(reason.size()),
                 reason.data());
  }
  void onConsumerClosed(const std::string&, const std::string&) override {}
  void onActiveSpeaker(const std::string&, const std::string&) override {}
  std::atomic<bool> teardown{false};
};

struct Publisher {
  std::unique_ptr<client::MediaClient> client;
  std::string transportId;
  std::unique_ptr<client::SyntheticVp8Source> video;
  std::unique_ptr<client::SyntheticOpusSource> audio;
  Clock::time_point nextVideo{};
  Clock::time_point nextAudio{};
};

struct Subscriber {
  std::unique_ptr<client::MediaClient> client;
  std::string transportId;
  BenchReceiver receiver;
};

int64_t realtimeNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool pinTo(pthread_t thread, int cpu) {
  if (cpu < 0) return false;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  const int error = pthread_setaffinity_np(thread, sizeof(set), &set);
  if (error != 0) std::fprintf(stderr, "bench_sfu: cannot pin a thread to CPU %d: %s\n", cpu, std::strerror(error));
  return error == 0;
}

class Bench {
 public:
  explicit Bench(Options options) : options_(options) {}

  int run() {
    serverCertificate_ = media::dtls::DtlsCertificate::generate().value();
    clientCertificate_ = media::dtls::DtlsCertificate::generate().value();
    worker_ = std::make_unique<media::worker::MediaWorker>(
        media::worker::MediaWorkerOptions{.index = 0, .listenIp = "127.0.0.1", .port = 0, .udpGso = options_.gso},
        serverCertificate_, listener_);
    if (!worker_->start()) return fail("cannot start the media worker");
    const pthread_t workerThread = worker_->invoke([] { return pthread_self(); });
    workerTid_ = worker_->invoke([] { return gettid(); });
    pinned_ = pinTo(workerThread, options_.workerCpu) && pinTo(pthread_self(), options_.clientCpu);
    clockid_t clock{};
    if (pthread_getcpuclockid(workerThread, &clock) != 0) return fail("no CPU clock for the worker thread");
    workerClock_ = clock;
    capabilities_ = media::ortc::generateRouterRtpCapabilities(media::ortc::defaultMediaCodecs()).value();
    if (!worker_->invoke([&] { return worker_->createRouter(kRouterId, capabilities_); })) return fail("createRouter");

    for (int i = 0; i < options_.publishers; ++i) {
      if (!addPublisher(i)) return 1;
    }
    for (int i = 0; i < options_.subscribers; ++i) {
      subscribers_.push_back(std::make_unique<Subscriber>());
      auto& subscriber = *subscribers_.back();
      if (!connect(subscriber.client, subscriber.transportId)) return 1;
      subscriber.client->setRtpHandler([&subscriber](media::rtp::RtpPacketView& packet, int64_t arrivalNs) {
        subscriber.receiver.onRtp(packet, arrivalNs);
      });
    }
    if (!pumpUntil([&] { return allConnected(); }, 20s)) return fail("clients did not connect");

    // Audio consumers first, then video ones, so each kind's memory shows on its own.
    size_t consumers = 0;
    std::array<double, 2> kibPerConsumer{};  // audio, video
    for (const bool video : {false, true}) {
      if (!video && !options_.audio) continue;
      const std::string kind = video ? "video" : "audio";
      const int64_t before = procStatusKiB("VmRSS");
      for (size_t s = 0; s < subscribers_.size(); ++s) {
        for (size_t p = 0; p < publishers_.size(); ++p) {
          const std::string producerId = std::to_string(p) + "-" + kind;
          if (!consume(*subscribers_[s], producerId, std::to_string(s) + "/" + producerId)) return 1;
          ++consumers;
        }
      }
      kibPerConsumer[video ? 1 : 0] = static_cast<double>(procStatusKiB("VmRSS") - before) /
                                      static_cast<double>(subscribers_.size() * publishers_.size());
    }

    // Warm up: every consumer delivered something (its first keyframe), then a little more.
    startSending();
    if (!pumpUntil([&] { return everyConsumerDelivered(consumers); }, 20s)) {
      std::fprintf(stderr, "bench_sfu: not every consumer delivered media during warm-up\n");
    }
    pumpFor(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options_.warmup)));

    const Figures figures = measure(consumers, kibPerConsumer);
    print(figures);
    if (options_.gso && figures.gsoDatagrams == 0) {
      std::fprintf(stderr, "bench_sfu: --gso on, but no datagram left in a GSO send (kernel without UDP_SEGMENT?)\n");
    }
    if (!pinned_) std::fprintf(stderr, "bench_sfu: threads not pinned (fewer CPUs than asked for?)\n");

    listener_.teardown = true;
    subscribers_.clear();
    publishers_.clear();
    worker_->stop();
    return 0;
  }

 private:
  struct Figures {
    size_t consumers = 0;
    double window = 0;       // seconds
    uint64_t forwarded = 0;  // RTP packets sent to subscribers
    uint64_t bytesSent = 0;  // by the worker's socket
    int64_t workerCpuNs = 0;
    int64_t workerWaitNs = 0;    // runnable but not running (other processes had the CPU)
    double workerUserShare = 0;  // of the worker's CPU time, from utime/stime
    int64_t clientCpuNs = 0;
    std::array<double, 2> kibPerConsumer{};  // RSS growth per audio / video consumer
    ReceiverTotals totals;
    uint32_t latencyP50Us = 0;
    uint32_t latencyP99Us = 0;
    int64_t workerSocketDrops = 0;  // kernel drops at the worker's receive buffer
    int64_t clientSocketDrops = 0;  // kernel drops at the clients' receive buffers
    uint64_t sendErrors = 0;
    uint64_t sendCalls = 0;         // the worker's sendmmsg calls
    uint64_t datagramsSent = 0;     // by the worker's socket (RTP, RTCP, STUN)
    uint64_t gsoDatagrams = 0;      // of those, sent inside GSO sends
  };

  std::pair<int64_t, int64_t> socketDrops() const {
    const auto drops = udpDropsByPort();
    auto at = [&drops](uint16_t port) {
      const auto it = drops.find(port);
      return it == drops.end() ? int64_t{0} : it->second;
    };
    int64_t clients = 0;
    for (const auto& p : publishers_) clients += at(p->client->localAddress().port);
    for (const auto& s : subscribers_) clients += at(s->client->localAddress().port);
    return {at(worker_->port()), clients};
  }

  Figures measure(size_t consumers, std::array<double, 2> kibPerConsumer) {
    Figures figures{.consumers = consumers, .kibPerConsumer = kibPerConsumer};
    for (auto& subscriber : subscribers_) subscriber->receiver.startWindow();
    const uint64_t forwardedBefore = forwardedRtp();
    const int64_t workerCpuBefore = threadCpuNs(workerClock_);
    const int64_t workerWaitBefore = schedstat(workerTid_).second;
    const auto ticksBefore = userSystemTicks(workerTid_);
    const int64_t clientCpuBefore = threadCpuNs(CLOCK_THREAD_CPUTIME_ID);
    const auto dropsBefore = socketDrops();
    const auto socketBefore = worker_->invoke([&] { return worker_->stats().socket; });
    const auto start = Clock::now();
    pumpFor(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options_.seconds)));
    figures.window = std::chrono::duration<double>(Clock::now() - start).count();
    for (auto& subscriber : subscribers_) subscriber->receiver.stopWindow();
    figures.forwarded = forwardedRtp() - forwardedBefore;
    figures.workerCpuNs = threadCpuNs(workerClock_) - workerCpuBefore;
    figures.workerWaitNs = schedstat(workerTid_).second - workerWaitBefore;
    const auto ticksAfter = userSystemTicks(workerTid_);
    const auto userTicks = ticksAfter.first - ticksBefore.first;
    const auto allTicks = userTicks + ticksAfter.second - ticksBefore.second;
    figures.workerUserShare = allTicks == 0 ? 0 : static_cast<double>(userTicks) / static_cast<double>(allTicks);
    figures.clientCpuNs = threadCpuNs(CLOCK_THREAD_CPUTIME_ID) - clientCpuBefore;
    const auto dropsAfter = socketDrops();
    figures.workerSocketDrops = dropsAfter.first - dropsBefore.first;
    figures.clientSocketDrops = dropsAfter.second - dropsBefore.second;
    const auto socketAfter = worker_->invoke([&] { return worker_->stats().socket; });
    figures.bytesSent = socketAfter.bytesSent - socketBefore.bytesSent;
    figures.sendErrors = socketAfter.sendErrors - socketBefore.sendErrors;
    figures.sendCalls = socketAfter.sendBatches - socketBefore.sendBatches;
    figures.datagramsSent = socketAfter.datagramsSent - socketBefore.datagramsSent;
    figures.gsoDatagrams = socketAfter.gsoDatagrams - socketBefore.gsoDatagrams;

    std::vector<uint32_t> latencies;
    for (const auto& subscriber : subscribers_) {
      const auto totals = subscriber->receiver.totals();
      figures.totals.received += totals.received;
      figures.totals.expected += totals.expected;
      figures.totals.streams += totals.streams;
      const auto& samples = subscriber->receiver.latenciesUs();
      latencies.insert(latencies.end(), samples.begin(), samples.end());
    }
    auto percentile = [&latencies](double q) -> uint32_t {
      if (latencies.empty()) return 0;
      const auto index = std::min(latencies.size() - 1, static_cast<size_t>(q * static_cast<double>(latencies.size())));
      std::nth_element(latencies.begin(), latencies.begin() + static_cast<std::ptrdiff_t>(index), latencies.end());
      return latencies[index];
    };
    figures.latencyP50Us = percentile(0.50);
    figures.latencyP99Us = percentile(0.99);
    return figures;
  }

  void print(const Figures& f) const {
    const double lost = static_cast<double>(f.totals.expected - std::min(f.totals.expected, f.totals.received));
    const double loss = f.totals.expected == 0 ? 0 : 100.0 * lost / static_cast<double>(f.totals.expected);
    std::printf(
        "| %d→%d%s | %zu | %.0f | %.1f | %.0f %% (user %.0f %%, kernel %.0f %%; waited %.0f %%) | %.2f | %.1f | %.1f / "
        "%.0f | %.3f %% (drops: worker %lld, "
        "clients %lld; send errors %llu) | %u / %u | %.0f %% | %.1f / %.0f %% |\n",
        options_.publishers, options_.subscribers, options_.simulcast ? " simulcast" : "", f.consumers,
        static_cast<double>(f.forwarded) / f.window, static_cast<double>(f.bytesSent) * 8 / f.window / 1e6,
        100.0 * static_cast<double>(f.workerCpuNs) / 1e9 / f.window,
        100.0 * f.workerUserShare * static_cast<double>(f.workerCpuNs) / 1e9 / f.window,
        100.0 * (1 - f.workerUserShare) * static_cast<double>(f.workerCpuNs) / 1e9 / f.window,
        100.0 * static_cast<double>(f.workerWaitNs) / 1e9 / f.window,
        f.forwarded == 0 ? 0.0 : static_cast<double>(f.workerCpuNs) / 1000.0 / static_cast<double>(f.forwarded),
        static_cast<double>(procStatusKiB("VmHWM")) / 1024.0, f.kibPerConsumer[0], f.kibPerConsumer[1], loss,
        static_cast<long long>(f.workerSocketDrops), static_cast<long long>(f.clientSocketDrops),
        static_cast<unsigned long long>(f.sendErrors), f.latencyP50Us, f.latencyP99Us,
        100.0 * static_cast<double>(f.clientCpuNs) / 1e9 / f.window,
        f.forwarded == 0 ? 0.0 : 100.0 * static_cast<double>(f.sendCalls) / static_cast<double>(f.forwarded),
        f.datagramsSent == 0 ? 0.0
                             : 100.0 * static_cast<double>(f.gsoDatagrams) / static_cast<double>(f.datagramsSent));
    std::fflush(stdout);
  }

  int fail(const std::string& what) {
    complain(what);
    return 1;
  }
  static bool complain(const std::string& what) {
    std::fprintf(stderr, "bench_sfu: %s\n", what.c_str());
    return false;
  }

  template <class Task>
  auto onRouter(Task&& task) -> std::invoke_result_t<Task&, media::router::Router&> {
    return worker_->invoke([&] { return task(*worker_->findRouter(kRouterId)); });
  }

  bool connect(std::unique_ptr<client::MediaClient>& out, std::string& transportId) {
    transportId = "t" + std::to_string(nextTransport_++);
    auto parameters =
        onRouter([&](media::router::Router& router) { return router.createWebRtcTransport(transportId); });
    if (!parameters) return complain("createWebRtcTransport: " + parameters.error().message);
    auto created = client::MediaClient::create({.certificate = clientCertificate_});
    if (!created) return complain("MediaClient: " + created.error().message);
    out = std::move(*created);
    auto connected = onRouter([&](media::router::Router& router) {
      return router.connectTransport(transportId, "client", "sha-256", out->fingerprintSha256());
    });
    if (!connected) return complain("connectTransport: " + connected.error().message);
    auto started = out->connect({.candidate = media::ice::makeIpv4Address(127, 0, 0, 1, worker_->port()),
                                 .ice = {parameters->iceUfrag, parameters->icePassword},
                                 .fingerprint = parameters->fingerprintSha256});
    return started.ok();
  }

  bool addPublisher(int index) {
    auto publisher = std::make_unique<Publisher>();
    if (!connect(publisher->client, publisher->transportId)) return false;
    const uint32_t base = 0x10000000u + static_cast<uint32_t>(index) * 16;
    const uint32_t top = static_cast<uint32_t>(options_.videoKbps) * 1000;
    client::SyntheticVp8Options video{.fps = static_cast<uint32_t>(options_.fps)};
    if (options_.simulcast) {
      // Chrome's 720p ladder: about 1/10 and 1/3 of the top layer.
      video.layers = {{.ssrc = base, .rid = "r0", .bitrate = top / 10, .width = 320, .height = 180},
                      {.ssrc = base + 1, .rid = "r1", .bitrate = top / 3, .width = 640, .height = 360},
                      {.ssrc = base + 2, .rid = "r2", .bitrate = top, .width = 1280, .height = 720}};
    } else {
      video.layers = {{.ssrc = base, .bitrate = top, .width = 1280, .height = 720}};
    }
    publisher->video = std::make_unique<client::SyntheticVp8Source>(video);
    publisher->audio = std::make_unique<client::SyntheticOpusSource>(client::SyntheticOpusOptions{.ssrc = base + 8});
    auto* raw = publisher.get();
    publisher->client->setRtcpHandler([raw](const media::rtcp::RtcpCompound& compound) {
      for (const auto& packet : compound) {
        if (packet.packetType != media::rtcp::packet_type::kPayloadFeedback || packet.count != media::rtcp::fmt::kPli) {
          continue;
        }
        if (const auto pli = media::rtcp::parsePli(packet)) raw->video->requestKeyframeForSsrc(pli->mediaSsrc);
      }
    });
    const std::string id = std::to_string(index);
    publishers_.push_back(std::move(publisher));
    if (!pumpUntil([raw] { return raw->client->connected(); }, 10s)) return complain("publisher did not connect");
    auto produced = onRouter([&](media::router::Router& router) -> Result<void> {
      if (options_.audio) {
        if (auto audio = router.produce(raw->transportId, id + "-audio", media::ortc::MediaKind::Audio,
                                        raw->audio->producerParameters());
            !audio) {
          return audio;
        }
      }
      return router.produce(raw->transportId, id + "-video", media::ortc::MediaKind::Video,
                            raw->video->producerParameters());
    });
    if (!produced) return complain("produce: " + produced.error().message);
    return true;
  }

  // As RoomMedia: created paused, resumed once the client is ready.
  bool consume(Subscriber& subscriber, const std::string& producerId, const std::string& consumerId) {
    auto result = onRouter([&](media::router::Router& router) -> Result<void> {
      auto consumed = router.consume(subscriber.transportId, consumerId, producerId, capabilities_, true);
      if (!consumed) return consumed.error();
      return router.setConsumerPaused(consumerId, false);
    });
    if (!result) return complain("consume: " + result.error().message);
    return true;
  }

  bool allConnected() const {
    for (const auto& p : publishers_) {
      if (!p->client->connected()) return false;
    }
    for (const auto& s : subscribers_) {
      if (!s->client->connected()) return false;
    }
    return true;
  }

  bool everyConsumerDelivered(size_t consumers) const {
    size_t streams = 0;
    for (const auto& s : subscribers_) streams += s->receiver.streamsSeen();
    return streams >= consumers;
  }

  // RTP the worker sent on subscriber transports (forwarded media and retransmissions).
  uint64_t forwardedRtp() {
    return onRouter([](media::router::Router& router) {
      uint64_t sent = 0;
      for (const auto& transport : router.transportStats()) sent += transport.counters.rtpSent;
      return sent;
    });
  }

  // Publishers' frames are spread over the frame interval, as independent cameras would be.
  void startSending() {
    const auto now = Clock::now();
    const auto count = static_cast<int64_t>(publishers_.size());
    for (int64_t i = 0; i < count; ++i) {
      publishers_[i]->nextVideo = now + frameInterval() * i / count;
      publishers_[i]->nextAudio = now + kAudioInterval * i / count;
    }
    sending_ = true;
  }

  Clock::duration frameInterval() const { return std::chrono::microseconds(1000000 / options_.fps); }

  // The next send time on this publisher's own grid. A client that fell behind skips what it
  // missed but keeps its phase: resetting to "now" would line every late publisher up on the
  // same instant, and from then on all frames would reach the SFU in one burst per interval
  // (which is what the latency column measured before this was fixed).
  static Clock::time_point nextOnGrid(Clock::time_point due, Clock::duration interval, Clock::time_point now) {
    due += interval;
    if (due <= now) due += interval * ((now - due) / interval + 1);
    return due;
  }

  void sendDueMedia(Clock::time_point now) {
    for (auto& publisher : publishers_) {
      if (!publisher->client->connected()) continue;
      auto* client = publisher->client.get();
      auto send = [client](std::span<const uint8_t> packet) { client->sendRtp(packet); };
      if (now >= publisher->nextVideo) {
        publisher->video->sendFrame(realtimeNs(), send);
        publisher->nextVideo = nextOnGrid(publisher->nextVideo, frameInterval(), now);
      }
      if (options_.audio && now >= publisher->nextAudio) {
        publisher->audio->sendFrame(realtimeNs(), send);
        publisher->nextAudio = nextOnGrid(publisher->nextAudio, kAudioInterval, now);
      }
    }
  }

  Clock::time_point nextSend() const {
    auto next = Clock::now() + 5ms;
    if (!sending_) return next;
    for (const auto& publisher : publishers_) {
      next = std::min(next, publisher->nextVideo);
      if (options_.audio) next = std::min(next, publisher->nextAudio);
    }
    return next;
  }

  // One loop for every client: send what is due, wait on all sockets until the next send,
  // handle the ready ones, and sweep every client's timers every 50 ms.
  template <class Done>
  bool pumpUntil(Done&& done, Clock::duration timeout) {
    const auto deadline = Clock::now() + timeout;
    std::vector<pollfd> descriptors;
    std::vector<client::MediaClient*> clients;
    while (!done()) {
      auto now = Clock::now();
      if (now >= deadline) return false;
      if (sending_) sendDueMedia(now);
      clients.clear();
      descriptors.clear();
      for (auto& p : publishers_) clients.push_back(p->client.get());
      for (auto& s : subscribers_) clients.push_back(s->client.get());
      for (auto* c : clients) descriptors.push_back({.fd = c->fd(), .events = POLLIN, .revents = 0});
      // Sleep to the microsecond: publishers are due every ~1 ms in the big rooms, and a poll()
      // timeout in whole milliseconds would either spin or send late.
      const auto wait = std::clamp<Clock::duration>(nextSend() - Clock::now(), Clock::duration::zero(), 5ms);
      const auto waitNs = std::chrono::duration_cast<std::chrono::nanoseconds>(wait).count();
      const timespec timeout{.tv_sec = 0, .tv_nsec = static_cast<long>(waitNs)};
      ::ppoll(descriptors.data(), descriptors.size(), &timeout, nullptr);
      now = Clock::now();
      const bool sweep = now - lastSweep_ >= 50ms;
      if (sweep) lastSweep_ = now;
      for (size_t i = 0; i < clients.size(); ++i) {
        if (sweep || (descriptors[i].revents & POLLIN) != 0) clients[i]->poll(0ms);
        // Reading 25 busy sockets takes milliseconds; frames falling due meanwhile go out on
        // time instead of in one burst, as independent browsers would send them.
        if (sending_) sendDueMedia(Clock::now());
      }
    }
    return true;
  }

  void pumpFor(Clock::duration duration) {
    const auto until = Clock::now() + duration;
    pumpUntil([until] { return Clock::now() >= until; }, duration + 1s);
  }

  Options options_;
  SilentListener listener_;
  std::shared_ptr<media::dtls::DtlsCertificate> serverCertificate_;
  std::shared_ptr<media::dtls::DtlsCertificate> clientCertificate_;
  std::unique_ptr<media::worker::MediaWorker> worker_;
  clockid_t workerClock_{};
  pid_t workerTid_ = 0;
  bool pinned_ = false;
  media::ortc::RtpCapabilities capabilities_;
  std::vector<std::unique_ptr<Publisher>> publishers_;
  std::vector<std::unique_ptr<Subscriber>> subscribers_;
  bool sending_ = false;
  Clock::time_point lastSweep_{};
  int nextTransport_ = 0;
};

}  // namespace
}  // namespace fluxmeet::bench

int main(int argc, char** argv) {
  fluxmeet::bench::Options options;
  CLI::App app{"SFU loopback benchmark: N publishers -> M subscribers through one Router"};
  app.add_option("-p,--publishers", options.publishers, "publishers (each sends VP8 + Opus)")
      ->check(CLI::Range(1, 100));
  app.add_option("-s,--subscribers", options.subscribers, "subscribers (each consumes every publisher)")
      ->check(CLI::Range(1, 200));
  app.add_option("--seconds", options.seconds, "length of the measured window")->check(CLI::Range(1.0, 600.0));
  app.add_option("--warmup", options.warmup, "seconds of media before measuring")->check(CLI::Range(0.0, 60.0));
  app.add_option("--video-kbps", options.videoKbps, "VP8 bitrate (top layer)")->check(CLI::Range(50, 20000));
  app.add_option("--fps", options.fps, "VP8 frames per second")->check(CLI::Range(1, 120));
  app.add_flag("--simulcast", options.simulcast, "three VP8 layers (rid r0/r1/r2); consumers take the top one");
  app.add_flag("!--no-audio", options.audio, "video only");
  app.add_option("--worker-cpu", options.workerCpu, "CPU for the media worker thread (-1: no pinning)");
  app.add_option("--client-cpu", options.clientCpu, "CPU for the clients' thread (-1: no pinning)");
  std::string gso = "on";
  app.add_option("--gso", gso, "on|off: the worker sends runs of equal packets with UDP GSO (MEDIA_UDP_GSO)")
      ->check(CLI::IsMember({"on", "off"}));
  app.add_flag("--header", options.header, "print the table header first");
  CLI11_PARSE(app, argc, argv);
  options.gso = gso == "on";
  if (options.header) {
    std::printf(
        "| scenario | consumers | forwarded pkt/s | worker Mbit/s out | worker thread CPU (of one core) | worker CPU "
        "µs/pkt | "
        "peak RSS MiB | RSS per consumer KiB (audio / video) | receiver loss | latency p50 / p99 µs | client thread "
        "CPU | sendmmsg per 100 pkt / GSO share |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  }
  return fluxmeet::bench::Bench(options).run();
}
