#include "fluxmeet/media/net/tcp_frame_reassembler.hpp"

#include <cstring>

#include "fluxmeet/media/net/byte_io.hpp"

namespace fluxmeet::media::net {

void TcpFrameReassembler::compact(size_t offset) {
  if (offset == 0) return;
  const size_t rest = used_ - offset;
  if (rest > 0) std::memmove(buffer_.data(), buffer_.data() + offset, rest);
  used_ = rest;
}

bool writeTcpFrameHeader(std::span<uint8_t, TcpFrameReassembler::kLengthPrefix> out, size_t length) {
  if (length == 0 || length > 0xffff) return false;
  storeU16(out.data(), static_cast<uint16_t>(length));
  return true;
}

}  // namespace fluxmeet::media::net
