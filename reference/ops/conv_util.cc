#include "reference/ops/conv_util.h"

#include <algorithm>
#include <cstring>

namespace tv {
namespace ref {

Status ComputeWindowGeometry(const PrepareContext& ctx, const Shape& input_spatial,
                             const std::vector<int64_t>& kernel, bool ceil_mode,
                             ConvGeometry* geo) {
  const size_t rank = input_spatial.size();
  const Attributes& at = ctx.attrs();
  geo->in = input_spatial;
  geo->kernel = kernel;
  geo->strides = at.GetInts("strides", std::vector<int64_t>(rank, 1));
  geo->dilations = at.GetInts("dilations", std::vector<int64_t>(rank, 1));
  geo->pads = at.GetInts("pads", std::vector<int64_t>(2 * rank, 0));
  if (kernel.size() != rank || geo->strides.size() != rank || geo->dilations.size() != rank ||
      geo->pads.size() != 2 * rank) {
    return ctx.Error("kernel/strides/dilations/pads do not match %zu spatial dimensions", rank);
  }
  // Bounds keep the size arithmetic below far from int64 overflow on corrupt attributes.
  constexpr int64_t kMaxGeometry = int64_t{1} << 30;
  for (size_t i = 0; i < rank; ++i) {
    if (kernel[i] > kMaxGeometry || geo->strides[i] > kMaxGeometry ||
        geo->dilations[i] > kMaxGeometry || geo->pads[i] > kMaxGeometry ||
        geo->pads[i + rank] > kMaxGeometry || geo->in[i] > kMaxGeometry) {
      return ctx.Error("window geometry exceeds 2^30");
    }
    if (kernel[i] < 1 || geo->strides[i] < 1 || geo->dilations[i] < 1 || geo->pads[i] < 0 ||
        geo->pads[i + rank] < 0) {
      return ctx.Error("kernel, strides and dilations must be positive and pads non-negative");
    }
  }
  const std::string auto_pad = at.GetString("auto_pad", "NOTSET");
  geo->out.assign(rank, 0);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t extent = (kernel[i] - 1) * geo->dilations[i] + 1;
    if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      const int64_t out = (geo->in[i] + geo->strides[i] - 1) / geo->strides[i];
      int64_t total = (out - 1) * geo->strides[i] + extent - geo->in[i];
      if (total < 0) total = 0;
      const int64_t small = total / 2;
      geo->pads[i] = auto_pad == "SAME_UPPER" ? small : total - small;
      geo->pads[i + rank] = total - geo->pads[i];
      geo->out[i] = out;
      continue;
    }
    if (auto_pad == "VALID") {
      geo->pads[i] = geo->pads[i + rank] = 0;
    } else if (auto_pad != "NOTSET" && !auto_pad.empty()) {
      return ctx.Error("auto_pad '%s' is not recognised", auto_pad.c_str());
    }
    const int64_t span = geo->in[i] + geo->pads[i] + geo->pads[i + rank] - extent;
    if (span < 0) {
      return ctx.Error("window %lld (dilated) is larger than the padded input %lld",
                       static_cast<long long>(extent),
                       static_cast<long long>(geo->in[i] + geo->pads[i] + geo->pads[i + rank]));
    }
    int64_t out =
        (ceil_mode ? (span + geo->strides[i] - 1) / geo->strides[i] : span / geo->strides[i]) + 1;
    // With ceil_mode the last window must start inside the input or left padding.
    if (ceil_mode && (out - 1) * geo->strides[i] >= geo->in[i] + geo->pads[i]) --out;
    geo->out[i] = out;
  }
  return Status::Ok();
}

