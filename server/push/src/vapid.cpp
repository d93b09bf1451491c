#include "fluxmeet/push/vapid.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <vector>

#include "fluxmeet/common/encoding.hpp"
#include "p256.hpp"

namespace fluxmeet::push {
namespace {

std::string lowerAscii(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct CurlStringDeleter {
  void operator()(char* text) const { curl_free(text); }
};
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

// One part of a parsed URL, or nullopt when the URL has none.
std::optional<std::string> urlPart(CURLU* url, CURLUPart part) {
  char* raw = nullptr;
  if (curl_url_get(url, part, &raw, 0) != CURLUE_OK || raw == nullptr) return std::nullopt;
  CurlString text(raw);
  return std::string(text.get());
}

// Browsers hand out unpadded base64url; some libraries pad it. Accept both, decode strictly.
std::optional<std::vector<uint8_t>> decodeKey(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  return base64UrlDecode(text);
}

}  // namespace

VapidKeys::VapidKeys(std::shared_ptr<EVP_PKEY> key, std::array<uint8_t, 65> publicKey)
    : key_(std::move(key)), publicKey_(publicKey) {}

Result<VapidKeys> VapidKeys::generate() {
  detail::PkeyPtr key = detail::generateP256();
  if (!key) return makeError(ErrorCode::Internal, "cannot generate a P-256 key pair");
  std::optional<detail::P256Point> point = detail::exportPublic(key.get());
  if (!point) return makeError(ErrorCode::Internal, "cannot export the VAPID public key");
  return VapidKeys(std::shared_ptr<EVP_PKEY>(std::move(key)), *point);
}

Result<VapidKeys> VapidKeys::fromBase64Url(std::string_view privateKey, std::string_view publicKey) {
  std::optional<std::vector<uint8_t>> scalar = decodeKey(privateKey);
  if (!scalar || scalar->size() != detail::kP256ScalarSize) {
    return makeError(ErrorCode::ValidationFailed, "the VAPID private key must be 32 bytes, base64url",
                     "vapidPrivateKey");
  }
  detail::PkeyPtr key = detail::p256FromPrivate(*scalar);
  std::fill(scalar->begin(), scalar->end(), uint8_t{0});
  if (!key) {
    return makeError(ErrorCode::ValidationFailed, "the VAPID private key is not a P-256 key", "vapidPrivateKey");
  }
  std::optional<detail::P256Point> point = detail::exportPublic(key.get());
  if (!point) return makeError(ErrorCode::Internal, "cannot export the VAPID public key");
  if (!publicKey.empty()) {
    std::optional<std::vector<uint8_t>> given = decodeKey(publicKey);
    if (!given || !std::equal(given->begin(), given->end(), point->begin(), point->end())) {
      return makeError(ErrorCode::ValidationFailed, "the VAPID public key does not belong to the private key",
                       "vapidPublicKey");
    }
  }
  return VapidKeys(std::shared_ptr<EVP_PKEY>(std::move(key)), *point);
}

std::string VapidKeys::privateKeyBase64Url() const {
  std::optional<detail::P256Scalar> scalar = detail::exportPrivate(key_.get());
  if (!scalar) return {};  // only for a key OpenSSL cannot export, which generate/fromBase64Url never make
  std::string text = base64UrlEncode(*scalar);
  std::fill(scalar->begin(), scalar->end(), uint8_t{0});
  return text;
}

std::string VapidKeys::publicKeyBase64Url() const { return base64UrlEncode(publicKey_); }

Result<std::string> endpointOrigin(std::string_view endpoint) {
  std::unique_ptr<CURLU, CurlUrlDeleter> url(curl_url());
  if (!url) return makeError(ErrorCode::Internal, "out of memory");
  std::string text(endpoint);
  if (curl_url_set(url.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return makeError(ErrorCode::ValidationFailed, "the push endpoint is not a URL", "endpoint");
  }
  std::optional<std::string> scheme = urlPart(url.get(), CURLUPART_SCHEME);
  std::optional<std::string> host = urlPart(url.get(), CURLUPART_HOST);
  if (!scheme || !host || host->empty()) {
    return makeError(ErrorCode::ValidationFailed, "the push endpoint has no host", "endpoint");
  }
  *scheme = lowerAscii(*scheme);
  if (*scheme != "https" && *scheme != "http") {
    return makeError(ErrorCode::ValidationFailed, "the push endpoint must be an https URL", "endpoint");
  }
  if (urlPart(url.get(), CURLUPART_USER)) {
    return makeError(ErrorCode::ValidationFailed, "the push endpoint must not carry credentials", "endpoint");
  }
  std::string origin = *scheme + "://" + lowerAscii(*host);
  // RFC 6454 section 6.1: the port is omitted when it is the scheme's default.
  if (std::optional<std::string> port = urlPart(url.get(), CURLUPART_PORT)) {
    bool isDefault = (*scheme == "https" && *port == "443") || (*scheme == "http" && *port == "80");
    if (!isDefault) origin += ":" + *port;
  }
  return origin;
}

bool isValidVapidSubject(std::string_view subject) {
  if (subject.size() > 256) return false;
  bool knownScheme = subject.starts_with("mailto:") || subject.starts_with("https://");
  if (!knownScheme || subject.size() == subject.find(':') + 1 || subject == "https://") return false;
  return std::all_of(subject.begin(), subject.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

Result<std::string> vapidAuthorization(const VapidKeys& keys, std::string_view endpoint, std::string_view subject,
                                       UnixTime expiresAt, UnixTime now) {
  if (!isValidVapidSubject(subject)) {
    return makeError(ErrorCode::ValidationFailed, "the VAPID subject must be a mailto: or https: URI", "subject");
  }
  if (expiresAt <= now || expiresAt - now > kMaxVapidValidity.count()) {
    return makeError(ErrorCode::ValidationFailed, "the VAPID token must expire within 24 hours", "expiresAt");
  }
  Result<std::string> audience = endpointOrigin(endpoint);
  if (!audience) return std::move(audience).takeError();

  // RFC 8292 section 2: a JWS (RFC 7515) signed with ES256; "typ" is "JWT".
  const std::string header = base64UrlEncode(std::string_view(R"({"typ":"JWT","alg":"ES256"})"));
  nlohmann::json claims = {{"aud", *audience}, {"exp", expiresAt}, {"sub", std::string(subject)}};
  std::string signingInput = header + "." + base64UrlEncode(claims.dump());
  std::optional<std::array<uint8_t, 64>> signature = detail::signEs256(keys.pkey(), signingInput);
  if (!signature) return makeError(ErrorCode::Internal, "cannot sign the VAPID token");
  return "vapid t=" + signingInput + "." + base64UrlEncode(*signature) + ", k=" + keys.publicKeyBase64Url();
}

}  // namespace fluxmeet::push
