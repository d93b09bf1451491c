#include "fluxmeet/http/file_response.hpp"

#include <charconv>
#include <filesystem>
#include <system_error>

namespace fluxmeet::http {

namespace {

// Set by fileResponse, read and removed by takeFileBody before the response leaves: it never
// reaches a client. "<offset> <length> <path>".
constexpr std::string_view kFileMarker = "X-Fluxmeet-File";

std::optional<uint64_t> parseNumber(std::string_view text) {
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Quotes in a file name would end the header's quoted string.
std::string safeFileName(std::string_view name) {
  std::string safe;
  for (char c : name) safe += (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) ? '_' : c;
  return safe;
}

}  // namespace

RangeRequest parseRange(std::string_view header, uint64_t size) {
  header = trimmed(header);
  constexpr std::string_view kUnit = "bytes=";
  if (!header.starts_with(kUnit)) return {};
  std::string_view spec = trimmed(header.substr(kUnit.size()));
  if (spec.find(',') != std::string_view::npos) return {};  // several ranges: the whole file
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return {};
  const std::string_view first = trimmed(spec.substr(0, dash));
  const std::string_view last = trimmed(spec.substr(dash + 1));
  if (first.empty()) {
    // "-N": the last N bytes.
    const auto suffix = parseNumber(last);
    if (!suffix) return {};
    if (*suffix == 0 || size == 0) return {.unsatisfiable = true};
    const uint64_t length = std::min(*suffix, size);
    return {.range = ByteRange{size - length, length}};
  }
  const auto start = parseNumber(first);
  if (!start) return {};
  std::optional<uint64_t> end;
  if (!last.empty()) {
    end = parseNumber(last);
    if (!end || *end < *start) return {};
  }
  if (*start >= size) return {.unsatisfiable = true};
  const uint64_t stop = std::min(end.value_or(size - 1), size - 1);
  return {.range = ByteRange{*start, stop - *start + 1}};
}

Response fileResponse(const Request& request, const std::string& path, std::string_view contentType,
                      std::string_view downloadName) {
  std::error_code error;
  const uint64_t size = std::filesystem::file_size(path, error);
  if (error) return errorResponse(ErrorCode::NotFound, "the file is gone");
  const RangeRequest asked = parseRange(request.header(bhttp::field::range), size);
  Response response{bhttp::status::ok, 11};
  response.set(bhttp::field::accept_ranges, "bytes");
  response.set(bhttp::field::content_type, contentType);
  response.set(bhttp::field::cache_control, "private, no-store");
  if (!downloadName.empty()) {
    response.set(bhttp::field::content_disposition, "attachment; filename=\"" + safeFileName(downloadName) + "\"");
  }
  if (asked.unsatisfiable) {
    response.result(bhttp::status::range_not_satisfiable);
    response.set(bhttp::field::content_range, "bytes */" + std::to_string(size));
    return response;
  }
  ByteRange range{0, size};
  if (asked.range) {
    range = *asked.range;
    response.result(bhttp::status::partial_content);
    response.set(bhttp::field::content_range, "bytes " + std::to_string(range.offset) + "-" +
                                                  std::to_string(range.offset + range.length - 1) + "/" +
                                                  std::to_string(size));
  }
  response.set(kFileMarker, std::to_string(range.offset) + " " + std::to_string(range.length) + " " + path);
  return response;
}

std::optional<FileBody> takeFileBody(Response& response) {
  const auto found = response.find(kFileMarker);
  if (found == response.end()) return std::nullopt;
  const std::string value(found->value());
  response.erase(kFileMarker);
  const auto firstSpace = value.find(' ');
  const auto secondSpace = value.find(' ', firstSpace + 1);
  if (firstSpace == std::string::npos || secondSpace == std::string::npos) return std::nullopt;
  const auto offset = parseNumber(std::string_view(value).substr(0, firstSpace));
  const auto length = parseNumber(std::string_view(value).substr(firstSpace + 1, secondSpace - firstSpace - 1));
  if (!offset || !length) return std::nullopt;
  return FileBody{value.substr(secondSpace + 1), {*offset, *length}};
}

}  // namespace fluxmeet::http
