// One-input elementwise operators: math functions (Abs, Neg, Sqrt, Exp, Log, Reciprocal, Floor,
// Ceil, Round, Sign, Erf, Sin, Cos, Not) and activations, with or without attributes (Relu,
// Sigmoid, Tanh, Softplus, Softsign, LeakyRelu, Elu, Selu, Celu, HardSigmoid, HardSwish,
// ThresholdedRelu, Gelu).
#include <cmath>
#include <type_traits>

#include "reference/ops/op_util.h"
#include "reference/ops/registry.h"
#include "reference/thread_pool.h"

namespace tv {
namespace ref {
namespace {

enum class UnOp {
  kAbs,
  kNeg,
  kRelu,
  kSign,  // also defined for integers
  kSqrt,
  kExp,
  kLog,
  kReciprocal,
  kFloor,
  kCeil,
  kRound,
  kErf,
  kSin,
  kCos,
  kSigmoid,
  kTanh,
  kSoftplus,
  kSoftsign,
  kLeakyRelu,
  kElu,
  kSelu,
  kCelu,
  kHardSigmoid,
  kHardSwish,
  kThresholdedRelu,
  kGelu,
  kGeluTanh,
  kNot,
};

struct Params {
  double alpha = 0.0;
  double beta = 0.0;
  double gamma = 0.0;
};

template <typename T>
T ApplyInt(UnOp op, T x) {
  switch (op) {
    case UnOp::kAbs:
      if constexpr (std::is_signed<T>::value) return x < 0 ? static_cast<T>(-x) : x;
      return x;
    case UnOp::kNeg:
      return static_cast<T>(-x);
    case UnOp::kRelu:
      if constexpr (std::is_signed<T>::value) return x < 0 ? T(0) : x;
      return x;
    case UnOp::kSign:
      if constexpr (std::is_signed<T>::value) return static_cast<T>((x > 0) - (x < 0));
      return static_cast<T>(x > 0);
    default:
      return x;
  }
}

// Float math in the input precision (float inputs use float functions, like numpy).
template <typename T>
T ApplyFloat(UnOp op, const Params& p, T x) {
  const T a = static_cast<T>(p.alpha);
  switch (op) {
    case UnOp::kAbs:
      return std::fabs(x);
    case UnOp::kNeg:
      return -x;
    case UnOp::kRelu:
      return x < T(0) ? T(0) : x;
    case UnOp::kSign:
      return x > T(0) ? T(1) : x < T(0) ? T(-1) : T(0);
    case UnOp::kSqrt:
      return std::sqrt(x);
    case UnOp::kExp:
      return std::exp(x);
    case UnOp::kLog:
      return std::log(x);
    case UnOp::kReciprocal:
      return T(1) / x;
    case UnOp::kFloor:
      return std::floor(x);
    case UnOp::kCeil:
      return std::ceil(x);
    case UnOp::kRound:
      return std::nearbyint(x);  // half to even under the default rounding mode
    case UnOp::kErf:
      return std::erf(x);
    case UnOp::kSin:
      return std::sin(x);
    case UnOp::kCos:
      return std::cos(x);
    case UnOp::kSigmoid:
      // Split by sign so exp never overflows.
      if (x >= T(0)) return T(1) / (T(1) + std::exp(-x));
      return std::exp(x) / (T(1) + std::exp(x));
    case UnOp::kTanh:
      return std::tanh(x);
    case UnOp::kSoftplus:
      return x > T(0) ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    case UnOp::kSoftsign:
      return x / (T(1) + std::fabs(x));
    case UnOp::kLeakyRelu:
      return x < T(0) ? a * x : x;
    case UnOp::kElu:
      return x < T(0) ? a * (std::exp(x) - T(1)) : x;
    case UnOp::kSelu:
      return static_cast<T>(p.gamma) * (x <= T(0) ? a * (std::exp(x) - T(1)) : x);
    case UnOp::kCelu:
      return std::fmax(T(0), x) + std::fmin(T(0), a * (std::exp(x / a) - T(1)));
    case UnOp::kHardSigmoid:
      return std::fmax(T(0), std::fmin(T(1), a * x + static_cast<T>(p.beta)));
    case UnOp::kHardSwish:
      return x * std::fmax(T(0), std::fmin(T(1), x / T(6) + T(0.5)));
    case UnOp::kThresholdedRelu:
      return x > a ? x : T(0);
    case UnOp::kGelu:
      return T(0.5) * x * (T(1) + std::erf(x / std::sqrt(T(2))));
    case UnOp::kGeluTanh: {
      const T k = std::sqrt(T(2) / T(3.14159265358979323846));
      return T(0.5) * x * (T(1) + std::tanh(k * (x + T(0.044715) * x * x * x)));
    }
    default:
      return x;
  }
}

bool IntegerFriendly(UnOp op) { return op <= UnOp::kSign; }

class UnaryKernel : public OpKernel {
 public:
  explicit UnaryKernel(UnOp op) : op_(op) {}

  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(1, 1));
    dtype_ = ctx->input_dtype(0);
    const Attributes& at = ctx->attrs();
    switch (op_) {
      case UnOp::kLeakyRelu:
        p_.alpha = at.GetFloat("alpha", 0.01f);
        break;
      case UnOp::kElu:
      case UnOp::kCelu:
      case UnOp::kThresholdedRelu:
        p_.alpha = at.GetFloat("alpha", 1.0f);
        break;
      case UnOp::kSelu:
        p_.alpha = at.GetFloat("alpha", 1.67326319217681884765625f);
        p_.gamma = at.GetFloat("gamma", 1.05070102214813232421875f);
        break;
      case UnOp::kHardSigmoid:
        p_.alpha = at.GetFloat("alpha", 0.2f);
        p_.beta = at.GetFloat("beta", 0.5f);
        break;
      case UnOp::kGelu:
        if (at.GetString("approximate", "none") == "tanh") op_ = UnOp::kGeluTanh;
        break;
      default:
        break;
    }
    const bool ok = op_ == UnOp::kNot      ? dtype_ == DataType::kBool
                    : IntegerFriendly(op_) ? DispatchNumeric(dtype_, [](auto) {})
                                           : DispatchFloat(dtype_, [](auto) {});
    if (!ok) return ctx->Error("type %s is not supported", DataTypeName(dtype_));
    ctx->SetOutput(0, dtype_, ctx->input_shape(0));
    count_ = NumElements(ctx->input_shape(0));
    return Status::Ok();
  }

