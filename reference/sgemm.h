// Position-independent single-precision GEMM.
//
// Every element of C is computed as the same chain of fused multiply-adds,
// c = fma(a[K-1], b[K-1], ... fma(a[0], b[0], 0)), whatever its row, column, tile or thread.
// BLAS libraries do not promise that (edge tiles and K splits differ), and a model whose output
// channels are identical must produce identical values: softmax over 1e10-scale logits amplifies
// a 1-ulp difference into a different argmax. The AVX2 kernel and the scalar fallback (std::fma)
// give bit-identical results, and so does every thread count.
#ifndef TINYVERIFY_REFERENCE_SGEMM_H_
#define TINYVERIFY_REFERENCE_SGEMM_H_

#include <cstdint>
#include <vector>

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

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_SGEMM_H_
