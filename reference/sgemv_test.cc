// SgemvPacked must equal Sgemm with M == 1 bit for bit (the Gemm kernel switches between them),
// for transposed and plain B, odd sizes and any thread count.
#include "reference/sgemv.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "reference/sgemm.h"
#include "reference/thread_pool.h"

namespace tv {
namespace ref {
namespace {

std::vector<float> RandomValues(int64_t n, std::mt19937* rng) {
  // Wide exponent range so that rounding differences between orderings would show.
  std::uniform_real_distribution<float> mantissa(-1.0f, 1.0f);
  std::uniform_int_distribution<int> exponent(-8, 8);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = std::ldexp(mantissa(*rng), exponent(*rng));
  return v;
}

TEST(SgemvTest, MatchesSgemmWithOneRowBitForBit) {
  const uint32_t seed = std::random_device{}();
  SCOPED_TRACE(testing::Message() << "seed=" << seed);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> size(1, 300);
  ThreadPool pool(3);
  for (int round = 0; round < 40; ++round) {
    const int64_t k = round == 0 ? 0 : size(rng), n = size(rng);
    const std::vector<float> a = RandomValues(k, &rng), b = RandomValues(k * n, &rng);
    for (bool trans_b : {false, true}) {
      const int64_t ldb = trans_b ? k : n;
      std::vector<float> want(static_cast<size_t>(n), -1.0f);
      Sgemm(false, trans_b, 1, n, k, a.data(), k, b.data(), ldb, want.data(), n, nullptr);
      PackedGemvMatrix packed;
      PackGemvMatrix(trans_b, k, n, b.data(), ldb, &packed);
      for (ThreadPool* p : {static_cast<ThreadPool*>(nullptr), &pool}) {
        std::vector<float> got(static_cast<size_t>(n), -1.0f);
        SgemvPacked(packed, a.data(), 1, got.data(), p);
        ASSERT_EQ(got, want) << "k=" << k << " n=" << n << " trans_b=" << trans_b;
      }
    }
  }
}

TEST(SgemvTest, StridedVectorAndExactChain) {
  // a read with a stride; the result is the in-order fma chain for each column.
  const int64_t k = 37, n = 45;
  std::mt19937 rng(5);
  const std::vector<float> a = RandomValues(2 * k, &rng), b = RandomValues(k * n, &rng);
  PackedGemvMatrix packed;
  PackGemvMatrix(false, k, n, b.data(), n, &packed);
  std::vector<float> got(static_cast<size_t>(n));
  SgemvPacked(packed, a.data(), 2, got.data(), nullptr);
  for (int64_t j = 0; j < n; ++j) {
    float acc = 0.0f;
    for (int64_t p = 0; p < k; ++p) acc = std::fma(a[2 * p], b[p * n + j], acc);
    ASSERT_EQ(got[j], acc) << "column " << j;
  }
}

}  // namespace
}  // namespace ref
}  // namespace tv
