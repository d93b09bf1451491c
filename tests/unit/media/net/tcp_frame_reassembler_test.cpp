#include "fluxmeet/media/net/tcp_frame_reassembler.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace fluxmeet::media::net {
namespace {

using Frames = std::vector<std::vector<uint8_t>>;

// `payload` with its RFC 4571 length prefix.
std::vector<uint8_t> framed(const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> out{static_cast<uint8_t>(payload.size() >> 8), static_cast<uint8_t>(payload.size())};
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

std::vector<uint8_t> bytes(size_t size, uint8_t seed) {
  std::vector<uint8_t> out(size);
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(seed + i);
  return out;
}

// Feeds `stream` in pieces of `piece` bytes, as read(2) might return them.
TcpFrameReassembler::Status feed(TcpFrameReassembler& reassembler, const std::vector<uint8_t>& stream, size_t piece,
                                 Frames& frames) {
  auto status = TcpFrameReassembler::Status::Ok;
  for (size_t offset = 0; offset < stream.size();) {
    auto space = reassembler.writable();
    const size_t count = std::min({piece, space.size(), stream.size() - offset});
    std::memcpy(space.data(), stream.data() + offset, count);
    offset += count;
    status = reassembler.consume(count, [&](std::span<uint8_t> frame) {
      frames.emplace_back(frame.begin(), frame.end());
      return true;
    });
    if (status != TcpFrameReassembler::Status::Ok) break;
  }
  return status;
}

TEST(TcpFrameReassembler, SeveralFramesInOneRead) {
  const auto a = bytes(20, 1), b = bytes(1200, 2), c = bytes(1, 3);
  std::vector<uint8_t> stream = framed(a);
  for (const auto& next : {framed(b), framed(c)}) stream.insert(stream.end(), next.begin(), next.end());
  TcpFrameReassembler reassembler;
  Frames frames;
  EXPECT_EQ(feed(reassembler, stream, stream.size(), frames), TcpFrameReassembler::Status::Ok);
  EXPECT_EQ(frames, (Frames{a, b, c}));
  EXPECT_EQ(reassembler.pending(), 0u);
  EXPECT_EQ(reassembler.frames(), 3u);
}

TEST(TcpFrameReassembler, FramesSplitAcrossReadsAtEveryBoundary) {
  const auto a = bytes(300, 7), b = bytes(TcpFrameReassembler::kMaxFrame, 9);
  std::vector<uint8_t> stream = framed(a);
  const auto second = framed(b);
  stream.insert(stream.end(), second.begin(), second.end());
  // One byte at a time splits the length prefix itself; 3 and 301 split inside and across frames.
  for (const size_t piece : {size_t{1}, size_t{2}, size_t{3}, size_t{301}, size_t{1000}}) {
    TcpFrameReassembler reassembler;
    Frames frames;
    EXPECT_EQ(feed(reassembler, stream, piece, frames), TcpFrameReassembler::Status::Ok) << piece;
    EXPECT_EQ(frames, (Frames{a, b})) << piece;
    EXPECT_EQ(reassembler.pending(), 0u);
  }
}

TEST(TcpFrameReassembler, KeepsAPartialFrameUntilItCompletes) {
  const auto a = bytes(100, 5);
  const auto stream = framed(a);
  TcpFrameReassembler reassembler;
  Frames frames;
  EXPECT_EQ(feed(reassembler, std::vector<uint8_t>(stream.begin(), stream.begin() + 50), 50, frames),
            TcpFrameReassembler::Status::Ok);
  EXPECT_TRUE(frames.empty());
  EXPECT_EQ(reassembler.pending(), 50u);
  EXPECT_EQ(feed(reassembler, std::vector<uint8_t>(stream.begin() + 50, stream.end()), 100, frames),
            TcpFrameReassembler::Status::Ok);
  EXPECT_EQ(frames, (Frames{a}));
}

TEST(TcpFrameReassembler, OversizedLengthIsAnErrorAfterTheGoodFrames) {
  const auto a = bytes(10, 1);
  std::vector<uint8_t> stream = framed(a);
  const size_t tooLong = TcpFrameReassembler::kMaxFrame + 1;
  stream.push_back(static_cast<uint8_t>(tooLong >> 8));
  stream.push_back(static_cast<uint8_t>(tooLong));
  TcpFrameReassembler reassembler;
  Frames frames;
  EXPECT_EQ(feed(reassembler, stream, stream.size(), frames), TcpFrameReassembler::Status::BadLength);
  EXPECT_EQ(frames, (Frames{a}));
  // It stays failed: nothing more is delivered.
  EXPECT_EQ(feed(reassembler, framed(a), 100, frames), TcpFrameReassembler::Status::BadLength);
  EXPECT_EQ(frames.size(), 1u);
}

TEST(TcpFrameReassembler, ZeroLengthIsAnError) {
  TcpFrameReassembler reassembler;
  Frames frames;
  EXPECT_EQ(feed(reassembler, {0, 0, 1, 2, 3}, 5, frames), TcpFrameReassembler::Status::BadLength);
  EXPECT_TRUE(frames.empty());
}

TEST(TcpFrameReassembler, LargestLengthPrefixIsRefusedBeforeItsBytesArrive) {
  TcpFrameReassembler reassembler;
  Frames frames;
  EXPECT_EQ(feed(reassembler, {0xff, 0xff}, 2, frames), TcpFrameReassembler::Status::BadLength);
}

TEST(TcpFrameReassembler, StoppingFromTheCallbackDiscardsTheRest) {
  const auto a = bytes(10, 1), b = bytes(10, 2);
  std::vector<uint8_t> stream = framed(a);
  const auto second = framed(b);
  stream.insert(stream.end(), second.begin(), second.end());
  TcpFrameReassembler reassembler;
  auto space = reassembler.writable();
  std::memcpy(space.data(), stream.data(), stream.size());
  size_t calls = 0;
  EXPECT_EQ(reassembler.consume(stream.size(), [&](std::span<uint8_t>) { return ++calls < 1; }),
            TcpFrameReassembler::Status::Ok);
  EXPECT_EQ(calls, 1u);
  EXPECT_EQ(reassembler.pending(), 0u);
}

TEST(TcpFrameReassembler, HeaderWriter) {
  std::array<uint8_t, 2> header{};
  EXPECT_TRUE(writeTcpFrameHeader(header, 0x1234));
  EXPECT_EQ(header, (std::array<uint8_t, 2>{0x12, 0x34}));
  EXPECT_FALSE(writeTcpFrameHeader(header, 0));
  EXPECT_FALSE(writeTcpFrameHeader(header, 0x10000));
}

}  // namespace
}  // namespace fluxmeet::media::net
