#include "fluxmeet/whiteboard/element.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "whiteboard_test_support.hpp"

namespace fluxmeet::whiteboard {
namespace {

using test::json;

Error rejected(const json& element, const ElementLimits& limits = {}) {
  auto parsed = parseElement(element, limits, "elements[0]");
  EXPECT_FALSE(parsed.ok()) << element.dump();
  return parsed.ok() ? Error{} : parsed.error();
}

TEST(Element, AcceptsEveryExcalidrawTypeAndKeepsTheObjectAsSent) {
  const std::vector<json> elements = {
      test::rectangle("r1"),          test::baseElement("d1", "diamond"), test::baseElement("e1", "ellipse"),
      test::textElement("t1", "Hi"),  test::arrow("a1", "r1", "e1"),      test::baseElement("l1", "line"),
      test::freedraw("f1", 300),      test::image("i1", std::string(40, 'a')), test::frame("fr1"),
  };
  for (const json& element : elements) {
    auto parsed = parseElement(element, {});
    ASSERT_TRUE(parsed.ok()) << element.dump() << ": " << parsed.error().field << " " << parsed.error().message;
    EXPECT_EQ(parsed->id, element["id"]);
    EXPECT_EQ(elementTypeName(parsed->type), element["type"]);
    EXPECT_EQ(parsed->text, element.dump()) << "kept as sent, as compact text";
  }
  auto deleted = parseElement(test::rectangle("r2", 7, -5, true), {});
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->version, 7);
  EXPECT_EQ(deleted->versionNonce, -5);
  EXPECT_TRUE(deleted->deleted);
}

TEST(Element, RefusesTypesThatAreNotSceneContentOrLoadForeignPages) {
  for (const char* type : {"selection", "embeddable", "iframe", "magicframe", "Rectangle", "script", ""}) {
    const Error error = rejected(test::baseElement("x1", type));
    EXPECT_EQ(error.code, ErrorCode::ValidationFailed);
    EXPECT_EQ(error.field, "elements[0].type") << type;
  }
  json noType = test::rectangle("x1");
  noType.erase("type");
  EXPECT_EQ(rejected(noType).field, "elements[0].type");
  EXPECT_EQ(rejected(json::array()).field, "elements[0]");
  EXPECT_EQ(rejected("rectangle").field, "elements[0]");
}

TEST(Element, IdsAreShortAndUrlSafe) {
  EXPECT_TRUE(isValidId("Vk9nX_w0-LGY"));
  EXPECT_TRUE(isValidId(std::string(64, 'z')));
  for (const std::string& id : {std::string(), std::string(65, 'z'), std::string("a b"), std::string("../etc"),
                                std::string("\xc3\xa9"), std::string("a\0b", 3), std::string("<img>")}) {
    EXPECT_FALSE(isValidId(id)) << id;
    EXPECT_EQ(rejected(test::rectangle(id)).field, "elements[0].id");
  }
  json numeric = test::rectangle("x");
  numeric["id"] = 12;
  EXPECT_EQ(rejected(numeric).field, "elements[0].id");
}

TEST(Element, VersionNonceAndDeletionAreRequiredAndTyped) {
  const auto withField = [](const char* key, const json& value) {
    json element = test::rectangle("x1");
    element[key] = value;
    return element;
  };
  for (const json& bad : {json(0), json(-1), json(1.5), json("2"), json(nullptr), json(std::int64_t{1} << 53)}) {
    EXPECT_EQ(rejected(withField("version", bad)).field, "elements[0].version") << bad;
  }
  EXPECT_TRUE(parseElement(withField("version", kMaxSafeInteger), {}).ok());
  EXPECT_TRUE(parseElement(withField("versionNonce", -2147483648LL), {}).ok());
  EXPECT_EQ(rejected(withField("versionNonce", 0.5)).field, "elements[0].versionNonce");
  EXPECT_EQ(rejected(withField("versionNonce", std::numeric_limits<std::uint64_t>::max())).field,
            "elements[0].versionNonce");
  EXPECT_EQ(rejected(withField("isDeleted", 0)).field, "elements[0].isDeleted");
  for (const char* key : {"version", "versionNonce", "isDeleted"}) {
    json element = test::rectangle("x1");
    element.erase(key);
    EXPECT_EQ(rejected(element).field, std::string("elements[0].") + key);
  }
}

TEST(Element, NumbersMustBeFiniteAndCoordinatesBounded) {
  const double inf = std::numeric_limits<double>::infinity();
  for (const char* key : {"x", "y", "width", "height"}) {
    for (const json& bad : {json(1e8), json(-1e8), json(inf), json(std::nan("")), json("10")}) {
      json element = test::rectangle("x1");
      element[key] = bad;
      EXPECT_EQ(rejected(element).field, std::string("elements[0].") + key) << bad;
    }
  }
  json angle = test::rectangle("x1");
  angle["angle"] = 1e6;
  EXPECT_EQ(rejected(angle).field, "elements[0].angle");
  // Any other number anywhere: finite and within 2^53.
  json seed = test::rectangle("x1");
  seed["seed"] = inf;
  EXPECT_EQ(rejected(seed).field, "elements[0].seed");
  json custom = test::rectangle("x1");
  custom["customData"] = {{"deep", {1, 2, std::nan("")}}};
  EXPECT_EQ(rejected(custom).field, "elements[0].customData.deep[2]");
}

TEST(Element, PointsArePairsWithinLimits) {
  ElementLimits limits;
  EXPECT_TRUE(parseElement(test::freedraw("f1", limits.maxPoints), limits).ok());
  const Error tooMany = rejected(test::freedraw("f1", limits.maxPoints + 1), limits);
  EXPECT_EQ(tooMany.code, ErrorCode::PayloadTooLarge);
  EXPECT_EQ(tooMany.field, "elements[0].points");
  for (const json& point : {json::array({1}), json::array({1, 2, 3}), json::array({"1", 2}), json::array({1, 2e7}),
                            json(5), json::object()}) {
    json element = test::arrow("a1", "r1", "r2");
    element["points"][1] = point;
    EXPECT_EQ(rejected(element).field, "elements[0].points[1]") << point;
  }
  json notArray = test::arrow("a1", "r1", "r2");
  notArray["points"] = "0,0 1,1";
  EXPECT_EQ(rejected(notArray).field, "elements[0].points");
  json pressures = test::freedraw("f1", 3);
  pressures["pressures"][2] = "hard";
  EXPECT_EQ(rejected(pressures).field, "elements[0].pressures");
}

TEST(Element, TextAndOtherStringsAreBounded) {
  ElementLimits limits;
  EXPECT_TRUE(parseElement(test::textElement("t1", std::string(limits.maxTextBytes, 'x')), limits).ok());
  const Error longText = rejected(test::textElement("t1", std::string(limits.maxTextBytes + 1, 'x')), limits);
  EXPECT_EQ(longText.code, ErrorCode::PayloadTooLarge);
  EXPECT_EQ(longText.field, "elements[0].originalText");  // fields are checked in name order
  // No blob may hide in another field.
  json blob = test::rectangle("x1");
  blob["customData"] = {{"payload", std::string(limits.maxStringBytes + 1, 'A')}};
  EXPECT_EQ(rejected(blob).field, "elements[0].customData.payload");
  json color = test::rectangle("x1");
  color["strokeColor"] = std::string(limits.maxStringBytes + 1, 'f');
  EXPECT_EQ(rejected(color).code, ErrorCode::PayloadTooLarge);
  json wideArray = test::rectangle("x1");
  wideArray["groupIds"] = json(std::vector<int>(limits.maxArrayItems + 1, 1));
  EXPECT_EQ(rejected(wideArray).field, "elements[0].groupIds");
  json manyKeys = test::rectangle("x1");
  for (int i = 0; i < 64; ++i) manyKeys["customData"]["k" + std::to_string(i)] = i;
  manyKeys["customData"]["one-too-many"] = 1;
  EXPECT_EQ(rejected(manyKeys).field, "elements[0].customData");
  json longKey = test::rectangle("x1");
  longKey[std::string(65, 'k')] = 1;
  EXPECT_EQ(rejected(longKey).field, "elements[0]");
  // Strings built in C++ need not be UTF-8; they are refused, never thrown on.
  json badUtf8 = test::textElement("t1", "caf\xc3");
  EXPECT_EQ(rejected(badUtf8).field, "elements[0].originalText");
}

TEST(Element, SerializedSizeAndNestingAreBounded) {
  ElementLimits small;
  small.maxBytes = 2000;
  const Error tooBig = rejected(test::textElement("t1", std::string(1500, 'x')), small);
  EXPECT_EQ(tooBig.code, ErrorCode::PayloadTooLarge);
  EXPECT_EQ(tooBig.field, "elements[0]");

  json deep = 1;
  for (int i = 0; i < 8; ++i) deep = json::array({deep});
  json element = test::rectangle("x1");
  element["customData"] = deep;  // 9 levels below the element
  EXPECT_EQ(rejected(element).message, "nested too deep");
  element["customData"] = deep[0];
  EXPECT_TRUE(parseElement(element, {}).ok());
}

TEST(Element, LinksAreWebMailOrRelative) {
  for (const char* link : {"https://example.com/a?b#c", "HTTP://EXAMPLE.COM", "mailto:someone@example.com",
                           "/meetings/abc", "?element=Vk9nX_w0", "#top", "", "www.example.com", "a:b/c"}) {
    json element = test::rectangle("x1");
    element["link"] = link;
    // "a:b/c" has a scheme "a": refused like any unknown scheme.
    EXPECT_EQ(parseElement(element, {}).ok(), std::string(link) != "a:b/c") << link;
  }
  for (const char* link : {"javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "\x01javascript:x",
                           "data:text/html,<script>", "vbscript:msgbox", "file:///etc/passwd"}) {
    json element = test::rectangle("x1");
    element["link"] = link;
    EXPECT_EQ(rejected(element).field, "elements[0].link") << link;
  }
  json number = test::rectangle("x1");
  number["link"] = 5;
  EXPECT_EQ(rejected(number).field, "elements[0].link");
}

TEST(Element, ReferencesToOtherElementsAndFilesAreIds) {
  for (const char* key : {"fileId", "frameId", "containerId"}) {
    json element = test::image("i1", "f00d");
    element[key] = "not an id!";
    EXPECT_EQ(rejected(element).field, std::string("elements[0].") + key);
    element[key] = nullptr;
    EXPECT_TRUE(parseElement(element, {}).ok());
  }
}

Element make(std::int64_t version, std::int64_t nonce, bool deleted, double x = 0) {
  json body = test::rectangle("same", version, nonce, deleted);
  body["x"] = x;
  auto parsed = parseElement(body, {});
  EXPECT_TRUE(parsed.ok());
  return *parsed;
}

TEST(Element, SupersedesByVersionThenDeletionThenLowerNonceThenContent) {
  EXPECT_TRUE(supersedes(make(3, 9, false), make(2, 1, true)));
  EXPECT_FALSE(supersedes(make(2, 1, true), make(3, 9, false)));
  // Same version: a deletion beats an edit, whatever the nonces.
  EXPECT_TRUE(supersedes(make(4, 99, true), make(4, 1, false)));
  EXPECT_FALSE(supersedes(make(4, 1, false), make(4, 99, true)));
  // Then the lower nonce, as Excalidraw's reconcileElements decides.
  EXPECT_TRUE(supersedes(make(4, 1, false), make(4, 2, false)));
  EXPECT_FALSE(supersedes(make(4, 2, false), make(4, 1, false)));
  // Then content, so the order is total; never an element over itself.
  EXPECT_NE(supersedes(make(4, 1, false, 1), make(4, 1, false, 2)), supersedes(make(4, 1, false, 2), make(4, 1, false, 1)));
  EXPECT_FALSE(supersedes(make(4, 1, false, 1), make(4, 1, false, 1)));
}

TEST(Element, SupersedesIsAStrictTotalOrder) {
  std::mt19937 random(7);
  std::vector<Element> states;
  for (int i = 0; i < 30; ++i) {
    states.push_back(make(1 + random() % 3, random() % 3, random() % 4 == 0, static_cast<double>(random() % 3)));
  }
  for (const Element& a : states) {
    for (const Element& b : states) {
      const bool same = a.text == b.text;
      // Exactly one of two different states wins; none of two identical ones.
      EXPECT_EQ(supersedes(a, b) + supersedes(b, a), same ? 0 : 1);
      for (const Element& c : states) {
        if (supersedes(a, b) && supersedes(b, c)) {
          EXPECT_TRUE(supersedes(a, c));
        }
      }
    }
  }
}

}  // namespace
}  // namespace fluxmeet::whiteboard
