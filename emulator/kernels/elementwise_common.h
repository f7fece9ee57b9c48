// Shared helpers for the elementwise kernels (ADD, SUB, MUL, MAXIMUM, MINIMUM, QUANTIZE,
// DEQUANTIZE, MEAN, RELU, RELU6, LEAKY_RELU): numpy-style broadcasting up to rank 6, operand
// checks with clear messages, two's-complement wrapping int32 arithmetic (TFLM's int32 math
// wraps on x86; spelling it out avoids signed-overflow UB on hostile inputs), and the shared
// per-element ADD/SUB formula of tflm-int8-arithmetic.md §8.1.
#ifndef TINYVERIFY_EMULATOR_KERNELS_ELEMENTWISE_COMMON_H_
#define TINYVERIFY_EMULATOR_KERNELS_ELEMENTWISE_COMMON_H_

#include <cmath>
#include <cstdint>
#include <limits>

#include "emulator/kernel_api.h"
#include "emulator/kernels/quant_math.h"

namespace tv {
namespace kernels {

// ---------------------------------------------------------------------------------------------
// Wrapping int32 arithmetic.
inline int32_t WrapAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
inline int32_t WrapSub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}
inline int32_t WrapMul(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b));
}
inline int64_t WrapAdd64(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
inline int64_t WrapSub64(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}
inline int64_t WrapMul64(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}
// x * 2^k for 0 <= k <= 31, wrapping like TFLM's `x * (1 << k)`.
inline int32_t WrapShl(int32_t x, int k) {
  return static_cast<int32_t>(static_cast<uint32_t>(x) << k);
}

// ---------------------------------------------------------------------------------------------
// Operand checks.

// A usable quantization scale: present, finite and strictly positive.
inline Status RequireQuantized(const Tensor& t, const char* role) {
  TV_CHECK_OR_RETURN(t.quant.quantized, "%s '%s' (%s) has no quantization parameters", role, t.name,
                     DataTypeName(t.type));
  const float s = t.quant.scale;
  TV_CHECK_OR_RETURN(std::isfinite(s) && s > 0.0f, "%s '%s' has invalid scale %g", role, t.name,
                     static_cast<double>(s));
  return Status::Ok();
}

// TFLM's left shifts are `x * (1 << shift)`; past 31 that is undefined, so such multipliers
// (real ratios >= 2^31) are refused rather than emulated.
inline Status CheckShift(int shift, const char* what) {
  TV_CHECK_OR_RETURN(shift <= 31, "%s is out of range (shift %d > 31)", what, shift);
  return Status::Ok();
}

// QuantizeMultiplierSmallerThanOneExp (§3): TFLM aborts unless 0 < m < 1.
inline Status QuantizeMultiplierSmallerThanOne(double m, const char* what, int32_t* multiplier,
                                               int* shift) {
  TV_CHECK_OR_RETURN(m > 0.0 && m < 1.0, "%s multiplier %g is not in (0, 1)", what, m);
  qm::QuantizeMultiplier(m, multiplier, shift);
  return Status::Ok();
}

// CalculateActivationRangeQuantized converts round(6 / sO) (RELU6) or round(±1 / sO)
// (RELU_N1_TO_1) to int32; refuse output scales so small that the conversion would overflow
// (undefined behaviour in C++) instead of emulating it.
inline Status CheckActivationRepresentable(int activation, const Tensor& out) {
  float bound = 0.0f;
  if (activation == qm::kActRelu6) bound = 6.0f;
  if (activation == qm::kActReluN1To1) bound = 1.0f;
  if (bound == 0.0f) return Status::Ok();
  const double q = std::round(static_cast<double>(bound / out.quant.scale));
  const double zp = out.quant.zero_point < 0 ? -static_cast<double>(out.quant.zero_point)
                                             : static_cast<double>(out.quant.zero_point);
  TV_CHECK_OR_RETURN(std::isfinite(q) && q + zp < 2147483647.0,
                     "output '%s' scale %g is too small for its fused activation", out.name,
                     static_cast<double>(out.quant.scale));
  return Status::Ok();
}

// Exactly 1 input and 1 output (unary ops).
inline Status GetUnaryOperands(KernelContext& ctx, const Tensor** input, Tensor** output) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 1 && ctx.num_outputs() == 1,
                     "expects 1 input and 1 output, got %d and %d", ctx.num_inputs(),
                     ctx.num_outputs());
  *input = ctx.input(0);
  *output = ctx.output(0);
  TV_CHECK_OR_RETURN(*input != nullptr && *output != nullptr, "input and output are required");
  return Status::Ok();
}

