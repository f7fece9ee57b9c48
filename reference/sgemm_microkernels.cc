// Micro-kernels of the position-independent SGEMM (see sgemm.h) and their run-time selection.
#include "reference/sgemm_microkernels.h"

#include <cmath>
#include <cstdlib>

#if defined(__x86_64__)
#include <immintrin.h>
// GCC 12's _mm512_max_ps/_mm512_min_ps pass _mm512_undefined_ps() as the unused merge source,
// which -Wmaybe-uninitialized reports inside the intrinsic header.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace tv {
namespace ref {
namespace {

// acc[mr x nr] (row stride ldc) += A panel * B panel over kc steps; `first` starts from zero.
// Scalar epilogue over a stored tile (scalar and AVX2 kernels).
void FinishTile(const GemmEpilogue* ep, int64_t row, int64_t rows, int64_t nr, float* c,
                int64_t ldc) {
  if (!ep) return;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t j = 0; j < nr; ++j) c[r * ldc + j] = ep->Finish(c[r * ldc + j], row + r);
  }
}

template <int64_t Mr, int64_t Nr>
void KernelScalar(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool first,
                  const GemmEpilogue* ep, int64_t row, int64_t rows) {
  float acc[Mr][Nr];
  for (int64_t r = 0; r < Mr; ++r) {
    for (int64_t j = 0; j < Nr; ++j) acc[r][j] = first ? 0.0f : c[r * ldc + j];
  }
  for (int64_t p = 0; p < kc; ++p) {
    for (int64_t r = 0; r < Mr; ++r) {
      for (int64_t j = 0; j < Nr; ++j)
        acc[r][j] = std::fma(a[p * Mr + r], b[p * Nr + j], acc[r][j]);
    }
  }
  for (int64_t r = 0; r < Mr; ++r) {
    for (int64_t j = 0; j < Nr; ++j) c[r * ldc + j] = acc[r][j];
  }
  FinishTile(ep, row, rows, Nr, c, ldc);
}

