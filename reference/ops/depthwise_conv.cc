#include "reference/ops/depthwise_conv.h"

#include <algorithm>
#include <cmath>

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
  // Zero-padded plane for PaddedPlaneAvx2: wp x hp floats, when `padded` (it fits the buffer).
  int64_t wp, hp;
  bool padded;
};

constexpr int64_t kPaddedBufferFloats = 16384;  // 64 KiB on the stack: a padded 112 x 112 plane

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
  // Columns read by the last 8-wide chunk of a row, plus one for the stride-2 pair loads.
  const int64_t ow8 = (g.ow + 7) / 8 * 8;
  g.wp = (ow8 - 1) * g.sw + (g.kw - 1) * g.dw + 1 + (g.sw - 1);
  g.hp = (g.oh - 1) * g.sh + (g.kh - 1) * g.dh + 1;
  g.padded = (g.sw == 1 || g.sw == 2) && g.oh > 0 && g.ow > 0 && g.hp * g.wp <= kPaddedBufferFloats;
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

// Fused consumers of output channel c on its freshly computed plane (the bias is already in).
void ApplyPostOps(const Window& g, const GemmEpilogue* post_ops, int64_t c, float* plane) {
  if (!post_ops || post_ops->num_ops == 0) return;
  GemmEpilogue e = *post_ops;
  e.first_channel = c;
  ApplyEpilogue(e, 1, g.oh * g.ow, plane, g.oh * g.ow);
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
// Lane masks: kLaneMask + 8 - n selects the first n of 8 lanes.
alignas(32) const int32_t kLaneMask[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

// Stores chunk `chunk` (8 outputs of row chunk / row_chunks) into dst; the last chunk of a row
// may be partial.
__attribute__((target("avx2"))) inline void StoreChunk(const Window& g, int64_t chunk,
                                                       int64_t row_chunks, __m256 value,
                                                       float* dst) {
  const int64_t oy = chunk / row_chunks, ox = (chunk % row_chunks) * 8;
  float* out = dst + oy * g.ow + ox;
  if (ox + 8 <= g.ow) {
    _mm256_storeu_ps(out, value);
  } else {
    const __m256i mask =
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kLaneMask + 8 - (g.ow - ox)));
    _mm256_maskstore_ps(out, mask, value);
  }
}

// Whole-plane path over `buf`, the input plane with its zero padding (CopyPlaneAvx2), so that
// every output row is computed in 8-wide chunks with no border cases. A tap in the padding
// then adds 0 * w, which is +-0 for finite w and leaves acc unchanged (acc starts at +0 and a
// rounded sum is never -0), so the result equals skipping the tap. Callers only use it when
// every weight of the channel is finite.
__attribute__((target("avx2"))) void PaddedPlaneAvx2(const Window& g, float* buf, const float* filt,
                                                     float bias, float* dst) {
  const int64_t wp = g.wp, ow8 = (g.ow + 7) / 8 * 8;
  // Outputs are computed in chunks of 8 along each row, four chunks at a time: four
  // independent add chains hide the add latency (each output still sums its taps in order).
  const __m256 b = _mm256_set1_ps(bias);
  const int64_t row_chunks = ow8 / 8, chunks = g.oh * row_chunks;
  auto first_input = [&](int64_t chunk) {
    return buf + (chunk / row_chunks) * g.sh * wp + (chunk % row_chunks) * 8 * g.sw;
  };
  int64_t chunk = 0;
  for (; chunk + 4 <= chunks; chunk += 4) {
    const float* in0 = first_input(chunk);
    const float* in1 = first_input(chunk + 1);
    const float* in2 = first_input(chunk + 2);
    const float* in3 = first_input(chunk + 3);
    __m256 acc0 = _mm256_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    for (int64_t ky = 0; ky < g.kh; ++ky) {
      for (int64_t kx = 0; kx < g.kw; ++kx) {
        const int64_t off = ky * g.dh * wp + kx * g.dw;
        const __m256 w = _mm256_set1_ps(filt[ky * g.kw + kx]);
        acc0 = _mm256_add_ps(acc0, _mm256_mul_ps(LoadStrided8(in0 + off, g.sw), w));
        acc1 = _mm256_add_ps(acc1, _mm256_mul_ps(LoadStrided8(in1 + off, g.sw), w));
        acc2 = _mm256_add_ps(acc2, _mm256_mul_ps(LoadStrided8(in2 + off, g.sw), w));
        acc3 = _mm256_add_ps(acc3, _mm256_mul_ps(LoadStrided8(in3 + off, g.sw), w));
      }
    }
    StoreChunk(g, chunk, row_chunks, _mm256_add_ps(acc0, b), dst);
    StoreChunk(g, chunk + 1, row_chunks, _mm256_add_ps(acc1, b), dst);
    StoreChunk(g, chunk + 2, row_chunks, _mm256_add_ps(acc2, b), dst);
    StoreChunk(g, chunk + 3, row_chunks, _mm256_add_ps(acc3, b), dst);
  }
  for (; chunk < chunks; ++chunk) {
    const float* in = first_input(chunk);
    __m256 acc = _mm256_setzero_ps();
    for (int64_t ky = 0; ky < g.kh; ++ky) {
      for (int64_t kx = 0; kx < g.kw; ++kx) {
        const __m256 w = _mm256_set1_ps(filt[ky * g.kw + kx]);
        acc = _mm256_add_ps(acc,
                            _mm256_mul_ps(LoadStrided8(in + ky * g.dh * wp + kx * g.dw, g.sw), w));
      }
    }
    StoreChunk(g, chunk, row_chunks, _mm256_add_ps(acc, b), dst);
  }
}

