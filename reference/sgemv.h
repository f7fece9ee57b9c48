// Matrix-vector product y[N] = a[K] * op(B)[K,N] for a constant B packed once, the batch-1
// fully connected layer. Sgemm re-packs B on every call, which for the 100+ MB weight matrices
// of AlexNet/VGG costs more than the product itself; here B is streamed once per inference.
//
// Same arithmetic contract as Sgemm (sgemm.h): every y[j] is the chain of fused multiply-adds
// fma(a[K-1], b[K-1][j], ... fma(a[0], b[0][j], 0)), so Sgemv gives bit-identical results to
// Sgemm with M == 1, for any thread count, with the AVX2 kernel or the scalar fallback.
#ifndef TINYVERIFY_REFERENCE_SGEMV_H_
#define TINYVERIFY_REFERENCE_SGEMV_H_

#include <cstdint>
#include <vector>

namespace tv {
namespace ref {

class ThreadPool;

// op(B) in column panels of kGemvPanel: data[panel][k][j], zero-padded past N.
struct PackedGemvMatrix {
  int64_t k = 0, n = 0;
  std::vector<float> data;
};

// Packs op(B) ([K,N]; B is [N,K] when trans_b) with leading dimension ldb.
void PackGemvMatrix(bool trans_b, int64_t k, int64_t n, const float* b, int64_t ldb,
                    PackedGemvMatrix* out);

// y[j] = sum_k a[k * inc_a] * op(B)[k][j] for j < N (overwritten). `pool` may be null.
void SgemvPacked(const PackedGemvMatrix& b, const float* a, int64_t inc_a, float* y,
                 ThreadPool* pool);

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_SGEMV_H_
