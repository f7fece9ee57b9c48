// Softmax and LogSoftmax (opset < 13: over the flattened trailing block; 13+: over one axis),
// and the variadic elementwise Sum, Mean, Max, Min with numpy broadcasting.
#include <cmath>

#include "reference/ops/op_util.h"
#include "reference/ops/registry.h"
#include "reference/thread_pool.h"

namespace tv {
namespace ref {
namespace {

class SoftmaxKernel : public OpKernel {
 public:
  explicit SoftmaxKernel(bool log) : log_(log) {}

  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(1, 1));
    if (ctx->input_dtype(0) != DataType::kFloat32) return ctx->Error("only float32 is supported");
    const Shape& in = ctx->input_shape(0);
    const bool legacy = ctx->opset() < 13;
    int64_t axis;
    Status s = NormalizeAxis(ctx->attrs().GetInt("axis", legacy ? 1 : -1),
                             std::max<int64_t>(1, static_cast<int64_t>(in.size())), &axis);
    if (!s.ok()) return ctx->Error("%s", s.message());
    outer_ = DimProduct(in, 0, axis);
    if (legacy) {
      dim_ = DimProduct(in, axis, in.size());
      inner_ = 1;
    } else {
      dim_ = in.empty() ? 1 : in[axis];
      inner_ = DimProduct(in, axis + 1, in.size());
    }
    ctx->SetOutput(0, DataType::kFloat32, in);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const float* x = ctx->inputs[0].as<float>();
    float* y = ctx->outputs[0].as<float>();
    ctx->pool->ParallelFor(outer_ * inner_, 64, [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) {
        const int64_t o = r / inner_, i = r % inner_;
        const float* src = x + o * dim_ * inner_ + i;
        float* dst = y + o * dim_ * inner_ + i;
        float max = src[0];
        for (int64_t k = 1; k < dim_; ++k) max = std::max(max, src[k * inner_]);
        double sum = 0.0;
        for (int64_t k = 0; k < dim_; ++k)
          sum += std::exp(static_cast<double>(src[k * inner_] - max));
        const double log_sum = std::log(sum);
        for (int64_t k = 0; k < dim_; ++k) {
          const double shifted = static_cast<double>(src[k * inner_] - max);
          dst[k * inner_] = static_cast<float>(log_ ? shifted - log_sum : std::exp(shifted) / sum);
        }
      }
    });
    return Status::Ok();
  }

  int64_t Flops() const override { return 4 * outer_ * dim_ * inner_; }

 private:
  bool log_;
  int64_t outer_ = 0, dim_ = 0, inner_ = 0;
};

enum class Variadic { kSum, kMean, kMax, kMin };

class VariadicKernel : public OpKernel {
 public:
  explicit VariadicKernel(Variadic op) : op_(op) {}

