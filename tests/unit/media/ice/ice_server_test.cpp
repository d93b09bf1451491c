#include "fluxmeet/media/ice/ice_server.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "fluxmeet/media/stun/stun_message_builder.hpp"

namespace fluxmeet::media::ice {
namespace {

using namespace std::chrono_literals;
using stun::StunMessage;
using stun::StunMessageBuilder;

const IceCredentials kLocal{"LoCaLuFr", "0123456789abcdefghij+/XY"};
const IceCredentials kRestarted{"NeWuFrAg", "ZYXWVUTSRQPONMLKJIHGFE+/"};

struct Sent {
  std::vector<uint8_t> bytes;
  TransportAddress to;
};

class FakeListener : public IceServer::Listener {
 public:
  void onIceSend(std::span<const uint8_t> packet, const TransportAddress& to) override {
    sent.push_back({{packet.begin(), packet.end()}, to});
  }
  void onIceSelectedTupleChanged(const TransportAddress& tuple) override {
    selected.push_back(tuple);
  }
  void onIceStateChanged(IceState state) override { states.push_back(state); }
  void onIceConsentExpired() override { ++consentExpiries; }

  std::vector<Sent> sent;
  int consentExpiries = 0;
  std::vector<TransportAddress> selected;
  std::vector<IceState> states;
};

// What a browser puts in a connectivity check (RFC 8445 section 7.2.2).
struct Check {
  std::string username = "LoCaLuFr:remote";
  std::string password = kLocal.password;
  bool useCandidate = false;
  bool controlling = true;
  bool controlled = false;
  bool integrity = true;
  bool fingerprint = true;
  uint16_t type = stun::type::kBindingRequest;
  uint8_t tidSeed = 1;
};

std::vector<uint8_t> buildCheck(const Check& check) {
  stun::TransactionId tid{};
  for (size_t i = 0; i < tid.size(); ++i) tid[i] = static_cast<uint8_t>(check.tidSeed + i);
  std::vector<uint8_t> buffer(512);
  StunMessageBuilder builder(buffer, check.type, tid);
  if (!check.username.empty()) builder.addUsername(check.username);
  builder.addPriority(1845501695);
  if (check.controlling) builder.addIceControlling(0x1122334455667788ULL);
  if (check.controlled) builder.addIceControlled(0x1122334455667788ULL);
  if (check.useCandidate) builder.addUseCandidate();
  if (check.integrity) builder.addMessageIntegrity(std::string_view(check.password));
  if (check.fingerprint) builder.addFingerprint();
  auto size = builder.finish();
  EXPECT_TRUE(size.has_value());
  buffer.resize(size.value_or(0));
  return buffer;
}

TransportAddress ipv6Address(uint16_t port) {
  TransportAddress address;
  address.family = AddressFamily::IPv6;
  address.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42};
  address.port = port;
  return address;
}

// The browser's end of an ICE-TCP connection.
TransportAddress tcpAddress(uint16_t port) {
  auto address = makeIpv4Address(192, 0, 2, 1, port);
  address.protocol = TransportProtocol::Tcp;
  return address;
}

class IceServerTest : public ::testing::Test {
 protected:
  // Feeds a check; returns false if the bytes did not even parse as STUN.
  bool feed(const Check& check, const TransportAddress& from, IceServer::TimePoint at) {
    const auto bytes = buildCheck(check);
    auto message = StunMessage::parse(bytes);
    if (!message) return false;
    server.handleStun(*message, bytes, from, at);
    return true;
  }
  // The last response, parsed (the bytes live in listener.sent).
  std::optional<StunMessage> lastResponse() {
    if (listener.sent.empty()) return std::nullopt;
    return StunMessage::parse(listener.sent.back().bytes);
  }

