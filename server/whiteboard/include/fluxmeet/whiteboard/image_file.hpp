#pragma once
// Images pasted or uploaded onto the board. Excalidraw keeps them apart from the elements (an
// image element names a fileId) and hands them over as data URLs ("data:image/png;base64,...").
// Only raster formats a browser decodes safely are accepted, and the bytes must really be what
// the MIME type claims: no SVG (it can carry script), no HTML sniffed as an image.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::whiteboard {

enum class ImageFormat { Png, Jpeg, Webp, Gif };

// "image/png", "image/jpeg", "image/webp", "image/gif" (exact, lower case) or nullopt.
std::optional<ImageFormat> imageFormatForMimeType(std::string_view mimeType);
std::string_view mimeTypeOf(ImageFormat format);
// From the file signature: the 8-byte PNG signature (PNG spec section 5.2), a JPEG SOI marker
// followed by another marker (ITU-T T.81 annex B), WebP's "RIFF....WEBP" header (RFC 9649) and
// "GIF87a"/"GIF89a".
std::optional<ImageFormat> sniffImageFormat(std::span<const std::uint8_t> bytes);

// UnsupportedMediaType for other MIME types; PayloadTooLarge above maxBytes; ValidationFailed
// (field "mimeType") if the signature does not match. Empty files are ValidationFailed.
Result<ImageFormat> checkImage(std::string_view mimeType, std::span<const std::uint8_t> bytes,
                               std::size_t maxBytes);

struct DataUrl {
  std::string mimeType;
  std::vector<std::uint8_t> bytes;
};

// RFC 2397 data URL in the form browsers' FileReader.readAsDataURL produces:
//   data:<type>/<subtype>[;<parameter>=<value>]*;base64,<RFC 4648 section 4 base64>
// Base64 only (images are binary), padding required, no whitespace. Checks the size before
// decoding (PayloadTooLarge above maxBytes of decoded data); the MIME type is returned lower
// case but not checked against any list (checkImage does that).
Result<DataUrl> parseDataUrl(std::string_view text, std::size_t maxBytes);

// Strict standard base64 (RFC 4648 section 4): length a multiple of 4, '=' padding only at the
// end, unused bits zero (one canonical encoding per byte string).
std::optional<std::vector<std::uint8_t>> base64Decode(std::string_view text);

}  // namespace fluxmeet::whiteboard
