// TANH: float32, int8 (gemmlowp fixed point on Q4.27) and int16 (interpolated sigmoid table,
// tanh(x) = 2 sigmoid(2x) - 1). Arithmetic: tflm-int8-arithmetic.md §9, §11.
#include <cmath>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/fixedpoint.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/lut_common.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

struct OpData {
  int64_t size = 0;
  int32_t input_zero_point = 0;
  int32_t radius = 0;  // int8: |x - zp| >= radius saturates
  int32_t multiplier = 0;
  int shift = 0;
};

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 1 && ctx.num_outputs() == 1,
                     "expects 1 input and 1 output (got %d and %d)", ctx.num_inputs(),
                     ctx.num_outputs());
  const Tensor* input = ctx.input(0);
  const Tensor* output = ctx.output(0);
  TV_CHECK_OR_RETURN(input != nullptr && output != nullptr, "input and output are required");
  TV_CHECK_OR_RETURN(input->type == DataType::kFloat32 || input->type == DataType::kInt8 ||
                         input->type == DataType::kInt16,
                     "input '%s' has type %s; expected int8, int16 or float32", input->name,
                     DataTypeName(input->type));
  TV_CHECK_OR_RETURN(output->type == input->type, "output '%s' has type %s; expected %s",
                     output->name, DataTypeName(output->type), DataTypeName(input->type));
  TV_CHECK_OR_RETURN(input->shape == output->shape,
                     "output '%s' must have the same shape as input '%s'", output->name,
                     input->name);
  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->size = input->shape.NumElements();
  if (input->type == DataType::kFloat32) return Status::Ok();

  TV_CHECK_OR_RETURN(input->quant.quantized && output->quant.quantized,
                     "quantized TANH needs scale and zero point on input and output");
  const float s_in = input->quant.scale;
  TV_CHECK_OR_RETURN(std::isfinite(s_in) && s_in > 0.0f, "input '%s' has invalid scale %g",
                     input->name, static_cast<double>(s_in));
  if (input->type == DataType::kInt8) {
    // TFLM checks nothing about the output: zero point 0 and scale 1/128 are assumed.
    d->input_zero_point = input->quant.zero_point;
    TV_CHECK_OR_RETURN(fp::PrepareQ4Input(s_in, &d->multiplier, &d->shift, &d->radius),
                       "input '%s' scale %g is out of range for int8 TANH", input->name,
                       static_cast<double>(s_in));
    return Status::Ok();
  }
  // int16: symmetric, output scale 2^-15.
  TV_CHECK_OR_RETURN(input->quant.zero_point == 0 && output->quant.zero_point == 0,
                     "int16 input '%s' and output '%s' must have zero point 0", input->name,
                     output->name);
  TV_CHECK_OR_RETURN(
      lut::PrepareInt16TableInput(s_in, /*max_pot_shift=*/1, &d->multiplier, &d->shift),
      "input '%s' scale %g is out of range for int16 TANH", input->name, static_cast<double>(s_in));
  int out_log2 = 0;
  TV_CHECK_OR_RETURN(lut::CheckedLog2(output->quant.scale, &out_log2) && out_log2 == -15,
                     "int16 output '%s' must have scale 2^-15 (got %g)", output->name,
                     static_cast<double>(output->quant.scale));
  return Status::Ok();
}

int8_t TanhInt8(const OpData& d, int8_t x) {
  const int32_t diff = static_cast<int32_t>(x) - d.input_zero_point;
  if (diff <= -d.radius) return -128;
  if (diff >= d.radius) return 127;
  const int32_t in_q4 = qm::MBQM(diff, d.multiplier, d.shift);
  const int32_t out_q0 = fp::TanhQ4(in_q4);
  // Q0 -> 1/128 steps; no output offset.
  return static_cast<int8_t>(qm::Clamp(qm::RDBPOT(out_q0, 24), -128, 127));
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  switch (input->type) {
    case DataType::kFloat32: {
      const float* in = input->As<float>();
      float* out = output->As<float>();
      for (int64_t i = 0; i < d.size; ++i) out[i] = std::tanh(in[i]);
      return Status::Ok();
    }
    case DataType::kInt8: {
      const int8_t* in = input->As<int8_t>();
      int8_t* out = output->As<int8_t>();
      for (int64_t i = 0; i < d.size; ++i) out[i] = TanhInt8(d, in[i]);
      return Status::Ok();
    }
    case DataType::kInt16: {
      const int16_t* in = input->As<int16_t>();
      int16_t* out = output->As<int16_t>();
      for (int64_t i = 0; i < d.size; ++i) {
        out[i] = lut::TanhInt16(lut::ScaleInt16Input(in[i], d.multiplier, d.shift));
      }
      return Status::Ok();
    }
    default:
      return Status::Error("unsupported input type %s", DataTypeName(input->type));
  }
}

}  // namespace

const KernelRegistration kTanhRegistration = {op::kTanh, 1, 3, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
