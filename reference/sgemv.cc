#include "reference/sgemv.h"

#include <algorithm>
#include <cmath>

#include "reference/thread_pool.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace tv {
namespace ref {
namespace {

// 32 columns = four AVX accumulators: enough independent FMA chains to hide the FMA latency,
// so the loop runs at memory speed.
constexpr int64_t kGemvPanel = 32;

int64_t PanelCount(int64_t n) { return (n + kGemvPanel - 1) / kGemvPanel; }

// out[j] = chain over k of fma(a[k], panel[k][j], acc) for j < width.
void PanelScalar(int64_t k, const float* a, int64_t inc_a, const float* panel, int64_t width,
                 float* out) {
  float acc[kGemvPanel] = {};
  for (int64_t p = 0; p < k; ++p) {
    const float av = a[p * inc_a];
    const float* row = panel + p * kGemvPanel;
    for (int64_t j = 0; j < kGemvPanel; ++j) acc[j] = std::fma(av, row[j], acc[j]);
  }
  std::copy(acc, acc + width, out);
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) void PanelAvx2(int64_t k, const float* a, int64_t inc_a,
                                                   const float* panel, int64_t width, float* out) {
  __m256 c0 = _mm256_setzero_ps(), c1 = _mm256_setzero_ps();
  __m256 c2 = _mm256_setzero_ps(), c3 = _mm256_setzero_ps();
  for (int64_t p = 0; p < k; ++p) {
    const __m256 av = _mm256_broadcast_ss(a + p * inc_a);
    const float* row = panel + p * kGemvPanel;
    c0 = _mm256_fmadd_ps(av, _mm256_loadu_ps(row), c0);
    c1 = _mm256_fmadd_ps(av, _mm256_loadu_ps(row + 8), c1);
    c2 = _mm256_fmadd_ps(av, _mm256_loadu_ps(row + 16), c2);
    c3 = _mm256_fmadd_ps(av, _mm256_loadu_ps(row + 24), c3);
  }
  alignas(32) float acc[kGemvPanel];
  _mm256_store_ps(acc, c0);
  _mm256_store_ps(acc + 8, c1);
  _mm256_store_ps(acc + 16, c2);
  _mm256_store_ps(acc + 24, c3);
  std::copy(acc, acc + width, out);
}
#endif

using PanelFn = void (*)(int64_t, const float*, int64_t, const float*, int64_t, float*);

PanelFn SelectPanel() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return &PanelAvx2;
#endif
  return &PanelScalar;
}

}  // namespace

void PackGemvMatrix(bool trans_b, int64_t k, int64_t n, const float* b, int64_t ldb,
                    PackedGemvMatrix* out) {
  out->k = k;
  out->n = n;
  out->data.assign(static_cast<size_t>(PanelCount(n) * k * kGemvPanel), 0.0f);
  for (int64_t j0 = 0; j0 < n; j0 += kGemvPanel) {
    const int64_t width = std::min(kGemvPanel, n - j0);
    float* panel = out->data.data() + j0 * k;  // panel j0 / kGemvPanel starts at j0 * k
    if (trans_b) {
      for (int64_t j = 0; j < width; ++j) {
        const float* col = b + (j0 + j) * ldb;
        for (int64_t p = 0; p < k; ++p) panel[p * kGemvPanel + j] = col[p];
      }
    } else {
      for (int64_t p = 0; p < k; ++p)
        std::copy(b + p * ldb + j0, b + p * ldb + j0 + width, panel + p * kGemvPanel);
    }
  }
}

void SgemvPacked(const PackedGemvMatrix& b, const float* a, int64_t inc_a, float* y,
                 ThreadPool* pool) {
  static const PanelFn panel_fn = SelectPanel();
  const int64_t panels = PanelCount(b.n);
  auto run = [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) {
      const int64_t j0 = p * kGemvPanel;
      panel_fn(b.k, a, inc_a, b.data.data() + j0 * b.k, std::min(kGemvPanel, b.n - j0), y + j0);
    }
  };
  if (pool) {
    pool->ParallelFor(panels, 1, run);
  } else {
    run(0, panels);
  }
}

}  // namespace ref
}  // namespace tv
