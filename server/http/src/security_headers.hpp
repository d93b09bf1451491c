#pragma once
#include "fluxmeet/http/response.hpp"

namespace fluxmeet::http {

// Headers every response carries: a CSP without inline scripts, no sniffing, no framing,
// no referrer leaks, and HSTS when served over TLS.
void applySecurityHeaders(Response& response, bool secure);

}  // namespace fluxmeet::http
