#include "dtls_srtp_export.hpp"

#include <openssl/srtp.h>
#include <openssl/ssl.h>

#include <array>

#include "dtls_context.hpp"

namespace fluxmeet::media::dtls {
namespace {

// RFC 5764 section 4.2 (https://www.rfc-editor.org/rfc/rfc5764#section-4.2): the exporter label.
constexpr char kExporterLabel[] = "EXTRACTOR-dtls_srtp";

}  // namespace

Result<ExportedSrtpKeys> exportSrtpKeys(SSL* ssl, DtlsRole role) {
  const SRTP_PROTECTION_PROFILE* selected = SSL_get_selected_srtp_profile(ssl);
  if (selected == nullptr) {
    return makeError(ErrorCode::Unprocessable, "peer negotiated no use_srtp profile");
  }
  ExportedSrtpKeys result{};
  switch (selected->id) {
    case SRTP_AEAD_AES_128_GCM: result.profile = srtp::SrtpProfile::AeadAes128Gcm; break;
    case SRTP_AES128_CM_SHA1_80: result.profile = srtp::SrtpProfile::AesCm128HmacSha1_80; break;
    default:
      return makeError(ErrorCode::Unprocessable,
                       std::string("unexpected SRTP profile ") + selected->name);
  }

  const size_t keyLength = srtp::srtpMasterKeyLength(result.profile);
  const size_t saltLength = srtp::srtpMasterSaltLength(result.profile);
  std::array<uint8_t, 2 * (16 + 14)> material{};
  const size_t total = 2 * (keyLength + saltLength);
  if (SSL_export_keying_material(ssl, material.data(), total, kExporterLabel,
                                 sizeof(kExporterLabel) - 1, nullptr, 0, 0) != 1) {
    return makeError(ErrorCode::Internal, takeOpenSslErrors("SSL_export_keying_material"));
  }

  // RFC 5764 section 4.2, the exporter output in order:
  //   client_write_SRTP_master_key[keyLength]  server_write_SRTP_master_key[keyLength]
  //   client_write_SRTP_master_salt[saltLength] server_write_SRTP_master_salt[saltLength]
  const uint8_t* clientKey = material.data();
  const uint8_t* serverKey = clientKey + keyLength;
  const uint8_t* clientSalt = serverKey + keyLength;
  const uint8_t* serverSalt = clientSalt + saltLength;
  srtp::SrtpKeys client{{clientKey, clientKey + keyLength}, {clientSalt, clientSalt + saltLength}};
  srtp::SrtpKeys server{{serverKey, serverKey + keyLength}, {serverSalt, serverSalt + saltLength}};
  material.fill(0);

  if (role == DtlsRole::Client) {
    result.local = std::move(client);
    result.remote = std::move(server);
  } else {
    result.local = std::move(server);
    result.remote = std::move(client);
  }
  return result;
}

}  // namespace fluxmeet::media::dtls
