// MaxPool (optional Indices output), AveragePool (count_include_pad, ceil_mode, dilations),
// GlobalAveragePool and GlobalMaxPool over any number of spatial dimensions.
#include <algorithm>
#include <limits>
#include <type_traits>

#include "reference/ops/conv_util.h"
#include "reference/ops/op_util.h"
#include "reference/ops/registry.h"
#include "reference/ops/strided_load.h"
#include "reference/thread_pool.h"

namespace tv {
namespace ref {
namespace {

struct Window2D {
  int64_t ih = 0, iw = 0, oh = 0, ow = 0, kh = 0, kw = 0, sh = 1, sw = 1, dh = 1, dw = 1;
  int64_t ph = 0, pw = 0, limit_h = 0, limit_w = 0;  // limits: end of the padded extent
  // Output columns [x_lo, x_hi) read only columns inside the image for every kx.
  int64_t x_lo = 0, x_hi = 0;
  int64_t max_offset = 0;  // (kw - 1) * dw - pw: column offset of the last tap
};

Window2D MakeWindow2D(const ConvGeometry& geo) {
  Window2D g;
  g.ih = geo.in[0], g.iw = geo.in[1], g.oh = geo.out[0], g.ow = geo.out[1];
  g.kh = geo.kernel[0], g.kw = geo.kernel[1];
  g.sh = geo.strides[0], g.sw = geo.strides[1];
  g.dh = geo.dilations[0], g.dw = geo.dilations[1];
  g.ph = geo.pads[0], g.pw = geo.pads[1];
  g.limit_h = g.ih + geo.pads[2], g.limit_w = g.iw + geo.pads[3];
  g.max_offset = (g.kw - 1) * g.dw - g.pw;
  g.x_lo = std::min(g.ow, (g.pw + g.sw - 1) / g.sw);
  const int64_t last = g.iw - 1 - g.max_offset;  // ox * sw must not exceed this
  g.x_hi = last < 0 ? g.x_lo : std::max(g.x_lo, std::min(g.ow, last / g.sw + 1));
  return g;
}

// Taps t in [0, k) of one axis at positions start + t * step: [lo, hi) fall inside the image
// [0, n), the first in_extent fall before `limit` (the end of the padded extent).
struct TapRange {
  int64_t lo, hi, in_extent;
};
TapRange Taps(int64_t start, int64_t step, int64_t k, int64_t n, int64_t limit) {
  TapRange r;
  r.lo = start >= 0 ? 0 : std::min(k, (-start + step - 1) / step);
  r.hi = start >= n ? r.lo : std::max(r.lo, std::min(k, (n - 1 - start) / step + 1));
  r.in_extent = start >= limit ? 0 : std::min(k, (limit - 1 - start) / step + 1);
  return r;
}

// Computes row[ox..) of an output row from its `rows` window rows inside the image (`top` points
// at the first of them) and returns the first column it did not compute (at most x_hi). Each
// output is evaluated like Pool2DElement: max keeps the first tap unless a later one is greater
// (MAXPS(v, best) is exactly `v > best ? v : best`), average sums the taps in double in (ky, kx)
// order and divides by `divisor`.
using PoolInteriorFn = int64_t (*)(const Window2D&, bool, const float*, int64_t, double, int64_t,
                                   float*);

#if defined(__x86_64__)
__attribute__((target("avx2"))) int64_t PoolInteriorAvx2(const Window2D& g, bool is_max,
                                                         const float* top, int64_t rows,
                                                         double divisor, int64_t ox, float* row) {
  if (g.sw != 1 && g.sw != 2) return ox;
  // 8-wide chunks also read the float after their last tap (stride 2); 4-wide ones do not.
  auto fits = [&](int64_t n) {
    const int64_t extra = n == 8 ? g.sw - 1 : 0;
    return ox + n <= g.x_hi && (ox + n - 1) * g.sw + g.max_offset + extra < g.iw;
  };
  const __m256d count = _mm256_set1_pd(divisor);
  for (; fits(8); ox += 8) {
    const float* base = top + ox * g.sw - g.pw;
    __m256 best = LoadStrided8(base, g.sw);
    __m256d lo = _mm256_setzero_pd(), hi = _mm256_setzero_pd();
    for (int64_t ky = 0; ky < rows; ++ky) {
      for (int64_t kx = 0; kx < g.kw; ++kx) {
        const __m256 v = LoadStrided8(base + ky * g.dh * g.iw + kx * g.dw, g.sw);
        if (is_max) {
          best = _mm256_max_ps(v, best);
        } else {
          lo = _mm256_add_pd(lo, _mm256_cvtps_pd(_mm256_castps256_ps128(v)));
          hi = _mm256_add_pd(hi, _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
        }
      }
    }
    if (!is_max) {
      best = _mm256_set_m128(_mm256_cvtpd_ps(_mm256_div_pd(hi, count)),
                             _mm256_cvtpd_ps(_mm256_div_pd(lo, count)));
    }
    _mm256_storeu_ps(row + ox, best);
  }
  for (; fits(4); ox += 4) {
    const float* base = top + ox * g.sw - g.pw;
    __m128 best = LoadStrided4Exact(base, g.sw);
    __m256d sum = _mm256_setzero_pd();
    for (int64_t ky = 0; ky < rows; ++ky) {
      for (int64_t kx = 0; kx < g.kw; ++kx) {
        const __m128 v = LoadStrided4Exact(base + ky * g.dh * g.iw + kx * g.dw, g.sw);
        if (is_max) {
          best = _mm_max_ps(v, best);
        } else {
          sum = _mm256_add_pd(sum, _mm256_cvtps_pd(v));
        }
      }
    }
    if (!is_max) best = _mm256_cvtpd_ps(_mm256_div_pd(sum, count));
    _mm_storeu_ps(row + ox, best);
  }
  return ox;
}
#endif

PoolInteriorFn SelectPoolInterior() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) return &PoolInteriorAvx2;
#endif
  return nullptr;
}

class PoolKernel : public OpKernel {
 public:
  explicit PoolKernel(bool is_max) : is_max_(is_max) {}

  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(1, 1));
    const Shape& x = ctx->input_shape(0);
    dtype_ = ctx->input_dtype(0);
    const bool type_ok =
        is_max_ ? DispatchNumeric(dtype_, [](auto) {}) : DispatchFloat(dtype_, [](auto) {});
    if (!type_ok) return ctx->Error("type %s is not supported", DataTypeName(dtype_));
    if (x.size() < 3)
      return ctx->Error("input %s must be N x C x spatial", ShapeToString(x).c_str());
    const std::vector<int64_t> kernel = ctx->attrs().GetInts("kernel_shape");
    if (kernel.size() != x.size() - 2)
      return ctx->Error("kernel_shape must have %zu entries", x.size() - 2);
    const bool ceil_mode = ctx->attrs().GetInt("ceil_mode", 0) != 0;
    TV_RETURN_IF_ERROR(
        ComputeWindowGeometry(*ctx, Shape(x.begin() + 2, x.end()), kernel, ceil_mode, &geo_));
    count_include_pad_ = ctx->attrs().GetInt("count_include_pad", 0) != 0;
    storage_order_ = ctx->attrs().GetInt("storage_order", 0);
    planes_ = x[0] * x[1];
    if (geo_.in.size() == 2) win_ = MakeWindow2D(geo_);
    Shape out = {x[0], x[1]};
    out.insert(out.end(), geo_.out.begin(), geo_.out.end());
    ctx->SetOutput(0, dtype_, out);
    if (is_max_ && ctx->has_output(1)) ctx->SetOutput(1, DataType::kInt64, out);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    int64_t* indices = ctx->outputs.size() > 1 ? ctx->outputs[1].as<int64_t>() : nullptr;
    DispatchNumeric(dtype_, [&](auto tag) {
      using T = decltype(tag);
      const T* x = ctx->inputs[0].as<T>();
      T* y = ctx->outputs[0].as<T>();
      ctx->pool->ParallelFor(planes_, 1, [&](int64_t begin, int64_t end) {
        for (int64_t p = begin; p < end; ++p) PoolPlane(x, y, indices, p);
      });
    });
    return Status::Ok();
  }

