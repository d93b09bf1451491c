#pragma once
// Notifier: sends one notification to every push subscription of a user and keeps the
// subscription list clean from what push services answer (RFC 8030 section 7.3: 404/410 ->
// the subscription is gone, delete it; 2xx -> remember the delivery time).
//
// Runs on the control thread, like the Store it uses. The PushSender delivers on its own thread
// and hands results back through the `post` function given here (asio::post on the control
// io_context), so the Store is only ever touched from the control thread.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/notify/push_payload.hpp"
#include "fluxmeet/push/push_sender.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::notify {

// The one method the schedulers need, so their tests can see what would be sent.
class UserNotifier {
 public:
  virtual ~UserNotifier() = default;
  // Queues `payload` for every subscription of the user; returns how many were queued.
  virtual Result<size_t> notifyUser(store::Id userId, const PushPayload& payload,
                                    const push::PushMessageOptions& options) = 0;
};

struct NotifierOptions {
  push::VapidKeys vapidKeys;
  std::string subject;           // VAPID "sub": mailto: or https: contact
  bool allowPlainHttp = false;   // tests only: push services on http://127.0.0.1
  std::string extraCaFile;       // PEM certificates trusted besides the system's (PushSenderOptions)
  // Runs a callback on the control thread (asio::post on its io_context).
  std::function<void(std::function<void()>)> post;
};

struct PushCounters {
  size_t delivered = 0;
  size_t gone = 0;
  size_t failed = 0;
};

class Notifier final : public UserNotifier {
 public:
  static Result<std::unique_ptr<Notifier>> create(store::Store& store, NotifierOptions options);
  ~Notifier() override;
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // The applicationServerKey browsers subscribe with (base64url, 65-byte point).
  const std::string& publicKey() const { return publicKey_; }
  bool allowPlainHttp() const { return allowPlainHttp_; }

  Result<size_t> notifyUser(store::Id userId, const PushPayload& payload,
                            const push::PushMessageOptions& options) override;

  const PushCounters& counters() const { return counters_; }

 private:
  Notifier(store::Store& store, std::string publicKey, bool allowPlainHttp);
  void onResult(const push::PushResult& result);

  store::Store& store_;
  std::string publicKey_;
  bool allowPlainHttp_ = false;
  PushCounters counters_;
  // Results posted to the control thread after this Notifier is gone find the token expired.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  std::unique_ptr<push::PushSender> sender_;  // last: stopped (thread joined) first
};

}  // namespace fluxmeet::notify
