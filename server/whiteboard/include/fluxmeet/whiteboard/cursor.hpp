#pragma once
// A peer's pointer on the board, as relayed to the others (Excalidraw's collaborator pointer:
// position, tool, button, selection). The server builds a fresh object from the checked fields
// instead of relaying the client's, so nothing else rides along at 20 messages per second. The
// sender's name is the Room's to add, from the peer's display name.
#include <cstddef>
#include <nlohmann/json.hpp>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::whiteboard {

// Selection highlights shown to others; a larger selection is shown by its first ids only.
constexpr std::size_t kMaxCursorSelection = 256;

// Input: {"x": number, "y": number, "tool"?: "pointer"|"laser", "button"?: "up"|"down",
//         "selectedElementIds"?: {"<id>": true, ...}}
// Output: the same fields, defaults filled ("pointer", "up", {}). ValidationFailed, with the
// field ("cursor.x"), for anything else.
Result<nlohmann::json> parseCursor(const nlohmann::json& cursor);

}  // namespace fluxmeet::whiteboard
