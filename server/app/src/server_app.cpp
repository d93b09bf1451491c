#include "fluxmeet/app/server_app.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <fmt/ranges.h>
#include <thread>

#include "fluxmeet/media/worker/media_plane.hpp"
#include "fluxmeet/meeting/media_event_relay.hpp"
#include <filesystem>
#include <iostream>

#include "fluxmeet/api/api.hpp"
#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/http/server.hpp"
#include "fluxmeet/notify/meeting_activity_notifier.hpp"
#include "fluxmeet/notify/notifier.hpp"
#include "fluxmeet/notify/reminder_scheduler.hpp"
#include "fluxmeet/notify/vapid_key_file.hpp"
#include "fluxmeet/notify/waiting_room_notifier.hpp"
#include "fluxmeet/signal/guest_routes.hpp"
#include "fluxmeet/signal/signaling_server.hpp"
#include "console_log.hpp"

namespace fluxmeet::app {
namespace asio = boost::asio;

namespace {

constexpr int kExitConfig = 2;
constexpr int kExitRuntime = 1;

Result<std::shared_ptr<asio::ssl::context>> makeTlsContext(const Config& config) {
  if (config.tlsCert.empty()) return std::shared_ptr<asio::ssl::context>{};
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                       asio::ssl::context::single_dh_use);
  boost::system::error_code ec;
  context->use_certificate_chain_file(config.tlsCert, ec);
  if (ec) return makeError(ErrorCode::InvalidRequest, "TLS_CERT " + config.tlsCert + ": " + ec.message());
  context->use_private_key_file(config.tlsKey, asio::ssl::context::pem, ec);
  if (ec) return makeError(ErrorCode::InvalidRequest, "TLS_KEY " + config.tlsKey + ": " + ec.message());
  return context;
}

auth::PasswordHashParams hashParams(const Config& config) {
  return config.passwordHashCost == "test" ? auth::testPasswordHashParams() : auth::defaultPasswordHashParams();
}

}  // namespace

// Recordings live next to the database, the server's one data directory: "sqlite://./data/x.db"
// -> "./data/recordings". An in-memory database has none; the default data dir then serves.
std::string recordingsDirFor(const std::string& databaseUrl) {
  constexpr std::string_view kFilePrefix = "sqlite://";
  if (!databaseUrl.starts_with(kFilePrefix)) return "data/recordings";
  const auto parent = std::filesystem::path(databaseUrl.substr(kFilePrefix.size())).parent_path();
  return (parent.empty() ? std::filesystem::path("recordings") : parent / "recordings").string();
}

// The VAPID key file sits next to the database too: "sqlite://./data/x.db" -> "./data/vapid.json".
std::string vapidFileFor(const std::string& databaseUrl) {
  constexpr std::string_view kFilePrefix = "sqlite://";
  if (!databaseUrl.starts_with(kFilePrefix)) return "data/vapid.json";
  const auto parent = std::filesystem::path(databaseUrl.substr(kFilePrefix.size())).parent_path();
  return (parent.empty() ? std::filesystem::path("vapid.json") : parent / "vapid.json").string();
}

namespace {

// Configured keys, else the data directory's key file (created on first run).
Result<push::VapidKeys> vapidKeys(const Config& config) {
  if (!config.vapidPrivateKey.empty()) {
    return push::VapidKeys::fromBase64Url(config.vapidPrivateKey, config.vapidPublicKey);
  }
  const std::string file = vapidFileFor(config.databaseUrl);
  auto loaded = notify::loadOrCreateVapidKeys(file);
  if (!loaded) return std::move(loaded).takeError();
  if (loaded->generated) spdlog::info("push: generated VAPID keys and stored them in {}", file);
  return std::move(loaded->keys);
}

}  // namespace

