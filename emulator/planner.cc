#include "emulator/planner.h"

#include <algorithm>

namespace tv {

namespace {

size_t AlignUp(size_t v) { return (v + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment; }

bool LifetimesOverlap(const BufferRequest& a, const BufferRequest& b) {
  return a.first_use <= b.last_use && b.first_use <= a.last_use;
}

}  // namespace

Status PlanArena(const std::vector<BufferRequest>& requests, ArenaPlan* plan) {
  const size_t n = requests.size();
  plan->offsets.assign(n, 0);
  plan->arena_bytes = 0;
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) {
    TV_CHECK_OR_RETURN(requests[i].first_use <= requests[i].last_use,
                       "planner: buffer %zu has an empty lifetime", i);
    order[i] = i;
  }
  // Largest first; ties broken by earlier first use, then index, so plans are deterministic.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (requests[a].bytes != requests[b].bytes) return requests[a].bytes > requests[b].bytes;
    return requests[a].first_use < requests[b].first_use;
  });

  std::vector<size_t> placed;  // indices already given an offset, sorted by offset
  placed.reserve(n);
  for (size_t i : order) {
    const BufferRequest& r = requests[i];
    const size_t need = AlignUp(r.bytes);
    size_t candidate = 0;
    if (need > 0) {
      // Walk the live neighbours in offset order and take the first gap that is large enough.
      for (size_t j : placed) {
        if (!LifetimesOverlap(r, requests[j]) || requests[j].bytes == 0) continue;
        const size_t start = plan->offsets[j];
        const size_t end = start + AlignUp(requests[j].bytes);
        if (candidate + need <= start) break;
        candidate = std::max(candidate, end);
      }
    }
    plan->offsets[i] = candidate;
    plan->arena_bytes = std::max(plan->arena_bytes, candidate + need);
    auto pos = std::upper_bound(placed.begin(), placed.end(), candidate,
                                [&](size_t off, size_t j) { return off < plan->offsets[j]; });
    placed.insert(pos, i);
  }
  return Status::Ok();
}

bool PlanIsValid(const std::vector<BufferRequest>& requests, const ArenaPlan& plan) {
  for (size_t a = 0; a < requests.size(); ++a) {
    if (plan.offsets[a] + requests[a].bytes > plan.arena_bytes) return false;
    for (size_t b = a + 1; b < requests.size(); ++b) {
      if (!LifetimesOverlap(requests[a], requests[b])) continue;
      if (requests[a].bytes == 0 || requests[b].bytes == 0) continue;
      const size_t a0 = plan.offsets[a], a1 = a0 + requests[a].bytes;
      const size_t b0 = plan.offsets[b], b1 = b0 + requests[b].bytes;
      if (a0 < b1 && b0 < a1) return false;
    }
  }
  return true;
}

}  // namespace tv
