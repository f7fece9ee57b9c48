// Offline arena planning: buffers with known sizes and lifetimes (first and last operator that
// touches them) are packed into one arena so that buffers alive at the same time never overlap.
#ifndef TINYVERIFY_EMULATOR_PLANNER_H_
#define TINYVERIFY_EMULATOR_PLANNER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "emulator/status.h"

namespace tv {

constexpr size_t kArenaAlignment = 16;

struct BufferRequest {
  size_t bytes = 0;
  int32_t first_use = 0;  // operator index, inclusive
  int32_t last_use = 0;   // operator index, inclusive
};

struct ArenaPlan {
  std::vector<size_t> offsets;  // one per request
  size_t arena_bytes = 0;       // high-water mark, aligned
};

// Greedy by size (largest first, each at the lowest offset that fits among the already placed
// buffers whose lifetimes overlap) — the strategy TFLM's GreedyMemoryPlanner uses.
[[nodiscard]] Status PlanArena(const std::vector<BufferRequest>& requests, ArenaPlan* plan);

// True when no two requests with overlapping lifetimes overlap in memory (used by tests).
bool PlanIsValid(const std::vector<BufferRequest>& requests, const ArenaPlan& plan);

}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_PLANNER_H_
