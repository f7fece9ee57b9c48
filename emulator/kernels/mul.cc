// MUL: float32, int8, int16 (zero points must be 0) and int32, with numpy broadcasting up to
// rank 6. Arithmetic: tflm-int8-arithmetic.md §8.2.
#include "emulator/builtin_ops.h"
#include "emulator/kernels/elementwise_common.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

struct OpData {
  BroadcastPlan plan;
  int32_t input1_offset = 0, input2_offset = 0, output_offset = 0;
  int32_t multiplier = 0;
  int shift = 0;
  int32_t act_min = 0, act_max = 0;  // quantized or int32 range
  float f_min = 0, f_max = 0;
};

Status Prepare(KernelContext& ctx) {
  const auto opts = OptionsOrZero<tflite::MulOptionsT>(ctx.op()->builtin_options_as_MulOptions());
  const int activation = static_cast<int>(opts.fused_activation_function);
  const Tensor *in1 = nullptr, *in2 = nullptr;
  Tensor* out = nullptr;
  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(PrepareBroadcastOperands(ctx, activation, &in1, &in2, &out, &d));
  ctx.node().macs = d->plan.size;
  switch (out->type) {
    case DataType::kFloat32:
      return Status::Ok();  // range set with the operands
    case DataType::kInt32:
      // TFLM clamps int32 MUL to the fused activation range.
      ActivationRangeInt32(activation, &d->act_min, &d->act_max);
      return Status::Ok();
    case DataType::kInt8:
    case DataType::kInt16: {
      TV_RETURN_IF_ERROR(RequireQuantizedOperands(*in1, *in2, *out));
      if (out->type == DataType::kInt16) {
        TV_CHECK_OR_RETURN(
            in1->quant.zero_point == 0 && in2->quant.zero_point == 0 && out->quant.zero_point == 0,
            "int16 MUL requires zero points of 0 (got %d, %d, %d)", in1->quant.zero_point,
            in2->quant.zero_point, out->quant.zero_point);
      }
      // §8.2: double product and quotient, left to right.
      const double real = static_cast<double>(in1->quant.scale) *
                          static_cast<double>(in2->quant.scale) /
                          static_cast<double>(out->quant.scale);
      qm::QuantizeMultiplier(real, &d->multiplier, &d->shift);
      TV_RETURN_IF_ERROR(CheckShift(d->shift, "output multiplier"));
      d->input1_offset = -in1->quant.zero_point;
      d->input2_offset = -in2->quant.zero_point;
      d->output_offset = out->quant.zero_point;
      TV_RETURN_IF_ERROR(CheckActivationRepresentable(activation, *out));
      qm::ActivationRangeQuantized(activation, out->type, out->quant.scale, out->quant.zero_point,
                                   &d->act_min, &d->act_max);
      return Status::Ok();
    }
    default:
      return Status::Error("input '%s' has type %s; expected float32, int8, int16 or int32",
                           in1->name, DataTypeName(in1->type));
  }
}

template <typename T>
void EvalQuantized(const OpData& d, const T* x1, const T* x2, T* out) {
  BroadcastBinary(d.plan, x1, x2, out, [&](T a, T b) {
    const int32_t prod = WrapMul(WrapAdd(a, d.input1_offset), WrapAdd(b, d.input2_offset));
    const int32_t v = WrapAdd(d.output_offset, qm::MBQM(prod, d.multiplier, d.shift));
    return static_cast<T>(qm::Clamp(v, d.act_min, d.act_max));
  });
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor* in1 = ctx.input(0);
  const Tensor* in2 = ctx.input(1);
  Tensor* out = ctx.output(0);
  switch (out->type) {
    case DataType::kFloat32:
      BroadcastBinary(d.plan, in1->As<float>(), in2->As<float>(), out->As<float>(),
                      [&](float a, float b) { return qm::ClampFloat(a * b, d.f_min, d.f_max); });
      return Status::Ok();
    case DataType::kInt32:
      BroadcastBinary(
          d.plan, in1->As<int32_t>(), in2->As<int32_t>(), out->As<int32_t>(),
          [&](int32_t a, int32_t b) { return qm::Clamp(WrapMul(a, b), d.act_min, d.act_max); });
      return Status::Ok();
    case DataType::kInt8:
      EvalQuantized(d, in1->As<int8_t>(), in2->As<int8_t>(), out->As<int8_t>());
      return Status::Ok();
    case DataType::kInt16:
      EvalQuantized(d, in1->As<int16_t>(), in2->As<int16_t>(), out->As<int16_t>());
      return Status::Ok();
    default:
      return Status::Error("unsupported type %s", DataTypeName(out->type));
  }
}

}  // namespace

const KernelRegistration kMulRegistration = {op::kMul, 1, 7, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
