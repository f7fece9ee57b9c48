// ADD: float32, int8, int16 (general rescaling path) and int32, with numpy broadcasting up to
// rank 6. Arithmetic: tflm-int8-arithmetic.md §8.1 (multipliers in double).
#include <algorithm>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/elementwise_common.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

struct OpData {
  BroadcastPlan plan;
  AddSubParams quant;
  float f_min = 0, f_max = 0;
};

Status Prepare(KernelContext& ctx) {
  const auto opts = OptionsOrZero<tflite::AddOptionsT>(ctx.op()->builtin_options_as_AddOptions());
  const int activation = static_cast<int>(opts.fused_activation_function);
  const Tensor *in1 = nullptr, *in2 = nullptr;
  Tensor* out = nullptr;
  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(PrepareBroadcastOperands(ctx, activation, &in1, &in2, &out, &d));
  switch (out->type) {
    case DataType::kFloat32:
      return Status::Ok();  // range set with the operands
    case DataType::kInt32:
      // TFLM: int32 ADD is unquantized and ignores the fused activation.
      TV_CHECK_OR_RETURN(!in1->quant.quantized && !in2->quant.quantized,
                         "int32 ADD supports unquantized inputs only");
      return Status::Ok();
    case DataType::kInt8:
    case DataType::kInt16: {
      TV_RETURN_IF_ERROR(RequireQuantizedOperands(*in1, *in2, *out));
      const int left_shift = out->type == DataType::kInt16 ? 15 : 20;
      // §8.1 ADD: everything in double; the max is taken on the float32 scales.
      const double twice_max =
          2.0 * static_cast<double>(std::max(in1->quant.scale, in2->quant.scale));
      const double r1 = static_cast<double>(in1->quant.scale) / twice_max;
      const double r2 = static_cast<double>(in2->quant.scale) / twice_max;
      const double ro = twice_max / (static_cast<double>(int64_t{1} << left_shift) *
                                     static_cast<double>(out->quant.scale));
      return FinishAddSubParams(*in1, *in2, *out, activation, r1, r2, ro, &d->quant);
    }
    default:
      return Status::Error("input '%s' has type %s; expected float32, int8, int16 or int32",
                           in1->name, DataTypeName(in1->type));
  }
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor* in1 = ctx.input(0);
  const Tensor* in2 = ctx.input(1);
  Tensor* out = ctx.output(0);
  switch (out->type) {
    case DataType::kFloat32:
      BroadcastBinary(d.plan, in1->As<float>(), in2->As<float>(), out->As<float>(),
                      [&](float a, float b) { return qm::ClampFloat(a + b, d.f_min, d.f_max); });
      return Status::Ok();
    case DataType::kInt32:
      BroadcastBinary(d.plan, in1->As<int32_t>(), in2->As<int32_t>(), out->As<int32_t>(),
                      [](int32_t a, int32_t b) { return WrapAdd(a, b); });
      return Status::Ok();
    case DataType::kInt8:
      EvalAddSubQuantized<int8_t, false>(d.quant, d.plan, in1->As<int8_t>(), in2->As<int8_t>(),
                                         out->As<int8_t>());
      return Status::Ok();
    case DataType::kInt16:
      EvalAddSubQuantized<int16_t, false>(d.quant, d.plan, in1->As<int16_t>(), in2->As<int16_t>(),
                                          out->As<int16_t>());
      return Status::Ok();
    default:
      return Status::Error("unsupported type %s", DataTypeName(out->type));
  }
}

}  // namespace

const KernelRegistration kAddRegistration = {op::kAdd, 1, 5, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