  FakeListener listener;
  IceServer server{listener, kLocal};
  IceServer::TimePoint t0 = IceServer::Clock::now();
  TransportAddress hostA = makeIpv4Address(192, 0, 2, 1, 50000);
  TransportAddress hostB = makeIpv4Address(198, 51, 100, 7, 40000);
};

TEST_F(IceServerTest, AnswersBindingRequestWithAuthenticatedSuccess) {
  ASSERT_TRUE(feed(Check{.tidSeed = 7}, hostA, t0));
  ASSERT_EQ(listener.sent.size(), 1U);
  EXPECT_EQ(listener.sent[0].to, hostA);
  auto response = lastResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->type(), stun::type::kBindingSuccess);
  const auto requestBytes = buildCheck(Check{.tidSeed = 7});
  const auto request = StunMessage::parse(requestBytes);
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(response->transactionIdCopy(), request->transactionIdCopy());
  EXPECT_EQ(response->xorMappedAddress(), hostA);
  EXPECT_TRUE(response->verifyMessageIntegrity(std::string_view(kLocal.password)));
  EXPECT_FALSE(response->verifyMessageIntegrity(std::string_view("wrong password here!!!")));
  EXPECT_TRUE(response->verifyFingerprint());
  EXPECT_EQ(server.stats().successResponses, 1U);
  // Valid but not nominated: Connected, a known tuple, nothing selected.
  EXPECT_EQ(server.state(), IceState::Connected);
  EXPECT_EQ(listener.states, std::vector<IceState>{IceState::Connected});
  ASSERT_EQ(server.tuples().size(), 1U);
  EXPECT_EQ(server.tuples()[0], hostA);
  EXPECT_FALSE(server.selectedTuple().has_value());
}

TEST_F(IceServerTest, XorMappedAddressIsTheIpv6Sender) {
  const auto from = ipv6Address(61000);
  ASSERT_TRUE(feed(Check{.useCandidate = true}, from, t0));
  auto response = lastResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->xorMappedAddress(), from);
  EXPECT_TRUE(response->verifyMessageIntegrity(std::string_view(kLocal.password)));
  EXPECT_TRUE(response->verifyFingerprint());
  EXPECT_EQ(server.selectedTuple(), from);
}

TEST_F(IceServerTest, RequestWithoutFingerprintIsStillAnswered) {
  ASSERT_TRUE(feed(Check{.fingerprint = false}, hostA, t0));
  auto response = lastResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->type(), stun::type::kBindingSuccess);
}

TEST_F(IceServerTest, WrongUfragGets401WithoutIntegrity) {
  // Documented choice: an unknown local ufrag is "a username not currently valid"
  // (RFC 8489 section 9.1.3) -> 401, like libwebrtc; a USERNAME without ':' is malformed -> 400.
  ASSERT_TRUE(feed(Check{.username = "someoneElse:remote"}, hostA, t0));
  auto response = lastResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->type(), stun::type::kBindingError);
  ASSERT_TRUE(response->errorCode().has_value());
  EXPECT_EQ(response->errorCode()->code, 401);
  EXPECT_FALSE(response->hasMessageIntegrity());
  EXPECT_TRUE(response->verifyFingerprint());
  EXPECT_EQ(server.state(), IceState::New);
  EXPECT_TRUE(server.tuples().empty());

  ASSERT_TRUE(feed(Check{.username = "LoCaLuFr"}, hostA, t0));
  ASSERT_TRUE(lastResponse()->errorCode().has_value());
  EXPECT_EQ(lastResponse()->errorCode()->code, 400);
  ASSERT_TRUE(feed(Check{.username = ":remote"}, hostA, t0));
  EXPECT_EQ(lastResponse()->errorCode()->code, 400);
  EXPECT_EQ(server.stats().badRequests, 2U);
  EXPECT_EQ(server.stats().unauthorized, 1U);
}

TEST_F(IceServerTest, BadIntegrityGets401) {
  ASSERT_TRUE(feed(Check{.password = "not the local password!!"}, hostA, t0));
  auto response = lastResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->type(), stun::type::kBindingError);
  EXPECT_EQ(response->errorCode()->code, 401);
  EXPECT_FALSE(response->hasMessageIntegrity());
  EXPECT_EQ(server.state(), IceState::New);
}

TEST_F(IceServerTest, MissingUsernameOrIntegrityGets400) {
  ASSERT_TRUE(feed(Check{.integrity = false}, hostA, t0));
  EXPECT_EQ(lastResponse()->errorCode()->code, 400);
  ASSERT_TRUE(feed(Check{.username = ""}, hostA, t0));
  EXPECT_EQ(lastResponse()->errorCode()->code, 400);
  EXPECT_EQ(server.stats().badRequests, 2U);
  EXPECT_EQ(server.state(), IceState::New);
}

TEST_F(IceServerTest, CorruptFingerprintIsDiscardedSilently) {
  auto bytes = buildCheck(Check{});
  bytes.back() ^= 0x01;
  auto message = StunMessage::parse(bytes);
  ASSERT_TRUE(message.has_value());
  server.handleStun(*message, bytes, hostA, t0);
  EXPECT_TRUE(listener.sent.empty());
  EXPECT_EQ(server.stats().ignored, 1U);
}

