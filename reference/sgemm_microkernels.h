// Internal to sgemm.cc: the micro-kernel that computes one mr x nr tile of C from packed
// panels, chosen once per process for the CPU (AVX-512, AVX2 or portable std::fma).
#ifndef TINYVERIFY_REFERENCE_SGEMM_MICROKERNELS_H_
#define TINYVERIFY_REFERENCE_SGEMM_MICROKERNELS_H_

#include <cstdint>

#include "reference/post_op.h"

namespace tv {
namespace ref {

constexpr int64_t kMaxMr = 16, kMaxNr = 32;  // bounds of every kernel's tile

// c[mr x nr] (row stride ldc) = (first ? 0 : c) + A panel [kc][mr] x B panel [kc][nr], each
// element as one fma chain in k order; then, when `ep` is set (last k block), ep->Finish on
// every element of the first `rows` rows, row r of the tile being row `row + r` of C. Rows
// from `rows` on are scratch of a partial tile: the epilogue skips them, as it would read
// per-channel parameters past their end.
using MicroKernelFn = void (*)(int64_t kc, const float* a, const float* b, float* c, int64_t ldc,
                               bool first, const GemmEpilogue* ep, int64_t row, int64_t rows);

struct MicroKernel {
  MicroKernelFn fn;
  int64_t mr, nr;
};

// The packed layouts depend on mr/nr, so this is fixed for the process. TV_SGEMM_NO_AVX512=1
// in the environment skips the AVX-512 kernel (tests use it to cover the AVX2 one).
const MicroKernel& Kernel();

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_SGEMM_MICROKERNELS_H_
