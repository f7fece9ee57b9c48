#include "reference/sgemm.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "reference/sgemm_microkernels.h"
#include "reference/thread_pool.h"

namespace tv {
namespace ref {
namespace {

// Micro-tile geometry comes from the selected kernel; these are the cache blocks around it.
constexpr int64_t kKc = 256;   // depth of a packed block
constexpr int64_t kNc = 1024;  // columns of a packed B block
constexpr int64_t kMc = 96;    // rows of a packed A block (multiple of every kernel's mr)
// Below this many multiply-adds per packed block (~0.1 ms on one core) threads are not used.
constexpr int64_t kMinParallelFmas = int64_t{1} << 24;

// Packs op(B)[k0:k0+kc, n0:n0+nc] into nr-wide column panels, zero-padding the last one.
void PackB(bool trans, const float* b, int64_t ldb, int64_t k0, int64_t kc, int64_t n0, int64_t nc,
           float* out) {
  const int64_t nr = Kernel().nr;
  for (int64_t j0 = 0; j0 < nc; j0 += nr) {
    const int64_t w = std::min(nr, nc - j0);
    float* panel = out + (j0 / nr) * kc * nr;
    for (int64_t p = 0; p < kc; ++p) {
      float* dst = panel + p * nr;
      if (trans) {
        for (int64_t j = 0; j < w; ++j) dst[j] = b[(n0 + j0 + j) * ldb + k0 + p];
      } else {  // a contiguous run of row k0 + p
        std::memcpy(dst, b + (k0 + p) * ldb + n0 + j0, static_cast<size_t>(w) * sizeof(float));
      }
      for (int64_t j = w; j < nr; ++j) dst[j] = 0.0f;
    }
  }
}

// Packs op(A)[m0:m0+mc, k0:k0+kc] into mr-tall row panels, zero-padding the last one.
void PackA(bool trans, const float* a, int64_t lda, int64_t m0, int64_t mc, int64_t k0, int64_t kc,
           float* out) {
  const int64_t mr = Kernel().mr;
  for (int64_t i0 = 0; i0 < mc; i0 += mr) {
    const int64_t h = std::min(mr, mc - i0);
    float* panel = out + (i0 / mr) * kc * mr;
    for (int64_t p = 0; p < kc; ++p) {
      for (int64_t r = 0; r < h; ++r) {
        panel[p * mr + r] =
            trans ? a[(k0 + p) * lda + m0 + i0 + r] : a[(m0 + i0 + r) * lda + k0 + p];
      }
      for (int64_t r = h; r < mr; ++r) panel[p * mr + r] = 0.0f;
    }
  }
}

// Offset of the packed block (k block kb, row block mb) inside a PackedMatrix.
size_t PackedOffset(int64_t m, int64_t k0, int64_t m0, int64_t kc) {
  const int64_t mr = Kernel().mr;
  const int64_t padded_m = (m + mr - 1) / mr * mr;
  return static_cast<size_t>(k0 * padded_m + m0 * kc);
}

// Shared driver. `packed` (may be null) holds op(A) pre-packed; otherwise A is packed per block.
void SgemmImpl(bool trans_a, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
               const PackedMatrix* packed, const GemmRhs& b, float* c, int64_t ldc,
               const GemmEpilogue* epilogue, ThreadPool* pool) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    for (int64_t i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, 0.0f);
    if (epilogue) ApplyEpilogue(*epilogue, m, n, c, ldc);
    return;
  }
  const MicroKernel& kernel = Kernel();
  const int64_t mr = kernel.mr, nr = kernel.nr;
  // Reused across calls: allocating (and zero-filling) per GEMM costs page faults.
  thread_local std::vector<float> packed_b;
  const size_t b_size =
      static_cast<size_t>(std::min(kKc, k) * ((std::min(kNc, n) + nr - 1) / nr) * nr);
  if (packed_b.size() < b_size) packed_b.resize(b_size);
  // Workers must see this thread's buffer: naming a thread_local inside the task lambda would
  // resolve to the worker's own (empty) instance.
  float* const shared_b = packed_b.data();
  for (int64_t k0 = 0; k0 < k; k0 += kKc) {
    const int64_t kc = std::min(kKc, k - k0);
    const bool first = k0 == 0;
    const GemmEpilogue* finish = k0 + kc == k ? epilogue : nullptr;
    for (int64_t n0 = 0; n0 < n; n0 += kNc) {
      const int64_t nc = std::min(kNc, n - n0);
      b.Pack(k0, kc, n0, nc, nr, shared_b);
      // Tasks = (row block, group of column panels); results never depend on the split.
      const int64_t m_blocks = (m + kMc - 1) / kMc;
      const int64_t n_group = 256;
      const int64_t n_groups = (nc + n_group - 1) / n_group;
      auto work = [&](int64_t begin, int64_t end) {
        thread_local std::vector<float> packed_a;
        if (!packed && packed_a.size() < static_cast<size_t>(kMc * kc))
          packed_a.resize(static_cast<size_t>(kMc * kc));
        float edge[kMaxMr * kMaxNr] = {};
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
          // B micro-panel (kc x nr) stays in L1 while the A panels of the block stream from L2.
          for (int64_t j0 = group * n_group; j0 < j_end; j0 += nr) {
            const int64_t w = std::min(nr, nc - j0);
            const float* bp = shared_b + (j0 / nr) * kc * nr;
            for (int64_t i0 = 0; i0 < mc; i0 += mr) {
              const int64_t h = std::min(mr, mc - i0);
              const float* ap = a_block + (i0 / mr) * kc * mr;
              float* ct = c + (m0 + i0) * ldc + n0 + j0;
              if (h == mr && w == nr) {
                kernel.fn(kc, ap, bp, ct, ldc, first, finish, m0 + i0, kernel.mr);
                continue;
              }
              // Partial tile: same kernel on a private copy, so edge elements see the
              // identical arithmetic as interior ones. The epilogue runs on the h real rows
              // only: the rest would read per-channel bias/scale past the end of those arrays.
              for (int64_t r = 0; r < h; ++r)
                std::memcpy(edge + r * nr, ct + r * ldc, w * sizeof(float));
              kernel.fn(kc, ap, bp, edge, nr, first, finish, m0 + i0, h);
              for (int64_t r = 0; r < h; ++r)
                std::memcpy(ct + r * ldc, edge + r * nr, w * sizeof(float));
            }
          }
        }
      };
      // Waking another thread costs tens of microseconds on a VM: small blocks run here.
      const bool worth_splitting = m * nc * kc >= kMinParallelFmas;
      if (pool && worth_splitting) {
        pool->ParallelFor(m_blocks * n_groups, 1, work);
      } else {
        work(0, m_blocks * n_groups);
      }
    }
  }
}

}  // namespace

