#include "reference/ops/depthwise_conv.h"

#include <algorithm>

#include "reference/thread_pool.h"

namespace tv {
namespace ref {

void DepthwiseConv2D(const ConvGeometry& geo, int64_t batch, int64_t channels, const float* x,
                     const float* w, const float* bias, float* y, ThreadPool* pool) {
  const int64_t ih = geo.in[0], iw = geo.in[1], oh = geo.out[0], ow = geo.out[1];
  const int64_t kh = geo.kernel[0], kw = geo.kernel[1];
  const int64_t sh = geo.strides[0], sw = geo.strides[1];
  const int64_t dh = geo.dilations[0], dw = geo.dilations[1];
  const int64_t ph = geo.pads[0], pw = geo.pads[1];
  pool->ParallelFor(batch * channels, 1, [&](int64_t begin, int64_t end) {
    for (int64_t nc = begin; nc < end; ++nc) {
      const int64_t c = nc % channels;
      const float* src = x + nc * ih * iw;
      const float* filt = w + c * kh * kw;
      float* dst = y + nc * oh * ow;
      const float b = bias ? bias[c] : 0.0f;
      // Row-wise accumulation: for each tap, the range of output columns whose input column is
      // inside the image is computed once, so the inner loop has no bounds checks. Taps are
      // still summed in (ky, kx) order for every output element.
      for (int64_t oy = 0; oy < oh; ++oy) {
        float* row = dst + oy * ow;
        for (int64_t ox = 0; ox < ow; ++ox) row[ox] = 0.0f;
        for (int64_t ky = 0; ky < kh; ++ky) {
          const int64_t iy = oy * sh - ph + ky * dh;
          if (iy < 0 || iy >= ih) continue;
          const float* src_row = src + iy * iw;
          for (int64_t kx = 0; kx < kw; ++kx) {
            const float wv = filt[ky * kw + kx];
            const int64_t offset = kx * dw - pw;  // ix = ox * sw + offset
            const int64_t lo = offset >= 0 ? 0 : (-offset + sw - 1) / sw;
            const int64_t hi = std::min(ow, iw - offset <= 0 ? 0 : (iw - offset - 1) / sw + 1);
            if (sw == 1) {
              const float* in = src_row + offset;
              for (int64_t ox = lo; ox < hi; ++ox) row[ox] += in[ox] * wv;
            } else {
              for (int64_t ox = lo; ox < hi; ++ox) row[ox] += src_row[ox * sw + offset] * wv;
            }
          }
        }
        for (int64_t ox = 0; ox < ow; ++ox) row[ox] += b;
      }
    }
  });
}

}  // namespace ref
}  // namespace tv
