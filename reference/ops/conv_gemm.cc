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
    // Columns are written as runs: contiguous in the source row (stride 1) and in the panel
    // until the panel's nr lanes are full.
    float* dst = out + p * nr;
    int64_t lane = 0;
    auto emit = [&](int64_t count, const float* src) {  // src == nullptr: zeros
      while (count > 0) {
        const int64_t take = std::min(count, nr - lane);
        float* d = dst + lane;
        if (src == nullptr) {
          std::fill(d, d + take, 0.0f);
        } else if (sw == 1) {
          std::memcpy(d, src, static_cast<size_t>(take) * sizeof(float));
          src += take;
        } else {
          for (int64_t t = 0; t < take; ++t) d[t] = src[t * sw];
          src += take * sw;
        }
        count -= take;
        lane += take;
        if (lane == nr) {
          lane = 0;
          dst += panel_stride;
        }
      }
    };
    int64_t n = n0;
    const int64_t n_end = n0 + nc;
    while (n < n_end) {
      const int64_t oy = n / ow, ox0 = n % ow;
      const int64_t ox1 = std::min(ow, ox0 + (n_end - n));  // this output row's share
      const int64_t iy = oy * sh - ph + ky * dh;
      if (iy < 0 || iy >= ih) {
        emit(ox1 - ox0, nullptr);
      } else {
        const int64_t in_lo = std::min(std::max(lo, ox0), ox1);
        const int64_t in_hi = std::max(std::min(hi, ox1), in_lo);
        emit(in_lo - ox0, nullptr);
        emit(in_hi - in_lo, plane + iy * iw + in_lo * sw + x_off);
        emit(ox1 - in_hi, nullptr);
      }
      n += ox1 - ox0;
    }
  }
}

}  // namespace ref
}  // namespace tv