  Status Prepare(PrepareContext* ctx) override {
    if (ctx->num_inputs() < 1) return ctx->Error("needs at least one input");
    dtype_ = ctx->input_dtype(0);
    half_ = dtype_ == DataType::kFloat16;
    const bool ok = half_ || (op_ == Variadic::kMax || op_ == Variadic::kMin
                                  ? DispatchNumeric(dtype_, [](auto) {})
                                  : DispatchFloat(dtype_, [](auto) {}));
    if (!ok) return ctx->Error("type %s is not supported", DataTypeName(dtype_));
    out_ = ctx->input_shape(0);
    shapes_.clear();
    for (int i = 0; i < ctx->num_inputs(); ++i) {
      if (!ctx->has_input(i) || ctx->input_dtype(i) != dtype_)
        return ctx->Error("input %d is missing or of another type", i);
      Status s = BroadcastShapes(out_, ctx->input_shape(i), &out_);
      if (!s.ok()) return ctx->Error("%s", s.message());
      shapes_.push_back(ctx->input_shape(i));
    }
    ctx->SetOutput(0, dtype_, out_);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    if (half_) return RunHalf(ctx);
    DispatchNumeric(dtype_, [&](auto tag) {
      using T = decltype(tag);
      T* y = ctx->outputs[0].as<T>();
      const T* first = ctx->inputs[0].as<T>();
      if (op_ == Variadic::kSum && shapes_.size() == 2 && shapes_[0] == out_ &&
          shapes_[1] == out_) {  // residual additions: one pass instead of copy + add
        const T* second = ctx->inputs[1].as<T>();
        const int64_t n = NumElements(out_);
        for (int64_t o = 0; o < n; ++o) y[o] = static_cast<T>(first[o] + second[o]);
        return;
      }
      ForEachBroadcast(out_, shapes_[0], out_,
                       [&](int64_t o, int64_t, int64_t j) { y[o] = first[j]; });
      for (size_t i = 1; i < shapes_.size(); ++i) {
        const T* x = ctx->inputs[i].as<T>();
        // One loop per op, so the inner loop has no switch and can be vectorised.
        switch (op_) {
          case Variadic::kMax:
            ForEachBroadcast(out_, shapes_[i], out_, [&](int64_t o, int64_t, int64_t j) {
              y[o] = x[j] > y[o] ? x[j] : y[o];
            });
            break;
          case Variadic::kMin:
            ForEachBroadcast(out_, shapes_[i], out_, [&](int64_t o, int64_t, int64_t j) {
              y[o] = x[j] < y[o] ? x[j] : y[o];
            });
            break;
          default:
            ForEachBroadcast(out_, shapes_[i], out_, [&](int64_t o, int64_t, int64_t j) {
              y[o] = static_cast<T>(y[o] + x[j]);
            });
            break;
        }
      }
      if (op_ == Variadic::kMean) {
        const int64_t n = NumElements(out_);
        for (int64_t o = 0; o < n; ++o)
          y[o] = static_cast<T>(y[o] / static_cast<T>(shapes_.size()));
      }
    });
    return Status::Ok();
  }

  int64_t Flops() const override {
    return NumElements(out_) * static_cast<int64_t>(shapes_.size() - 1);
  }

 private:
  // float16: widen to float, combine, round once at the end.
  Status RunHalf(RunContext* ctx) {
    const int64_t n = NumElements(out_);
    std::vector<float> acc(static_cast<size_t>(n));
    for (size_t i = 0; i < shapes_.size(); ++i) {
      const uint16_t* x = ctx->inputs[i].as<uint16_t>();
      ForEachBroadcast(out_, shapes_[i], out_, [&](int64_t o, int64_t, int64_t j) {
        const float v = HalfToFloat(x[j]);
        if (i == 0)
          acc[o] = v;
        else if (op_ == Variadic::kMax)
          acc[o] = v > acc[o] ? v : acc[o];
        else if (op_ == Variadic::kMin)
          acc[o] = v < acc[o] ? v : acc[o];
        else
          acc[o] += v;
      });
    }
    uint16_t* y = ctx->outputs[0].as<uint16_t>();
    for (int64_t o = 0; o < n; ++o) {
      y[o] = FloatToHalf(op_ == Variadic::kMean ? acc[o] / static_cast<float>(shapes_.size())
                                                : acc[o]);
    }
    return Status::Ok();
  }

  bool half_ = false;
  Variadic op_;
  DataType dtype_ = DataType::kFloat32;
  Shape out_;
  std::vector<Shape> shapes_;
};

template <bool kLog>
std::unique_ptr<OpKernel> MakeSoftmax(const NodeInfo&) {
  return std::make_unique<SoftmaxKernel>(kLog);
}
template <Variadic kOp>
std::unique_ptr<OpKernel> MakeVariadic(const NodeInfo&) {
  return std::make_unique<VariadicKernel>(kOp);
}

}  // namespace

void RegisterSoftmaxVariadicOps(KernelRegistry* r) {
  r->Add("Softmax", &MakeSoftmax<false>);
  r->Add("LogSoftmax", &MakeSoftmax<true>);
  r->Add("Sum", &MakeVariadic<Variadic::kSum>);
  r->Add("Mean", &MakeVariadic<Variadic::kMean>);
  r->Add("Max", &MakeVariadic<Variadic::kMax>);
  r->Add("Min", &MakeVariadic<Variadic::kMin>);
}

}  // namespace ref
}  // namespace tv
