#include "fluxmeet/push/push_sender.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <set>

#include "fake_push_service.hpp"
#include "fluxmeet/push/push_encryption.hpp"
#include "push_test_support.hpp"

namespace fluxmeet::push {
namespace {

using std::chrono::milliseconds;
using test::FakePushService;
using test::ReceivedRequest;
using test::Reply;

// Only a bound so that a broken sender fails the test instead of hanging it; the waits end
// as soon as the results are in.
constexpr auto kSafetyTimeout = std::chrono::seconds(30);

// Collects results from the sender thread; must outlive the sender.
class Results {
 public:
  PushCallback callback() {
    return [this](const PushResult& result) {
      std::lock_guard lock(mutex_);
      results_.push_back(result);
      changed_.notify_all();
    };
  }
  std::vector<PushResult> waitFor(size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, kSafetyTimeout, [&] { return results_.size() >= count; });
    return results_;
  }
  size_t size() {
    std::lock_guard lock(mutex_);
    return results_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<PushResult> results_;
};

class PushSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<VapidKeys> keys = VapidKeys::generate();
    ASSERT_TRUE(keys.ok());
    keys_.emplace(*keys);
  }

  PushSenderOptions options() const {
    PushSenderOptions options{.vapidKeys = *keys_, .subject = "mailto:push-test@fluxmeet.test"};
    options.allowPlainHttp = true;
    // Retries after 1 ms, 2 ms: the schedule itself is tested in retry_policy_test.cpp.
    options.retry = RetryPolicy{.maxAttempts = 3, .initialDelay = milliseconds(1), .multiplier = 2.0,
                                .maxDelay = milliseconds(50), .jitter = 0.0};
    options.random = [] { return 0.0; };
    return options;
  }

  std::unique_ptr<PushSender> makeSender(PushSenderOptions options) {
    Result<std::unique_ptr<PushSender>> sender = PushSender::create(std::move(options));
    EXPECT_TRUE(sender.ok()) << sender.error().message;
    return sender.ok() ? std::move(sender).value() : nullptr;
  }

  PushSubscription subscription(const std::string& endpoint) const {
    return PushSubscription{endpoint, agent_.p256dhBase64Url(), agent_.authBase64Url()};
  }

  std::optional<VapidKeys> keys_;
  test::UserAgent agent_ = test::UserAgent::generate();
};

// What a push service checks (RFC 8030 section 5, RFC 8291 section 4, RFC 8292 section 3).
void expectValidPushRequest(const ReceivedRequest& request, const VapidKeys& keys, const std::string& origin) {
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.header("content-encoding"), "aes128gcm");
  EXPECT_EQ(request.header("content-type"), "application/octet-stream");
  EXPECT_EQ(request.header("content-length"), std::to_string(request.body.size()));
  std::optional<test::VapidHeaderParts> vapid = test::splitVapidHeader(request.header("authorization"));
  ASSERT_TRUE(vapid.has_value()) << request.header("authorization");
  EXPECT_EQ(vapid->key, keys.publicKeyBase64Url());
  EXPECT_TRUE(test::verifyEs256(keys.publicKey(), vapid->signingInput, vapid->signature));
  nlohmann::json claims = nlohmann::json::parse(vapid->claims);
  EXPECT_EQ(claims.at("aud"), origin);
  EXPECT_EQ(claims.at("sub"), "mailto:push-test@fluxmeet.test");
  const int64_t exp = claims.at("exp");
  EXPECT_GT(exp, unixNow());
  EXPECT_LE(exp, unixNow() + 24 * 3600);
}

TEST_F(PushSenderTest, DeliversAnEncryptedSignedMessage) {
  FakePushService service([](const ReceivedRequest&) { return Reply{201}; });
  Results results;
  auto sender = makeSender(options());
  ASSERT_TRUE(sender);
  const std::string payload = R"({"type":"meeting.starting","meeting":"abc-defg-hij"})";
  PushMessageOptions message{.ttl = std::chrono::seconds(60), .urgency = Urgency::High, .topic = "meeting-abc"};
  ASSERT_TRUE(sender->send(subscription(service.url("/push/sub-1")), payload, message, results.callback()).ok());

  std::vector<PushResult> done = results.waitFor(1);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].outcome, PushOutcome::Delivered);
  EXPECT_EQ(done[0].httpStatus, 201);
  EXPECT_EQ(done[0].attempts, 1);
  EXPECT_EQ(done[0].endpoint, service.url("/push/sub-1"));
  EXPECT_EQ(sender->pending(), 0u);

  std::vector<ReceivedRequest> requests = service.requests();
  ASSERT_EQ(requests.size(), 1u);
  const ReceivedRequest& request = requests[0];
  EXPECT_EQ(request.target, "/push/sub-1");
  EXPECT_EQ(request.header("ttl"), "60");
  EXPECT_EQ(request.header("urgency"), "high");
  EXPECT_EQ(request.header("topic"), "meeting-abc");
  expectValidPushRequest(request, *keys_, "http://127.0.0.1:" + std::to_string(service.port()));
  std::optional<test::Bytes> plaintext =
      test::decryptPushBody(request.body, agent_.key.get(), agent_.p256dh, agent_.auth);
  ASSERT_TRUE(plaintext.has_value());
  EXPECT_EQ(std::string(plaintext->begin(), plaintext->end()), payload);
}

