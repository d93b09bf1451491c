#include "fluxmeet/whiteboard/image_file.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

namespace fluxmeet::whiteboard {

namespace {

constexpr std::array<std::pair<ImageFormat, std::string_view>, 4> kMimeTypes{{
    {ImageFormat::Png, "image/png"},
    {ImageFormat::Jpeg, "image/jpeg"},
    {ImageFormat::Webp, "image/webp"},
    {ImageFormat::Gif, "image/gif"},
}};

// Longer than any real image MIME type with its parameters; bounds the header scan.
constexpr std::size_t kMaxDataUrlHeader = 256;

bool startsWith(std::span<const std::uint8_t> bytes, std::size_t offset, std::string_view prefix) {
  return bytes.size() >= offset + prefix.size() && std::memcmp(bytes.data() + offset, prefix.data(), prefix.size()) == 0;
}

int base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// RFC 2045 token characters (type, subtype, parameter names): printable ASCII except tspecials.
bool isToken(std::string_view text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return c > 0x20 && c < 0x7f && std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
  });
}

std::string lowerAscii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

}  // namespace

std::optional<ImageFormat> imageFormatForMimeType(std::string_view mimeType) {
  for (const auto& [format, name] : kMimeTypes) {
    if (name == mimeType) return format;
  }
  return std::nullopt;
}

std::string_view mimeTypeOf(ImageFormat format) {
  for (const auto& [value, name] : kMimeTypes) {
    if (value == format) return name;
  }
  return "image/png";
}

std::optional<ImageFormat> sniffImageFormat(std::span<const std::uint8_t> bytes) {
  if (startsWith(bytes, 0, "\x89PNG\r\n\x1a\n")) return ImageFormat::Png;
  if (bytes.size() >= 4 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return ImageFormat::Jpeg;
  if (startsWith(bytes, 0, "RIFF") && startsWith(bytes, 8, "WEBP")) return ImageFormat::Webp;
  if (startsWith(bytes, 0, "GIF87a") || startsWith(bytes, 0, "GIF89a")) return ImageFormat::Gif;
  return std::nullopt;
}

Result<ImageFormat> checkImage(std::string_view mimeType, std::span<const std::uint8_t> bytes, std::size_t maxBytes) {
  const auto format = imageFormatForMimeType(mimeType);
  if (!format) {
    return makeError(ErrorCode::UnsupportedMediaType, "images must be PNG, JPEG, WebP or GIF", "mimeType");
  }
  if (bytes.size() > maxBytes) {
    return makeError(ErrorCode::PayloadTooLarge, "image is larger than " + std::to_string(maxBytes) + " bytes", "file");
  }
  if (bytes.empty()) return makeError(ErrorCode::ValidationFailed, "image is empty", "file");
  if (sniffImageFormat(bytes) != format) {
    return makeError(ErrorCode::ValidationFailed, "file content is not a " + std::string(mimeType) + " image",
                     "mimeType");
  }
  return *format;
}

std::optional<std::vector<std::uint8_t>> base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text.size() >= 2 && text[text.size() - 2] == '=' ? 2 : 1;
  std::vector<std::uint8_t> bytes;
  bytes.reserve(text.size() / 4 * 3);
  std::uint32_t bits = 0;
  const std::size_t dataChars = text.size() - padding;
  for (std::size_t i = 0; i < dataChars; ++i) {
    const int value = base64Value(text[i]);
    if (value < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    if (i % 4 == 3) {
      bytes.push_back(static_cast<std::uint8_t>(bits >> 16));
      bytes.push_back(static_cast<std::uint8_t>(bits >> 8));
      bytes.push_back(static_cast<std::uint8_t>(bits));
      bits = 0;
    }
  }
  // The last quantum: 2 characters carry 1 byte (4 unused bits), 3 carry 2 (2 unused bits).
  if (padding == 2) {
    if ((bits & 0x0F) != 0) return std::nullopt;
    bytes.push_back(static_cast<std::uint8_t>(bits >> 4));
  } else if (padding == 1) {
    if ((bits & 0x03) != 0) return std::nullopt;
    bytes.push_back(static_cast<std::uint8_t>(bits >> 10));
    bytes.push_back(static_cast<std::uint8_t>(bits >> 2));
  }
  return bytes;
}

Result<DataUrl> parseDataUrl(std::string_view text, std::size_t maxBytes) {
  constexpr std::string_view kScheme = "data:";
  const auto bad = [](std::string message) { return makeError(ErrorCode::ValidationFailed, std::move(message), "dataURL"); };
  if (text.size() < kScheme.size() || lowerAscii(text.substr(0, kScheme.size())) != kScheme) {
    return bad("must be a data: URL");
  }
  const std::size_t comma = text.find(',');
  if (comma == std::string_view::npos || comma > kMaxDataUrlHeader) return bad("data URL has no valid header");
  const std::string_view header = text.substr(kScheme.size(), comma - kScheme.size());
  const std::string_view payload = text.substr(comma + 1);

  // <type>/<subtype> then ;parameters, the last of which must be ;base64.
  std::size_t semicolon = header.find(';');
  const std::string_view mediaType = header.substr(0, semicolon);
  const std::size_t slash = mediaType.find('/');
  if (slash == std::string_view::npos || !isToken(mediaType.substr(0, slash)) || !isToken(mediaType.substr(slash + 1))) {
    return bad("data URL has no valid media type");
  }
  bool base64 = false;
  while (semicolon != std::string_view::npos) {
    const std::size_t next = header.find(';', semicolon + 1);
    const std::string_view parameter = header.substr(semicolon + 1, next == std::string_view::npos ? next : next - semicolon - 1);
    if (base64) return bad("base64 must be the last data URL parameter");
    if (lowerAscii(parameter) == "base64") {
      base64 = true;
    } else {
      const std::size_t equals = parameter.find('=');
      if (equals == std::string_view::npos || !isToken(parameter.substr(0, equals)) || !isToken(parameter.substr(equals + 1))) {
        return bad("data URL has a malformed parameter");
      }
    }
    semicolon = next;
  }
  if (!base64) return bad("data URL must be base64-encoded");
  // Checked on the encoded length: never decode more than the limit allows.
  if (payload.size() / 4 * 3 > maxBytes + 2) {
    return makeError(ErrorCode::PayloadTooLarge, "image is larger than " + std::to_string(maxBytes) + " bytes", "dataURL");
  }
  auto bytes = base64Decode(payload);
  if (!bytes) return bad("data URL payload is not valid base64");
  if (bytes->size() > maxBytes) {
    return makeError(ErrorCode::PayloadTooLarge, "image is larger than " + std::to_string(maxBytes) + " bytes", "dataURL");
  }
  return DataUrl{lowerAscii(mediaType), std::move(*bytes)};
}

}  // namespace fluxmeet::whiteboard
