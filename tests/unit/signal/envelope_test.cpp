#include "envelope.hpp"

#include <gtest/gtest.h>

namespace fluxmeet::signal {
namespace {

TEST(Envelope, ParsesARequest) {
  nlohmann::json id;
  auto request = parseRequest(R"({"id":7,"method":"chat.send","data":{"text":"hi"}})", id);
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->id, 7);
  EXPECT_EQ(request->method, "chat.send");
  EXPECT_EQ(request->data["text"], "hi");
}

TEST(Envelope, DataDefaultsToEmptyObject) {
  nlohmann::json id;
  auto request = parseRequest(R"({"id":1,"method":"leave"})", id);
  ASSERT_TRUE(request.ok());
  EXPECT_TRUE(request->data.is_object());
  EXPECT_TRUE(request->data.empty());
}

TEST(Envelope, RefusesBadEnvelopesKeepingTheIdWhenReadable) {
  struct Case {
    const char* text;
    nlohmann::json id;
  };
  const Case cases[] = {
      {"not json", nullptr},
      {"[1,2]", nullptr},
      {R"({"id":"1","method":"x"})", nullptr},
      {R"({"id":-1,"method":"x"})", nullptr},
      {R"({"id":3})", 3},
      {R"({"id":3,"method":""})", 3},
      {R"({"id":3,"method":"x","data":[]})", 3},
      {R"({"id":3,"method":"x","extra":1})", 3},
      {R"({"id":9007199254740992,"method":"x"})", 9007199254740992},
  };
  for (const auto& c : cases) {
    nlohmann::json id;
    auto request = parseRequest(c.text, id);
    ASSERT_FALSE(request.ok()) << c.text;
    EXPECT_EQ(request.error().code, ErrorCode::InvalidRequest) << c.text;
    EXPECT_EQ(id, c.id) << c.text;
  }
}

TEST(Envelope, SerialisesResponsesAndNotifications) {
  EXPECT_EQ(nlohmann::json::parse(okResponse(4, {{"a", 1}})), (nlohmann::json{{"id", 4}, {"ok", true}, {"data", {{"a", 1}}}}));
  auto error = nlohmann::json::parse(errorResponse(nullptr, makeError(ErrorCode::ValidationFailed, "bad", "text")));
  EXPECT_TRUE(error["id"].is_null());
  EXPECT_EQ(error["ok"], false);
  EXPECT_EQ(error["error"]["code"], "validation_failed");
  EXPECT_EQ(error["error"]["field"], "text");
  auto note = nlohmann::json::parse(notification("peer.left", {{"peerId", "p"}}));
  EXPECT_EQ(note["method"], "peer.left");
  EXPECT_FALSE(note.contains("id"));
}

TEST(Envelope, NotificationFromEncodedDataIsTheSameMessage) {
  const nlohmann::json data{{"seq", 7}, {"elements", {{{"id", "a\"b"}}}}};
  EXPECT_EQ(encodedNotification("board.elements", data.dump()), notification("board.elements", data));
}

TEST(Envelope, ResponseFromEncodedDataIsTheSameMessage) {
  const nlohmann::json data{{"epoch", "e\"1"}, {"elements", {{{"id", "a"}}}}, {"seq", 3}};
  const std::string encoded = encodedOkResponse(42, data.dump());
  EXPECT_EQ(encoded, okResponse(42, data)) << "the same text, keys in the same order";
  EXPECT_EQ(nlohmann::json::parse(encodedOkResponse(nullptr, "{}"))["id"], nullptr);
}

}  // namespace
}  // namespace fluxmeet::signal
