// The media worker's timer tick: fast (20 ms) only while it has a transport whose DTLS, ICE
// consent and RTCP need it; once a second otherwise, so meetings without media (a whiteboard,
// chat) do not wake it 50 times a second.
#include "sfu_loopback_fixture.hpp"

namespace fluxmeet::media {
namespace {

TEST(MediaWorkerTick, FastOnlyWhileATransportExists) {
  RecordingRouterListener listener;
  worker::MediaWorker worker(worker::MediaWorkerOptions{.index = 0, .listenIp = "127.0.0.1", .port = 0},
                             serverCertificate(), listener);
  ASSERT_TRUE(worker.start());
  const auto tick = [&worker] { return worker.invoke([&worker] { return worker.tickInterval(); }); };
  EXPECT_EQ(tick(), 1s);

  const auto capabilities = ortc::generateRouterRtpCapabilities(ortc::defaultMediaCodecs()).value();
  ASSERT_TRUE(worker.invoke([&] { return worker.createRouter(kRouterId, capabilities); }));
  EXPECT_EQ(tick(), 1s) << "a router alone has nothing to time";

  ASSERT_TRUE(worker.invoke([&] { return worker.findRouter(kRouterId)->createWebRtcTransport("t1"); }));
  EXPECT_EQ(tick(), 20ms) << "switched at once, not at the next slow tick";

  worker.invoke([&] { worker.findRouter(kRouterId)->closeTransport("t1"); });
  // The router removes a closed transport at its next tick; the one after that is slow again.
  const auto deadline = Clock::now() + kTimeout;
  while (tick() != 1s && Clock::now() < deadline) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(tick(), 1s);
  worker.stop();
}

}  // namespace
}  // namespace fluxmeet::media