  int64_t Flops() const override { return planes_ * geo_.out_size() * geo_.kernel_size(); }

 private:
  // One 2-D output element: the taps inside the image in (ky, kx) order, the count of taps
  // inside the padded extent for count_include_pad. Same results as the generic path.
  template <typename T>
  T Pool2DElement(const T* src, int64_t oy, int64_t ox) const {
    const Window2D& g = win_;
    const TapRange rows = Taps(oy * g.sh - g.ph, g.dh, g.kh, g.ih, g.limit_h);
    const TapRange cols = Taps(ox * g.sw - g.pw, g.dw, g.kw, g.iw, g.limit_w);
    const T* base = src + (oy * g.sh - g.ph) * g.iw + ox * g.sw - g.pw;
    if (is_max_) {
      if (rows.hi <= rows.lo || cols.hi <= cols.lo) {
        return std::numeric_limits<T>::lowest();  // every tap is padding
      }
      // The first tap, then `v > best ? v : best` (a branch-free MAXSS for float).
      T best = base[rows.lo * g.dh * g.iw + cols.lo * g.dw];
      for (int64_t ky = rows.lo; ky < rows.hi; ++ky) {
        for (int64_t kx = cols.lo; kx < cols.hi; ++kx) {
          const T v = base[ky * g.dh * g.iw + kx * g.dw];
          best = v > best ? v : best;
        }
      }
      return best;
    }
    double sum = 0.0;
    for (int64_t ky = rows.lo; ky < rows.hi; ++ky) {
      for (int64_t kx = cols.lo; kx < cols.hi; ++kx)
        sum += static_cast<double>(base[ky * g.dh * g.iw + kx * g.dw]);
    }
    const int64_t divisor = count_include_pad_ ? rows.in_extent * cols.in_extent
                                               : (rows.hi - rows.lo) * (cols.hi - cols.lo);
    return static_cast<T>(divisor > 0 ? sum / divisor : 0.0);
  }