// PaddedPlaneAvx2 for the common 3x3, dilation 1 filter with a compile-time stride: the nine
// taps are unrolled with their weights held in registers. Same per-element arithmetic.
template <int kStride>
__attribute__((target("avx2"))) void PaddedPlane3x3Avx2(const Window& g, const float* buf,
                                                        const float* filt, float bias, float* dst) {
  const int64_t wp = g.wp, row_chunks = (g.ow + 7) / 8, chunks = g.oh * row_chunks;
  const __m256 w0 = _mm256_set1_ps(filt[0]), w1 = _mm256_set1_ps(filt[1]),
               w2 = _mm256_set1_ps(filt[2]), w3 = _mm256_set1_ps(filt[3]),
               w4 = _mm256_set1_ps(filt[4]), w5 = _mm256_set1_ps(filt[5]),
               w6 = _mm256_set1_ps(filt[6]), w7 = _mm256_set1_ps(filt[7]),
               w8 = _mm256_set1_ps(filt[8]);
  const __m256 b = _mm256_set1_ps(bias);
  auto first_input = [&](int64_t chunk) {
    return buf + (chunk / row_chunks) * g.sh * wp + (chunk % row_chunks) * 8 * kStride;
  };
#define TV_DW_TAP(acc, in, off, w) \
  acc = _mm256_add_ps(acc, _mm256_mul_ps(LoadStrided8((in) + (off), kStride), w))
#define TV_DW_TAPS(acc, in)           \
  TV_DW_TAP(acc, in, 0, w0);          \
  TV_DW_TAP(acc, in, 1, w1);          \
  TV_DW_TAP(acc, in, 2, w2);          \
  TV_DW_TAP(acc, in, wp, w3);         \
  TV_DW_TAP(acc, in, wp + 1, w4);     \
  TV_DW_TAP(acc, in, wp + 2, w5);     \
  TV_DW_TAP(acc, in, 2 * wp, w6);     \
  TV_DW_TAP(acc, in, 2 * wp + 1, w7); \
  TV_DW_TAP(acc, in, 2 * wp + 2, w8);
  int64_t chunk = 0;
  for (; chunk + 2 <= chunks; chunk += 2) {
    const float* in0 = first_input(chunk);
    const float* in1 = first_input(chunk + 1);
    __m256 acc0 = _mm256_setzero_ps(), acc1 = acc0;
    TV_DW_TAPS(acc0, in0)
    TV_DW_TAPS(acc1, in1)
    StoreChunk(g, chunk, row_chunks, _mm256_add_ps(acc0, b), dst);
    StoreChunk(g, chunk + 1, row_chunks, _mm256_add_ps(acc1, b), dst);
  }
  for (; chunk < chunks; ++chunk) {
    const float* in = first_input(chunk);
    __m256 acc = _mm256_setzero_ps();
    TV_DW_TAPS(acc, in)
    StoreChunk(g, chunk, row_chunks, _mm256_add_ps(acc, b), dst);
  }
#undef TV_DW_TAPS
#undef TV_DW_TAP
}

