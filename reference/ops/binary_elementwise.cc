// Two-input elementwise operators with numpy broadcasting: arithmetic (Add, Sub, Mul, Div, Pow),
// comparisons (Equal, Less, Greater, LessOrEqual, GreaterOrEqual), logic (And, Or, Xor) and
// PRelu (x < 0 ? slope * x : x).
#include <cmath>
#include <type_traits>

#include "reference/ops/op_util.h"
#include "reference/ops/registry.h"

namespace tv {
namespace ref {
namespace {

enum class BinOp { kAdd, kSub, kMul, kDiv, kPow, kEq, kLt, kGt, kLe, kGe, kAnd, kOr, kXor, kPRelu };

bool IsComparison(BinOp op) { return op >= BinOp::kEq && op <= BinOp::kGe; }
bool IsLogic(BinOp op) { return op >= BinOp::kAnd && op <= BinOp::kXor; }

template <typename T>
bool IsNegative(T a) {
  if constexpr (std::is_signed<T>::value) return a < T(0);
  return false;
}

template <typename T>
T Arith(BinOp op, T a, T b) {
  switch (op) {
    case BinOp::kAdd:
      return static_cast<T>(a + b);
    case BinOp::kSub:
      return static_cast<T>(a - b);
    case BinOp::kMul:
      return static_cast<T>(a * b);
    case BinOp::kDiv:
      // Integer division by zero is undefined in C++; ONNX leaves it unspecified. Yield 0.
      if (!std::is_floating_point<T>::value && b == T(0)) return T(0);
      return static_cast<T>(a / b);
    case BinOp::kPRelu:
      return IsNegative(a) ? static_cast<T>(a * b) : a;
    default:
      return T(0);
  }
}

template <typename T>
bool Compare(BinOp op, T a, T b) {
  switch (op) {
    case BinOp::kEq:
      return a == b;
    case BinOp::kLt:
      return a < b;
    case BinOp::kGt:
      return a > b;
    case BinOp::kLe:
      return a <= b;
    case BinOp::kGe:
      return a >= b;
    default:
      return false;
  }
}

template <BinOp kOp, typename T>
void ArithLoop(const T* a, const Shape& as, const T* b, const Shape& bs, T* out, const Shape& os) {
  ForEachBroadcast(as, bs, os,
                   [&](int64_t o, int64_t i, int64_t j) { out[o] = Arith(kOp, a[i], b[j]); });
}

template <typename B>
double ToDouble(const void* p, int64_t i) {
  return static_cast<double>(static_cast<const B*>(p)[i]);
}

class BinaryKernel : public OpKernel {
 public:
  explicit BinaryKernel(BinOp op) : op_(op) {}

  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(2, 2));
    dtype_ = ctx->input_dtype(0);
    b_dtype_ = ctx->input_dtype(1);
    if (op_ != BinOp::kPow && dtype_ != b_dtype_) {
      return ctx->Error("input types differ (%s vs %s)", DataTypeName(dtype_),
                        DataTypeName(b_dtype_));
    }
    a_shape_ = ctx->input_shape(0);
    b_shape_ = ctx->input_shape(1);
    // Opset < 7: with broadcast=1, B's dims match A's starting at `axis` (default: suffix).
    if (ctx->opset() < 7 && ctx->attrs().GetInt("broadcast", 0) != 0 && op_ != BinOp::kPRelu) {
      const int64_t rank = static_cast<int64_t>(a_shape_.size());
      const int64_t axis =
          ctx->attrs().GetInt("axis", rank - static_cast<int64_t>(b_shape_.size()));
      if (axis < 0 || axis + static_cast<int64_t>(b_shape_.size()) > rank) {
        return ctx->Error("legacy broadcast axis %lld does not fit shapes %s and %s",
                          static_cast<long long>(axis), ShapeToString(a_shape_).c_str(),
                          ShapeToString(b_shape_).c_str());
      }
      Shape b(rank - axis, 1);
      for (size_t i = 0; i < b_shape_.size(); ++i) b[i] = b_shape_[i];
      b_shape_ = b;
    }
    // Old PRelu models give a per-channel slope of shape [C] for NCHW data.
    if (op_ == BinOp::kPRelu && b_shape_.size() == 1 && a_shape_.size() > 2 &&
        b_shape_[0] == a_shape_[1] && b_shape_[0] != a_shape_.back()) {
      b_shape_.resize(a_shape_.size() - 1, 1);
    }
    Status s = BroadcastShapes(a_shape_, b_shape_, &out_shape_);
    if (!s.ok()) return ctx->Error("%s", s.message());
    if (op_ == BinOp::kPRelu && out_shape_ != a_shape_) {
      return ctx->Error("slope %s does not broadcast to the input %s",
                        ShapeToString(b_shape_).c_str(), ShapeToString(a_shape_).c_str());
    }
    DataType out_type = dtype_;
    if (IsComparison(op_) || IsLogic(op_)) out_type = DataType::kBool;
    if (IsLogic(op_) && dtype_ != DataType::kBool) return ctx->Error("inputs must be bool");
    if (!IsLogic(op_) && !DispatchNumeric(dtype_, [](auto) {}))
      return ctx->Error("type %s is not supported", DataTypeName(dtype_));
    ctx->SetOutput(0, out_type, out_shape_);
    PreparePostOp(ctx);
    return Status::Ok();
  }

