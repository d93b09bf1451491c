#pragma once
// Goodbye packets (RFC 3550 section 6.6).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "fluxmeet/media/rtcp/common_header.hpp"

namespace fluxmeet::media::rtcp {

class ByeView {
 public:
  static std::optional<ByeView> parse(const RtcpPacket& packet);

  size_t ssrcCount() const { return ssrcCount_; }
  uint32_t ssrc(size_t index) const;  // index < ssrcCount()
  std::string_view reason() const { return reason_; }

 private:
  ByeView(std::span<const uint8_t> body, size_t count, std::string_view reason)
      : body_(body), ssrcCount_(count), reason_(reason) {}
  std::span<const uint8_t> body_;
  size_t ssrcCount_;
  std::string_view reason_;
};

std::optional<size_t> writeBye(std::span<uint8_t> out, std::span<const uint32_t> ssrcs,
                               std::string_view reason = {});

}  // namespace fluxmeet::media::rtcp
