#include "fluxmeet/push/push_sender.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

#include "extra_ca_certificates.hpp"
#include "fluxmeet/push/push_encryption.hpp"

namespace fluxmeet::push {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxEndpointLength = 4096;
constexpr size_t kMaxTopicLength = 32;         // RFC 8030 section 5.4
constexpr size_t kMaxKeptResponseBody = 256;   // enough for a push service's error text
constexpr size_t kMaxCachedTokens = 256;       // push service origins; there are a handful in practice
constexpr int kIdlePollMs = 1000;

bool isBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Network failures worth another attempt; the rest (bad URL, certificate refused, ...) would
// fail the same way again.
bool isRetryableCurlError(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

// One message from send() to its callback.
struct Job {
  PushSubscription subscription;
  SubscriptionKeys keys;
  std::string origin;              // JWT audience
  std::vector<uint8_t> plaintext;  // emptied once encrypted
  std::vector<uint8_t> body;       // encrypted once, sent again as is on retries
  PushMessageOptions options;
  PushCallback callback;
  PushResult result;
};

// One request in flight. Removed from the multi handle before it is destroyed.
struct Transfer {
  std::unique_ptr<Job> job;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string responseBody;
  char errorBuffer[CURL_ERROR_SIZE] = {};

  ~Transfer() {
    curl_slist_free_all(headers);
    if (easy != nullptr) curl_easy_cleanup(easy);
  }
};

size_t keepResponseStart(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  size_t room = kMaxKeptResponseBody - std::min(kMaxKeptResponseBody, transfer->responseBody.size());
  transfer->responseBody.append(data, std::min(room, bytes));
  return bytes;
}

}  // namespace

std::string_view urgencyName(Urgency urgency) {
  switch (urgency) {
    case Urgency::VeryLow: return "very-low";
    case Urgency::Low: return "low";
    case Urgency::Normal: return "normal";
    case Urgency::High: return "high";
  }
  return "normal";
}

class PushSender::Impl {
 public:
  Impl(PushSenderOptions options, CURLM* multi, std::shared_ptr<const ExtraCaCertificates> extraCa)
      : options_(std::move(options)), multi_(multi), extraCa_(std::move(extraCa)) {
    if (!options_.random) {
      options_.random = [rng = std::mt19937_64(std::random_device{}())]() mutable {
        return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
      };
    }
  }

  ~Impl() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    curl_multi_wakeup(multi_);
    if (thread_.joinable()) thread_.join();
    curl_multi_cleanup(multi_);
  }

  void start() { thread_ = std::thread([this] { run(); }); }

  const PushSenderOptions& options() const { return options_; }

  Result<void> enqueue(std::unique_ptr<Job> job) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return makeError(ErrorCode::Unavailable, "the push sender is shutting down");
      if (pending_.load() >= options_.maxQueued) return makeError(ErrorCode::Unavailable, "the push queue is full");
      pending_.fetch_add(1);
      incoming_.push_back(std::move(job));
    }
    curl_multi_wakeup(multi_);
    return {};
  }

  size_t pending() const { return pending_.load(); }

 private:
  void run();
  void startReady();
  void start(std::unique_ptr<Job> job);
  void completeTransfers();
  void onDone(std::unique_ptr<Transfer> transfer, CURLcode code);
  void retryOrFail(std::unique_ptr<Job> job);
  void finish(std::unique_ptr<Job> job, PushOutcome outcome);
  Result<std::string> authorizationFor(const Job& job);
  int pollTimeoutMs() const;

  PushSenderOptions options_;
  CURLM* multi_;
  std::shared_ptr<const ExtraCaCertificates> extraCa_;  // null: the system's trust store only
  std::atomic<size_t> pending_{0};

  std::mutex mutex_;
  bool stopping_ = false;                       // guarded by mutex_
  std::deque<std::unique_ptr<Job>> incoming_;   // guarded by mutex_

  // Sender thread only.
  std::deque<std::unique_ptr<Job>> ready_;
  std::multimap<Clock::time_point, std::unique_ptr<Job>> waiting_;  // by when to retry
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> active_;
  struct CachedToken {
    std::string header;
    UnixTime renewAt = 0;
  };
  std::unordered_map<std::string, CachedToken> tokens_;  // by origin

  std::thread thread_;
};