  // x + v[c] / x * v[c] with a constant that varies at most along the channel axis (the
  // scale/bias pairs exporters put after batch norm) can run inside the producer.
  bool AsPostOp(PostOp* op) const override {
    if (channel_values_.empty()) return false;
    op->kind = op_ == BinOp::kAdd ? PostOp::Kind::kAdd : PostOp::Kind::kMul;
    op->scale = channel_values_.data();
    return true;
  }

  Status Run(RunContext* ctx) override {
    const void* a = ctx->inputs[0].data;
    const void* b = ctx->inputs[1].data;
    void* out = ctx->outputs[0].data;
    if (IsLogic(op_)) {
      const bool* x = static_cast<const bool*>(a);
      const bool* y = static_cast<const bool*>(b);
      bool* r = static_cast<bool*>(out);
      ForEachBroadcast(a_shape_, b_shape_, out_shape_, [&](int64_t o, int64_t i, int64_t j) {
        r[o] = op_ == BinOp::kAnd  ? (x[i] && y[j])
               : op_ == BinOp::kOr ? (x[i] || y[j])
                                   : (x[i] != y[j]);
      });
      return Status::Ok();
    }
    if (op_ == BinOp::kPow) return RunPow(a, b, out);
    DispatchNumeric(dtype_, [&](auto tag) {
      using T = decltype(tag);
      const T* x = static_cast<const T*>(a);
      const T* y = static_cast<const T*>(b);
      if (IsComparison(op_)) {
        bool* r = static_cast<bool*>(out);
        ForEachBroadcast(a_shape_, b_shape_, out_shape_,
                         [&](int64_t o, int64_t i, int64_t j) { r[o] = Compare(op_, x[i], y[j]); });
        return;
      }
      T* r = static_cast<T*>(out);
      // Separate instantiations per op keep the inner loops free of a switch.
      switch (op_) {
        case BinOp::kAdd:
          ArithLoop<BinOp::kAdd>(x, a_shape_, y, b_shape_, r, out_shape_);
          break;
        case BinOp::kSub:
          ArithLoop<BinOp::kSub>(x, a_shape_, y, b_shape_, r, out_shape_);
          break;
        case BinOp::kMul:
          ArithLoop<BinOp::kMul>(x, a_shape_, y, b_shape_, r, out_shape_);
          break;
        case BinOp::kDiv:
          ArithLoop<BinOp::kDiv>(x, a_shape_, y, b_shape_, r, out_shape_);
          break;
        default:
          ArithLoop<BinOp::kPRelu>(x, a_shape_, y, b_shape_, r, out_shape_);
          break;
      }
    });
    return Status::Ok();
  }

