#include "fluxmeet/record/frame_queue.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace fluxmeet::record {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(FrameQueue, BoundedByFramesAndBytes) {
  FrameQueue queue(3, 100);
  const Bytes small(10, 1);
  EXPECT_TRUE(queue.tryPush(small, 1, true, 320, 240));
  EXPECT_TRUE(queue.tryPush(small, 2, false, 0, 0));
  EXPECT_TRUE(queue.tryPush(small, 3, false, 0, 0));
  EXPECT_FALSE(queue.tryPush(small, 4, false, 0, 0));  // 3 frames
  EXPECT_EQ(queue.size(), 3u);
  QueuedFrame* front = queue.front();
  ASSERT_NE(front, nullptr);
  EXPECT_EQ(front->timestampNs, 1);
  EXPECT_TRUE(front->keyframe);
  EXPECT_EQ(front->width, 320);
  queue.pop();
  EXPECT_FALSE(queue.tryPush(Bytes(81, 2), 5, false, 0, 0));  // 20 + 81 bytes > 100
  EXPECT_TRUE(queue.tryPush(Bytes(80, 2), 5, false, 0, 0));
  EXPECT_EQ(queue.bytes(), 100u);
}

TEST(FrameQueue, AFrameBiggerThanTheByteBoundPassesAlone) {
  FrameQueue queue(4, 100);
  EXPECT_TRUE(queue.tryPush(Bytes(500, 1), 1, true, 0, 0));
  EXPECT_FALSE(queue.tryPush(Bytes(1, 1), 2, false, 0, 0));
  queue.pop();
  EXPECT_EQ(queue.front(), nullptr);
  EXPECT_EQ(queue.bytes(), 0u);
}

TEST(FrameQueue, OneProducerOneConsumerKeepOrderAndContent) {
  FrameQueue queue(16, 1 << 20);
  constexpr int kFrames = 20000;
  std::thread consumer([&] {
    int expected = 0;
    while (expected < kFrames) {
      QueuedFrame* frame = queue.front();
      if (frame == nullptr) {
        std::this_thread::yield();
        continue;
      }
      ASSERT_EQ(frame->timestampNs, expected);
      ASSERT_EQ(frame->data.size(), static_cast<size_t>(expected % 300));
      for (uint8_t byte : frame->data) ASSERT_EQ(byte, static_cast<uint8_t>(expected));
      queue.pop();
      ++expected;
    }
  });
  for (int i = 0; i < kFrames;) {
    const Bytes data(static_cast<size_t>(i % 300), static_cast<uint8_t>(i));
    if (queue.tryPush(data, i, false, 0, 0)) {
      ++i;
    } else {
      std::this_thread::yield();
    }
  }
  consumer.join();
  EXPECT_EQ(queue.size(), 0u);
}

}  // namespace
}  // namespace fluxmeet::record
