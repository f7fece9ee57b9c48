// MaxPool (optional Indices output), AveragePool (count_include_pad, ceil_mode, dilations),
// GlobalAveragePool and GlobalMaxPool over any number of spatial dimensions.
#include <limits>

#include "reference/ops/conv_util.h"
#include "reference/ops/op_util.h"
#include "reference/ops/registry.h"
#include "reference/thread_pool.h"

namespace tv {
namespace ref {
namespace {

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
  // 2-D fast path (no index arithmetic per tap). Same results as the generic path.
  template <typename T>
  void PoolPlane2D(const T* x, T* y, int64_t plane) const {
    const int64_t ih = geo_.in[0], iw = geo_.in[1], oh = geo_.out[0], ow = geo_.out[1];
    const int64_t kh = geo_.kernel[0], kw = geo_.kernel[1];
    const int64_t sh = geo_.strides[0], sw = geo_.strides[1];
    const int64_t dh = geo_.dilations[0], dw = geo_.dilations[1];
    const int64_t ph = geo_.pads[0], pw = geo_.pads[1];
    const int64_t limit_h = ih + geo_.pads[2], limit_w = iw + geo_.pads[3];
    const T* src = x + plane * ih * iw;
    T* dst = y + plane * oh * ow;
    for (int64_t oy = 0; oy < oh; ++oy) {
      for (int64_t ox = 0; ox < ow; ++ox) {
        T best = std::numeric_limits<T>::lowest();
        bool any = false;
        double sum = 0.0;
        int64_t valid = 0, padded = 0;
        for (int64_t ky = 0; ky < kh; ++ky) {
          const int64_t iy = oy * sh - ph + ky * dh;
          if (iy >= limit_h) break;
          for (int64_t kx = 0; kx < kw; ++kx) {
            const int64_t ix = ox * sw - pw + kx * dw;
            if (ix >= limit_w) break;
            ++padded;
            if (iy < 0 || ix < 0 || iy >= ih || ix >= iw) continue;
            const T v = src[iy * iw + ix];
            ++valid;
            if (is_max_) {
              if (!any || v > best) best = v;
              any = true;
            } else {
              sum += static_cast<double>(v);
            }
          }
        }
        if (is_max_) {
          dst[oy * ow + ox] = best;
        } else {
          const int64_t divisor = count_include_pad_ ? padded : valid;
          dst[oy * ow + ox] = static_cast<T>(divisor > 0 ? sum / divisor : 0.0);
        }
      }
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