void PushSender::Impl::run() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
      while (!incoming_.empty()) {
        ready_.push_back(std::move(incoming_.front()));
        incoming_.pop_front();
      }
    }
    Clock::time_point now = Clock::now();
    while (!waiting_.empty() && waiting_.begin()->first <= now) {
      ready_.push_back(std::move(waiting_.begin()->second));
      waiting_.erase(waiting_.begin());
    }
    startReady();
    int running = 0;
    curl_multi_perform(multi_, &running);
    completeTransfers();
    curl_multi_poll(multi_, nullptr, 0, pollTimeoutMs(), nullptr);
  }
  // Shutdown: abort what is in flight; queued messages go without their callbacks.
  for (auto& [easy, transfer] : active_) curl_multi_remove_handle(multi_, easy);
  active_.clear();
  ready_.clear();
  waiting_.clear();
  std::lock_guard lock(mutex_);
  incoming_.clear();
}

int PushSender::Impl::pollTimeoutMs() const {
  if (!ready_.empty() && active_.size() < options_.maxConcurrent) return 0;
  long timeout = kIdlePollMs;
  long curlTimeout = -1;
  if (curl_multi_timeout(multi_, &curlTimeout) == CURLM_OK && curlTimeout >= 0) {
    timeout = std::min(timeout, curlTimeout);
  }
  if (!waiting_.empty()) {
    auto untilDue = std::chrono::ceil<std::chrono::milliseconds>(waiting_.begin()->first - Clock::now());
    timeout = std::min<long>(timeout, std::max<long>(0, untilDue.count()));
  }
  return static_cast<int>(timeout);
}

void PushSender::Impl::startReady() {
  while (!ready_.empty() && active_.size() < options_.maxConcurrent) {
    std::unique_ptr<Job> job = std::move(ready_.front());
    ready_.pop_front();
    start(std::move(job));
  }
}

void PushSender::Impl::start(std::unique_ptr<Job> job) {
  if (job->body.empty()) {
    Result<std::vector<uint8_t>> body = encryptPushPayload(job->keys, job->plaintext);
    if (!body) {
      job->result.error = body.error().message;
      return finish(std::move(job), PushOutcome::Failed);
    }
    job->body = std::move(body).value();
    job->plaintext.clear();
    job->plaintext.shrink_to_fit();
  }
  Result<std::string> authorization = authorizationFor(*job);
  if (!authorization) {
    job->result.error = authorization.error().message;
    return finish(std::move(job), PushOutcome::Failed);
  }

  auto transfer = std::make_unique<Transfer>();
  transfer->easy = curl_easy_init();
  if (transfer->easy == nullptr) {
    job->result.error = "cannot create an HTTP request";
    return finish(std::move(job), PushOutcome::Failed);
  }
  // RFC 8030 section 5 (TTL, Urgency, Topic), RFC 8291 section 4 (aes128gcm), RFC 8292 section 3.
  const std::vector<std::string> headers = {
      "Content-Type: application/octet-stream",
      "Content-Encoding: aes128gcm",
      "TTL: " + std::to_string(job->options.ttl.count()),
      "Urgency: " + std::string(urgencyName(job->options.urgency)),
      "Authorization: " + *authorization,
      // curl would otherwise wait for "100 Continue" before sending bodies over 1 KiB.
      "Expect:",
  };
  for (const std::string& header : headers) transfer->headers = curl_slist_append(transfer->headers, header.c_str());
  if (!job->options.topic.empty()) {
    transfer->headers = curl_slist_append(transfer->headers, ("Topic: " + job->options.topic).c_str());
  }
  CURL* easy = transfer->easy;
  curl_easy_setopt(easy, CURLOPT_URL, job->subscription.endpoint.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, options_.allowPlainHttp ? "http,https" : "https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_POST, 1L);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, job->body.data());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(job->body.size()));
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "FluxMeet-Push/1");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connectTimeout.count()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.requestTimeout.count()));
  if (extraCa_) extraCa_->applyTo(easy);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &keepResponseStart);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get());
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->errorBuffer);
  job->result.attempts += 1;
  transfer->job = std::move(job);
  if (curl_multi_add_handle(multi_, easy) != CURLM_OK) {
    std::unique_ptr<Job> failed = std::move(transfer->job);
    failed->result.error = "cannot start the HTTP request";
    return finish(std::move(failed), PushOutcome::Failed);
  }
  active_.emplace(easy, std::move(transfer));
}