  int64_t Flops() const override {
    return IsLogic(op_) || IsComparison(op_) ? 0 : NumElements(out_shape_);
  }

 private:
  // Pow allows a different exponent type; the result has the base's type.
  Status RunPow(const void* a, const void* b, void* out) {
    double (*exponent)(const void*, int64_t) = nullptr;
    DispatchNumeric(b_dtype_, [&](auto tag) { exponent = &ToDouble<decltype(tag)>; });
    if (!exponent) return Error("exponent type %s is not supported", DataTypeName(b_dtype_));
    DispatchNumeric(dtype_, [&](auto tag) {
      using T = decltype(tag);
      const T* x = static_cast<const T*>(a);
      T* r = static_cast<T*>(out);
      ForEachBroadcast(a_shape_, b_shape_, out_shape_, [&](int64_t o, int64_t i, int64_t j) {
        if (std::is_same<T, float>::value) {
          r[o] = static_cast<T>(
              std::pow(static_cast<float>(x[i]), static_cast<float>(exponent(b, j))));
        } else {
          r[o] = static_cast<T>(std::pow(static_cast<double>(x[i]), exponent(b, j)));
        }
      });
    });
    return Status::Ok();
  }

  BinOp op_;
  DataType dtype_ = DataType::kFloat32;
  DataType b_dtype_ = DataType::kFloat32;
  Shape a_shape_, b_shape_, out_shape_;
  std::vector<float> channel_values_;  // per channel of input 0 when usable as a PostOp

  void PreparePostOp(PrepareContext* ctx) {
    channel_values_.clear();
    if ((op_ != BinOp::kAdd && op_ != BinOp::kMul) || dtype_ != DataType::kFloat32) return;
    const float* b = static_cast<const float*>(ctx->input_value_if_known(1));
    if (!b || out_shape_ != a_shape_ || a_shape_.size() < 2 || b_shape_.size() > a_shape_.size())
      return;
    const size_t offset = a_shape_.size() - b_shape_.size();
    bool per_channel = false;
    for (size_t i = 0; i < b_shape_.size(); ++i) {
      if (b_shape_[i] == 1) continue;
      if (offset + i != 1) return;  // varies along another axis
      per_channel = true;
    }
    const int64_t channels = a_shape_[1];
    for (int64_t c = 0; c < channels; ++c) channel_values_.push_back(per_channel ? b[c] : b[0]);
  }
};

template <BinOp kOp>
std::unique_ptr<OpKernel> MakeBinary(const NodeInfo&) {
  return std::make_unique<BinaryKernel>(kOp);
}

}  // namespace

void RegisterBinaryElementwiseOps(KernelRegistry* r) {
  r->Add("Add", &MakeBinary<BinOp::kAdd>);
  r->Add("Sub", &MakeBinary<BinOp::kSub>);
  r->Add("Mul", &MakeBinary<BinOp::kMul>);
  r->Add("Div", &MakeBinary<BinOp::kDiv>);
  r->Add("Pow", &MakeBinary<BinOp::kPow>);
  r->Add("Equal", &MakeBinary<BinOp::kEq>);
  r->Add("Less", &MakeBinary<BinOp::kLt>);
  r->Add("Greater", &MakeBinary<BinOp::kGt>);
  r->Add("LessOrEqual", &MakeBinary<BinOp::kLe>);
  r->Add("GreaterOrEqual", &MakeBinary<BinOp::kGe>);
  r->Add("And", &MakeBinary<BinOp::kAnd>);
  r->Add("Or", &MakeBinary<BinOp::kOr>);
  r->Add("Xor", &MakeBinary<BinOp::kXor>);
  r->Add("PRelu", &MakeBinary<BinOp::kPRelu>);
}

}  // namespace ref
}  // namespace tv
