#include "fluxmeet/media/client/ice_controlling_agent.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "fluxmeet/media/stun/stun_message_builder.hpp"

namespace fluxmeet::media::client {
namespace {

constexpr uint16_t kBindingMethod = 0x001;  // RFC 8489 section 18.2

}  // namespace

std::string_view iceAgentStateName(IceAgentState state) {
  switch (state) {
    case IceAgentState::New:
      return "new";
    case IceAgentState::Checking:
      return "checking";
    case IceAgentState::Connected:
      return "connected";
    case IceAgentState::Failed:
      return "failed";
  }
  return "failed";
}

IceControllingAgent::IceControllingAgent(ice::IceCredentials local, uint64_t tieBreaker, Options options)
    : local_(std::move(local)),
      tieBreaker_(tieBreaker),
      options_(options),
      random_(tieBreaker ^ 0x9E3779B97F4A7C15ULL) {}

void IceControllingAgent::start(ice::IceCredentials remote, Clock::time_point now) {
  remote_ = std::move(remote);
  state_ = IceAgentState::Checking;
  checkingSince_ = now;
  nextCheck_ = now;
}

void IceControllingAgent::restart(ice::IceCredentials remote, Clock::time_point now) {
  ++stats_.restarts;
  // Answers to checks sent with the old credentials no longer count (RFC 8445 section 9).
  ++generation_;
  start(std::move(remote), now);
}

std::optional<IceControllingAgent::Clock::time_point> IceControllingAgent::nextCheckAt() const {
  if (state_ == IceAgentState::New || state_ == IceAgentState::Failed) return std::nullopt;
  return nextCheck_;
}

std::optional<size_t> IceControllingAgent::nextCheck(std::span<uint8_t> out, Clock::time_point now) {
  if (state_ == IceAgentState::New || state_ == IceAgentState::Failed || now < nextCheck_) return std::nullopt;
  if (state_ == IceAgentState::Checking && now - checkingSince_ >= options_.checkTimeout) {
    state_ = IceAgentState::Failed;
    return std::nullopt;
  }
  Transaction& transaction = transactions_[nextTransaction_];
  nextTransaction_ = (nextTransaction_ + 1) % transactions_.size();
  for (size_t i = 0; i < transaction.id.size(); i += 8) {
    const uint64_t bits = random_();
    std::memcpy(&transaction.id[i], &bits, std::min<size_t>(8, transaction.id.size() - i));
  }
  transaction.generation = generation_;
  transaction.used = true;

  // RFC 8445 section 7.2.2: USERNAME = "<receiver's ufrag>:<sender's ufrag>", and the
  // short-term credential key is the receiver's password (RFC 8489 section 9.1.1).
  const std::string username = remote_.ufrag + ":" + local_.ufrag;
  stun::StunMessageBuilder builder(out, stun::type::kBindingRequest, transaction.id);
  builder.addUsername(username).addPriority(kCheckPriority).addIceControlling(tieBreaker_);
  // Aggressive nomination on the first checks; consent refreshes (RFC 7675) do not nominate.
  if (state_ == IceAgentState::Checking) builder.addUseCandidate();
  builder.addMessageIntegrity(std::string_view(remote_.password)).addFingerprint();
  const auto size = builder.finish();
  if (!size) return std::nullopt;
  ++stats_.checksSent;
  nextCheck_ = now + (state_ == IceAgentState::Checking ? options_.checkInterval : options_.consentInterval);
  return size;
}

IceControllingAgent::Transaction* IceControllingAgent::findTransaction(
    std::span<const uint8_t, stun::kTransactionIdSize> id) {
  for (auto& transaction : transactions_) {
    if (transaction.used && std::equal(id.begin(), id.end(), transaction.id.begin())) return &transaction;
  }
  return nullptr;
}

bool IceControllingAgent::handleResponse(const stun::StunMessage& message, Clock::time_point now) {
  const auto messageClass = message.messageClass();
  if (message.method() != kBindingMethod ||
      (messageClass != stun::StunClass::SuccessResponse && messageClass != stun::StunClass::ErrorResponse)) {
    ++stats_.ignoredResponses;
    return false;
  }
  Transaction* transaction = findTransaction(message.transactionId());
  // RFC 8489 section 7.3.3 / 14.7: unknown transactions and bad fingerprints are discarded.
  if (transaction == nullptr || (message.hasFingerprint() && !message.verifyFingerprint())) {
    ++stats_.ignoredResponses;
    return false;
  }
  transaction->used = false;
  if (messageClass == stun::StunClass::ErrorResponse) {
    // 400/401 carry no MESSAGE-INTEGRITY (RFC 8489 section 9.1.3); count them anyway.
    ++stats_.errorResponses;
    if (const auto error = message.errorCode()) stats_.lastErrorCode = error->code;
    return false;
  }
  // RFC 8445 section 7.2.5.2 / RFC 8489 section 9.1.3: a success must be signed with the
  // password we used, i.e. the current remote password for a current-generation check.
  if (transaction->generation != generation_ || !message.hasMessageIntegrity() ||
      !message.verifyMessageIntegrity(std::string_view(remote_.password))) {
    ++stats_.ignoredResponses;
    return false;
  }
  ++stats_.successResponses;
  mapped_ = message.xorMappedAddress();
  everConnected_ = true;
  if (state_ == IceAgentState::Checking) {
    state_ = IceAgentState::Connected;
    nextCheck_ = now + options_.consentInterval;
  }
  return true;
}

}  // namespace fluxmeet::media::client
