// Reductions over a set of axes: ReduceSum/Mean/Max/Min/Prod/L1/L2/SumSquare/LogSum/LogSumExp,
// plus ArgMax/ArgMin along one axis.
#include <cmath>
#include <limits>

#include "reference/ops/op_util.h"
#include "reference/ops/registry.h"

namespace tv {
namespace ref {
namespace {

enum class Reduce { kSum, kMean, kMax, kMin, kProd, kL1, kL2, kSumSquare, kLogSum, kLogSumExp };

// Opset at which each reduction moved `axes` from an attribute to an input.
int AxesInputOpset(Reduce r) { return r == Reduce::kSum ? 13 : 18; }

class ReduceKernel : public OpKernel {
 public:
  explicit ReduceKernel(Reduce op) : op_(op) {}

  Status Prepare(PrepareContext* ctx) override {
    const Shape& in = ctx->input_shape(0);
    dtype_ = ctx->input_dtype(0);
    if (!DispatchNumeric(dtype_, [](auto) {}))
      return ctx->Error("type %s is not supported", DataTypeName(dtype_));
    std::vector<int64_t> axes = ctx->attrs().GetInts("axes");
    if (ctx->opset() >= AxesInputOpset(op_) && ctx->has_input(1))
      TV_RETURN_IF_ERROR(ctx->InputAsInts(1, &axes));
    const bool keepdims = ctx->attrs().GetInt("keepdims", 1) != 0;
    const bool noop = ctx->attrs().GetInt("noop_with_empty_axes", 0) != 0;
    const int64_t rank = static_cast<int64_t>(in.size());
    reduced_.assign(in.size(), axes.empty() && !noop);
    for (int64_t a : axes) {
      int64_t axis;
      Status s = NormalizeAxis(a, rank, &axis);
      if (!s.ok()) return ctx->Error("%s", s.message());
      reduced_[axis] = true;
    }
    in_shape_ = in;
    Shape out, kept;
    for (size_t d = 0; d < in.size(); ++d) {
      kept.push_back(reduced_[d] ? 1 : in[d]);
      if (!reduced_[d] || keepdims) out.push_back(reduced_[d] ? 1 : in[d]);
    }
    kept_shape_ = kept;
    ctx->SetOutput(0, dtype_, out);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const int64_t out_count = NumElements(kept_shape_);
    const int64_t in_count = NumElements(in_shape_);
    const int64_t group = out_count ? in_count / out_count : 0;
    std::vector<double> acc(static_cast<size_t>(out_count), Init());
    DispatchNumeric(dtype_, [&](auto tag) {
      using T = decltype(tag);
      const T* x = ctx->inputs[0].as<T>();
      // Each input element lands in the output cell of its non-reduced coordinates.
      ForEachBroadcast(in_shape_, kept_shape_, in_shape_, [&](int64_t i, int64_t, int64_t o) {
        Accumulate(&acc[o], static_cast<double>(x[i]));
      });
      T* y = ctx->outputs[0].as<T>();
      for (int64_t o = 0; o < out_count; ++o) y[o] = Finish<T>(acc[o], group);
    });
    return Status::Ok();
  }

  int64_t Flops() const override { return NumElements(in_shape_); }

 private:
  double Init() const {
    switch (op_) {
      case Reduce::kMax:
      case Reduce::kLogSumExp:
        return -std::numeric_limits<double>::infinity();
      case Reduce::kMin:
        return std::numeric_limits<double>::infinity();
      case Reduce::kProd:
        return 1.0;
      default:
        return 0.0;
    }
  }

  void Accumulate(double* a, double v) const {
    switch (op_) {
      case Reduce::kMax:
        *a = v > *a ? v : *a;
        break;
      case Reduce::kMin:
        *a = v < *a ? v : *a;
        break;
      case Reduce::kProd:
        *a *= v;
        break;
      case Reduce::kL1:
        *a += std::fabs(v);
        break;
      case Reduce::kL2:
      case Reduce::kSumSquare:
        *a += v * v;
        break;
      case Reduce::kLogSumExp: {  // running log(sum(exp)) without overflow
        const double m = std::max(*a, v);
        *a = m == -std::numeric_limits<double>::infinity()
                 ? m
                 : m + std::log(std::exp(*a - m) + std::exp(v - m));
        break;
      }
      default:
        *a += v;
        break;
    }
  }

