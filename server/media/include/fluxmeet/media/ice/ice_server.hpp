#pragma once
// IceServer: the ICE-lite agent of one WebRtcTransport (RFC 8445 section 2.5). A lite agent has
// only host candidates, never sends connectivity checks and is always the controlled agent; it
// answers the browser's Binding requests (RFC 8445 section 7.3), adopts the pair the browser
// nominates, and watches consent freshness (RFC 7675). Socket-free: the owner feeds parsed STUN
// messages and a timer tick, and sends what onIceSend() hands it.
//
// Threading: lives on its media worker thread; no locks. Never throws. Responses are written
// into a buffer this object owns, so answering a check allocates nothing.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "fluxmeet/media/ice/ice_credentials.hpp"
#include "fluxmeet/media/ice/transport_address.hpp"
#include "fluxmeet/media/stun/stun_message.hpp"

namespace fluxmeet::media::ice {

enum class IceState : uint8_t {
  New,           // no valid check received yet
  Connected,     // a valid check arrived, nothing nominated yet
  Completed,     // a tuple is selected (nominated with USE-CANDIDATE) and consent is fresh
  Disconnected,  // consent expired (RFC 7675 section 5.1), or the selected TCP tuple's connection
                 // closed with no other valid tuple left; a new nomination recovers
  Closed,        // close() was called; everything is ignored from then on
};

std::string_view iceStateName(IceState state);

// Counters for diagnostics; one field per outcome of handleStun().
struct IceServerStats {
  uint64_t successResponses = 0;
  uint64_t badRequests = 0;    // 400 sent
  uint64_t unauthorized = 0;   // 401 sent
  uint64_t roleConflicts = 0;  // 487 sent
  uint64_t ignored = 0;        // not a Binding request, bad FINGERPRINT, or closed
};

class IceServer {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  // RFC 7675 section 5.1: consent expires 30 s after the last authenticated check.
  static constexpr std::chrono::seconds kConsentTimeout{30};
  // Remembered valid tuples; a browser has a handful of candidates per transport.
  static constexpr size_t kMaxTuples = 8;

  class Listener {
   public:
    virtual ~Listener() = default;
    // A STUN response for the wire, valid only during the call.
    virtual void onIceSend(std::span<const uint8_t> packet, const TransportAddress& to) = 0;
    // The browser nominated a (different) tuple: media and DTLS now go there.
    virtual void onIceSelectedTupleChanged(const TransportAddress& tuple) = 0;
    virtual void onIceStateChanged(IceState state) = 0;
    // No authenticated check from the selected (or last selected) tuple for kConsentTimeout: the
    // peer is gone (RFC 7675 section 5.1). Once per loss of consent; the owner decides to close.
    virtual void onIceConsentExpired() = 0;
  };

  // `listener` must outlive this object.
  IceServer(Listener& listener, IceCredentials localCredentials);

  IceServer(const IceServer&) = delete;
  IceServer& operator=(const IceServer&) = delete;

  // One STUN message received from `from`. `raw` is the datagram `message` was parsed from (it
  // is only counted; the view already covers it). Only Binding requests are answered.
  void handleStun(const stun::StunMessage& message, std::span<const uint8_t> raw,
                  const TransportAddress& from, TimePoint now);

  // Call periodically (every second or so): expires consent of the selected tuple.
  void onTimer(TimePoint now);

  // The tuple can carry nothing any more (its ICE-TCP connection closed): it is forgotten. If it
  // was the selected one, the newest other valid tuple takes over; with none left the state is
  // Disconnected until the browser nominates again (a new TCP connection, or after an ICE
  // restart), and consent expires as usual if it does not.
  void forgetTuple(const TransportAddress& tuple);

  // ICE restart (RFC 8445 section 9): checks must now use the new credentials. Known tuples and
  // the selection stay until the browser nominates again, so media keeps flowing meanwhile.
  void restart(IceCredentials newCredentials);

  // Stops answering; no callback is made (the caller knows).
  void close();

  IceState state() const { return state_; }
  const std::optional<TransportAddress>& selectedTuple() const { return selected_; }
  // Tuples that sent a valid check, oldest first; at most kMaxTuples.
  std::span<const TransportAddress> tuples() const { return {tuples_.data(), tupleCount_}; }
  std::string_view localUfrag() const { return credentials_.ufrag; }
  std::string_view localPassword() const { return credentials_.password; }
  const IceServerStats& stats() const { return stats_; }
  uint64_t bytesReceived() const { return bytesReceived_; }

 private:
  // A valid (authenticated, conflict-free) check from `from`; updates tuples, nomination, consent.
  void acceptCheck(const TransportAddress& from, bool nominated, TimePoint now);
  void rememberTuple(const TransportAddress& tuple);
  void renewConsent(TimePoint now);
  void setState(IceState state);
  void sendSuccess(const stun::StunMessage& request, const TransportAddress& to);
  // `authenticated` adds MESSAGE-INTEGRITY: RFC 8489 section 9.1.3 forbids it on 400/401.
  void sendError(const stun::StunMessage& request, const TransportAddress& to, uint16_t code,
                 std::string_view reason, bool authenticated);
  void send(std::optional<size_t> size, const TransportAddress& to);

  Listener& listener_;
  IceCredentials credentials_;
  IceState state_ = IceState::New;
  std::optional<TransportAddress> selected_;
  TimePoint lastConsent_{};
  bool consentExpired_ = false;  // reported for the current lastConsent_
  bool restartPending_ = false;  // forget old tuples on the first nomination after restart()
  std::array<TransportAddress, kMaxTuples> tuples_{};
  size_t tupleCount_ = 0;
  IceServerStats stats_;
  uint64_t bytesReceived_ = 0;
  // Largest response: header 20 + ERROR-CODE 4+4+reason (<= 24) + MESSAGE-INTEGRITY 24 +
  // FINGERPRINT 8, or XOR-MAPPED-ADDRESS (IPv6) 24 instead of ERROR-CODE.
  std::array<uint8_t, 128> response_{};
};

}  // namespace fluxmeet::media::ice
