// Feeds an ICE-TCP byte stream (RFC 4571 framing) to TcpFrameReassembler in pieces of varying
// size, as read(2) would return them, and checks that what comes out is exactly the stream's
// frames in order: every frame 1..kMaxFrame bytes, prefix + frame re-concatenated equal to the
// stream read so far, a bad length reported where it sits, and the partial rest bounded. The
// delivered frames are framed again by TcpSendQueue and must reproduce the same bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "fluxmeet/media/net/tcp_frame_reassembler.hpp"
#include "fluxmeet/media/net/tcp_send_queue.hpp"
#include "media/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using fluxmeet::media::net::TcpFrameReassembler;
  using fluxmeet::media::net::TcpSendQueue;
  if (size < 1) return 0;
  // The first byte picks the read sizes, the rest is the stream.
  const uint8_t pieceSeed = data[0];
  const std::span<const uint8_t> stream(data + 1, size - 1);

  static TcpFrameReassembler reassembler;  // 16 KiB: reused, reset by assignment
  reassembler = TcpFrameReassembler();
  TcpSendQueue reframed(stream.size() + 16);
  size_t offset = 0;  // stream bytes handed to the reassembler
  size_t framedEnd = 0;  // stream bytes accounted for by delivered frames
  size_t piece = 1 + (pieceSeed % 97);
  auto status = TcpFrameReassembler::Status::Ok;
  while (offset < stream.size() && status == TcpFrameReassembler::Status::Ok) {
    auto space = reassembler.writable();
    FUZZ_CHECK(!space.empty());
    const size_t count = std::min({piece, space.size(), stream.size() - offset});
    std::memcpy(space.data(), stream.data() + offset, count);
    offset += count;
    status = reassembler.consume(count, [&](std::span<uint8_t> frame) {
      FUZZ_CHECK(!frame.empty() && frame.size() <= TcpFrameReassembler::kMaxFrame);
      FUZZ_CHECK(framedEnd + 2 + frame.size() <= offset);
      const size_t announced = (static_cast<size_t>(stream[framedEnd]) << 8) | stream[framedEnd + 1];
      FUZZ_CHECK(announced == frame.size());
      FUZZ_CHECK(std::equal(frame.begin(), frame.end(), stream.begin() + static_cast<std::ptrdiff_t>(framedEnd + 2)));
      FUZZ_CHECK(reframed.push(frame));
      framedEnd += 2 + frame.size();
      return true;
    });
    if (status == TcpFrameReassembler::Status::Ok) {
      FUZZ_CHECK(reassembler.pending() == offset - framedEnd);
      FUZZ_CHECK(reassembler.pending() < TcpFrameReassembler::kLengthPrefix + TcpFrameReassembler::kMaxFrame);
    }
    piece = 1 + ((piece * 31 + pieceSeed) % 4099);
  }
  if (status == TcpFrameReassembler::Status::BadLength) {
    FUZZ_CHECK(framedEnd + 2 <= offset);
    const size_t announced = (static_cast<size_t>(stream[framedEnd]) << 8) | stream[framedEnd + 1];
    FUZZ_CHECK(announced == 0 || announced > TcpFrameReassembler::kMaxFrame);
  }
  const auto again = reframed.pending();
  FUZZ_CHECK(again.size() == framedEnd && std::equal(again.begin(), again.end(), stream.begin()));
  return 0;
}
