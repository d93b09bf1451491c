#pragma once
// Result<T>: the return type for failures a caller is expected to handle (bad input, not found,
// conflicts). Exceptions are reserved for start-up/config errors and are translated into error
// responses at exactly one boundary per protocol (HTTP in server/http, WebSocket in server/signal).
#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace fluxmeet {

// Enumerated error codes; the wire name is what clients see in {"error":{"code":...}}.
enum class ErrorCode {
  InvalidRequest,        // malformed JSON, wrong content, unknown fields
  ValidationFailed,      // a field breaks its rule; Error::field names it
  Unauthorized,          // missing or bad credentials/token
  Forbidden,             // authenticated but not allowed
  NotFound,
  Conflict,              // duplicate (e.g. email taken)
  PayloadTooLarge,
  UnsupportedMediaType,
  Unprocessable,         // well-formed but semantically impossible
  RateLimited,
  Unavailable,           // dependency down (database)
  Internal,
};

constexpr std::string_view errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidRequest: return "invalid_request";
    case ErrorCode::ValidationFailed: return "validation_failed";
    case ErrorCode::Unauthorized: return "unauthorized";
    case ErrorCode::Forbidden: return "forbidden";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::Conflict: return "conflict";
    case ErrorCode::PayloadTooLarge: return "payload_too_large";
    case ErrorCode::UnsupportedMediaType: return "unsupported_media_type";
    case ErrorCode::Unprocessable: return "unprocessable";
    case ErrorCode::RateLimited: return "rate_limited";
    case ErrorCode::Unavailable: return "unavailable";
    case ErrorCode::Internal: return "internal";
  }
  return "internal";
}

struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;
  std::string field;  // for ValidationFailed: the offending field ("email", "settings.waitingRoom")
};

inline Error makeError(ErrorCode code, std::string message, std::string field = {}) {
  return Error{code, std::move(message), std::move(field)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(implicit)
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(implicit)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(state_); }
  const T& value() const& { assert(ok()); return std::get<0>(state_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(state_); }
  Error takeError() && { assert(!ok()); return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(implicit)

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }
  Error takeError() && { assert(!ok_); return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace fluxmeet