#if defined(__x86_64__)
// Named accumulators: with arrays GCC spills them to the stack on every iteration.
__attribute__((target("avx2,fma"))) void KernelAvx2(int64_t kc, const float* a, const float* b,
                                                    float* c, int64_t ldc, bool first,
                                                    const GemmEpilogue* ep, int64_t row,
                                                    int64_t rows) {
#define TV_ROW_ACCUMULATORS(r)                                                 \
  __m256 c##r##0 = first ? _mm256_setzero_ps() : _mm256_loadu_ps(c + r * ldc); \
  __m256 c##r##1 = first ? _mm256_setzero_ps() : _mm256_loadu_ps(c + r * ldc + 8);
  TV_ROW_ACCUMULATORS(0)
  TV_ROW_ACCUMULATORS(1)
  TV_ROW_ACCUMULATORS(2)
  TV_ROW_ACCUMULATORS(3)
  TV_ROW_ACCUMULATORS(4)
  TV_ROW_ACCUMULATORS(5)
#undef TV_ROW_ACCUMULATORS
  for (int64_t p = 0; p < kc; ++p) {
    const __m256 b0 = _mm256_loadu_ps(b);
    const __m256 b1 = _mm256_loadu_ps(b + 8);
#define TV_ROW_FMA(r)                             \
  {                                               \
    const __m256 ar = _mm256_broadcast_ss(a + r); \
    c##r##0 = _mm256_fmadd_ps(ar, b0, c##r##0);   \
    c##r##1 = _mm256_fmadd_ps(ar, b1, c##r##1);   \
  }
    TV_ROW_FMA(0)
    TV_ROW_FMA(1)
    TV_ROW_FMA(2)
    TV_ROW_FMA(3)
    TV_ROW_FMA(4)
    TV_ROW_FMA(5)
#undef TV_ROW_FMA
    a += 6;
    b += 16;
  }
#define TV_ROW_STORE(r)                   \
  _mm256_storeu_ps(c + r * ldc, c##r##0); \
  _mm256_storeu_ps(c + r * ldc + 8, c##r##1);
  TV_ROW_STORE(0)
  TV_ROW_STORE(1)
  TV_ROW_STORE(2)
  TV_ROW_STORE(3)
  TV_ROW_STORE(4)
  TV_ROW_STORE(5)
#undef TV_ROW_STORE
  FinishTile(ep, row, rows, 16, c, ldc);
}

// 12 x 32 tile: 24 zmm accumulators, two B vectors and one broadcast live per step, which
// keeps both FMA pipes busy without spilling.
// GemmEpilogue::Finish on two vectors of one row, in registers. max/min operand order makes
// NaN and signed zeros come out as the scalar comparisons do: vmaxps(a, b) returns b when
// either is NaN or both are zero.
__attribute__((target("avx512f"), always_inline)) inline void FinishRow(const GemmEpilogue& ep,
                                                                        int64_t row, __m512& v0,
                                                                        __m512& v1) {
  const int64_t ch = ep.first_channel + row;
  if (ep.bias) {
    const __m512 b = _mm512_set1_ps(ep.bias[ch]);
    v0 = _mm512_add_ps(v0, b);
    v1 = _mm512_add_ps(v1, b);
  }
  for (int i = 0; i < ep.num_ops; ++i) {
    const PostOp& op = ep.ops[i];
    if (op.kind == PostOp::Kind::kAffine) {
      const __m512 a = _mm512_set1_ps(op.scale[ch]), s = _mm512_set1_ps(op.shift[ch]);
      v0 = _mm512_add_ps(_mm512_mul_ps(v0, a), s);
      v1 = _mm512_add_ps(_mm512_mul_ps(v1, a), s);
    } else if (op.kind == PostOp::Kind::kMul) {
      const __m512 m = _mm512_set1_ps(op.scale[ch]);
      v0 = _mm512_mul_ps(v0, m);
      v1 = _mm512_mul_ps(v1, m);
    } else if (op.kind == PostOp::Kind::kAdd) {
      const __m512 m = _mm512_set1_ps(op.scale[ch]);
      v0 = _mm512_add_ps(v0, m);
      v1 = _mm512_add_ps(v1, m);
    } else if (op.kind == PostOp::Kind::kRelu) {  // x > 0 ? x : +0, NaN -> +0
      const __m512 zero = _mm512_setzero_ps();
      v0 = _mm512_max_ps(v0, zero);
      v1 = _mm512_max_ps(v1, zero);
    } else {  // x < lo ? lo : x (NaN stays), then v > hi ? hi : v
      const __m512 lo = _mm512_set1_ps(op.lo), hi = _mm512_set1_ps(op.hi);
      v0 = _mm512_min_ps(hi, _mm512_max_ps(lo, v0));
      v1 = _mm512_min_ps(hi, _mm512_max_ps(lo, v1));
    }
  }
}

__attribute__((target("avx512f"))) void KernelAvx512(int64_t kc, const float* a, const float* b,
                                                     float* c, int64_t ldc, bool first,
                                                     const GemmEpilogue* ep, int64_t row,
                                                     int64_t rows) {
#define TV_ROW_ACCUMULATORS(r)                                                 \
  __m512 c##r##0 = first ? _mm512_setzero_ps() : _mm512_loadu_ps(c + r * ldc); \
  __m512 c##r##1 = first ? _mm512_setzero_ps() : _mm512_loadu_ps(c + r * ldc + 16);
  TV_ROW_ACCUMULATORS(0)
  TV_ROW_ACCUMULATORS(1)
  TV_ROW_ACCUMULATORS(2)
  TV_ROW_ACCUMULATORS(3)
  TV_ROW_ACCUMULATORS(4)
  TV_ROW_ACCUMULATORS(5)
  TV_ROW_ACCUMULATORS(6)
  TV_ROW_ACCUMULATORS(7)
  TV_ROW_ACCUMULATORS(8)
  TV_ROW_ACCUMULATORS(9)
  TV_ROW_ACCUMULATORS(10)
  TV_ROW_ACCUMULATORS(11)
#undef TV_ROW_ACCUMULATORS
  for (int64_t p = 0; p < kc; ++p) {
    const __m512 b0 = _mm512_loadu_ps(b);
    const __m512 b1 = _mm512_loadu_ps(b + 16);
#define TV_ROW_FMA(r)                           \
  {                                             \
    const __m512 ar = _mm512_set1_ps(a[r]);     \
    c##r##0 = _mm512_fmadd_ps(ar, b0, c##r##0); \
    c##r##1 = _mm512_fmadd_ps(ar, b1, c##r##1); \
  }
    TV_ROW_FMA(0)
    TV_ROW_FMA(1)
    TV_ROW_FMA(2)
    TV_ROW_FMA(3)
    TV_ROW_FMA(4)
    TV_ROW_FMA(5)
    TV_ROW_FMA(6)
    TV_ROW_FMA(7)
    TV_ROW_FMA(8)
    TV_ROW_FMA(9)
    TV_ROW_FMA(10)
    TV_ROW_FMA(11)
#undef TV_ROW_FMA
    a += 12;
    b += 32;
  }
  if (ep) {
#define TV_ROW_FINISH(r) \
  if (r < rows) FinishRow(*ep, row + r, c##r##0, c##r##1);
    TV_ROW_FINISH(0)
    TV_ROW_FINISH(1)
    TV_ROW_FINISH(2)
    TV_ROW_FINISH(3)
    TV_ROW_FINISH(4)
    TV_ROW_FINISH(5)
    TV_ROW_FINISH(6)
    TV_ROW_FINISH(7)
    TV_ROW_FINISH(8)
    TV_ROW_FINISH(9)
    TV_ROW_FINISH(10)
    TV_ROW_FINISH(11)
#undef TV_ROW_FINISH
  }
#define TV_ROW_STORE(r)                   \
  _mm512_storeu_ps(c + r * ldc, c##r##0); \
  _mm512_storeu_ps(c + r * ldc + 16, c##r##1);
  TV_ROW_STORE(0)
  TV_ROW_STORE(1)
  TV_ROW_STORE(2)
  TV_ROW_STORE(3)
  TV_ROW_STORE(4)
  TV_ROW_STORE(5)
  TV_ROW_STORE(6)
  TV_ROW_STORE(7)
  TV_ROW_STORE(8)
  TV_ROW_STORE(9)
  TV_ROW_STORE(10)
  TV_ROW_STORE(11)
#undef TV_ROW_STORE
}
#endif

MicroKernel SelectKernel() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (std::getenv("TV_SGEMM_NO_AVX512") == nullptr && __builtin_cpu_supports("avx512f"))
    return {&KernelAvx512, 12, 32};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return {&KernelAvx2, 6, 16};
#endif
  return {&KernelScalar<6, 16>, 6, 16};
}

}  // namespace

const MicroKernel& Kernel() {
  static const MicroKernel kernel = SelectKernel();
  return kernel;
}

}  // namespace ref
}  // namespace tv
