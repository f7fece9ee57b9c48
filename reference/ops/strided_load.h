// AVX2 loads of 8 or 4 floats at columns p, p + stride, ... for stride 1 or 2, used by the
// window kernels (depthwise Conv, pooling). The stride-2 forms read one float past the last
// one they return (p[2n - 1]); callers keep that inside the image row.
#ifndef TINYVERIFY_REFERENCE_OPS_STRIDED_LOAD_H_
#define TINYVERIFY_REFERENCE_OPS_STRIDED_LOAD_H_

#include <cstdint>

#if defined(__x86_64__)
#include <immintrin.h>

namespace tv {
namespace ref {

__attribute__((target("avx2"))) inline __m256 LoadStrided8(const float* p, int64_t stride) {
  if (stride == 1) return _mm256_loadu_ps(p);
  const __m256 even = _mm256_shuffle_ps(_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8), 0x88);
  // even = p0 p2 p8 p10 | p4 p6 p12 p14; reorder the 64-bit pairs to p0 p2 p4 ... p14.
  return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(even), 0xD8));
}

__attribute__((target("avx2"))) inline __m128 LoadStrided4(const float* p, int64_t stride) {
  if (stride == 1) return _mm_loadu_ps(p);
  return _mm_shuffle_ps(_mm_loadu_ps(p), _mm_loadu_ps(p + 4), 0x88);
}

// LoadStrided4 for stride 2 that reads nothing past p[6] (a masked load for p[4..6]), for the
// last columns of a row.
__attribute__((target("avx2"))) inline __m128 LoadStrided4Exact(const float* p, int64_t stride) {
  if (stride == 1) return _mm_loadu_ps(p);
  const __m128i first3 = _mm_setr_epi32(-1, -1, -1, 0);
  return _mm_shuffle_ps(_mm_loadu_ps(p), _mm_maskload_ps(p + 4, first3), 0x88);
}

}  // namespace ref
}  // namespace tv

#endif  // defined(__x86_64__)
#endif  // TINYVERIFY_REFERENCE_OPS_STRIDED_LOAD_H_