TEST_F(IceServerTest, IceControlledPeerGets487RoleConflict) {
  // RFC 8445 section 7.3.1.1: a lite agent is always controlled.
  ASSERT_TRUE(feed(Check{.useCandidate = true, .controlling = false, .controlled = true}, hostA, t0));
  auto response = lastResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->type(), stun::type::kBindingError);
  EXPECT_EQ(response->errorCode()->code, 487);
  // The request was authenticated, so the error response is too.
  EXPECT_TRUE(response->verifyMessageIntegrity(std::string_view(kLocal.password)));
  EXPECT_TRUE(response->verifyFingerprint());
  EXPECT_FALSE(server.selectedTuple().has_value());
  EXPECT_EQ(server.state(), IceState::New);
  EXPECT_EQ(server.stats().roleConflicts, 1U);
}

TEST_F(IceServerTest, NominationSelectsAndLaterNominationSwitches) {
  ASSERT_TRUE(feed(Check{.useCandidate = true}, hostA, t0));
  EXPECT_EQ(server.selectedTuple(), hostA);
  EXPECT_EQ(server.state(), IceState::Completed);
  ASSERT_EQ(listener.selected.size(), 1U);
  EXPECT_EQ(listener.selected[0], hostA);
  EXPECT_EQ(listener.states, std::vector<IceState>{IceState::Completed});

  // Renominating the same tuple reports nothing new.
  ASSERT_TRUE(feed(Check{.useCandidate = true, .tidSeed = 2}, hostA, t0 + 1s));
  EXPECT_EQ(listener.selected.size(), 1U);

  // An unnominated check from B only records B.
  ASSERT_TRUE(feed(Check{.tidSeed = 3}, hostB, t0 + 2s));
  EXPECT_EQ(server.selectedTuple(), hostA);
  EXPECT_EQ(server.tuples().size(), 2U);

  ASSERT_TRUE(feed(Check{.useCandidate = true, .tidSeed = 4}, hostB, t0 + 3s));
  EXPECT_EQ(server.selectedTuple(), hostB);
  ASSERT_EQ(listener.selected.size(), 2U);
  EXPECT_EQ(listener.selected[1], hostB);
  EXPECT_EQ(server.state(), IceState::Completed);
  EXPECT_EQ(listener.states.size(), 1U);
}

TEST_F(IceServerTest, TuplesAreBoundedOldestEvictedSelectedKept) {
  ASSERT_TRUE(feed(Check{.useCandidate = true}, hostA, t0));
  for (uint16_t port = 1; port <= 10; ++port) {
    ASSERT_TRUE(feed(Check{}, makeIpv4Address(10, 0, 0, 1, port), t0));
  }
  ASSERT_EQ(server.tuples().size(), IceServer::kMaxTuples);
  EXPECT_EQ(server.tuples()[0], hostA);  // the selected tuple survives eviction
  EXPECT_EQ(server.tuples()[1], makeIpv4Address(10, 0, 0, 1, 4));
  EXPECT_EQ(server.tuples().back(), makeIpv4Address(10, 0, 0, 1, 10));
}

TEST_F(IceServerTest, ConsentExpiresAfter30sAndRecovers) {
  ASSERT_TRUE(feed(Check{.useCandidate = true}, hostA, t0));
  // Consent checks (no USE-CANDIDATE) from the selected tuple renew consent (RFC 7675).
  ASSERT_TRUE(feed(Check{.tidSeed = 2}, hostA, t0 + 20s));
  server.onTimer(t0 + 49s);
  EXPECT_EQ(server.state(), IceState::Completed);
  // Checks from another tuple do not renew the selected tuple's consent.
  ASSERT_TRUE(feed(Check{.tidSeed = 3}, hostB, t0 + 45s));
  server.onTimer(t0 + 50s);
  EXPECT_EQ(server.state(), IceState::Disconnected);
  EXPECT_EQ(listener.states.back(), IceState::Disconnected);
  EXPECT_EQ(listener.consentExpiries, 1);
  server.onTimer(t0 + 51s);
  EXPECT_EQ(listener.consentExpiries, 1) << "reported once per loss of consent";

  ASSERT_TRUE(feed(Check{.tidSeed = 4}, hostA, t0 + 55s));
  EXPECT_EQ(server.state(), IceState::Completed);
  EXPECT_EQ(listener.states, (std::vector<IceState>{IceState::Completed, IceState::Disconnected,
                                                    IceState::Completed}));
  server.onTimer(t0 + 84s);
  EXPECT_EQ(server.state(), IceState::Completed);
  server.onTimer(t0 + 85s);
  EXPECT_EQ(server.state(), IceState::Disconnected);
  EXPECT_EQ(listener.consentExpiries, 2);
}

