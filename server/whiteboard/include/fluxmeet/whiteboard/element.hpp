#pragma once
// Element: one Excalidraw scene element as the server keeps it. The client's JSON object is
// stored as sent (the server never rewrites a drawing); only the fields reconciliation needs are
// parsed out, and the rest is validated for shape and size so no peer can push something the
// others' browsers choke on or that blows the board's memory.
//
// Accepted element types (Excalidraw's ExcalidrawElement["type"]):
//   rectangle diamond ellipse text line arrow freedraw image frame
// Refused on purpose: "selection" (local to one browser, never part of a scene), "embeddable"
// and "iframe" (would load an arbitrary third-party page in every participant's browser) and
// "magicframe" (Excalidraw's AI feature, which needs a backend we do not run).
//
// The reconciliation rule (supersedes) is the one thing every peer must apply identically; the
// web client mirrors it. See supersedes() below.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::whiteboard {

enum class ElementType { Rectangle, Diamond, Ellipse, Text, Line, Arrow, Freedraw, Image, Frame };

std::string_view elementTypeName(ElementType type);
std::optional<ElementType> parseElementType(std::string_view name);

// Per-element validation limits (BoardLimits::element). The defaults fit what Excalidraw draws:
// a 30-second freehand stroke is ~2,000 points (~80 KiB of JSON), a page of text is ~4 KiB.
struct ElementLimits {
  std::size_t maxBytes = 128 * 1024;      // the element's serialized JSON
  std::size_t maxPoints = 4096;           // points/pressures of line, arrow, freedraw
  std::size_t maxTextBytes = 32 * 1024;   // text and originalText (UTF-8 bytes)
  std::size_t maxStringBytes = 2048;      // any other string (colors, links, ids, customData)
  std::size_t maxArrayItems = 4096;       // any other array (groupIds, boundElements, ...)
  std::size_t maxObjectKeys = 64;         // any object, the element included
  int maxDepth = 8;                       // nesting below the element object
  double maxCoordinate = 1e7;             // |x|, |y|, |width|, |height|, point coordinates
};

// Ids (element ids, file ids, group ids are not checked): Excalidraw makes them with nanoid
// (21 characters of A-Z a-z 0-9 _ -) or as a 40-hex SHA-1 (file ids).
constexpr std::size_t kMaxIdLength = 64;
bool isValidId(std::string_view id);

// Excalidraw's version is a counter; versionNonce a random 31-bit integer. Both travel as JS
// numbers, so anything beyond 2^53 could not round-trip through a browser.
constexpr std::int64_t kMaxSafeInteger = (std::int64_t{1} << 53) - 1;

struct Element {
  std::string id;
  ElementType type = ElementType::Rectangle;
  std::int64_t version = 0;       // >= 1
  std::int64_t versionNonce = 0;  // any safe integer
  bool deleted = false;           // isDeleted: a tombstone is still an element
  // The client's object, unchanged, as compact JSON text (keys sorted): what the relay sends,
  // snapshots and saves concatenate, and the board keeps. Text rather than a parsed tree: an
  // element is serialised once, replacing it frees one string, and a full board (8 MiB of
  // JSON) takes ~10 MiB of memory instead of ~68 as nlohmann::json (measured, 5,000 strokes).
  std::string text;
  // Memory and limit accounting: the serialized size.
  std::size_t bytes() const { return text.size(); }
};

// Validates one element object. `field` prefixes error field paths ("elements[3]" gives
// "elements[3].points[12]"). Failures are ValidationFailed, or PayloadTooLarge for sizes.
Result<Element> parseElement(const nlohmann::json& json, const ElementLimits& limits,
                             std::string_view field = "element");

// The reconciliation rule: does `candidate` replace `current` (same id)? A strict total order
// on element states, so the winner of any set of concurrent edits is the same whatever order
// they arrive in, on the server and on every peer:
//   1. the higher version wins (Excalidraw bumps it on every change);
//   2. at the same version, a deletion wins over an edit, so a concurrent edit never brings a
//      deleted element back ("deletions stick"); a later version may (that is undo);
//   3. then the lower versionNonce wins, as in Excalidraw's own reconcileElements;
//   4. then (only for a nonce collision or a forged copy) the smaller serialized JSON wins
//      (compared as text: json's operator== holds 1 == 1.0, so it is no total order).
// Identical states do not supersede each other, so a re-sent element is a no-op.
bool supersedes(const Element& candidate, const Element& current);

}  // namespace fluxmeet::whiteboard
