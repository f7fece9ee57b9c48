#include "reference/ops/depthwise_conv.h"

#include <algorithm>

#include "reference/ops/strided_load.h"
#include "reference/thread_pool.h"

// Every output element is computed as acc = 0; acc = acc + x * w for each tap inside the image
// in (ky, kx) order (product rounded, then sum rounded: the project builds with
// -ffp-contract=off, so no FMA is formed); y = acc + bias. The vector and scalar paths below
// evaluate exactly that per element, so results do not depend on position, ISA or threads.

namespace tv {
namespace ref {
namespace {

struct Window {
  int64_t ih, iw, oh, ow, kh, kw, sh, sw, dh, dw, ph, pw;
  // Output columns [x_lo, x_hi) read only columns inside the image for every kx.
  int64_t x_lo, x_hi;
  int64_t max_offset;  // (kw - 1) * dw - pw: column offset of the last tap
};

Window MakeWindow(const ConvGeometry& geo) {
  Window g;
  g.ih = geo.in[0], g.iw = geo.in[1], g.oh = geo.out[0], g.ow = geo.out[1];
  g.kh = geo.kernel[0], g.kw = geo.kernel[1];
  g.sh = geo.strides[0], g.sw = geo.strides[1];
  g.dh = geo.dilations[0], g.dw = geo.dilations[1];
  g.ph = geo.pads[0], g.pw = geo.pads[1];
  g.max_offset = (g.kw - 1) * g.dw - g.pw;
  g.x_lo = std::min(g.ow, (g.pw + g.sw - 1) / g.sw);
  const int64_t last = g.iw - 1 - g.max_offset;  // ox * sw must not exceed this
  g.x_hi = last < 0 ? g.x_lo : std::max(g.x_lo, std::min(g.ow, last / g.sw + 1));
  return g;
}

// Taps ky in [*lo, *hi) read rows inside the image for output row oy.
void RowTaps(const Window& g, int64_t oy, int64_t* lo, int64_t* hi) {
  const int64_t top = oy * g.sh - g.ph;  // iy = top + ky * dh
  *lo = top >= 0 ? 0 : std::min(g.kh, (-top + g.dh - 1) / g.dh);
  *hi = top >= g.ih ? *lo : std::max(*lo, std::min(g.kh, (g.ih - 1 - top) / g.dh + 1));
}

// One output element with bounds checks on the columns (rows come from RowTaps).
float Element(const Window& g, const float* src, const float* filt, float bias, int64_t oy,
              int64_t ky_lo, int64_t ky_hi, int64_t ox) {
  float acc = 0.0f;
  for (int64_t ky = ky_lo; ky < ky_hi; ++ky) {
    const float* src_row = src + (oy * g.sh - g.ph + ky * g.dh) * g.iw;
    for (int64_t kx = 0; kx < g.kw; ++kx) {
      const int64_t ix = ox * g.sw - g.pw + kx * g.dw;
      if (ix < 0 || ix >= g.iw) continue;
      acc = acc + src_row[ix] * filt[ky * g.kw + kx];
    }
  }
  return acc + bias;
}

void PlaneScalar(const Window& g, const float* src, const float* filt, float bias, float* dst) {
  for (int64_t oy = 0; oy < g.oh; ++oy) {
    int64_t ky_lo, ky_hi;
    RowTaps(g, oy, &ky_lo, &ky_hi);
    for (int64_t ox = 0; ox < g.ow; ++ox)
      dst[oy * g.ow + ox] = Element(g, src, filt, bias, oy, ky_lo, ky_hi, ox);
  }
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) void PlaneAvx2(const Window& g, const float* src, const float* filt,
                                               float bias, float* dst) {
  // A chunk of `n` outputs from column ox reads up to column (ox + n - 1) * sw + max_offset,
  // plus one more for the stride-2 pair loads, which must stay inside the row.
  const bool vector_stride = g.sw == 1 || g.sw == 2;
  auto fits = [&](int64_t ox, int64_t n) {
    return vector_stride && ox + n <= g.x_hi &&
           (ox + n - 1) * g.sw + g.max_offset + (g.sw - 1) < g.iw;
  };
  for (int64_t oy = 0; oy < g.oh; ++oy) {
    int64_t ky_lo, ky_hi;
    RowTaps(g, oy, &ky_lo, &ky_hi);
    float* row = dst + oy * g.ow;
    int64_t ox = 0;
    for (; ox < g.x_lo; ++ox) row[ox] = Element(g, src, filt, bias, oy, ky_lo, ky_hi, ox);
    for (; fits(ox, 8); ox += 8) {
      __m256 acc = _mm256_setzero_ps();
      for (int64_t ky = ky_lo; ky < ky_hi; ++ky) {
        const float* in = src + (oy * g.sh - g.ph + ky * g.dh) * g.iw + ox * g.sw - g.pw;
        for (int64_t kx = 0; kx < g.kw; ++kx) {
          const __m256 prod = _mm256_mul_ps(LoadStrided8(in + kx * g.dw, g.sw),
                                            _mm256_set1_ps(filt[ky * g.kw + kx]));
          acc = _mm256_add_ps(acc, prod);
        }
      }
      _mm256_storeu_ps(row + ox, _mm256_add_ps(acc, _mm256_set1_ps(bias)));
    }
    for (; fits(ox, 4); ox += 4) {
      __m128 acc = _mm_setzero_ps();
      for (int64_t ky = ky_lo; ky < ky_hi; ++ky) {
        const float* in = src + (oy * g.sh - g.ph + ky * g.dh) * g.iw + ox * g.sw - g.pw;
        for (int64_t kx = 0; kx < g.kw; ++kx) {
          const __m128 prod =
              _mm_mul_ps(LoadStrided4(in + kx * g.dw, g.sw), _mm_set1_ps(filt[ky * g.kw + kx]));
          acc = _mm_add_ps(acc, prod);
        }
      }
      _mm_storeu_ps(row + ox, _mm_add_ps(acc, _mm_set1_ps(bias)));
    }
    for (; ox < g.ow; ++ox) row[ox] = Element(g, src, filt, bias, oy, ky_lo, ky_hi, ox);
  }
}
#endif

using PlaneFn = void (*)(const Window&, const float*, const float*, float, float*);

PlaneFn SelectPlane() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) return &PlaneAvx2;
#endif
  return &PlaneScalar;
}

}  // namespace

void DepthwiseConv2D(const ConvGeometry& geo, int64_t batch, int64_t channels, const float* x,
                     const float* w, const float* bias, float* y, ThreadPool* pool) {
  static const PlaneFn plane_fn = SelectPlane();
  const Window g = MakeWindow(geo);
  pool->ParallelFor(batch * channels, 1, [&](int64_t begin, int64_t end) {
    for (int64_t nc = begin; nc < end; ++nc) {
      const int64_t c = nc % channels;
      plane_fn(g, x + nc * g.ih * g.iw, w + c * g.kh * g.kw, bias ? bias[c] : 0.0f,
               y + nc * g.oh * g.ow);
    }
  });
}

}  // namespace ref
}  // namespace tv
