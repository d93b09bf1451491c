#pragma once
// Parses a STUN message, reads every accessor, then rebuilds it from what was read and checks
// the rebuilt message parses to the same values.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "fluxmeet/media/stun/stun_message.hpp"
#include "fluxmeet/media/stun/stun_message_builder.hpp"
#include "media/fuzz_check.hpp"

namespace fluxmeet::fuzz {

inline void exerciseStun(std::span<const uint8_t> data) {
  using namespace media::stun;
  auto msg = StunMessage::parse(data);
  if (!msg) return;
  (void)msg->method();
  (void)msg->messageClass();
  (void)msg->verifyMessageIntegrity(std::string_view("VOkJxbRl1RmTxUk/WvJxBt"));
  (void)msg->verifyFingerprint();
  (void)msg->attribute(attr::kSoftware);
  const auto username = msg->username();
  const auto priority = msg->priority();
  const auto controlling = msg->iceControlling();
  const auto controlled = msg->iceControlled();
  const auto error = msg->errorCode();
  const auto mapped = msg->xorMappedAddress();
  const bool useCandidate = msg->useCandidate();

  std::array<uint8_t, 2048> buffer{};
  StunMessageBuilder builder(buffer, msg->type(), msg->transactionId());
  if (username && username->size() < 513) builder.addUsername(*username);
  if (priority) builder.addPriority(*priority);
  if (useCandidate) builder.addUseCandidate();
  if (controlling) builder.addIceControlling(*controlling);
  if (controlled) builder.addIceControlled(*controlled);
  if (error && error->reason.size() < 763) builder.addErrorCode(error->code, error->reason);
  if (mapped) builder.addXorMappedAddress(*mapped);
  builder.addMessageIntegrity(std::string_view("key")).addFingerprint();
  auto size = builder.finish();
  FUZZ_CHECK(size.has_value());
  auto again = StunMessage::parse(std::span<const uint8_t>(buffer).first(*size));
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->type() == msg->type());
  FUZZ_CHECK(again->transactionIdCopy() == msg->transactionIdCopy());
  if (username && username->size() < 513) FUZZ_CHECK(again->username() == username);
  FUZZ_CHECK(again->priority() == priority);
  FUZZ_CHECK(again->useCandidate() == useCandidate);
  FUZZ_CHECK(again->iceControlling() == controlling);
  FUZZ_CHECK(again->iceControlled() == controlled);
  FUZZ_CHECK(again->xorMappedAddress() == mapped);
  if (error && error->reason.size() < 763) {
    FUZZ_CHECK(again->errorCode().has_value() && again->errorCode()->code == error->code &&
               again->errorCode()->reason == error->reason);
  }
  FUZZ_CHECK(again->verifyMessageIntegrity(std::string_view("key")));
  FUZZ_CHECK(again->verifyFingerprint());
}

}  // namespace fluxmeet::fuzz