  template <typename T>
  void PoolPlane2D(const T* x, T* y, int64_t plane) const {
    const Window2D& g = win_;
    const T* src = x + plane * g.ih * g.iw;
    T* dst = y + plane * g.oh * g.ow;
    for (int64_t oy = 0; oy < g.oh; ++oy) {
      T* row = dst + oy * g.ow;
      int64_t ox = 0;
      if constexpr (std::is_same<T, float>::value) {
        // Columns whose taps are all inside the image go through the vector kernel.
        static const PoolInteriorFn interior = SelectPoolInterior();
        const int64_t top = oy * g.sh - g.ph;
        const TapRange rows = Taps(top, g.dh, g.kh, g.ih, g.limit_h);
        if (interior && rows.hi > rows.lo) {
          const int64_t divisor =
              count_include_pad_ ? rows.in_extent * g.kw : (rows.hi - rows.lo) * g.kw;
          for (; ox < g.x_lo; ++ox) row[ox] = Pool2DElement(src, oy, ox);
          ox = interior(g, is_max_, src + (top + rows.lo * g.dh) * g.iw, rows.hi - rows.lo,
                        static_cast<double>(divisor), ox, row);
        }
      }
      for (; ox < g.ow; ++ox) row[ox] = Pool2DElement(src, oy, ox);
    }
  }

