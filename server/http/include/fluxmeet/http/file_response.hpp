#pragma once
// Responses whose body is a file the server streams from disk in chunks, never holding it in
// memory (recordings of an hour are hundreds of MB), with single byte ranges (RFC 9110 section
// 14) so that a <video> element can seek. A handler returns fileResponse(...); HttpServer sees
// the file through takeFileBody() and writes it after the header.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fluxmeet/http/request.hpp"
#include "fluxmeet/http/response.hpp"

namespace fluxmeet::http {

struct ByteRange {
  uint64_t offset = 0;
  uint64_t length = 0;
};

// The one range a "Range: bytes=..." header asks of a `size`-byte file. nullopt: no range to
// honour (absent, malformed, several ranges, another unit) - the whole file is served, which
// RFC 9110 14.2 allows. An unsatisfiable range is `unsatisfiable`.
struct RangeRequest {
  std::optional<ByteRange> range;
  bool unsatisfiable = false;
};
RangeRequest parseRange(std::string_view header, uint64_t size);

// 200 with the whole file, 206 with the asked range, 416 when it lies past the end, 404 when the
// file is gone. `downloadName` non-empty: Content-Disposition: attachment.
Response fileResponse(const Request& request, const std::string& path, std::string_view contentType,
                      std::string_view downloadName = {});

struct FileBody {
  std::string path;
  ByteRange range;
};
// For HttpServer: the file a response carries (and removes the marker from it).
std::optional<FileBody> takeFileBody(Response& response);

}  // namespace fluxmeet::http