void MatrixRhs::Pack(int64_t k0, int64_t kc, int64_t n0, int64_t nc, int64_t /*nr*/,
                     float* out) const {
  PackB(trans_, b_, ldb_, k0, kc, n0, nc, out);
}

void Sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
           const float* b, int64_t ldb, float* c, int64_t ldc, ThreadPool* pool) {
  SgemmImpl(trans_a, m, n, k, a, lda, nullptr, MatrixRhs(trans_b, b, ldb), c, ldc, nullptr, pool);
}

// Same blocks, same order as SgemmImpl packs them: k blocks outer, row blocks inner.
void PackLeftMatrix(bool trans_a, int64_t m, int64_t k, const float* a, int64_t lda,
                    PackedMatrix* out) {
  out->m = m;
  out->k = k;
  const int64_t mr = Kernel().mr;
  const int64_t padded_m = (m + mr - 1) / mr * mr;
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
  SgemmImpl(false, a.m, n, a.k, nullptr, 0, &a, MatrixRhs(trans_b, b, ldb), c, ldc, nullptr, pool);
}

void SgemmPackedRhs(const PackedMatrix& a, int64_t n, const GemmRhs& b, float* c, int64_t ldc,
                    const GemmEpilogue* epilogue, ThreadPool* pool) {
  SgemmImpl(false, a.m, n, a.k, nullptr, 0, &a, b, c, ldc, epilogue, pool);
}

}  // namespace ref
}  // namespace tv