TEST_F(IceServerTest, ClosedSelectedTupleHandsOverToTheNewestOtherValidTuple) {
  const auto tcpA = tcpAddress(50001);
  const auto tcpB = tcpAddress(50002);
  ASSERT_TRUE(feed(Check{.tidSeed = 1}, hostB, t0));
  ASSERT_TRUE(feed(Check{.tidSeed = 2}, tcpB, t0));
  ASSERT_TRUE(feed(Check{.useCandidate = true, .tidSeed = 3}, tcpA, t0));
  ASSERT_EQ(server.selectedTuple(), tcpA);

  server.forgetTuple(hostA);  // never known: nothing happens
  EXPECT_EQ(server.tuples().size(), 3U);
  server.forgetTuple(tcpA);
  EXPECT_EQ(server.selectedTuple(), tcpB);
  EXPECT_EQ(listener.selected.back(), tcpB);
  EXPECT_EQ(server.state(), IceState::Completed);
  EXPECT_EQ(server.tuples().size(), 2U);
  // Forgetting a tuple that is not selected changes nothing else.
  server.forgetTuple(hostB);
  EXPECT_EQ(server.selectedTuple(), tcpB);
  EXPECT_EQ(listener.selected.size(), 2U);
}

TEST_F(IceServerTest, ClosedLastTupleDisconnectsUntilANewNominationOrConsentExpiry) {
  const auto tcpA = tcpAddress(50001);
  const auto tcpB = tcpAddress(50002);
  ASSERT_TRUE(feed(Check{.useCandidate = true}, tcpA, t0));
  server.forgetTuple(tcpA);
  EXPECT_EQ(server.state(), IceState::Disconnected);
  EXPECT_FALSE(server.selectedTuple().has_value());
  EXPECT_TRUE(server.tuples().empty());
  EXPECT_EQ(listener.consentExpiries, 0) << "the peer keeps its consent window to come back";

  // The browser reconnects over a new TCP connection and nominates it.
  ASSERT_TRUE(feed(Check{.useCandidate = true, .tidSeed = 2}, tcpB, t0 + 10s));
  EXPECT_EQ(server.state(), IceState::Completed);
  EXPECT_EQ(server.selectedTuple(), tcpB);

  // Gone for good this time: consent runs out 30 s after the last check.
  server.forgetTuple(tcpB);
  server.onTimer(t0 + 39s);
  EXPECT_EQ(listener.consentExpiries, 0);
  server.onTimer(t0 + 40s);
  EXPECT_EQ(listener.consentExpiries, 1);
  EXPECT_EQ(server.state(), IceState::Disconnected);
}

TEST_F(IceServerTest, ConsentTimerDoesNothingBeforeNomination) {
  ASSERT_TRUE(feed(Check{}, hostA, t0));
  server.onTimer(t0 + 300s);
  EXPECT_EQ(server.state(), IceState::Connected);
}

TEST_F(IceServerTest, RestartRejectsOldCredentialsAndAcceptsNew) {
  ASSERT_TRUE(feed(Check{.useCandidate = true}, hostA, t0));
  ASSERT_TRUE(feed(Check{.tidSeed = 2}, hostB, t0));
  server.restart(kRestarted);
  EXPECT_EQ(server.localUfrag(), kRestarted.ufrag);
  EXPECT_EQ(server.localPassword(), kRestarted.password);

  ASSERT_TRUE(feed(Check{.tidSeed = 3}, hostA, t0 + 1s));
  EXPECT_EQ(lastResponse()->errorCode()->code, 401);
  // New ufrag but a check keyed with the old password also fails.
  ASSERT_TRUE(feed(Check{.username = "NeWuFrAg:remote2", .tidSeed = 4}, hostA, t0 + 1s));
  EXPECT_EQ(lastResponse()->errorCode()->code, 401);
  // The selection and tuples survive until the browser nominates again.
  EXPECT_EQ(server.selectedTuple(), hostA);
  EXPECT_EQ(server.tuples().size(), 2U);

  ASSERT_TRUE(feed(Check{.username = "NeWuFrAg:remote2", .password = kRestarted.password,
                         .useCandidate = true, .tidSeed = 5},
                   hostB, t0 + 2s));
  auto response = lastResponse();
  EXPECT_EQ(response->type(), stun::type::kBindingSuccess);
  EXPECT_TRUE(response->verifyMessageIntegrity(std::string_view(kRestarted.password)));
  EXPECT_EQ(server.selectedTuple(), hostB);
  ASSERT_EQ(server.tuples().size(), 1U);
  EXPECT_EQ(server.tuples()[0], hostB);
}

