// Sgemm must equal a sequential fused-multiply-add reference bit for bit, at every position,
// for every thread count, transposed or pre-packed.
#include "reference/sgemm.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "reference/thread_pool.h"

namespace tv {
namespace ref {
namespace {

std::vector<float> Values(int64_t n, uint32_t seed) {
  std::vector<float> v(static_cast<size_t>(n));
  for (auto& x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = static_cast<float>(static_cast<int32_t>(seed >> 8) % 2001 - 1000) / 997.0f;
  }
  return v;
}

// The contract: c = fma(a[k-1], b[k-1], ... fma(a[0], b[0], 0)).
std::vector<float> Reference(bool ta, bool tb, int64_t m, int64_t n, int64_t k,
                             const std::vector<float>& a, const std::vector<float>& b) {
  std::vector<float> c(static_cast<size_t>(m * n));
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      float acc = 0.0f;
      for (int64_t p = 0; p < k; ++p) {
        acc = std::fma(ta ? a[p * m + i] : a[i * k + p], tb ? b[j * k + p] : b[p * n + j], acc);
      }
      c[i * n + j] = acc;
    }
  }
  return c;
}

struct Case {
  int64_t m, n, k;
};

class SgemmTest : public ::testing::TestWithParam<Case> {};

TEST_P(SgemmTest, MatchesFmaChainForAnyLayoutAndThreadCount) {
  const Case c = GetParam();
  const std::vector<float> a = Values(c.m * c.k, 1), b = Values(c.k * c.n, 2);
  ThreadPool pool(3);
  for (bool ta : {false, true}) {
    for (bool tb : {false, true}) {
      const std::vector<float> want = Reference(ta, tb, c.m, c.n, c.k, a, b);
      for (ThreadPool* p : {static_cast<ThreadPool*>(nullptr), &pool}) {
        std::vector<float> got(static_cast<size_t>(c.m * c.n), -1.0f);
        Sgemm(ta, tb, c.m, c.n, c.k, a.data(), ta ? c.m : c.k, b.data(), tb ? c.k : c.n, got.data(),
              c.n, p);
        ASSERT_EQ(got, want) << "m=" << c.m << " n=" << c.n << " k=" << c.k << " ta=" << ta
                             << " tb=" << tb;
      }
      if (ta) continue;
      PackedMatrix packed;
      PackLeftMatrix(false, c.m, c.k, a.data(), c.k, &packed);
      std::vector<float> got(static_cast<size_t>(c.m * c.n));
      SgemmPacked(packed, tb, c.n, b.data(), tb ? c.k : c.n, got.data(), c.n, &pool);
      ASSERT_EQ(got, want) << "packed m=" << c.m << " n=" << c.n << " k=" << c.k;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, SgemmTest,
                         ::testing::Values(Case{1, 1, 1}, Case{7, 17, 5}, Case{6, 16, 256},
                                           Case{13, 33, 300}, Case{80, 300, 70}, Case{150, 1100, 9},
                                           Case{5, 3, 0},
                                           // Blocks big enough to be split across threads.
                                           Case{130, 1050, 260}));

TEST(SgemmTest, IdenticalRowsGiveIdenticalResults) {
  const int64_t m = 1000, n = 169, k = 512;  // squeezenet's last conv
  std::vector<float> a(static_cast<size_t>(m * k));
  const std::vector<float> row = Values(k, 3), b = Values(k * n, 4);
  for (int64_t i = 0; i < m; ++i) std::copy(row.begin(), row.end(), a.begin() + i * k);
  std::vector<float> c(static_cast<size_t>(m * n));
  Sgemm(false, false, m, n, k, a.data(), k, b.data(), n, c.data(), n, nullptr);
  for (int64_t i = 1; i < m; ++i) {
    ASSERT_TRUE(std::equal(c.begin(), c.begin() + n, c.begin() + i * n)) << "row " << i;
  }
}

// A partial tile (8 rows of a 12- or 6-row kernel) must apply the epilogue to its real rows
// only: the bias here ends where an unreadable page starts, so reading bias[8..11] faults.
TEST(SgemmTest, EpilogueOfPartialTileReadsOnlyRealRows) {
  const int64_t m = 8, n = 40, k = 5;
  const long page = sysconf(_SC_PAGESIZE);
  char* mem = static_cast<char*>(
      mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(mem, MAP_FAILED);
  ASSERT_EQ(mprotect(mem + page, page, PROT_NONE), 0);
  float* bias = reinterpret_cast<float*>(mem + page) - m;
  for (int64_t i = 0; i < m; ++i) bias[i] = static_cast<float>(i) * 0.5f;
  const std::vector<float> a = Values(m * k, 5), b = Values(k * n, 6);
  PackedMatrix packed;
  PackLeftMatrix(false, m, k, a.data(), k, &packed);
  GemmEpilogue epilogue;
  epilogue.bias = bias;
  std::vector<float> got(static_cast<size_t>(m * n));
  SgemmPackedRhs(packed, n, MatrixRhs(false, b.data(), n), got.data(), n, &epilogue, nullptr);
  std::vector<float> want = Reference(false, false, m, n, k, a, b);
  for (int64_t i = 0; i < m * n; ++i) want[i] = epilogue.Finish(want[i], i / n);
  EXPECT_EQ(got, want);
  munmap(mem, 2 * page);
}

}  // namespace
}  // namespace ref
}  // namespace tv