  template <typename T>
  T Finish(double a, int64_t group) const {
    double r = a;
    switch (op_) {
      case Reduce::kMean:
        r = a / static_cast<double>(group);
        break;
      case Reduce::kL2:
        r = std::sqrt(a);
        break;
      case Reduce::kLogSum:
        r = std::log(a);
        break;
      default:
        break;
    }
    if constexpr (std::is_integral<T>::value) {
      if (!std::isfinite(r))
        return r > 0 ? std::numeric_limits<T>::max() : std::numeric_limits<T>::lowest();
    }
    return static_cast<T>(r);
  }

  Reduce op_;
  DataType dtype_ = DataType::kFloat32;
  std::vector<bool> reduced_;
  Shape in_shape_, kept_shape_;
};

class ArgKernel : public OpKernel {
 public:
  explicit ArgKernel(bool is_max) : is_max_(is_max) {}

  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(1, 1));
    const Shape& in = ctx->input_shape(0);
    dtype_ = ctx->input_dtype(0);
    if (!DispatchNumeric(dtype_, [](auto) {}))
      return ctx->Error("type %s is not supported", DataTypeName(dtype_));
    int64_t axis;
    Status s =
        NormalizeAxis(ctx->attrs().GetInt("axis", 0), static_cast<int64_t>(in.size()), &axis);
    if (!s.ok()) return ctx->Error("%s", s.message());
    if (in[axis] == 0) return ctx->Error("cannot take an arg-reduction over an empty axis");
    last_ = ctx->attrs().GetInt("select_last_index", 0) != 0;
    outer_ = DimProduct(in, 0, axis);
    dim_ = in[axis];
    inner_ = DimProduct(in, axis + 1, in.size());
    Shape out = in;
    if (ctx->attrs().GetInt("keepdims", 1) != 0) {
      out[axis] = 1;
    } else {
      out.erase(out.begin() + axis);
    }
    ctx->SetOutput(0, DataType::kInt64, out);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    int64_t* y = ctx->outputs[0].as<int64_t>();
    DispatchNumeric(dtype_, [&](auto tag) {
      using T = decltype(tag);
      const T* x = ctx->inputs[0].as<T>();
      for (int64_t o = 0; o < outer_; ++o) {
        for (int64_t i = 0; i < inner_; ++i) {
          const T* p = x + o * dim_ * inner_ + i;
          int64_t best = 0;
          for (int64_t k = 1; k < dim_; ++k) {
            const T v = p[k * inner_], b = p[best * inner_];
            const bool better = is_max_ ? (last_ ? v >= b : v > b) : (last_ ? v <= b : v < b);
            if (better) best = k;
          }
          y[o * inner_ + i] = best;
        }
      }
    });
    return Status::Ok();
  }

 private:
  bool is_max_, last_ = false;
  DataType dtype_ = DataType::kFloat32;
  int64_t outer_ = 0, dim_ = 0, inner_ = 0;
};

template <Reduce kOp>
std::unique_ptr<OpKernel> MakeReduce(const NodeInfo&) {
  return std::make_unique<ReduceKernel>(kOp);
}
template <bool kMax>
std::unique_ptr<OpKernel> MakeArg(const NodeInfo&) {
  return std::make_unique<ArgKernel>(kMax);
}

}  // namespace

void RegisterReduceOps(KernelRegistry* r) {
  r->Add("ReduceSum", &MakeReduce<Reduce::kSum>);
  r->Add("ReduceMean", &MakeReduce<Reduce::kMean>);
  r->Add("ReduceMax", &MakeReduce<Reduce::kMax>);
  r->Add("ReduceMin", &MakeReduce<Reduce::kMin>);
  r->Add("ReduceProd", &MakeReduce<Reduce::kProd>);
  r->Add("ReduceL1", &MakeReduce<Reduce::kL1>);
  r->Add("ReduceL2", &MakeReduce<Reduce::kL2>);
  r->Add("ReduceSumSquare", &MakeReduce<Reduce::kSumSquare>);
  r->Add("ReduceLogSum", &MakeReduce<Reduce::kLogSum>);
  r->Add("ReduceLogSumExp", &MakeReduce<Reduce::kLogSumExp>);
  r->Add("ArgMax", &MakeArg<true>);
  r->Add("ArgMin", &MakeArg<false>);
}

}  // namespace ref
}  // namespace tv