TEST_F(IceServerTest, NonBindingRequestsResponsesAndIndicationsAreIgnored) {
  // Allocate (TURN method 0x003), a Binding success, a Binding error and a Binding indication.
  for (uint16_t type : {uint16_t{0x0003}, stun::type::kBindingSuccess, stun::type::kBindingError,
                        stun::type::kBindingIndication}) {
    ASSERT_TRUE(feed(Check{.useCandidate = true, .type = type}, hostA, t0)) << type;
  }
  EXPECT_TRUE(listener.sent.empty());
  EXPECT_TRUE(listener.states.empty());
  EXPECT_EQ(server.stats().ignored, 4U);
}

TEST_F(IceServerTest, ClosedServerIgnoresEverything) {
  ASSERT_TRUE(feed(Check{.useCandidate = true}, hostA, t0));
  const size_t callbacks = listener.states.size();
  server.close();
  EXPECT_EQ(server.state(), IceState::Closed);
  ASSERT_TRUE(feed(Check{.useCandidate = true, .tidSeed = 9}, hostB, t0));
  server.onTimer(t0 + 100s);
  EXPECT_EQ(listener.sent.size(), 1U);
  EXPECT_EQ(listener.states.size(), callbacks);
}

TEST_F(IceServerTest, RandomPacketsThatParseNeverCrash) {
  // 1000 random datagrams that pass StunMessage::parse: a valid header + random attributes,
  // sometimes with a real USERNAME and integrity so deeper paths run too.
  std::mt19937 rng(12345);
  int parsed = 0;
  for (int attempt = 0; parsed < 1000 && attempt < 200000; ++attempt) {
    std::vector<uint8_t> bytes;
    if (attempt % 3 == 0) {
      bytes = buildCheck(Check{.useCandidate = (attempt % 2) == 0,
                               .controlled = (attempt % 5) == 0,
                               .fingerprint = (attempt % 2) == 1,
                               .tidSeed = static_cast<uint8_t>(attempt)});
      // Flip a random byte after the header (may break integrity, fingerprint or TLVs);
      // without FINGERPRINT the damage reaches the USERNAME/integrity checks.
      bytes[20 + rng() % (bytes.size() - 20)] ^= static_cast<uint8_t>(1 + rng() % 255);
    } else {
      const size_t body = 4 * (rng() % 16);
      bytes.resize(20 + body);
      for (auto& b : bytes) b = static_cast<uint8_t>(rng());
      bytes[0] = static_cast<uint8_t>(bytes[0] & 0x01);  // Binding method, any class
      bytes[1] = static_cast<uint8_t>(bytes[1] & 0x11);
      bytes[2] = 0;
      bytes[3] = static_cast<uint8_t>(body);
      bytes[4] = 0x21, bytes[5] = 0x12, bytes[6] = 0xA4, bytes[7] = 0x42;
      // Make the body a well-formed TLV chain of random attribute types.
      size_t offset = 20;
      while (offset + 4 <= bytes.size()) {
        const size_t room = bytes.size() - offset - 4;
        const size_t length = room == 0 ? 0 : rng() % (room + 1);
        bytes[offset + 2] = static_cast<uint8_t>(length >> 8);
        bytes[offset + 3] = static_cast<uint8_t>(length);
        offset += 4 + ((length + 3) & ~size_t{3});
      }
    }
    auto message = StunMessage::parse(bytes);
    if (!message) continue;
    ++parsed;
    server.handleStun(*message, bytes, makeIpv4Address(10, 0, 0, 1, static_cast<uint16_t>(parsed)),
                      t0 + std::chrono::milliseconds(parsed));
    server.onTimer(t0 + std::chrono::milliseconds(parsed));
  }
  EXPECT_EQ(parsed, 1000);
  // The corpus reached the 400, 401 and discard paths, not just the first check.
  EXPECT_GT(server.stats().badRequests, 0U);
  EXPECT_GT(server.stats().unauthorized, 0U);
  EXPECT_GT(server.stats().ignored, 0U);
  EXPECT_LE(server.tuples().size(), IceServer::kMaxTuples);
  for (const auto& sent : listener.sent) EXPECT_TRUE(StunMessage::parse(sent.bytes).has_value());
}

}  // namespace
}  // namespace fluxmeet::media::ice