// Unary ops whose output has the input's shape.
inline Status CheckSameShape(const Tensor& input, const Tensor& output) {
  TV_CHECK_OR_RETURN(input.shape == output.shape,
                     "output '%s' must have the shape of input '%s' (%lld vs %lld elements)",
                     output.name, input.name, static_cast<long long>(output.shape.NumElements()),
                     static_cast<long long>(input.shape.NumElements()));
  return Status::Ok();
}

// Exactly 2 inputs and 1 output, all of one element type.
inline Status GetBinaryOperands(KernelContext& ctx, const Tensor** in1, const Tensor** in2,
                                Tensor** out) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 2 && ctx.num_outputs() == 1,
                     "expects 2 inputs and 1 output, got %d and %d", ctx.num_inputs(),
                     ctx.num_outputs());
  *in1 = ctx.input(0);
  *in2 = ctx.input(1);
  *out = ctx.output(0);
  TV_CHECK_OR_RETURN(*in1 && *in2 && *out, "both inputs and the output are required");
  TV_CHECK_OR_RETURN((*in2)->type == (*in1)->type, "input '%s' has type %s; expected %s like '%s'",
                     (*in2)->name, DataTypeName((*in2)->type), DataTypeName((*in1)->type),
                     (*in1)->name);
  TV_CHECK_OR_RETURN((*out)->type == (*in1)->type, "output '%s' has type %s; expected %s",
                     (*out)->name, DataTypeName((*out)->type), DataTypeName((*in1)->type));
  return Status::Ok();
}

