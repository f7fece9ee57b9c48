#include "compare/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
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

}  // namespace
}  // namespace tv
