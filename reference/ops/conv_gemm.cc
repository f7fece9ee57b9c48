#include "reference/ops/conv_gemm.h"

#include <algorithm>
#include <cstring>

namespace tv {
namespace ref {

void ImageColumnsRhs::Pack(int64_t k0, int64_t kc, int64_t n0, int64_t nc, int64_t nr,
                           float* out) const {
  const int64_t ih = geo_.in[0], iw = geo_.in[1], ow = geo_.out[1];
  const int64_t kh = geo_.kernel[0], kw = geo_.kernel[1];
  const int64_t sh = geo_.strides[0], sw = geo_.strides[1];
  const int64_t dh = geo_.dilations[0], dw = geo_.dilations[1];
  const int64_t ph = geo_.pads[0], pw = geo_.pads[1];
  const int64_t panel_stride = kc * nr;
  // Zero the padding columns of the last panel once; rows below only write real columns.
  const int64_t tail = nc % nr;
  if (tail != 0) {
    float* last = out + (nc / nr) * panel_stride;
    for (int64_t p = 0; p < kc; ++p) std::fill(last + p * nr + tail, last + (p + 1) * nr, 0.0f);
  }
  for (int64_t p = 0; p < kc; ++p) {
    const int64_t k = k0 + p;
    const int64_t kx = k % kw, ky = (k / kw) % kh, c = k / (kw * kh);
    const float* plane = image_ + c * ih * iw;
    const int64_t x_off = kx * dw - pw;
    // Output columns [lo, hi) read inside the image row; the rest are padding.
    const int64_t lo = x_off >= 0 ? 0 : std::min(ow, (-x_off + sw - 1) / sw);
    const int64_t hi = iw - x_off <= 0 ? 0 : std::min(ow, (iw - x_off - 1) / sw + 1);
    int64_t n = n0;
    const int64_t n_end = n0 + nc;
    while (n < n_end) {
      const int64_t oy = n / ow, ox0 = n % ow;
      const int64_t ox1 = std::min(ow, ox0 + (n_end - n));  // this output row's share
      const int64_t iy = oy * sh - ph + ky * dh;
      const bool row_inside = iy >= 0 && iy < ih;
      const float* src = plane + (row_inside ? iy * iw : 0);
      const int64_t in_lo = row_inside ? std::max(lo, ox0) : ox1;
      const int64_t in_hi = row_inside ? std::min(hi, ox1) : ox1;
      const int64_t j = n - n0;
      float* dst = out + (j / nr) * panel_stride + p * nr;
      int64_t lane = j % nr;
      auto put = [&](float v) {
        dst[lane] = v;
        if (++lane == nr) {
          lane = 0;
          dst += panel_stride;
        }
      };
      int64_t ox = ox0;
      for (; ox < std::min(in_lo, ox1); ++ox) put(0.0f);
      for (; ox < in_hi; ++ox) put(src[ox * sw + x_off]);
      for (; ox < ox1; ++ox) put(0.0f);
      n += ox1 - ox0;
    }
  }
}

void ChannelEpilogue::Apply(int64_t row, int64_t rows, int64_t /*col*/, int64_t cols, float* c,
                            int64_t ldc) const {
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t ch = first_channel_ + row + r;
    float* x = c + r * ldc;
    if (bias_) {
      const float b = bias_[ch];
      for (int64_t i = 0; i < cols; ++i) x[i] += b;
    }
    for (const PostOp& op : post_ops_) {
      if (op.kind == PostOp::Kind::kAffine) {
        const float a = op.scale[ch], s = op.shift[ch];
        for (int64_t i = 0; i < cols; ++i) x[i] = x[i] * a + s;
      } else if (op.kind == PostOp::Kind::kRelu) {
        for (int64_t i = 0; i < cols; ++i) x[i] = x[i] > 0.0f ? x[i] : 0.0f;
      } else {
        const float lo = op.lo, hi = op.hi;
        for (int64_t i = 0; i < cols; ++i) {
          const float v = x[i] < lo ? lo : x[i];
          x[i] = v > hi ? hi : v;
        }
      }
    }
  }
}

}  // namespace ref
}  // namespace tv
