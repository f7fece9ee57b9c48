#include "compare/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

namespace tv {
namespace {

TEST(WorkerPoolTest, EveryWorkerRunsEveryJobOnce) {
  WorkerPool pool(3);
  std::vector<int> runs(3, 0);  // each worker writes only its own slot
  std::atomic<int> total{0};
  for (int job = 0; job < 50; ++job) {
    pool.Start([&](int w) {
      ++runs[static_cast<size_t>(w)];
      total.fetch_add(1);
    });
    pool.Wait();
    ASSERT_EQ(total.load(), 3 * (job + 1)) << "job " << job;
  }
  EXPECT_EQ(runs, std::vector<int>({50, 50, 50}));
}

TEST(WorkerPoolTest, DestructorWaitsForTheRunningJob) {
  std::atomic<int> done{0};
  {
    WorkerPool pool(2);
    pool.Start([&](int) {
      for (volatile int i = 0; i < 100000; i = i + 1) {
      }
      done.fetch_add(1);
    });
  }
  EXPECT_EQ(done.load(), 2);
}

TEST(ParallelForTest, CoversTheRangeOnce) {
  std::vector<int> hits(101, 0);
  ParallelFor(4, 101, [&](int, int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) ++hits[static_cast<size_t>(i)];
  });
  EXPECT_EQ(hits, std::vector<int>(101, 1));
}

// One producer publishing 200 chunks of varying size through 3 slots, 3 workers: every item
// is processed once, with the data of its own chunk (a reused slot never leaks in), and each
// worker claims in increasing (chunk, item) order.
TEST(ChunkRingTest, EveryItemOnceInOrderAcrossReusedSlots) {
  constexpr int kSlots = 3, kWorkers = 3, kChunks = 200;
  ChunkRing ring(kSlots, kWorkers, 8);
  std::vector<std::vector<int64_t>> slot_data(kSlots);  // item i of chunk c holds c * 1000 + i
  std::vector<std::vector<int>> hits(kChunks);
  std::mutex hits_mu;
  std::atomic<int> order_violations{0}, wrong_data{0};
  auto size_of = [](int64_t c) { return 1 + (c * 37) % 61; };
  {
    WorkerPool pool(kWorkers);
    pool.Start([&](int w) {
      int64_t c = 0, b = 0, e = 0, last = -1;
      while (ring.Claim(w, &c, &b, &e)) {
        for (int64_t i = b; i < e; ++i) {
          if (c * 1000 + i <= last) order_violations.fetch_add(1);
          last = c * 1000 + i;
          if (slot_data[static_cast<size_t>(c % kSlots)][static_cast<size_t>(i)] != c * 1000 + i)
            wrong_data.fetch_add(1);
          std::lock_guard<std::mutex> lock(hits_mu);
          ++hits[static_cast<size_t>(c)][static_cast<size_t>(i)];
        }
        ring.Done(c, e - b);
      }
    });
    auto publish = [&](int64_t c) {
      std::vector<int64_t>& d = slot_data[static_cast<size_t>(c % kSlots)];
      d.resize(static_cast<size_t>(size_of(c)));
      for (int64_t i = 0; i < size_of(c); ++i) d[static_cast<size_t>(i)] = c * 1000 + i;
      hits[static_cast<size_t>(c)].assign(static_cast<size_t>(size_of(c)), 0);
      ring.Publish(c, size_of(c));
    };
    int64_t published = 0;
    while (published < kSlots) publish(published++);
    for (int64_t c = 0; c < kChunks; ++c) {
      ASSERT_TRUE(ring.WaitDone(c));
      if (published < kChunks) publish(published++);
    }
    ring.Finish();
    pool.Wait();
  }
  EXPECT_EQ(order_violations.load(), 0);
  EXPECT_EQ(wrong_data.load(), 0);
  for (int c = 0; c < kChunks; ++c)
    EXPECT_EQ(hits[static_cast<size_t>(c)], std::vector<int>(static_cast<size_t>(size_of(c)), 1))
        << "chunk " << c;
}

// Workers blocked waiting for work return when the producer stops early (an error): the pool
// can then join them instead of hanging.
TEST(ChunkRingTest, StopReleasesWaitingWorkers) {
  ChunkRing ring(3, 2, 8);
  std::atomic<int> items{0};
  {
    WorkerPool pool(2);
    pool.Start([&](int w) {
      int64_t c = 0, b = 0, e = 0;
      while (ring.Claim(w, &c, &b, &e)) {
        items.fetch_add(static_cast<int>(e - b));
        ring.Done(c, e - b);
      }
    });
    ring.Publish(0, 5);
    ASSERT_TRUE(ring.WaitDone(0));
    ring.Stop();
    EXPECT_FALSE(ring.WaitDone(1));
  }
  EXPECT_EQ(items.load(), 5);
}

}  // namespace
}  // namespace tv