void PushSender::Impl::completeTransfers() {
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    CURL* easy = message->easy_handle;
    CURLcode code = message->data.result;  // read before remove_handle invalidates the message
    auto found = active_.find(easy);
    if (found == active_.end()) continue;
    std::unique_ptr<Transfer> transfer = std::move(found->second);
    active_.erase(found);
    curl_multi_remove_handle(multi_, easy);
    onDone(std::move(transfer), code);
  }
}

void PushSender::Impl::onDone(std::unique_ptr<Transfer> transfer, CURLcode code) {
  std::unique_ptr<Job> job = std::move(transfer->job);
  PushResult& result = job->result;
  if (code != CURLE_OK) {
    result.httpStatus = 0;
    result.retryAfter.reset();
    result.error = transfer->errorBuffer[0] != '\0' ? transfer->errorBuffer : curl_easy_strerror(code);
    if (isRetryableCurlError(code)) return retryOrFail(std::move(job));
    return finish(std::move(job), PushOutcome::Failed);
  }
  long status = 0;
  curl_easy_getinfo(transfer->easy, CURLINFO_RESPONSE_CODE, &status);
  result.httpStatus = status;
  result.retryAfter.reset();
  curl_header* header = nullptr;
  if (curl_easy_header(transfer->easy, "Retry-After", 0, CURLH_HEADER, -1, &header) == CURLHE_OK) {
    result.retryAfter = parseRetryAfter(header->value, unixNow());
  }
  switch (classifyPushStatus(status)) {
    case ResponseClass::Delivered:
      result.error.clear();
      return finish(std::move(job), PushOutcome::Delivered);
    case ResponseClass::Gone:
      result.error.clear();
      return finish(std::move(job), PushOutcome::Gone);
    case ResponseClass::Retry:
      result.error = "HTTP " + std::to_string(status);
      return retryOrFail(std::move(job));
    case ResponseClass::Failed:
      result.error = "HTTP " + std::to_string(status) + (transfer->responseBody.empty() ? "" : ": ") +
                     transfer->responseBody;
      return finish(std::move(job), PushOutcome::Failed);
  }
}

void PushSender::Impl::retryOrFail(std::unique_ptr<Job> job) {
  std::optional<std::chrono::milliseconds> delay =
      nextRetryDelay(options_.retry, job->result.attempts, job->result.retryAfter, options_.random());
  if (!delay) return finish(std::move(job), PushOutcome::Failed);
  waiting_.emplace(Clock::now() + *delay, std::move(job));
}

void PushSender::Impl::finish(std::unique_ptr<Job> job, PushOutcome outcome) {
  job->result.outcome = outcome;
  job->result.endpoint = job->subscription.endpoint;
  pending_.fetch_sub(1);
  // Debug only: the caller gets the result and knows whose subscription it was; a push service
  // outage would otherwise log once per message.
  if (outcome == PushOutcome::Failed) {
    spdlog::debug("push to {} failed after {} attempt(s): {}", job->origin, job->result.attempts, job->result.error);
  }
  if (!job->callback) return;
  if (options_.post) {
    options_.post([callback = std::move(job->callback), result = std::move(job->result)] { callback(result); });
    return;
  }
  try {
    job->callback(job->result);
  } catch (const std::exception& e) {
    spdlog::error("push result callback threw: {}", e.what());
  }
}

