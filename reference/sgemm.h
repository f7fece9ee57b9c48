// Position-independent single-precision GEMM.
//
// Every element of C is computed as the same chain of fused multiply-adds,
// c = fma(a[K-1], b[K-1], ... fma(a[0], b[0], 0)), whatever its row, column, tile or thread.
// BLAS libraries do not promise that (edge tiles and K splits differ), and a model whose output
// channels are identical must produce identical values: softmax over 1e10-scale logits amplifies
// a 1-ulp difference into a different argmax. The AVX-512 (12x32 tile), AVX2 (6x16) and scalar
// (std::fma) micro-kernels give bit-identical results, and so does every thread count.
// TV_SGEMM_NO_AVX512=1 in the environment selects the AVX2 kernel (tests use it).
#ifndef TINYVERIFY_REFERENCE_SGEMM_H_
#define TINYVERIFY_REFERENCE_SGEMM_H_

#include <cstdint>
#include <vector>

#include "reference/post_op.h"

namespace tv {
namespace ref {

class ThreadPool;

// C[M,N] = op(A)[M,K] * op(B)[K,N], row-major. op(A) = A, or A^T when trans_a (A is [K,M]);
// likewise for B. C is overwritten. `pool` may be null (single thread).
void Sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
           const float* b, int64_t ldb, float* c, int64_t ldc, ThreadPool* pool);

// op(A) packed once into the kernel's panel layout, for constant left operands (conv weights).
// Saves re-packing the weights on every inference, which dominates layers with few columns.
struct PackedMatrix {
  int64_t m = 0, k = 0;
  std::vector<float> data;
};
void PackLeftMatrix(bool trans_a, int64_t m, int64_t k, const float* a, int64_t lda,
                    PackedMatrix* out);
// C[M,N] = A * op(B) with A from PackLeftMatrix; bit-identical to Sgemm.
void SgemmPacked(const PackedMatrix& a, bool trans_b, int64_t n, const float* b, int64_t ldb,
                 float* c, int64_t ldc, ThreadPool* pool);

// Supplies the right operand straight in the kernel's panel layout, for operands that are
// never materialised as a matrix (a convolution's im2col columns are read from the image).
class GemmRhs {
 public:
  virtual ~GemmRhs() = default;
  // Writes B[k0:k0+kc, n0:n0+nc] as ceil(nc / nr) panels of kc rows x nr floats (panel j at
  // out + j * kc * nr), zero-filling columns past nc. Called on the GEMM's calling thread.
  virtual void Pack(int64_t k0, int64_t kc, int64_t n0, int64_t nc, int64_t nr,
                    float* out) const = 0;
};

// op(B) of an ordinary row-major matrix ([K,N], or [N,K] when trans).
class MatrixRhs : public GemmRhs {
 public:
  MatrixRhs(bool trans, const float* b, int64_t ldb) : trans_(trans), b_(b), ldb_(ldb) {}
  void Pack(int64_t k0, int64_t kc, int64_t n0, int64_t nc, int64_t nr, float* out) const override;

 private:
  bool trans_;
  const float* b_;
  int64_t ldb_;
};

// C[M,N] = A * B with A from PackLeftMatrix and B from `b`, then `epilogue` (may be null)
// applied in the micro-kernel's registers. Same fma chains as Sgemm.
void SgemmPackedRhs(const PackedMatrix& a, int64_t n, const GemmRhs& b, float* c, int64_t ldc,
                    const GemmEpilogue* epilogue, ThreadPool* pool);

// The epilogue over an already computed C (paths that do not go through SgemmPackedRhs).
void ApplyEpilogue(const GemmEpilogue& epilogue, int64_t rows, int64_t cols, float* c, int64_t ldc);

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_SGEMM_H_