TEST_F(PushSenderTest, GoneSubscriptionIsReportedWithoutRetry) {
  FakePushService service([](const ReceivedRequest& request) {
    return Reply{request.target == "/expired" ? 410 : 404};
  });
  Results results;
  auto sender = makeSender(options());
  ASSERT_TRUE(sender);
  ASSERT_TRUE(sender->send(subscription(service.url("/expired")), "x", {}, results.callback()).ok());
  ASSERT_TRUE(sender->send(subscription(service.url("/unknown")), "x", {}, results.callback()).ok());
  std::vector<PushResult> done = results.waitFor(2);
  ASSERT_EQ(done.size(), 2u);
  std::set<long> statuses;
  for (const PushResult& result : done) {
    EXPECT_EQ(result.outcome, PushOutcome::Gone);
    EXPECT_EQ(result.attempts, 1);
    statuses.insert(result.httpStatus);
  }
  EXPECT_EQ(statuses, (std::set<long>{404, 410}));
  EXPECT_EQ(service.requests().size(), 2u);
}

TEST_F(PushSenderTest, RetriesAfterServiceUnavailableWithTheSameBody) {
  std::atomic<int> calls{0};
  FakePushService service([&](const ReceivedRequest&) {
    if (calls.fetch_add(1) == 0) return Reply{503, {{"Retry-After", "0"}}, "overloaded"};
    return Reply{201};
  });
  Results results;
  auto sender = makeSender(options());
  ASSERT_TRUE(sender);
  PushMessageOptions message{.ttl = std::chrono::seconds(0), .urgency = Urgency::VeryLow};
  ASSERT_TRUE(sender->send(subscription(service.url("/flaky")), "retry me", message, results.callback()).ok());
  std::vector<PushResult> done = results.waitFor(1);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].outcome, PushOutcome::Delivered);
  EXPECT_EQ(done[0].attempts, 2);
  EXPECT_EQ(done[0].httpStatus, 201);

  std::vector<ReceivedRequest> requests = service.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, requests[1].body);  // encrypted once
  for (const ReceivedRequest& request : requests) {
    EXPECT_EQ(request.header("ttl"), "0");
    EXPECT_EQ(request.header("urgency"), "very-low");
    EXPECT_EQ(request.header("topic"), "");
    expectValidPushRequest(request, *keys_, "http://127.0.0.1:" + std::to_string(service.port()));
  }
  std::optional<test::Bytes> plaintext =
      test::decryptPushBody(requests[1].body, agent_.key.get(), agent_.p256dh, agent_.auth);
  ASSERT_TRUE(plaintext.has_value());
  EXPECT_EQ(std::string(plaintext->begin(), plaintext->end()), "retry me");
}

TEST_F(PushSenderTest, GivesUpAfterTheLastAttempt) {
  FakePushService service([](const ReceivedRequest&) { return Reply{500}; });
  Results results;
  auto sender = makeSender(options());
  ASSERT_TRUE(sender);
  ASSERT_TRUE(sender->send(subscription(service.url("/down")), "x", {}, results.callback()).ok());
  std::vector<PushResult> done = results.waitFor(1);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].outcome, PushOutcome::Failed);
  EXPECT_EQ(done[0].attempts, 3);
  EXPECT_EQ(done[0].httpStatus, 500);
  EXPECT_EQ(service.requests().size(), 3u);
}

TEST_F(PushSenderTest, RetryAfterBeyondTheMaximumDelayFailsAtOnce) {
  FakePushService service([](const ReceivedRequest&) { return Reply{429, {{"Retry-After", "3600"}}}; });
  Results results;
  auto sender = makeSender(options());
  ASSERT_TRUE(sender);
  ASSERT_TRUE(sender->send(subscription(service.url("/throttled")), "x", {}, results.callback()).ok());
  std::vector<PushResult> done = results.waitFor(1);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].outcome, PushOutcome::Failed);
  EXPECT_EQ(done[0].attempts, 1);
  EXPECT_EQ(done[0].httpStatus, 429);
  EXPECT_EQ(done[0].retryAfter, std::chrono::seconds(3600));
}

