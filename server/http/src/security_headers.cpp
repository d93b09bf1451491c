#include "security_headers.hpp"

namespace fluxmeet::http {

void applySecurityHeaders(Response& response, bool secure) {
  // 'wasm-unsafe-eval' lets the segmentation model's WebAssembly compile; no 'unsafe-inline' scripts.
  response.set("Content-Security-Policy",
               "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self' data:; connect-src 'self' ws: "
               "wss:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
               "frame-ancestors 'none'");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
  response.set("Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self), geolocation=()");
  response.set("Cross-Origin-Opener-Policy", "same-origin");
  if (secure) response.set(bhttp::field::strict_transport_security, "max-age=31536000");
}

}  // namespace fluxmeet::http
