#include "fluxmeet/http/static_files.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace fluxmeet::http {
namespace fs = std::filesystem;
namespace {

bool acceptsEncoding(const Request& request, std::string_view encoding) {
  std::string_view accepted = request.header(bhttp::field::accept_encoding);
  return accepted.find(encoding) != std::string_view::npos;
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
  std::string etag = fmt::format("\"{:x}-{:x}\"", size, modified);

  Response response{bhttp::status::ok, 11};
  response.set(bhttp::field::content_type, mimeTypeFor(file));
  response.set(bhttp::field::etag, etag);
  response.set(bhttp::field::vary, "Accept-Encoding");
  response.set(bhttp::field::cache_control, immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (request.header(bhttp::field::if_none_match) == etag) {
    response.result(bhttp::status::not_modified);
    return response;
  }

  fs::path chosen = file;
  for (auto [encoding, suffix] : {std::pair{"br", ".br"}, std::pair{"gzip", ".gz"}}) {
    fs::path variant = file;
    variant += suffix;
    if (acceptsEncoding(request, encoding) && fs::is_regular_file(variant, ec)) {
      response.set(bhttp::field::content_encoding, encoding);
      chosen = variant;
      break;
    }
  }
  auto content = readFile(chosen);
  if (!content) return std::nullopt;
  response.body() = std::move(*content);
  return response;
}

}  // namespace fluxmeet::http