TEST_F(PushSenderTest, ClientErrorsFailWithoutRetryAndKeepTheReason) {
  FakePushService service([](const ReceivedRequest&) { return Reply{400, {}, "invalid urgency header"}; });
  Results results;
  auto sender = makeSender(options());
  ASSERT_TRUE(sender);
  ASSERT_TRUE(sender->send(subscription(service.url("/bad")), "x", {}, results.callback()).ok());
  std::vector<PushResult> done = results.waitFor(1);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].outcome, PushOutcome::Failed);
  EXPECT_EQ(done[0].attempts, 1);
  EXPECT_EQ(done[0].httpStatus, 400);
  EXPECT_NE(done[0].error.find("invalid urgency header"), std::string::npos) << done[0].error;
}

TEST_F(PushSenderTest, ConnectionErrorsAreRetriedThenReported) {
  uint16_t closedPort = 0;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    closedPort = probe.local_endpoint().port();
  }  // closed again: connecting is refused
  Results results;
  auto sender = makeSender(options());
  ASSERT_TRUE(sender);
  std::string endpoint = "http://127.0.0.1:" + std::to_string(closedPort) + "/sub";
  ASSERT_TRUE(sender->send(subscription(endpoint), "x", {}, results.callback()).ok());
  std::vector<PushResult> done = results.waitFor(1);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].outcome, PushOutcome::Failed);
  EXPECT_EQ(done[0].attempts, 3);
  EXPECT_EQ(done[0].httpStatus, 0);
  EXPECT_FALSE(done[0].error.empty());
}

TEST_F(PushSenderTest, SendsManyConcurrentlyWithOneCachedToken) {
  FakePushService service([](const ReceivedRequest&) { return Reply{202}; });
  Results results;
  PushSenderOptions limited = options();
  limited.maxConcurrent = 2;
  auto sender = makeSender(std::move(limited));
  ASSERT_TRUE(sender);
  constexpr int kMessages = 12;
  for (int i = 0; i < kMessages; ++i) {
    std::string path = "/sub/" + std::to_string(i);
    ASSERT_TRUE(sender->send(subscription(service.url(path)), "message " + std::to_string(i), {}, results.callback())
                    .ok());
  }
  std::vector<PushResult> done = results.waitFor(kMessages);
  ASSERT_EQ(done.size(), static_cast<size_t>(kMessages));
  for (const PushResult& result : done) EXPECT_EQ(result.outcome, PushOutcome::Delivered);
  std::vector<ReceivedRequest> requests = service.requests();
  ASSERT_EQ(requests.size(), static_cast<size_t>(kMessages));
  std::set<std::string> tokens;
  std::set<std::string> plaintexts;
  for (const ReceivedRequest& request : requests) {
    tokens.insert(request.header("authorization"));
    std::optional<test::Bytes> plaintext =
        test::decryptPushBody(request.body, agent_.key.get(), agent_.p256dh, agent_.auth);
    ASSERT_TRUE(plaintext.has_value());
    plaintexts.insert(std::string(plaintext->begin(), plaintext->end()));
  }
  EXPECT_EQ(tokens.size(), 1u);  // one origin, one VAPID token
  EXPECT_EQ(plaintexts.size(), static_cast<size_t>(kMessages));
}

TEST_F(PushSenderTest, PostsCallbacksToTheCallersExecutor) {
  FakePushService service([](const ReceivedRequest&) { return Reply{201}; });
  std::mutex mutex;
  std::condition_variable posted;
  std::vector<std::function<void()>> queue;
  PushSenderOptions withExecutor = options();
  withExecutor.post = [&](std::function<void()> task) {
    std::lock_guard lock(mutex);
    queue.push_back(std::move(task));
    posted.notify_all();
  };
  std::optional<PushResult> result;
  std::thread::id ranOn;
  auto sender = makeSender(std::move(withExecutor));
  ASSERT_TRUE(sender);
  ASSERT_TRUE(sender->send(subscription(service.url("/sub")), "x", {}, [&](const PushResult& r) {
    result = r;
    ranOn = std::this_thread::get_id();
  }).ok());
  std::vector<std::function<void()>> tasks;
  {
    std::unique_lock lock(mutex);
    posted.wait_for(lock, kSafetyTimeout, [&] { return !queue.empty(); });
    tasks.swap(queue);
  }
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_FALSE(result.has_value());  // not run until the executor runs it
  tasks[0]();
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->outcome, PushOutcome::Delivered);
  EXPECT_EQ(ranOn, std::this_thread::get_id());
}