int runServer(Config config) {
  installConsoleLog(config.logLevel);

  if (auto secret = ensureJwtSecret(config); !secret) {
    std::cerr << "fluxmeet: " << secret.error().message << "\n";
    return kExitConfig;
  }
  if (config.generatedJwtSecret) spdlog::info("generated a JWT secret and stored it in {}", config.envFile);

  auto tls = makeTlsContext(config);
  if (!tls) {
    std::cerr << "fluxmeet: " << tls.error().message << "\n";
    return kExitConfig;
  }
  auto opened = store::openStore(config.databaseUrl);
  if (!opened) {
    std::cerr << "fluxmeet: database " << config.databaseUrl << ": " << opened.error().message << "\n";
    return kExitConfig;
  }
  std::unique_ptr<store::Store> database = std::move(*opened);
  // Nobody is in a meeting when the process starts: close what a crash left open.
  (void)database->closeOpenParticipations(std::time(nullptr));

  // Before the control loop: handlers left queued on it at exit may own these threads' sockets.
  // One connection thread only where it gets a core of its own: with two cores the media worker
  // has one and the control thread the other, and a connection thread would share the control
  // thread's core and add two hand-offs per message (measured in docs/benchmarks.md).
  http::ConnectionThreads connectionThreads(
      config.httpThreads.value_or(std::thread::hardware_concurrency() >= 3 ? 1 : 0));
  asio::io_context io{1};
  asio::thread_pool blockingPool{2};
  auth::PasswordHasher passwords(hashParams(config));
  auth::JwtCodec jwt(config.jwtSecret);
  http::Metrics metrics;
  http::Router router;
  // Recording: declared before signaling so every Room's recording stops before it goes.
  meeting::RecordingService recordings(
      meeting::RecordingServiceOptions{
          .rootDir = config.recordingsDir.empty() ? recordingsDirFor(config.databaseUrl) : config.recordingsDir,
          .minFreeBytes = static_cast<uint64_t>(config.recordingsMinFreeMb) << 20,
          .composeJobs = static_cast<unsigned>(config.recordingComposeJobs),
          .retentionDays = config.recordingsRetentionDays},
      database.get(), [&io](std::function<void()> task) { asio::post(io, std::move(task)); });
  recordings.recover(std::time(nullptr));
  // Retention: at start and then hourly.
  asio::steady_timer retentionTimer(io);
  std::function<void()> sweepRecordings = [&] {
    recordings.sweepRetention(std::time(nullptr));
    retentionTimer.expires_after(std::chrono::hours(1));
    retentionTimer.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) sweepRecordings();
    });
  };
  sweepRecordings();
  // Web Push: one sender thread; its results come back to this thread, where the store lives.
  auto keys = vapidKeys(config);
  if (!keys) {
    std::cerr << "fluxmeet: VAPID keys: " << keys.error().message << "\n";
    return kExitConfig;
  }
  auto postToControl = [&io](std::function<void()> task) { asio::post(io, std::move(task)); };
  notify::NotifierOptions pushOptions{.vapidKeys = std::move(*keys),
                                      .subject = config.vapidSubject,
                                      .allowPlainHttp = config.pushAllowHttp,
                                      .extraCaFile = config.pushCaFile,
                                      .post = postToControl};
  auto notifierCreated = notify::Notifier::create(*database, std::move(pushOptions));
  if (!notifierCreated) {
    std::cerr << "fluxmeet: push: " << notifierCreated.error().message << "\n";
    return kExitConfig;
  }
  std::unique_ptr<notify::Notifier> notifier = std::move(*notifierCreated);
  if (config.pushAllowHttp) {
    spdlog::warn("push: PUSH_ALLOW_HTTP is on: plain-http push endpoints are accepted (tests only)");
  }
  notify::ReminderScheduler reminders(*database, *notifier);
  reminders.start(io, std::chrono::milliseconds(config.pushSchedulerIntervalMs), [] { return unixNow(); });
  notify::WaitingRoomNotifier waitingRoomPush(*database, *notifier);
  notify::MeetingActivityNotifier meetingActivityPush(*database, *notifier);
  api::Api api(api::ApiServices{*database, jwt, passwords, blockingPool, metrics, &recordings, notifier.get()},
               api::ApiOptions{.publicUrl = config.publicUrl,
                               .dev = config.dev,
                               .smtpUrl = config.smtpUrl,
                               .smtpFrom = config.smtpFrom,
                               .loginAttemptsPerMinute = config.loginAttemptsPerMinute});
  api.registerRoutes(router);
  signal::GuestRoutes guestRoutes(*database, jwt);
  guestRoutes.registerRoutes(router);

  http::ServerOptions serverOptions{.address = config.listenAddress,
                                    .port = config.port,
                                    .tls = *tls,
                                    .allowedOrigins = config.corsOrigins,
                                    .publicOrigin = config.publicUrl};
  serverOptions.connectionThreads = &connectionThreads;
  http::HttpServer server(io, serverOptions, router, metrics);
  // Media: declared before signaling so the workers outlive every Room (a Room closes its
  // Router on its worker when it goes).
  meeting::MediaEventRelay mediaEvents([&io](std::function<void()> task) { asio::post(io, std::move(task)); });
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  auto mediaPlane = media::worker::MediaPlane::start(
      media::worker::MediaPlaneOptions{.workers = config.mediaWorkers != 0 ? config.mediaWorkers : std::max(1U, cores - 1),
                                       .listenIp = config.mediaListenIp,
                                       .firstPort = config.mediaUdpPort,
                                       .firstTcpPort = config.mediaTcpPort,
                                       .announcedAddresses = config.mediaAnnouncedIps,
                                       .turn = {.urls = config.turnUrls,
                                                .secret = config.turnSecret,
                                                .credentialTtl = std::chrono::seconds(config.turnCredentialTtlSeconds)},
                                       .routerLimits = {.maxProducerBitrate = config.mediaMaxProducerBitrate},
                                       .udpGso = config.mediaUdpGso},
      mediaEvents);
  if (!mediaPlane) {
    std::cerr << "fluxmeet: media: " << mediaPlane.error().message << "\n";
    return kExitRuntime;
  }
  // Media counters in /metrics: summed over workers from what each published in the last second.
  const auto mediaGauge = [&metrics, plane = mediaPlane->get()](const char* name, const char* help,
                                                                uint64_t media::worker::MediaWorker::PublishedStats::*field) {
    metrics.addGauge(name, help, [plane, field] {
      double total = 0;
      for (size_t i = 0; i < plane->workerCount(); ++i) total += static_cast<double>(plane->worker(i).publishedStats().*field);
      return total;
    });
  };
  using Published = media::worker::MediaWorker::PublishedStats;
  mediaGauge("fluxmeet_media_routers", "Live meeting routers", &Published::routers);
  mediaGauge("fluxmeet_media_transports", "WebRTC transports", &Published::transports);
  mediaGauge("fluxmeet_media_producers", "Producers (tracks sent by browsers)", &Published::producers);
  mediaGauge("fluxmeet_media_consumers", "Consumers (tracks forwarded to browsers)", &Published::consumers);
  mediaGauge("fluxmeet_media_datagrams_received_total", "UDP datagrams received by media workers", &Published::datagramsReceived);
  mediaGauge("fluxmeet_media_datagrams_sent_total", "UDP datagrams sent by media workers", &Published::datagramsSent);
  mediaGauge("fluxmeet_media_bytes_received_total", "UDP bytes received by media workers", &Published::bytesReceived);
  mediaGauge("fluxmeet_media_bytes_sent_total", "UDP bytes sent by media workers", &Published::bytesSent);
  mediaGauge("fluxmeet_media_send_errors_total", "Datagrams the kernel refused to send", &Published::sendErrors);
  mediaGauge("fluxmeet_media_gso_datagrams_total", "UDP datagrams sent inside GSO sends (UDP_SEGMENT)",
             &Published::gsoDatagrams);
  mediaGauge("fluxmeet_media_gso_fallbacks_total", "Workers whose kernel refused UDP GSO and that now send plain",
             &Published::gsoFallbacks);
  mediaGauge("fluxmeet_media_unknown_tuple_total", "Datagrams from addresses no transport validated", &Published::unknownTuple);
  mediaGauge("fluxmeet_media_tcp_connections", "Open ICE-TCP connections", &Published::tcpConnections);
  mediaGauge("fluxmeet_media_tcp_framing_errors_total", "ICE-TCP connections closed for a bad RFC 4571 frame length",
             &Published::tcpFramingErrors);
  mediaGauge("fluxmeet_media_tcp_send_drops_total", "Packets dropped because an ICE-TCP peer read too slowly",
             &Published::tcpSendDrops);
  // Loss and repair totals (one series each, no per-producer labels: cardinality stays fixed).
  const auto lossGauge = [&metrics, plane = mediaPlane->get()](const char* name, const char* help,
                                                               uint64_t media::router::RouterCounters::*field) {
    metrics.addGauge(name, help, [plane, field] {
      double total = 0;
      for (size_t i = 0; i < plane->workerCount(); ++i) total += static_cast<double>(plane->worker(i).publishedLossCounters().*field);
      return total;
    });
  };
  using Loss = media::router::RouterCounters;
  lossGauge("fluxmeet_media_nacks_sent_total", "NACKs the SFU sent to publishers for lost packets", &Loss::nacksSent);
  lossGauge("fluxmeet_media_nacks_received_total", "NACKs subscribers sent to the SFU", &Loss::nacksReceived);
  lossGauge("fluxmeet_media_retransmitted_packets_total", "Packets the SFU resent to subscribers", &Loss::retransmittedPackets);
  lossGauge("fluxmeet_media_repaired_packets_total", "Lost publisher packets that arrived after a NACK", &Loss::repairedPackets);
  lossGauge("fluxmeet_media_pli_total", "Keyframe requests (PLI) the SFU sent to publishers", &Loss::keyframeRequests);
  lossGauge("fluxmeet_media_packets_lost_total", "Publisher packets lost for good (NACKs gave up)", &Loss::packetsLost);
  signal::SignalingOptions signalingOptions;
  signalingOptions.reconnectGrace = std::chrono::milliseconds(config.reconnectGraceMs);
  signalingOptions.recordings = &recordings;
  signalingOptions.lobbyListener = &waitingRoomPush;
  signalingOptions.activityListener = &meetingActivityPush;
  signal::SignalingServer signaling(io, *database, jwt, metrics, signalingOptions, mediaPlane->get(), &mediaEvents);
  server.setWebSocketHandler("/ws", &signaling);
  signaling.registerRoutes(router);  // the whiteboard's images and saved boards
  if (std::filesystem::is_regular_file(std::filesystem::path(config.webRoot) / "index.html")) {
    server.setStaticFiles(std::make_shared<http::StaticFiles>(config.webRoot));
  } else {
    spdlog::warn("web client not found in {} (build it with `make web`); serving the API only", config.webRoot);
  }
  if (auto started = server.start(); !started) {
    std::cerr << "fluxmeet: " << started.error().message << "\n";
    return kExitRuntime;
  }
  const char* scheme = config.tlsCert.empty() ? "http" : "https";
  // Printed whatever LOG_LEVEL says: operators and test harnesses wait for this line.
  std::cout << "fluxmeet listening on " << scheme << "://"
            << (config.listenAddress == "0.0.0.0" ? "localhost" : config.listenAddress) << ":" << server.boundPort()
            << " (database " << config.databaseUrl << ")" << std::endl;
  spdlog::info("media: {} worker(s), UDP port {} and up, ICE-TCP port {}, candidates {}", (*mediaPlane)->workerCount(),
               (*mediaPlane)->worker(0).port(),
               config.mediaTcpPort ? std::to_string((*mediaPlane)->worker(0).tcpPort()) + " and up" : std::string("off"),
               fmt::join((*mediaPlane)->announcedAddresses(), ", "));
  // The URLs only: the secret never reaches the log.
  if (!config.turnUrls.empty()) {
    spdlog::info("media: TURN {} with credentials valid {} s", fmt::join(config.turnUrls, ", "),
                 config.turnCredentialTtlSeconds);
  }
  flushConsoleLog();  // the start-up lines at once; later ones within a second (console_log.hpp)

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", signal);
    signaling.closeAll();
    retentionTimer.cancel();
    reminders.stop();
    server.stop(std::chrono::seconds(5), [&io] { io.stop(); });
  });
  io.run();
  // Before the signaling and the routes go: nothing may run on a connection thread after this.
  connectionThreads.join();
  blockingPool.join();
  spdlog::info("stopped");
  flushConsoleLog();
  return 0;
}

}  // namespace fluxmeet::app
