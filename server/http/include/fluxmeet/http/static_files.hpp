#pragma once
// Serves the built web client: files under a root with correct MIME types, precompressed
// .br/.gz variants when the client accepts them, long-lived caching for hashed assets,
// ETag revalidation, and the single-page-app fallback to index.html for client routes.
#include <filesystem>
#include <optional>

#include "fluxmeet/http/request.hpp"
#include "fluxmeet/http/response.hpp"

namespace fluxmeet::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root);
  // Response for a GET/HEAD of request.path; nullopt means "not ours" (caller answers 404).
  std::optional<Response> serve(const Request& request) const;

 private:
  std::optional<Response> serveFile(const Request& request, const std::filesystem::path& file,
                                    bool immutable) const;

  std::filesystem::path root_;
};

std::string_view mimeTypeFor(const std::filesystem::path& file);

}  // namespace fluxmeet::http
