#pragma once
// PushSender: delivers Web Push messages (RFC 8030 section 5) to push services over HTTPS with
// libcurl's multi interface, on a thread of its own.
//
//   caller (event loop)                         PushSender thread
//   send(subscription, payload, options, cb)    encrypt (RFC 8291) + VAPID header (RFC 8292, cached
//     validates, queues, wakes the thread -->     per push service origin for half its lifetime)
//     returns at once                           POST endpoint (Content-Encoding: aes128gcm, TTL,
//                                                 Urgency, Topic, Authorization), many at once
//                                               2xx -> Delivered; 404/410 -> Gone;
//                                               429/5xx/network error -> wait (RetryPolicy) and retry;
//                                               else -> Failed
//   cb(result) <-- options.post(...) or called directly on the sender thread
//
// Threading: send() and pending() may be called from any thread and never block on the network
// (the crypto happens on the sender thread too). The callback runs once per accepted message,
// on the sender thread unless PushSenderOptions::post is set, in which case the sender hands it
// to post() (e.g. `[ex](auto fn) { asio::post(ex, std::move(fn)); }`) and the caller's executor
// runs it. A callback run on the sender thread must be quick, may call send(), and must not
// destroy the PushSender.
//
// Bounds: at most maxQueued messages are accepted and unfinished (waiting, in flight or waiting
// to retry); send() refuses more with ErrorCode::Unavailable, so a dead push service cannot
// grow memory without limit. At most maxConcurrent requests are in flight.
//
// Shutdown: the destructor aborts requests in flight, drops what is queued without calling its
// callbacks, and joins the thread. Push messages are best effort; a caller that needs to know
// keeps its own record.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/push/retry_policy.hpp"
#include "fluxmeet/push/vapid.hpp"

namespace fluxmeet::push {

// PushSubscription.toJSON() as the browser sends it.
struct PushSubscription {
  std::string endpoint;  // https URL of the push service resource
  std::string p256dh;    // keys.p256dh, base64url
  std::string auth;      // keys.auth, base64url
};

// RFC 8030 section 5.3.
enum class Urgency { VeryLow, Low, Normal, High };
std::string_view urgencyName(Urgency urgency);  // "very-low", "low", "normal", "high"

struct PushMessageOptions {
  // RFC 8030 section 5.2: how long the push service keeps the message for an offline device;
  // 0 = deliver now or never.
  std::chrono::seconds ttl{std::chrono::hours(24)};
  Urgency urgency = Urgency::Normal;
  // RFC 8030 section 5.4: a newer message with the same topic replaces a queued older one.
  // At most 32 base64url characters; empty = none.
  std::string topic;
};

enum class PushOutcome {
  Delivered,  // accepted by the push service (2xx)
  Gone,       // 404/410: the caller should delete the subscription
  Failed,     // rejected, or still failing after the last retry
};

struct PushResult {
  PushOutcome outcome = PushOutcome::Failed;
  std::string endpoint;
  int attempts = 0;         // requests made
  long httpStatus = 0;      // of the last response; 0 if none arrived (network error)
  std::string error;        // Failed: the curl error or the start of the response body
  std::optional<std::chrono::seconds> retryAfter;  // the last Retry-After the service sent
};

using PushCallback = std::function<void(const PushResult&)>;

struct PushSenderOptions {
  VapidKeys vapidKeys;
  std::string subject;  // "mailto:ops@example.com" or "https://meet.example.com"
  size_t maxQueued = 1000;
  size_t maxConcurrent = 16;
  RetryPolicy retry;
  std::chrono::milliseconds connectTimeout{std::chrono::seconds(10)};
  std::chrono::milliseconds requestTimeout{std::chrono::seconds(30)};
  // Lifetime of the VAPID tokens the sender makes (at most 24 h, RFC 8292 section 2).
  std::chrono::seconds vapidValidity{std::chrono::hours(12)};
  // Push services are https only; plain http is for tests against a local server.
  bool allowPlainHttp = false;
  // A PEM file of certificates to trust besides the system's CA store (a private push service, or
  // a test's self-signed one); empty = the system's only. Read by create(): an unreadable file or
  // one without a certificate is a ValidationFailed error (field "extraCaFile").
  std::string extraCaFile;
  // Where callbacks run (see the threading note above); empty = on the sender thread.
  std::function<void(std::function<void()>)> post;
  // Source of the retry jitter in [0, 1); empty = a PRNG seeded from std::random_device.
  std::function<double()> random;
};

class PushSender {
 public:
  // Validates the options (subject, validity, bounds) and starts the thread.
  static Result<std::unique_ptr<PushSender>> create(PushSenderOptions options);
  ~PushSender();
  PushSender(const PushSender&) = delete;
  PushSender& operator=(const PushSender&) = delete;

  // Queues one message. Errors, returned at once with no callback: ValidationFailed (bad
  // endpoint, keys, topic or TTL; Error::field says which), PayloadTooLarge (more than
  // kMaxPushPlaintext bytes), Unavailable (queue full or shutting down).
  Result<void> send(const PushSubscription& subscription, std::vector<uint8_t> payload,
                    const PushMessageOptions& options, PushCallback callback);
  Result<void> send(const PushSubscription& subscription, std::string_view payload,
                    const PushMessageOptions& options, PushCallback callback);

  // Messages accepted and not yet finished.
  size_t pending() const;

 private:
  class Impl;
  explicit PushSender(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace fluxmeet::push
