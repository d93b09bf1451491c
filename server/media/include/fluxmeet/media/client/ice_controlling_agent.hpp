#pragma once
// IceControllingAgent: the ICE side of MediaClient, the test and benchmark WebRTC endpoint (see
// media_client.hpp); not used by the server. It is a full agent in the controlling role
// (RFC 8445 section 6.1.1) with a single candidate pair - our host candidate and the SFU's one
// host candidate - which is all an ICE-lite server offers (RFC 8445 section 2.5). It sends
// Binding requests (RFC 8445 section 7.2.4) carrying USERNAME "<remote ufrag>:<local ufrag>",
// PRIORITY, ICE-CONTROLLING, USE-CANDIDATE (aggressive nomination: every check nominates),
// MESSAGE-INTEGRITY keyed with the remote password and FINGERPRINT, retransmits them every Ta
// until a success response authenticates (RFC 8445 section 7.2.5), then keeps consent fresh
// (RFC 7675 section 5.1). An ICE restart (RFC 8445 section 9) swaps the remote credentials and
// checks again on the same socket while media keeps flowing on the selected pair.
//
// Socket-free: the owner sends what nextCheck() writes and feeds parsed responses.
// Threading: one thread. Never throws.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <string>

#include "fluxmeet/media/ice/ice_credentials.hpp"
#include "fluxmeet/media/ice/transport_address.hpp"
#include "fluxmeet/media/stun/stun_message.hpp"

namespace fluxmeet::media::client {

enum class IceAgentState : uint8_t {
  New,        // start() not called
  Checking,   // sending checks with the current remote credentials
  Connected,  // a nominating check succeeded with the current credentials
  Failed,     // no success within Options::checkTimeout
};

struct IceAgentStats {
  uint64_t checksSent = 0;
  uint64_t successResponses = 0;  // authenticated, matching a check we sent
  uint64_t errorResponses = 0;    // authenticated or not; errorCode keeps the last one
  uint16_t lastErrorCode = 0;
  uint64_t ignoredResponses = 0;  // unknown transaction, bad integrity or fingerprint
  uint64_t restarts = 0;
};

class IceControllingAgent {
 public:
  using Clock = std::chrono::steady_clock;

  struct Options {
    // RFC 8445 section 14.2: Ta, the pacing of checks (browsers use 50 ms).
    std::chrono::milliseconds checkInterval{50};
    // RFC 7675 section 5.1: a consent check every ~5 s (randomised there; fixed here).
    std::chrono::milliseconds consentInterval{5000};
    std::chrono::milliseconds checkTimeout{10000};
  };

  // `tieBreaker` is the ICE-CONTROLLING value (RFC 8445 section 16.1), random per agent.
  IceControllingAgent(ice::IceCredentials local, uint64_t tieBreaker, Options options);

  // Begins checking against the remote candidate with the remote credentials.
  void start(ice::IceCredentials remote, Clock::time_point now);
  // ICE restart: new remote credentials (and, as RFC 8445 section 9 allows, our own stay), checks
  // again. The previous success is kept for media until the new one arrives.
  void restart(ice::IceCredentials remote, Clock::time_point now);

  // Writes the next Binding request into `out` if one is due at `now` (nullopt otherwise).
  std::optional<size_t> nextCheck(std::span<uint8_t> out, Clock::time_point now);
  // When nextCheck() has something to send next.
  std::optional<Clock::time_point> nextCheckAt() const;

  // A STUN message from the remote candidate. Returns true when it was a success response
  // that completed (or refreshed) connectivity with the current credentials.
  bool handleResponse(const stun::StunMessage& message, Clock::time_point now);

  IceAgentState state() const { return state_; }
  // True once any check ever succeeded: media may flow (also during a restart).
  bool everConnected() const { return everConnected_; }
  const ice::IceCredentials& localCredentials() const { return local_; }
  const ice::IceCredentials& remoteCredentials() const { return remote_; }
  // Our address as the server saw it (XOR-MAPPED-ADDRESS of the last success).
  const std::optional<ice::TransportAddress>& mappedAddress() const { return mapped_; }
  const IceAgentStats& stats() const { return stats_; }

  // RFC 8445 section 5.1.2.1 priority of the peer-reflexive candidate a check announces:
  // type preference 110, local preference 65535, component 1.
  static constexpr uint32_t kCheckPriority = (110u << 24) | (65535u << 8) | (256u - 1u);

 private:
  struct Transaction {
    stun::TransactionId id{};
    uint32_t generation = 0;  // restart count when it was sent
    bool used = false;
  };

  Transaction* findTransaction(std::span<const uint8_t, stun::kTransactionIdSize> id);

  ice::IceCredentials local_;
  ice::IceCredentials remote_;
  uint64_t tieBreaker_;
  Options options_;
  IceAgentState state_ = IceAgentState::New;
  bool everConnected_ = false;
  uint32_t generation_ = 0;
  Clock::time_point nextCheck_{};
  Clock::time_point checkingSince_{};
  std::optional<ice::TransportAddress> mapped_;
  // Checks still awaiting an answer; a ring, since each retransmission is its own transaction.
  std::array<Transaction, 16> transactions_{};
  size_t nextTransaction_ = 0;
  std::mt19937_64 random_;  // transaction ids: unpredictable enough for a test endpoint
  IceAgentStats stats_;
};

std::string_view iceAgentStateName(IceAgentState state);

}  // namespace fluxmeet::media::client
