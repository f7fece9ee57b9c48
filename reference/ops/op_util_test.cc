// ForEachBroadcast must visit every output element once, in order, with the numpy-broadcast
// operand indices, whatever dimension merging it does internally.
#include "reference/ops/op_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>
#include <vector>

namespace tv {
namespace ref {
namespace {

// Flat index of the operand element that output multi-index `idx` reads.
int64_t OperandIndex(const Shape& shape, const Shape& out, const std::vector<int64_t>& idx) {
  int64_t flat = 0;
  const size_t lead = out.size() - shape.size();
  for (size_t d = 0; d < shape.size(); ++d)
    flat = flat * shape[d] + (shape[d] == 1 ? 0 : idx[lead + d]);
  return flat;
}

TEST(ForEachBroadcastTest, VisitsOutputInOrderWithBroadcastIndices) {
  const uint32_t seed = std::random_device{}();
  SCOPED_TRACE(testing::Message() << "seed=" << seed);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> rank_dist(0, 10), dim_dist(1, 4), coin(0, 2);
  for (int round = 0; round < 300; ++round) {
    const int rank = rank_dist(rng);
    Shape out(rank);
    for (int64_t& d : out) d = dim_dist(rng);
    auto operand = [&]() {
      Shape s(out.begin() + std::uniform_int_distribution<int>(0, rank)(rng), out.end());
      for (int64_t& d : s)
        if (coin(rng) == 0) d = 1;
      return s;
    };
    const Shape a = operand(), b = operand();
    std::vector<std::tuple<int64_t, int64_t, int64_t>> want, got;
    std::vector<int64_t> idx(rank, 0);
    for (int64_t o = 0; o < NumElements(out); ++o) {
      want.emplace_back(o, OperandIndex(a, out, idx), OperandIndex(b, out, idx));
      for (int d = rank - 1; d >= 0; --d) {
        if (++idx[d] < out[d]) break;
        idx[d] = 0;
      }
    }
    ForEachBroadcast(a, b, out,
                     [&](int64_t o, int64_t i, int64_t j) { got.emplace_back(o, i, j); });
    ASSERT_EQ(got, want) << "out " << ShapeToString(out) << " a " << ShapeToString(a) << " b "
                         << ShapeToString(b);
  }
}

TEST(StridedCopyTest, MatchesPerElementAddressing) {
  const uint32_t seed = std::random_device{}();
  SCOPED_TRACE(testing::Message() << "seed=" << seed);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> rank_dist(0, 10), dim_dist(1, 4), kind(0, 3);
  for (int round = 0; round < 300; ++round) {
    const int rank = rank_dist(rng);
    Shape shape(rank);
    for (int64_t& d : shape) d = dim_dist(rng);
    // Strides of a transposed / broadcast / reversed view of a contiguous source.
    std::vector<int64_t> strides(rank);
    int64_t offset = 0, span = 1;
    std::vector<int> order(rank);
    for (int d = 0; d < rank; ++d) order[d] = d;
    std::shuffle(order.begin(), order.end(), rng);
    for (int d : order) {
      const int k = kind(rng);
      strides[d] = k == 0 ? 0 : span;
      if (k == 1) {  // reversed axis
        strides[d] = -span;
        offset += span * (shape[d] - 1);
      }
      if (k != 0) span *= shape[d];
    }
    std::vector<uint32_t> in(static_cast<size_t>(span));
    for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<uint32_t>(i * 2654435761u);
    std::vector<uint32_t> want, got(static_cast<size_t>(NumElements(shape)));
    std::vector<int64_t> idx(rank, 0);
    for (int64_t o = 0; o < NumElements(shape); ++o) {
      int64_t off = offset;
      for (int d = 0; d < rank; ++d) off += idx[d] * strides[d];
      want.push_back(in[off]);
      for (int d = rank - 1; d >= 0; --d) {
        if (++idx[d] < shape[d]) break;
        idx[d] = 0;
      }
    }
    StridedCopy(in.data(), strides, offset, got.data(), shape, sizeof(uint32_t));
    ASSERT_EQ(got, want) << "shape " << ShapeToString(shape);
  }
}

}  // namespace
}  // namespace ref
}  // namespace tv