TEST_F(PushSenderTest, QueueIsBoundedAndShutdownAbortsRequestsInFlight) {
  // Accepts connections (the kernel completes the handshake) but never answers.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  std::string endpoint = "http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/sub";
  std::atomic<int> callbacks{0};
  PushSenderOptions bounded = options();
  bounded.maxQueued = 2;
  bounded.requestTimeout = std::chrono::minutes(10);
  auto sender = makeSender(std::move(bounded));
  ASSERT_TRUE(sender);
  auto count = [&](const PushResult&) { callbacks.fetch_add(1); };
  ASSERT_TRUE(sender->send(subscription(endpoint), "1", {}, count).ok());
  ASSERT_TRUE(sender->send(subscription(endpoint), "2", {}, count).ok());
  Result<void> third = sender->send(subscription(endpoint), "3", {}, count);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, ErrorCode::Unavailable);
  EXPECT_EQ(sender->pending(), 2u);
  sender.reset();  // must return although both requests wait for an answer
  EXPECT_EQ(callbacks.load(), 0);
}

TEST_F(PushSenderTest, RejectsBadMessagesUpFront) {
  auto sender = makeSender(options());
  ASSERT_TRUE(sender);
  PushCallback ignore = [](const PushResult&) {};
  auto fieldOf = [](const Result<void>& result) { return result.ok() ? std::string("ok") : result.error().field; };

  EXPECT_EQ(fieldOf(sender->send(subscription("ftp://127.0.0.1/x"), "x", {}, ignore)), "endpoint");
  EXPECT_EQ(fieldOf(sender->send(subscription("nonsense"), "x", {}, ignore)), "endpoint");
  PushSubscription badKey = subscription("http://127.0.0.1:9/x");
  badKey.p256dh = "AAAA";
  EXPECT_EQ(fieldOf(sender->send(badKey, "x", {}, ignore)), "p256dh");
  PushSubscription badAuth = subscription("http://127.0.0.1:9/x");
  badAuth.auth = "";
  EXPECT_EQ(fieldOf(sender->send(badAuth, "x", {}, ignore)), "auth");
  EXPECT_EQ(fieldOf(sender->send(subscription("http://127.0.0.1:9/x"), "x", {.topic = "has space"}, ignore)), "topic");
  EXPECT_EQ(fieldOf(sender->send(subscription("http://127.0.0.1:9/x"), "x", {.topic = std::string(33, 'a')}, ignore)),
            "topic");
  EXPECT_EQ(fieldOf(sender->send(subscription("http://127.0.0.1:9/x"), "x", {.ttl = std::chrono::seconds(-1)},
                                 ignore)),
            "ttl");
  Result<void> tooLarge =
      sender->send(subscription("http://127.0.0.1:9/x"), std::string(kMaxPushPlaintext + 1, 'x'), {}, ignore);
  ASSERT_FALSE(tooLarge.ok());
  EXPECT_EQ(tooLarge.error().code, ErrorCode::PayloadTooLarge);
  EXPECT_EQ(sender->pending(), 0u);

  // Push services are https only unless the sender is told otherwise.
  PushSenderOptions strict = options();
  strict.allowPlainHttp = false;
  auto strictSender = makeSender(std::move(strict));
  ASSERT_TRUE(strictSender);
  EXPECT_EQ(fieldOf(strictSender->send(subscription("http://127.0.0.1:9/x"), "x", {}, ignore)), "endpoint");
}

TEST_F(PushSenderTest, RefusesBadOptions) {
  PushSenderOptions badSubject = options();
  badSubject.subject = "ops@example.com";
  EXPECT_FALSE(PushSender::create(std::move(badSubject)).ok());
  PushSenderOptions tooLong = options();
  tooLong.vapidValidity = std::chrono::hours(25);
  EXPECT_FALSE(PushSender::create(std::move(tooLong)).ok());
  PushSenderOptions noQueue = options();
  noQueue.maxQueued = 0;
  EXPECT_FALSE(PushSender::create(std::move(noQueue)).ok());
}

// PUSH_CA_FILE: read when the sender is made, so a wrong file stops the server at start-up.
TEST_F(PushSenderTest, ExtraCaFileMustHoldACertificate) {
  PushSenderOptions missing = options();
  missing.extraCaFile = "/nonexistent/fluxmeet-push-ca.pem";
  auto noFile = PushSender::create(std::move(missing));
  ASSERT_FALSE(noFile.ok());
  EXPECT_EQ(noFile.error().field, "extraCaFile");
  const std::filesystem::path notPem =
      std::filesystem::temp_directory_path() / ("fluxmeet-not-a-ca-" + std::to_string(::getpid()) + ".pem");
  std::ofstream(notPem) << "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n";
  PushSenderOptions garbage = options();
  garbage.extraCaFile = notPem.string();
  auto noCertificate = PushSender::create(std::move(garbage));
  std::filesystem::remove(notPem);
  ASSERT_FALSE(noCertificate.ok());
  EXPECT_EQ(noCertificate.error().field, "extraCaFile");
}

}  // namespace
}  // namespace fluxmeet::push