// CalculateActivationRange<int32_t> (kernel_util.h) for int32 SUB/MUL.
inline void ActivationRangeInt32(int activation, int32_t* lo, int32_t* hi) {
  *lo = std::numeric_limits<int32_t>::min();
  *hi = std::numeric_limits<int32_t>::max();
  if (activation == qm::kActRelu) {
    *lo = 0;
  } else if (activation == qm::kActRelu6) {
    *lo = 0;
    *hi = 6;
  } else if (activation == qm::kActReluN1To1) {
    *lo = -1;
    *hi = 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Broadcasting (numpy rules; TFLM extends every shape to rank 6 with leading 1s).
constexpr int kMaxBroadcastRank = 6;

struct BroadcastPlan {
  int64_t dims[kMaxBroadcastRank] = {1, 1, 1, 1, 1, 1};  // output dims, left-padded with 1
  int64_t stride1[kMaxBroadcastRank] = {0};              // element strides, 0 on broadcast axes
  int64_t stride2[kMaxBroadcastRank] = {0};
  int64_t size = 0;          // output element count
  bool elementwise = false;  // inputs of identical shape: flat loop
};

// Fills `plan` and checks that `out` has the broadcast shape of `a` and `b` (compared after
// padding to rank 6 with leading 1s, as TFLM does).
inline Status PlanBroadcast(const Tensor& a, const Tensor& b, const Tensor& out,
                            BroadcastPlan* plan) {
  const Tensor* ts[3] = {&a, &b, &out};
  for (const Tensor* t : ts) {
    TV_CHECK_OR_RETURN(t->shape.rank <= kMaxBroadcastRank,
                       "tensor '%s' has rank %d; at most %d is supported", t->name, t->shape.rank,
                       kMaxBroadcastRank);
  }
  int64_t da[kMaxBroadcastRank], db[kMaxBroadcastRank], dout[kMaxBroadcastRank];
  auto pad = [](const Shape& s, int64_t* d) {
    const int lead = kMaxBroadcastRank - s.rank;
    for (int i = 0; i < kMaxBroadcastRank; ++i) d[i] = i < lead ? 1 : s.dims[i - lead];
  };
  pad(a.shape, da);
  pad(b.shape, db);
  pad(out.shape, dout);
  for (int i = 0; i < kMaxBroadcastRank; ++i) {
    TV_CHECK_OR_RETURN(da[i] >= 0 && db[i] >= 0, "negative dimension in '%s' or '%s'", a.name,
                       b.name);
    int64_t d;
    if (da[i] == db[i]) {
      d = da[i];
    } else if (da[i] == 1) {
      d = db[i];
    } else if (db[i] == 1) {
      d = da[i];
    } else {
      return Status::Error(
          "inputs '%s' and '%s' cannot be broadcast together (dimension %lld vs "
          "%lld)",
          a.name, b.name, static_cast<long long>(da[i]), static_cast<long long>(db[i]));
    }
    TV_CHECK_OR_RETURN(dout[i] == d,
                       "output '%s' does not have the broadcast shape of its inputs (dimension "
                       "%d is %lld, expected %lld)",
                       out.name, i - (kMaxBroadcastRank - out.shape.rank),
                       static_cast<long long>(dout[i]), static_cast<long long>(d));
    plan->dims[i] = d;
  }
  int64_t sa = 1, sb = 1;
  for (int i = kMaxBroadcastRank - 1; i >= 0; --i) {
    plan->stride1[i] = da[i] == 1 ? 0 : sa;
    plan->stride2[i] = db[i] == 1 ? 0 : sb;
    sa *= da[i];
    sb *= db[i];
  }
  plan->size = out.shape.NumElements();
  plan->elementwise = a.shape == b.shape;
  return Status::Ok();
}

// Calls f(i1, i2, io) for every output element in row-major order.
template <typename F>
inline void ForEachBroadcast(const BroadcastPlan& p, F&& f) {
  if (p.elementwise) {
    for (int64_t i = 0; i < p.size; ++i) f(i, i, i);
    return;
  }
  if (p.size == 0) return;
  int64_t o = 0;
  int64_t a0 = 0, b0 = 0;
  for (int64_t i0 = 0; i0 < p.dims[0]; ++i0, a0 += p.stride1[0], b0 += p.stride2[0]) {
    int64_t a1 = a0, b1 = b0;
    for (int64_t i1 = 0; i1 < p.dims[1]; ++i1, a1 += p.stride1[1], b1 += p.stride2[1]) {
      int64_t a2 = a1, b2 = b1;
      for (int64_t i2 = 0; i2 < p.dims[2]; ++i2, a2 += p.stride1[2], b2 += p.stride2[2]) {
        int64_t a3 = a2, b3 = b2;
        for (int64_t i3 = 0; i3 < p.dims[3]; ++i3, a3 += p.stride1[3], b3 += p.stride2[3]) {
          int64_t a4 = a3, b4 = b3;
          for (int64_t i4 = 0; i4 < p.dims[4]; ++i4, a4 += p.stride1[4], b4 += p.stride2[4]) {
            int64_t a5 = a4, b5 = b4;
            for (int64_t i5 = 0; i5 < p.dims[5]; ++i5, a5 += p.stride1[5], b5 += p.stride2[5]) {
              f(a5, b5, o++);
            }
          }
        }
      }
    }
  }
}

// Applies `op(x1, x2)` over broadcast inputs of element type T.
template <typename T, typename Op>
inline void BroadcastBinary(const BroadcastPlan& p, const T* x1, const T* x2, T* out, Op&& op) {
  ForEachBroadcast(p, [&](int64_t i1, int64_t i2, int64_t io) { out[io] = op(x1[i1], x2[i2]); });
}

// ---------------------------------------------------------------------------------------------
// Quantized ADD / SUB (§8.1). Multipliers are computed by the op (ADD in double, SUB in float).
struct AddSubParams {
  int32_t input1_offset = 0;  // -z1
  int32_t input2_offset = 0;  // -z2
  int32_t output_offset = 0;  // zO
  int left_shift = 0;         // 20 (int8) or 15 (int16)
  int32_t input1_multiplier = 0, input2_multiplier = 0, output_multiplier = 0;
  int input1_shift = 0, input2_shift = 0, output_shift = 0;  // all <= 0
  int32_t act_min = 0, act_max = 0;
};

// MultiplyByQuantizedMultiplierSmallerThanOneExp: RDBPOT(SRDHM(x, M), -shift), shift <= 0.
inline int32_t MulSmallerThanOne(int32_t x, int32_t multiplier, int shift) {
  return qm::RDBPOT(qm::SRDHM(x, multiplier), -shift);
}

template <bool kSubtract>
inline int32_t AddSubElement(const AddSubParams& p, int32_t x1, int32_t x2) {
  const int32_t a = WrapShl(WrapAdd(x1, p.input1_offset), p.left_shift);
  const int32_t b = WrapShl(WrapAdd(x2, p.input2_offset), p.left_shift);
  const int32_t sa = MulSmallerThanOne(a, p.input1_multiplier, p.input1_shift);
  const int32_t sb = MulSmallerThanOne(b, p.input2_multiplier, p.input2_shift);
  const int32_t raw = kSubtract ? WrapSub(sa, sb) : WrapAdd(sa, sb);
  const int32_t o =
      WrapAdd(MulSmallerThanOne(raw, p.output_multiplier, p.output_shift), p.output_offset);
  return qm::Clamp(o, p.act_min, p.act_max);
}

template <typename T, bool kSubtract>
inline void EvalAddSubQuantized(const AddSubParams& params, const BroadcastPlan& plan, const T* x1,
                                const T* x2, T* out) {
  BroadcastBinary(plan, x1, x2, out,
                  [&](T a, T b) { return static_cast<T>(AddSubElement<kSubtract>(params, a, b)); });
}

// ADD, SUB and MUL Prepare head: the operands, the op data with its broadcast plan and, for
// float32, the activation range. `OpData` has `plan`, `f_min` and `f_max`.
template <typename OpData>
Status PrepareBroadcastOperands(KernelContext& ctx, int activation, const Tensor** in1,
                                const Tensor** in2, Tensor** out, OpData** d) {
  TV_RETURN_IF_ERROR(GetBinaryOperands(ctx, in1, in2, out));
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(d));
  TV_RETURN_IF_ERROR(PlanBroadcast(**in1, **in2, **out, &(*d)->plan));
  if ((*out)->type == DataType::kFloat32)
    qm::ActivationRangeFloat(activation, &(*d)->f_min, &(*d)->f_max);
  return Status::Ok();
}

// int8/int16 ADD, SUB and MUL: both inputs and the output carry scale and zero point.
inline Status RequireQuantizedOperands(const Tensor& in1, const Tensor& in2, const Tensor& out) {
  TV_RETURN_IF_ERROR(RequireQuantized(in1, "input"));
  TV_RETURN_IF_ERROR(RequireQuantized(in2, "input"));
  return RequireQuantized(out, "output");
}

// Shared ADD/SUB Prepare tail: offsets, shift, activation range and validation of the three
// real multipliers (each must lie in (0, 1), as QuantizeMultiplierSmallerThanOneExp demands).
inline Status FinishAddSubParams(const Tensor& in1, const Tensor& in2, const Tensor& out,
                                 int activation, double r1, double r2, double ro, AddSubParams* p) {
  p->input1_offset = -in1.quant.zero_point;
  p->input2_offset = -in2.quant.zero_point;
  p->output_offset = out.quant.zero_point;
  p->left_shift = out.type == DataType::kInt16 ? 15 : 20;
  TV_RETURN_IF_ERROR(
      QuantizeMultiplierSmallerThanOne(r1, "input 1", &p->input1_multiplier, &p->input1_shift));
  TV_RETURN_IF_ERROR(
      QuantizeMultiplierSmallerThanOne(r2, "input 2", &p->input2_multiplier, &p->input2_shift));
  TV_RETURN_IF_ERROR(
      QuantizeMultiplierSmallerThanOne(ro, "output", &p->output_multiplier, &p->output_shift));
  TV_RETURN_IF_ERROR(CheckActivationRepresentable(activation, out));
  qm::ActivationRangeQuantized(activation, out.type, out.quant.scale, out.quant.zero_point,
                               &p->act_min, &p->act_max);
  return Status::Ok();
}

}  // namespace kernels
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_ELEMENTWISE_COMMON_H_
