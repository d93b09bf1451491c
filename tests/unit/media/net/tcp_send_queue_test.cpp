#include "fluxmeet/media/net/tcp_send_queue.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "fluxmeet/media/net/tcp_frame_reassembler.hpp"

namespace fluxmeet::media::net {
namespace {

std::vector<uint8_t> pendingBytes(const TcpSendQueue& queue) {
  const auto pending = queue.pending();
  return {pending.begin(), pending.end()};
}

TEST(TcpSendQueue, FramesEachPacketWithItsLength) {
  TcpSendQueue queue(64);
  EXPECT_TRUE(queue.empty());
  EXPECT_TRUE(queue.push(std::vector<uint8_t>{1, 2, 3}));
  EXPECT_TRUE(queue.push(std::vector<uint8_t>{9}));
  EXPECT_EQ(pendingBytes(queue), (std::vector<uint8_t>{0, 3, 1, 2, 3, 0, 1, 9}));
}

TEST(TcpSendQueue, DropsWholePacketsWhenFullAndNeverSplitsOne) {
  TcpSendQueue queue(10);
  EXPECT_TRUE(queue.push(std::vector<uint8_t>(6, 0xaa)));  // 8 bytes framed
  EXPECT_FALSE(queue.push(std::vector<uint8_t>(1, 0xbb)));  // 3 more do not fit
  EXPECT_EQ(queue.dropped(), 1u);
  EXPECT_EQ(queue.pending().size(), 8u);
  EXPECT_FALSE(queue.push({}));  // an empty packet cannot be framed
  EXPECT_EQ(queue.dropped(), 2u);
}

TEST(TcpSendQueue, PartialWritesKeepTheStreamAndFreeRoom) {
  TcpSendQueue queue(10);
  EXPECT_TRUE(queue.push(std::vector<uint8_t>{1, 2, 3, 4, 5, 6}));
  queue.consume(5);  // the kernel took part of the frame
  EXPECT_EQ(pendingBytes(queue), (std::vector<uint8_t>{4, 5, 6}));
  // 3 unsent + 6 framed fit in 10 once the unsent rest moves to the front.
  EXPECT_TRUE(queue.push(std::vector<uint8_t>{7, 8, 9, 10}));
  EXPECT_EQ(pendingBytes(queue), (std::vector<uint8_t>{4, 5, 6, 0, 4, 7, 8, 9, 10}));
  queue.consume(100);
  EXPECT_TRUE(queue.empty());
}

TEST(TcpSendQueue, WhatItWritesTheReassemblerReads) {
  TcpSendQueue queue(4096);
  const std::vector<uint8_t> a(1000, 1), b(17, 2);
  ASSERT_TRUE(queue.push(a));
  ASSERT_TRUE(queue.push(b));
  TcpFrameReassembler reassembler;
  const auto pending = queue.pending();
  std::copy(pending.begin(), pending.end(), reassembler.writable().begin());
  std::vector<std::vector<uint8_t>> frames;
  EXPECT_EQ(reassembler.consume(pending.size(),
                                [&](std::span<uint8_t> frame) {
                                  frames.emplace_back(frame.begin(), frame.end());
                                  return true;
                                }),
            TcpFrameReassembler::Status::Ok);
  EXPECT_EQ(frames, (std::vector<std::vector<uint8_t>>{a, b}));
}

}  // namespace
}  // namespace fluxmeet::media::net
