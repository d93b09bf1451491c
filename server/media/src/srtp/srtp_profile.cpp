#include "fluxmeet/media/srtp/srtp_profile.hpp"

namespace fluxmeet::media::srtp {

std::string_view srtpProfileName(SrtpProfile profile) {
  switch (profile) {
    case SrtpProfile::AeadAes128Gcm: return "SRTP_AEAD_AES_128_GCM";
    case SrtpProfile::AesCm128HmacSha1_80: return "SRTP_AES128_CM_SHA1_80";
  }
  return "unknown";
}

size_t srtpMasterKeyLength(SrtpProfile profile) {
  switch (profile) {
    case SrtpProfile::AeadAes128Gcm: return 16;
    case SrtpProfile::AesCm128HmacSha1_80: return 16;
  }
  return 0;
}

size_t srtpMasterSaltLength(SrtpProfile profile) {
  switch (profile) {
    case SrtpProfile::AeadAes128Gcm: return 12;
    case SrtpProfile::AesCm128HmacSha1_80: return 14;
  }
  return 0;
}

}  // namespace fluxmeet::media::srtp
