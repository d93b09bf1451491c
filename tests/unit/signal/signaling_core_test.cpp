// SignalingCore driven through a fake Connection: the protocol rules that need no socket.
#include "signaling_core.hpp"

#include <gtest/gtest.h>

#include "fluxmeet/common/clock.hpp"

namespace fluxmeet::signal {
namespace {

class FakeConnection : public Connection, public std::enable_shared_from_this<FakeConnection> {
 public:
  FakeConnection() : Connection("127.0.0.1") {}
  void send(std::string message) override { sent.push_back(nlohmann::json::parse(message)); }
  void close(std::uint16_t code, std::string_view) override { closedWith = code; }
  std::shared_ptr<Connection> shared() override { return shared_from_this(); }

  std::vector<nlohmann::json> sent;
  std::uint16_t closedWith = 0;
};

class SignalingCoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::openStore("sqlite::memory:");
    ASSERT_TRUE(opened.ok());
    store_ = std::move(*opened);
    auto user = store_->createUser(store::NewUser{"ann", "ann@example.com", "hash", 1000});
    ASSERT_TRUE(user.ok());
    ASSERT_TRUE(store_->createSession(store::NewSession{.id = "sid1", .userId = user->id, .refreshTokenHash = "h",
                                                        .now = unixNow(), .expiresAt = unixNow() + 3600})
                    .ok());
    auth::AccessClaims claims{.subject = std::to_string(user->id), .sessionId = "sid1", .kind = "user",
                              .issuedAt = unixNow(), .expiresAt = unixNow() + 600, .jwtId = "j1"};
    token_ = jwt_.sign(claims);
    core_ = std::make_unique<SignalingCore>(io_, *store_, jwt_, metrics_, SignalingOptions{});
    connection_ = std::make_shared<FakeConnection>();
    core_->onOpened(*connection_);
  }

  void sendText(const std::string& text) { core_->onText(*connection_, text); }

  boost::asio::io_context io_;
  std::unique_ptr<store::Store> store_;
  auth::JwtCodec jwt_{std::string(48, 'k')};
  http::Metrics metrics_;
  std::string token_;
  std::unique_ptr<SignalingCore> core_;
  std::shared_ptr<FakeConnection> connection_;
};

TEST_F(SignalingCoreTest, AnythingBeforeHelloIsUnauthorizedAndCloses) {
  sendText(R"({"id":1,"method":"join","data":{"code":"abc-defg-hij"}})");
  ASSERT_EQ(connection_->sent.size(), 1u);
  EXPECT_EQ(connection_->sent[0]["error"]["code"], "unauthorized");
  EXPECT_EQ(connection_->closedWith, 1008);
}

TEST_F(SignalingCoreTest, HelloGivesPeerIdAndResumeToken) {
  sendText(R"({"id":1,"method":"hello","data":{"token":")" + token_ + R"("}})");
  ASSERT_EQ(connection_->sent.size(), 1u);
  const auto& response = connection_->sent[0];
  EXPECT_EQ(response["ok"], true) << response.dump();
  EXPECT_FALSE(response["data"]["peerId"].get<std::string>().empty());
  EXPECT_GE(response["data"]["resumeToken"].get<std::string>().size(), 40u);
  EXPECT_EQ(connection_->closedWith, 0);
  sendText(R"({"id":2,"method":"hello","data":{"token":")" + token_ + R"("}})");
  EXPECT_EQ(connection_->sent[1]["error"]["code"], "conflict");
}

TEST_F(SignalingCoreTest, BadTokenClosesTheConnection) {
  sendText(R"({"id":1,"method":"hello","data":{"token":"abc.def.ghi"}})");
  EXPECT_EQ(connection_->sent[0]["error"]["code"], "unauthorized");
  EXPECT_EQ(connection_->closedWith, 1008);
}

TEST_F(SignalingCoreTest, TenInvalidMessagesDisconnect) {
  sendText(R"({"id":1,"method":"hello","data":{"token":")" + token_ + R"("}})");
  for (int i = 0; i < 9; ++i) sendText("{broken");
  EXPECT_EQ(connection_->closedWith, 0);
  sendText(R"({"id":5,"method":"nope"})");
  EXPECT_EQ(connection_->sent.back()["error"]["code"], "not_found");
  EXPECT_EQ(connection_->closedWith, 1008);
}

// This core has no media plane (a server started without media): media methods need a meeting
// like every room method, and inside one they answer `unavailable` instead of doing anything.
TEST_F(SignalingCoreTest, MediaMethodsNeedAMeetingAndAMediaPlane) {
  sendText(R"({"id":1,"method":"hello","data":{"token":")" + token_ + R"("}})");
  sendText(R"({"id":2,"method":"createTransport","data":{}})");
  EXPECT_EQ(connection_->sent.back()["error"]["code"], "unprocessable");
  EXPECT_EQ(connection_->sent.back()["id"], 2);

  auto host = store_->findUserByEmail("ann@example.com");
  ASSERT_TRUE(host.ok());
  ASSERT_TRUE(store_->createMeeting(store::NewMeeting{.code = "abc-defg-hij", .hostId = host->id, .title = "Standup",
                                                      .now = unixNow()})
                  .ok());
  sendText(R"({"id":3,"method":"join","data":{"code":"abc-defg-hij"}})");
  ASSERT_EQ(connection_->sent.back()["ok"], true) << connection_->sent.back().dump();
  for (const char* method : {"getRouterRtpCapabilities", "createTransport", "getTransportStats"}) {
    sendText(std::string(R"({"id":4,"method":")") + method + R"(","data":{}})");
    EXPECT_EQ(connection_->sent.back()["error"]["code"], "unavailable") << method;
    EXPECT_EQ(connection_->sent.back()["id"], 4);
  }
  // Schemas are still checked first.
  sendText(R"({"id":5,"method":"createTransport","data":{"direction":"sideways"}})");
  EXPECT_EQ(connection_->sent.back()["error"]["code"], "validation_failed");
  EXPECT_EQ(connection_->sent.back()["error"]["field"], "direction");
  EXPECT_EQ(connection_->closedWith, 0);
}

TEST_F(SignalingCoreTest, RoomMethodsNeedAMeeting) {
  sendText(R"({"id":1,"method":"hello","data":{"token":")" + token_ + R"("}})");
  sendText(R"({"id":2,"method":"chat.send","data":{"text":"hi"}})");
  EXPECT_EQ(connection_->sent.back()["error"]["code"], "unprocessable");
  sendText(R"({"id":3,"method":"chat.send","data":{"text":7}})");
  EXPECT_EQ(connection_->sent.back()["error"]["code"], "validation_failed");
  EXPECT_EQ(connection_->sent.back()["error"]["field"], "text");
}

}  // namespace
}  // namespace fluxmeet::signal