Result<std::string> PushSender::Impl::authorizationFor(const Job& job) {
  // One token per push service origin, renewed at half its lifetime: signing per message would
  // cost an ECDSA signature each, and services accept the same token until "exp".
  UnixTime now = unixNow();
  auto cached = tokens_.find(job.origin);
  if (cached != tokens_.end() && now < cached->second.renewAt) return cached->second.header;
  Result<std::string> header = vapidAuthorization(options_.vapidKeys, job.subscription.endpoint, options_.subject,
                                                  now + options_.vapidValidity.count(), now);
  if (!header) return header;
  if (tokens_.size() >= kMaxCachedTokens) tokens_.clear();
  tokens_[job.origin] = CachedToken{*header, now + options_.vapidValidity.count() / 2};
  return header;
}

Result<std::unique_ptr<PushSender>> PushSender::create(PushSenderOptions options) {
  if (!isValidVapidSubject(options.subject)) {
    return makeError(ErrorCode::ValidationFailed, "the VAPID subject must be a mailto: or https: URI", "subject");
  }
  if (options.vapidValidity < std::chrono::minutes(1) || options.vapidValidity > kMaxVapidValidity) {
    return makeError(ErrorCode::ValidationFailed, "the VAPID validity must be between 1 minute and 24 hours",
                     "vapidValidity");
  }
  if (options.maxQueued == 0 || options.maxConcurrent == 0 || options.retry.maxAttempts < 1) {
    return makeError(ErrorCode::ValidationFailed, "queue bounds and attempts must be at least 1", "maxQueued");
  }
  std::shared_ptr<const ExtraCaCertificates> extraCa;
  if (!options.extraCaFile.empty()) {
    auto loaded = ExtraCaCertificates::load(options.extraCaFile);
    if (!loaded) return std::move(loaded).takeError();
    extraCa = std::move(*loaded);
  }
  // Thread-safe since libcurl 7.84 and idempotent; a no-op when another module did it first.
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    return makeError(ErrorCode::Internal, "cannot initialise libcurl");
  }
  CURLM* multi = curl_multi_init();
  if (multi == nullptr) return makeError(ErrorCode::Internal, "cannot create the libcurl multi handle");
  auto impl = std::make_unique<Impl>(std::move(options), multi, std::move(extraCa));
  impl->start();
  return std::unique_ptr<PushSender>(new PushSender(std::move(impl)));
}

PushSender::PushSender(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PushSender::~PushSender() = default;

Result<void> PushSender::send(const PushSubscription& subscription, std::string_view payload,
                              const PushMessageOptions& options, PushCallback callback) {
  return send(subscription, std::vector<uint8_t>(payload.begin(), payload.end()), options, std::move(callback));
}

Result<void> PushSender::send(const PushSubscription& subscription, std::vector<uint8_t> payload,
                              const PushMessageOptions& options, PushCallback callback) {
  if (subscription.endpoint.size() > kMaxEndpointLength) {
    return makeError(ErrorCode::ValidationFailed, "the push endpoint is too long", "endpoint");
  }
  Result<std::string> origin = endpointOrigin(subscription.endpoint);
  if (!origin) return std::move(origin).takeError();
  if (!origin->starts_with("https:") && !impl_->options().allowPlainHttp) {
    return makeError(ErrorCode::ValidationFailed, "the push endpoint must be an https URL", "endpoint");
  }
  Result<SubscriptionKeys> keys = parseSubscriptionKeys(subscription.p256dh, subscription.auth);
  if (!keys) return std::move(keys).takeError();
  if (payload.size() > kMaxPushPlaintext) {
    return makeError(ErrorCode::PayloadTooLarge, "a push message holds at most 3993 bytes", "payload");
  }
  if (options.ttl.count() < 0) return makeError(ErrorCode::ValidationFailed, "TTL must not be negative", "ttl");
  if (options.topic.size() > kMaxTopicLength ||
      !std::all_of(options.topic.begin(), options.topic.end(), isBase64UrlChar)) {
    return makeError(ErrorCode::ValidationFailed, "the topic is at most 32 base64url characters", "topic");
  }
  auto job = std::make_unique<Job>();
  job->subscription = subscription;
  job->keys = *keys;
  job->origin = std::move(origin).value();
  job->plaintext = std::move(payload);
  job->options = options;
  job->callback = std::move(callback);
  return impl_->enqueue(std::move(job));
}

size_t PushSender::pending() const { return impl_->pending(); }

}  // namespace fluxmeet::push