  template <typename T>
  void PoolPlane(const T* x, T* y, int64_t* indices, int64_t plane) const {
    const size_t rank = geo_.in.size();
    if (rank == 2 && !indices) {
      PoolPlane2D(x, y, plane);
      return;
    }
    const int64_t in_size = geo_.in_size(), out_size = geo_.out_size();
    const int64_t ksize = geo_.kernel_size();
    const T* src = x + plane * in_size;
    std::vector<int64_t> oidx(rank, 0), kidx(rank), pos(rank);
    for (int64_t o = 0; o < out_size; ++o) {
      double sum = 0.0;
      T best = std::numeric_limits<T>::lowest();
      int64_t best_index = -1, valid = 0, padded = 0;
      for (int64_t k = 0; k < ksize; ++k) {
        int64_t rem = k;
        for (int d = static_cast<int>(rank) - 1; d >= 0; --d) {
          kidx[d] = rem % geo_.kernel[d];
          rem /= geo_.kernel[d];
        }
        bool inside = true, in_padded = true;
        int64_t offset = 0;
        for (size_t d = 0; d < rank; ++d) {
          pos[d] = oidx[d] * geo_.strides[d] - geo_.pads[d] + kidx[d] * geo_.dilations[d];
          inside &= pos[d] >= 0 && pos[d] < geo_.in[d];
          in_padded &= pos[d] < geo_.in[d] + geo_.pads[d + rank];
          offset = offset * geo_.in[d] + pos[d];
        }
        if (in_padded) ++padded;
        if (!inside) continue;
        ++valid;
        const T v = src[offset];
        if (is_max_) {
          if (best_index < 0 || v > best) {
            best = v;
            best_index = offset;
          }
        } else {
          sum += static_cast<double>(v);
        }
      }
      if (is_max_) {
        y[plane * out_size + o] = best;
        if (indices) {
          int64_t flat = best_index;
          if (storage_order_ == 1 && rank == 2 && best_index >= 0) {  // column-major index
            flat = (best_index % geo_.in[1]) * geo_.in[0] + best_index / geo_.in[1];
          }
          indices[plane * out_size + o] = plane * in_size + flat;
        }
      } else {
        const int64_t divisor = count_include_pad_ ? padded : valid;
        y[plane * out_size + o] = static_cast<T>(divisor > 0 ? sum / divisor : 0.0);
      }
      for (int d = static_cast<int>(rank) - 1; d >= 0; --d) {
        if (++oidx[d] < geo_.out[d]) break;
        oidx[d] = 0;
      }
    }
  }

  bool is_max_;
  bool count_include_pad_ = false;
  int64_t storage_order_ = 0;
  DataType dtype_ = DataType::kFloat32;
  ConvGeometry geo_;
  Window2D win_;  // when the pooling is 2-D
  int64_t planes_ = 0;
};

class GlobalPoolKernel : public OpKernel {
 public:
  explicit GlobalPoolKernel(bool is_max) : is_max_(is_max) {}

  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(1, 1));
    const Shape& x = ctx->input_shape(0);
    dtype_ = ctx->input_dtype(0);
    if (!DispatchFloat(dtype_, [](auto) {}))
      return ctx->Error("type %s is not supported", DataTypeName(dtype_));
    if (x.size() < 2) return ctx->Error("input %s must be N x C x ...", ShapeToString(x).c_str());
    planes_ = x[0] * x[1];
    size_ = DimProduct(x, 2, x.size());
    Shape out(x.size(), 1);
    out[0] = x[0];
    out[1] = x[1];
    ctx->SetOutput(0, dtype_, out);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    DispatchFloat(dtype_, [&](auto tag) {
      using T = decltype(tag);
      const T* x = ctx->inputs[0].as<T>();
      T* y = ctx->outputs[0].as<T>();
      for (int64_t p = 0; p < planes_; ++p) {
        const T* src = x + p * size_;
        if (is_max_) {
          T best = size_ ? src[0] : T(0);
          for (int64_t i = 1; i < size_; ++i) best = src[i] > best ? src[i] : best;
          y[p] = best;
        } else {
          double sum = 0.0;
          for (int64_t i = 0; i < size_; ++i) sum += src[i];
          y[p] = static_cast<T>(size_ ? sum / static_cast<double>(size_) : 0.0);
        }
      }
    });
    return Status::Ok();
  }

  int64_t Flops() const override { return planes_ * size_; }

 private:
  bool is_max_;
  DataType dtype_ = DataType::kFloat32;
  int64_t planes_ = 0, size_ = 0;
};

template <bool kMax>
std::unique_ptr<OpKernel> MakePool(const NodeInfo&) {
  return std::make_unique<PoolKernel>(kMax);
}
template <bool kMax>
std::unique_ptr<OpKernel> MakeGlobalPool(const NodeInfo&) {
  return std::make_unique<GlobalPoolKernel>(kMax);
}

}  // namespace

void RegisterPoolOps(KernelRegistry* r) {
  r->Add("MaxPool", &MakePool<true>);
  r->Add("AveragePool", &MakePool<false>);
  r->Add("GlobalMaxPool", &MakeGlobalPool<true>);
  r->Add("GlobalAveragePool", &MakeGlobalPool<false>);
}

}  // namespace ref
}  // namespace tv
