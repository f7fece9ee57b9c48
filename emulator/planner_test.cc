#include "emulator/planner.h"

#include <gtest/gtest.h>

#include <random>

namespace tv {
namespace {

TEST(Planner, DisjointLifetimesShareMemory) {
  // a: ops 0-1, b: ops 2-3 -> same offset; c overlaps both.
  std::vector<BufferRequest> r = {{100, 0, 1}, {100, 2, 3}, {50, 1, 2}};
  ArenaPlan plan;
  ASSERT_TRUE(PlanArena(r, &plan).ok());
  EXPECT_EQ(plan.offsets[0], plan.offsets[1]);
  EXPECT_EQ(plan.arena_bytes, 112u + 64u);  // 100 -> 112 aligned, 50 -> 64
  EXPECT_TRUE(PlanIsValid(r, plan));
}

TEST(Planner, FillsGapsBetweenLiveBuffers) {
  // Big buffers at [0,200) and [200,400) live throughout; a small one fits nowhere else.
  std::vector<BufferRequest> r = {{200, 0, 4}, {64, 0, 1}, {64, 3, 4}, {128, 2, 2}};
  ArenaPlan plan;
  ASSERT_TRUE(PlanArena(r, &plan).ok());
  EXPECT_TRUE(PlanIsValid(r, plan));
  EXPECT_EQ(plan.arena_bytes, 208u + 128u);
}

TEST(Planner, RandomPlansAreValid) {
  const uint32_t seed = 1234;
  std::mt19937 rng(seed);
  for (int iter = 0; iter < 200; ++iter) {
    SCOPED_TRACE("seed 1234 iteration " + std::to_string(iter));
    std::vector<BufferRequest> r(1 + rng() % 40);
    for (auto& b : r) {
      b.bytes = rng() % 5000;
      b.first_use = static_cast<int32_t>(rng() % 30);
      b.last_use = b.first_use + static_cast<int32_t>(rng() % 10);
    }
    ArenaPlan plan;
    ASSERT_TRUE(PlanArena(r, &plan).ok());
    EXPECT_TRUE(PlanIsValid(r, plan));
    // Never worse than giving every buffer its own slot.
    size_t sum = 0;
    for (auto& b : r) sum += (b.bytes + 15) / 16 * 16;
    EXPECT_LE(plan.arena_bytes, sum);
  }
}

TEST(Planner, RejectsEmptyLifetime) {
  ArenaPlan plan;
  EXPECT_FALSE(PlanArena({{10, 3, 2}}, &plan).ok());
}

}  // namespace
}  // namespace tv
