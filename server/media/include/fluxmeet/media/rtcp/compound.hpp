#pragma once
// Compound RTCP packets (RFC 3550 section 6.1 and appendix A.2, RFC 5761, RFC 5506): one
// datagram holding several RTCP packets back to back.
#include <cstddef>
#include <iterator>
#include <optional>
#include <span>

#include "fluxmeet/media/rtcp/common_header.hpp"

namespace fluxmeet::media::rtcp {

class RtcpCompound {
 public:
  // Validates every packet's header and length, that the lengths add up to the datagram
  // exactly, and that only the last packet is padded (RFC 3550 section 6.4.1). The appendix A.2
  // rule that the first packet be SR/RR is not enforced: reduced-size RTCP (RFC 5506), which
  // browsers negotiate, sends lone feedback packets.
  static std::optional<RtcpCompound> parse(std::span<const uint8_t> data);

  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = RtcpPacket;
    using difference_type = std::ptrdiff_t;
    using pointer = const RtcpPacket*;
    using reference = const RtcpPacket&;

    Iterator() = default;
    explicit Iterator(std::span<const uint8_t> rest);
    const RtcpPacket& operator*() const { return current_; }
    const RtcpPacket* operator->() const { return &current_; }
    Iterator& operator++();
    Iterator operator++(int) { Iterator copy = *this; ++*this; return copy; }
    friend bool operator==(const Iterator& a, const Iterator& b) {
      return a.rest_.data() == b.rest_.data() && a.rest_.size() == b.rest_.size();
    }

   private:
    std::span<const uint8_t> rest_;
    RtcpPacket current_;
  };

  Iterator begin() const { return Iterator(data_); }
  Iterator end() const { return Iterator(data_.subspan(data_.size())); }
  size_t packetCount() const { return packetCount_; }
  std::span<const uint8_t> bytes() const { return data_; }

 private:
  explicit RtcpCompound(std::span<const uint8_t> data) : data_(data) {}

  std::span<const uint8_t> data_;
  size_t packetCount_ = 0;
};

}  // namespace fluxmeet::media::rtcp
