#include "fluxmeet/http/static_files.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace fluxmeet::http {
namespace fs = std::filesystem;
namespace {

// Accept-Encoding lists codings with optional weights; "gzip;q=0" means "not gzip" (RFC 9110
// section 12.5.3). Only exact coding names count, "*" is not honoured (we fall back to identity).
bool acceptsEncoding(const Request& request, std::string_view encoding) {
  std::string_view rest = request.header(bhttp::field::accept_encoding);
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    auto semicolon = item.find(';');
    std::string_view name = item.substr(0, semicolon);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name != encoding) continue;
    if (semicolon == std::string_view::npos) return true;
    std::string_view params = item.substr(semicolon + 1);
    auto q = params.find("q=");
    if (q == std::string_view::npos) return true;
    std::string_view weight = params.substr(q + 2);
    // q=0, q=0.0, q=0.000 refuse; anything with a non-zero digit accepts.
    return weight.find_first_of("123456789") < weight.find_first_of(" ,;");
  }
  return false;
}

// If-None-Match: "*" or a comma-separated list of (possibly weak) tags; weak comparison as
// RFC 9110 section 13.1.2 requires for this header.
bool etagMatches(std::string_view header, std::string_view etag) {
  if (header.empty()) return false;
  if (header == "*") return true;
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

std::optional<std::string> readFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return std::move(content).str();
}

// A request path is safe when every segment is a plain name: no "..", no hidden files, no NUL.
bool isSafeRelativePath(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  size_t start = 1;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view segment = path.substr(start, slash - start);
    if (segment.empty() || segment.front() == '.' || segment.find('\\') != std::string_view::npos) return false;
    start = slash + 1;
  }
  return true;
}

}  // namespace

std::string_view mimeTypeFor(const fs::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".webmanifest") return "application/manifest+json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".webp") return "image/webp";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".ttf") return "font/ttf";
  if (ext == ".wasm") return "application/wasm";
  if (ext == ".tflite" || ext == ".binarypb") return "application/octet-stream";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".map") return "application/json";
  if (ext == ".webm") return "video/webm";
  if (ext == ".mp3") return "audio/mpeg";
  return "application/octet-stream";
}

StaticFiles::StaticFiles(fs::path root) : root_(std::move(root)) {}

std::optional<Response> StaticFiles::serve(const Request& request) const {
  if (request.method() != bhttp::verb::get && request.method() != bhttp::verb::head) return std::nullopt;
  std::string path = request.path == "/" ? "/index.html" : request.path;
  if (isSafeRelativePath(path)) {
    fs::path file = root_ / path.substr(1);
    std::error_code ec;
    if (fs::is_regular_file(file, ec)) {
      bool immutable = path.rfind("/assets/", 0) == 0;  // Vite puts content-hashed files there
      return serveFile(request, file, immutable);
    }
  }
  // Client-side routes (/m/abc-defg-hij, /meetings) get the app; missing assets stay 404.
  bool looksLikeFile = fs::path(path).has_extension();
  if (!looksLikeFile) return serveFile(request, root_ / "index.html", false);
  return std::nullopt;
}

std::optional<Response> StaticFiles::serveFile(const Request& request, const fs::path& file, bool immutable) const {
  std::error_code ec;
  auto size = fs::file_size(file, ec);
  if (ec) return std::nullopt;
  auto modified = fs::last_write_time(file, ec).time_since_epoch().count();

  // The encoding is chosen first: each representation has its own ETag (RFC 9110 section 8.8.3),
  // so a cache never revalidates a gzip body for a client that did not ask for gzip.
  fs::path chosen = file;
  std::string_view encoding;
  for (auto [name, suffix] : {std::pair{"br", ".br"}, std::pair{"gzip", ".gz"}}) {
    fs::path variant = file;
    variant += suffix;
    if (acceptsEncoding(request, name) && fs::is_regular_file(variant, ec)) {
      encoding = name;
      chosen = variant;
      break;
    }
  }
  std::string etag = fmt::format("\"{:x}-{:x}{}{}\"", size, modified, encoding.empty() ? "" : "-", encoding);

  Response response{bhttp::status::ok, 11};
  response.set(bhttp::field::content_type, mimeTypeFor(file));
  response.set(bhttp::field::etag, etag);
  response.set(bhttp::field::vary, "Accept-Encoding");
  response.set(bhttp::field::cache_control, immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (!encoding.empty()) response.set(bhttp::field::content_encoding, encoding);
  if (etagMatches(request.header(bhttp::field::if_none_match), etag)) {
    response.result(bhttp::status::not_modified);
    return response;
  }
  auto content = readFile(chosen);
  if (!content) return std::nullopt;
  response.body() = std::move(*content);
  return response;
}

}  // namespace fluxmeet::http