  bool AsPostOp(PostOp* op) const override {
    if (op_ != UnOp::kRelu || dtype_ != DataType::kFloat32) return false;
    op->kind = PostOp::Kind::kRelu;
    return true;
  }

  Status Run(RunContext* ctx) override {
    const void* in = ctx->inputs[0].data;
    void* out = ctx->outputs[0].data;
    if (op_ == UnOp::kNot) {
      const bool* x = static_cast<const bool*>(in);
      bool* y = static_cast<bool*>(out);
      for (int64_t i = 0; i < count_; ++i) y[i] = !x[i];
      return Status::Ok();
    }
    DispatchNumeric(dtype_, [&](auto tag) {
      using T = decltype(tag);
      const T* x = static_cast<const T*>(in);
      T* y = static_cast<T*>(out);
      ctx->pool->ParallelFor(count_, 1 << 16, [&](int64_t begin, int64_t end) {
        if constexpr (std::is_floating_point<T>::value) {
          if (op_ == UnOp::kRelu) {  // the hottest activation gets a branch-free loop
            for (int64_t i = begin; i < end; ++i) y[i] = x[i] > T(0) ? x[i] : T(0);
            return;
          }
          for (int64_t i = begin; i < end; ++i) y[i] = ApplyFloat(op_, p_, x[i]);
        } else {
          for (int64_t i = begin; i < end; ++i) y[i] = ApplyInt(op_, x[i]);
        }
      });
    });
    return Status::Ok();
  }

  int64_t Flops() const override { return count_; }

 private:
  UnOp op_;
  Params p_;
  DataType dtype_ = DataType::kFloat32;
  int64_t count_ = 0;
};

template <UnOp kOp>
std::unique_ptr<OpKernel> MakeUnary(const NodeInfo&) {
  return std::make_unique<UnaryKernel>(kOp);
}

}  // namespace

void RegisterUnaryElementwiseOps(KernelRegistry* r) {
  r->Add("Abs", &MakeUnary<UnOp::kAbs>);
  r->Add("Neg", &MakeUnary<UnOp::kNeg>);
  r->Add("Relu", &MakeUnary<UnOp::kRelu>);
  r->Add("Sign", &MakeUnary<UnOp::kSign>);
  r->Add("Sqrt", &MakeUnary<UnOp::kSqrt>);
  r->Add("Exp", &MakeUnary<UnOp::kExp>);
  r->Add("Log", &MakeUnary<UnOp::kLog>);
  r->Add("Reciprocal", &MakeUnary<UnOp::kReciprocal>);
  r->Add("Floor", &MakeUnary<UnOp::kFloor>);
  r->Add("Ceil", &MakeUnary<UnOp::kCeil>);
  r->Add("Round", &MakeUnary<UnOp::kRound>);
  r->Add("Erf", &MakeUnary<UnOp::kErf>);
  r->Add("Sin", &MakeUnary<UnOp::kSin>);
  r->Add("Cos", &MakeUnary<UnOp::kCos>);
  r->Add("Sigmoid", &MakeUnary<UnOp::kSigmoid>);
  r->Add("Tanh", &MakeUnary<UnOp::kTanh>);
  r->Add("Softplus", &MakeUnary<UnOp::kSoftplus>);
  r->Add("Softsign", &MakeUnary<UnOp::kSoftsign>);
  r->Add("LeakyRelu", &MakeUnary<UnOp::kLeakyRelu>);
  r->Add("Elu", &MakeUnary<UnOp::kElu>);
  r->Add("Selu", &MakeUnary<UnOp::kSelu>);
  r->Add("Celu", &MakeUnary<UnOp::kCelu>);
  r->Add("HardSigmoid", &MakeUnary<UnOp::kHardSigmoid>);
  r->Add("HardSwish", &MakeUnary<UnOp::kHardSwish>);
  r->Add("ThresholdedRelu", &MakeUnary<UnOp::kThresholdedRelu>);
  r->Add("Gelu", &MakeUnary<UnOp::kGelu>);
  r->Add("Not", &MakeUnary<UnOp::kNot>);
}

}  // namespace ref
}  // namespace tv
