#pragma once
// Private to dtls/: the DTLS-SRTP key export of RFC 5764 section 4.2.
#include <openssl/types.h>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/dtls/dtls_transport.hpp"
#include "fluxmeet/media/srtp/srtp_profile.hpp"

namespace fluxmeet::media::dtls {

struct ExportedSrtpKeys {
  srtp::SrtpProfile profile;
  srtp::SrtpKeys local;   // what `role` encrypts with
  srtp::SrtpKeys remote;  // what the peer encrypts with
};

// After a completed handshake on `ssl`: the negotiated use_srtp profile and both directions'
// master keys and salts, assigned to local/remote by our `role`.
Result<ExportedSrtpKeys> exportSrtpKeys(SSL* ssl, DtlsRole role);

}  // namespace fluxmeet::media::dtls