// Copies the image rows of a plane into the padded buffer, whose padding is already zero.
__attribute__((target("avx2"))) void CopyPlaneAvx2(const Window& g, const float* src, float* buf) {
  const int64_t lead = std::min(g.pw, g.wp);
  const int64_t n = std::max<int64_t>(0, std::min(g.iw, g.wp - lead));
  const __m256i tail_mask =
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kLaneMask + 8 - n % 8));
  for (int64_t iy = std::max<int64_t>(0, -g.ph); iy < g.ih && iy + g.ph < g.hp; ++iy) {
    const float* in = src + iy * g.iw;
    float* out = buf + (iy + g.ph) * g.wp + lead;
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, _mm256_loadu_ps(in + i));
    if (i < n) _mm256_maskstore_ps(out + i, tail_mask, _mm256_maskload_ps(in + i, tail_mask));
  }
}

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

__attribute__((target("avx2"))) void PlanesAvx2(const Window& g, const float* x, const float* w,
                                                const float* bias, int64_t channels, int64_t begin,
                                                int64_t end, float* y,
                                                const GemmEpilogue* post_ops) {
  alignas(32) float buf[kPaddedBufferFloats];
  if (g.padded) std::fill(buf, buf + g.hp * g.wp, 0.0f);  // the padding stays zero
  for (int64_t nc = begin; nc < end; ++nc) {
    const int64_t c = nc % channels;
    const float* src = x + nc * g.ih * g.iw;
    const float* filt = w + c * g.kh * g.kw;
    float* dst = y + nc * g.oh * g.ow;
    const float b = bias ? bias[c] : 0.0f;
    bool finite = true;
    for (int64_t i = 0; i < g.kh * g.kw; ++i) finite &= std::isfinite(filt[i]);
    if (g.padded && finite) {
      CopyPlaneAvx2(g, src, buf);
      if (g.kh == 3 && g.kw == 3 && g.dh == 1 && g.dw == 1) {
        if (g.sw == 1) {
          PaddedPlane3x3Avx2<1>(g, buf, filt, b, dst);
        } else {
          PaddedPlane3x3Avx2<2>(g, buf, filt, b, dst);
        }
      } else {
        PaddedPlaneAvx2(g, buf, filt, b, dst);
      }
    } else {
      PlaneAvx2(g, src, filt, b, dst);
    }
    ApplyPostOps(g, post_ops, c, dst);
  }
}
#endif

void PlanesScalar(const Window& g, const float* x, const float* w, const float* bias,
                  int64_t channels, int64_t begin, int64_t end, float* y,
                  const GemmEpilogue* post_ops) {
  for (int64_t nc = begin; nc < end; ++nc) {
    const int64_t c = nc % channels;
    float* dst = y + nc * g.oh * g.ow;
    PlaneScalar(g, x + nc * g.ih * g.iw, w + c * g.kh * g.kw, bias ? bias[c] : 0.0f, dst);
    ApplyPostOps(g, post_ops, c, dst);
  }
}

// Computes planes [begin, end) of the batch * channels output planes.
using PlanesFn = void (*)(const Window&, const float*, const float*, const float*, int64_t, int64_t,
                          int64_t, float*, const GemmEpilogue*);

PlanesFn SelectPlanes() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) return &PlanesAvx2;
#endif
  return &PlanesScalar;
}

}  // namespace

void DepthwiseConv2D(const ConvGeometry& geo, int64_t batch, int64_t channels, const float* x,
                     const float* w, const float* bias, float* y, ThreadPool* pool,
                     const GemmEpilogue* post_ops) {
  static const PlanesFn planes_fn = SelectPlanes();
  const Window g = MakeWindow(geo);
  pool->ParallelFor(batch * channels, 1, [&](int64_t begin, int64_t end) {
    planes_fn(g, x, w, bias, channels, begin, end, y, post_ops);
  });
}

}  // namespace ref
}  // namespace tv
