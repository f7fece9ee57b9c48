#include "reference/sgemm.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "reference/thread_pool.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace tv {
namespace ref {
namespace {

constexpr int64_t kMr = 6;     // rows per micro-tile
constexpr int64_t kNr = 16;    // columns per micro-tile (two 8-float vectors)
constexpr int64_t kKc = 256;   // depth of a packed block
constexpr int64_t kNc = 1024;  // columns of a packed B block
constexpr int64_t kMc = 72;    // rows of a packed A block (multiple of kMr)

// acc[6x16] (row stride ldc) += A panel * B panel over kc steps; `first` starts from zero.
void KernelScalar(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool first) {
  float acc[kMr][kNr];
  for (int64_t r = 0; r < kMr; ++r) {
    for (int64_t j = 0; j < kNr; ++j) acc[r][j] = first ? 0.0f : c[r * ldc + j];
  }
  for (int64_t p = 0; p < kc; ++p) {
    for (int64_t r = 0; r < kMr; ++r) {
      for (int64_t j = 0; j < kNr; ++j)
        acc[r][j] = std::fma(a[p * kMr + r], b[p * kNr + j], acc[r][j]);
    }
  }
  for (int64_t r = 0; r < kMr; ++r) {
    for (int64_t j = 0; j < kNr; ++j) c[r * ldc + j] = acc[r][j];
  }
}

#if defined(__x86_64__)
// Twelve named accumulators: with arrays GCC spills them to the stack on every iteration.
__attribute__((target("avx2,fma"))) void KernelAvx2(int64_t kc, const float* a, const float* b,
                                                    float* c, int64_t ldc, bool first) {
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
    a += kMr;
    b += kNr;
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
}
#endif

using Kernel = void (*)(int64_t, const float*, const float*, float*, int64_t, bool);

Kernel SelectKernel() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return &KernelAvx2;
#endif
  return &KernelScalar;
}

// Packs op(B)[k0:k0+kc, n0:n0+nc] into kNr-wide column panels, zero-padding the last one.
void PackB(bool trans, const float* b, int64_t ldb, int64_t k0, int64_t kc, int64_t n0, int64_t nc,
           float* out) {
  for (int64_t j0 = 0; j0 < nc; j0 += kNr) {
    const int64_t w = std::min(kNr, nc - j0);
    for (int64_t p = 0; p < kc; ++p) {
      float* dst = out + (j0 / kNr) * kc * kNr + p * kNr;
      for (int64_t j = 0; j < w; ++j) {
        dst[j] = trans ? b[(n0 + j0 + j) * ldb + k0 + p] : b[(k0 + p) * ldb + n0 + j0 + j];
      }
      for (int64_t j = w; j < kNr; ++j) dst[j] = 0.0f;
    }
  }
}

// Packs op(A)[m0:m0+mc, k0:k0+kc] into kMr-tall row panels, zero-padding the last one.
void PackA(bool trans, const float* a, int64_t lda, int64_t m0, int64_t mc, int64_t k0, int64_t kc,
           float* out) {
  for (int64_t i0 = 0; i0 < mc; i0 += kMr) {
    const int64_t h = std::min(kMr, mc - i0);
    float* panel = out + (i0 / kMr) * kc * kMr;
    for (int64_t p = 0; p < kc; ++p) {
      for (int64_t r = 0; r < h; ++r) {
        panel[p * kMr + r] =
            trans ? a[(k0 + p) * lda + m0 + i0 + r] : a[(m0 + i0 + r) * lda + k0 + p];
      }
      for (int64_t r = h; r < kMr; ++r) panel[p * kMr + r] = 0.0f;
    }
  }
}

// Offset of the packed block (k block kb, row block mb) inside a PackedMatrix.
size_t PackedOffset(int64_t m, int64_t k0, int64_t m0, int64_t kc) {
  const int64_t padded_m = (m + kMr - 1) / kMr * kMr;
  return static_cast<size_t>(k0 * padded_m + m0 * kc);
}

// Shared driver. `packed` (may be null) holds op(A) pre-packed; otherwise A is packed per block.
void SgemmImpl(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const float* a,
               int64_t lda, const PackedMatrix* packed, const float* b, int64_t ldb, float* c,
               int64_t ldc, ThreadPool* pool) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    for (int64_t i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, 0.0f);
    return;
  }
  static const Kernel kernel = SelectKernel();
  // Reused across calls: allocating (and zero-filling) per GEMM costs page faults.
  thread_local std::vector<float> packed_b;
  const size_t b_size =
      static_cast<size_t>(std::min(kKc, k) * ((std::min(kNc, n) + kNr - 1) / kNr) * kNr);
  if (packed_b.size() < b_size) packed_b.resize(b_size);
  // Workers must see this thread's buffer: naming a thread_local inside the task lambda would
  // resolve to the worker's own (empty) instance.
  float* const shared_b = packed_b.data();
  for (int64_t k0 = 0; k0 < k; k0 += kKc) {
    const int64_t kc = std::min(kKc, k - k0);
    const bool first = k0 == 0;
    for (int64_t n0 = 0; n0 < n; n0 += kNc) {
      const int64_t nc = std::min(kNc, n - n0);
      PackB(trans_b, b, ldb, k0, kc, n0, nc, shared_b);
      // Tasks = (row block, group of column panels); results never depend on the split.
      const int64_t m_blocks = (m + kMc - 1) / kMc;
      const int64_t n_group = 256;
      const int64_t n_groups = (nc + n_group - 1) / n_group;
      auto work = [&](int64_t begin, int64_t end) {
        thread_local std::vector<float> packed_a;
        if (!packed && packed_a.size() < static_cast<size_t>(kMc * kc))
          packed_a.resize(static_cast<size_t>(kMc * kc));
        float edge[kMr * kNr] = {};
        int64_t packed_block = -1;
        for (int64_t task = begin; task < end; ++task) {
          const int64_t blk = task / n_groups, group = task % n_groups;
          const int64_t m0 = blk * kMc, mc = std::min(kMc, m - m0);
          const float* a_block =
              packed ? packed->data.data() + PackedOffset(m, k0, m0, kc) : packed_a.data();
          if (!packed && packed_block != blk)
            PackA(trans_a, a, lda, m0, mc, k0, kc, packed_a.data());
          packed_block = blk;
          const int64_t j_end = std::min(nc, (group + 1) * n_group);
          // B micro-panel (kc x 16) stays in L1 while the A panels of the block stream from L2.
          for (int64_t j0 = group * n_group; j0 < j_end; j0 += kNr) {
            const int64_t w = std::min(kNr, nc - j0);
            const float* bp = shared_b + (j0 / kNr) * kc * kNr;
            for (int64_t i0 = 0; i0 < mc; i0 += kMr) {
              const int64_t h = std::min(kMr, mc - i0);
              const float* ap = a_block + (i0 / kMr) * kc * kMr;
              float* ct = c + (m0 + i0) * ldc + n0 + j0;
              if (h == kMr && w == kNr) {
                kernel(kc, ap, bp, ct, ldc, first);
                continue;
              }
              // Partial tile: same kernel on a private copy, so edge elements see the
              // identical arithmetic as interior ones.
              for (int64_t r = 0; r < h; ++r)
                std::memcpy(edge + r * kNr, ct + r * ldc, w * sizeof(float));
              kernel(kc, ap, bp, edge, kNr, first);
              for (int64_t r = 0; r < h; ++r)
                std::memcpy(ct + r * ldc, edge + r * kNr, w * sizeof(float));
            }
          }
        }
      };
      if (pool) {
        pool->ParallelFor(m_blocks * n_groups, 1, work);
      } else {
        work(0, m_blocks * n_groups);
      }
    }
  }
}

}  // namespace

void Sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
           const float* b, int64_t ldb, float* c, int64_t ldc, ThreadPool* pool) {
  SgemmImpl(trans_a, trans_b, m, n, k, a, lda, nullptr, b, ldb, c, ldc, pool);
}

// Same blocks, same order as SgemmImpl packs them: k blocks outer, row blocks inner.
void PackLeftMatrix(bool trans_a, int64_t m, int64_t k, const float* a, int64_t lda,
                    PackedMatrix* out) {
  out->m = m;
  out->k = k;
  const int64_t padded_m = (m + kMr - 1) / kMr * kMr;
  out->data.assign(static_cast<size_t>(padded_m * k), 0.0f);
  for (int64_t k0 = 0; k0 < k; k0 += kKc) {
    const int64_t kc = std::min(kKc, k - k0);
    for (int64_t m0 = 0; m0 < m; m0 += kMc) {
      PackA(trans_a, a, lda, m0, std::min(kMc, m - m0), k0, kc,
            out->data.data() + PackedOffset(m, k0, m0, kc));
    }
  }
}

void SgemmPacked(const PackedMatrix& a, bool trans_b, int64_t n, const float* b, int64_t ldb,
                 float* c, int64_t ldc, ThreadPool* pool) {
  SgemmImpl(false, trans_b, a.m, n, a.k, nullptr, 0, &a, b, ldb, c, ldc, pool);
}

}  // namespace ref
}  // namespace tv