template <typename T>
void Im2Col(const T* image, int64_t channels, const ConvGeometry& geo, T pad_value, T* col) {
  const size_t rank = geo.in.size();
  const int64_t out_size = geo.out_size();
  const int64_t in_size = geo.in_size();
  if (rank == 2) {
    const int64_t ih = geo.in[0], iw = geo.in[1], oh = geo.out[0], ow = geo.out[1];
    const int64_t kh = geo.kernel[0], kw = geo.kernel[1];
    const int64_t sh = geo.strides[0], sw = geo.strides[1];
    const int64_t dh = geo.dilations[0], dw = geo.dilations[1];
    const int64_t ph = geo.pads[0], pw = geo.pads[1];
    for (int64_t c = 0; c < channels; ++c) {
      const T* src = image + c * in_size;
      for (int64_t ky = 0; ky < kh; ++ky) {
        for (int64_t kx = 0; kx < kw; ++kx) {
          T* dst = col + ((c * kh + ky) * kw + kx) * out_size;
          for (int64_t y = 0; y < oh; ++y) {
            const int64_t iy = y * sh - ph + ky * dh;
            T* row = dst + y * ow;
            if (iy < 0 || iy >= ih) {
              for (int64_t x = 0; x < ow; ++x) row[x] = pad_value;
              continue;
            }
            const T* src_row = src + iy * iw;
            const int64_t x0 = kx * dw - pw;
            if (sw == 1 && x0 >= 0 && x0 + ow <= iw) {
              std::memcpy(row, src_row + x0, static_cast<size_t>(ow) * sizeof(T));
              continue;
            }
            for (int64_t x = 0; x < ow; ++x) {
              const int64_t ix = x * sw + x0;
              row[x] = (ix < 0 || ix >= iw) ? pad_value : src_row[ix];
            }
          }
        }
      }
    }
    return;
  }
  // Any rank: walk kernel offsets and output positions with explicit multi-indices.
  const int64_t ksize = geo.kernel_size();
  std::vector<int64_t> kidx(rank), oidx(rank);
  for (int64_t c = 0; c < channels; ++c) {
    const T* src = image + c * in_size;
    for (int64_t k = 0; k < ksize; ++k) {
      int64_t rem = k;
      for (int d = static_cast<int>(rank) - 1; d >= 0; --d) {
        kidx[d] = rem % geo.kernel[d];
        rem /= geo.kernel[d];
      }
      T* dst = col + (c * ksize + k) * out_size;
      std::fill(oidx.begin(), oidx.end(), 0);
      for (int64_t o = 0; o < out_size; ++o) {
        int64_t offset = 0;
        bool inside = true;
        for (size_t d = 0; d < rank && inside; ++d) {
          const int64_t pos = oidx[d] * geo.strides[d] - geo.pads[d] + kidx[d] * geo.dilations[d];
          inside = pos >= 0 && pos < geo.in[d];
          offset = offset * geo.in[d] + pos;
        }
        dst[o] = inside ? src[offset] : pad_value;
        for (int d = static_cast<int>(rank) - 1; d >= 0; --d) {
          if (++oidx[d] < geo.out[d]) break;
          oidx[d] = 0;
        }
      }
    }
  }
}

template void Im2Col<float>(const float*, int64_t, const ConvGeometry&, float, float*);
template void Im2Col<int32_t>(const int32_t*, int64_t, const ConvGeometry&, int32_t, int32_t*);

void Col2ImAdd(const float* col, int64_t channels, const ConvGeometry& geo, float* image) {
  const size_t rank = geo.in.size();
  const int64_t in_size = geo.in_size();
  const int64_t out_size = geo.out_size();
  const int64_t ksize = geo.kernel_size();
  std::vector<int64_t> kidx(rank), iidx(rank);
  for (int64_t c = 0; c < channels; ++c) {
    float* dst = image + c * out_size;
    for (int64_t k = 0; k < ksize; ++k) {
      int64_t rem = k;
      for (int d = static_cast<int>(rank) - 1; d >= 0; --d) {
        kidx[d] = rem % geo.kernel[d];
        rem /= geo.kernel[d];
      }
      const float* src = col + (c * ksize + k) * in_size;
      std::fill(iidx.begin(), iidx.end(), 0);
      for (int64_t i = 0; i < in_size; ++i) {
        int64_t offset = 0;
        bool inside = true;
        for (size_t d = 0; d < rank && inside; ++d) {
          const int64_t pos = iidx[d] * geo.strides[d] - geo.pads[d] + kidx[d] * geo.dilations[d];
          inside = pos >= 0 && pos < geo.out[d];
          offset = offset * geo.out[d] + pos;
        }
        if (inside) dst[offset] += src[i];
        for (int d = static_cast<int>(rank) - 1; d >= 0; --d) {
          if (++iidx[d] < geo.in[d]) break;
          iidx[d] = 0;
        }
      }
    }
  }
}

}  // namespace ref
}  // namespace tv
