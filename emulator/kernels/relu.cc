// RELU: float32, int8, int16 (zero points must be 0). tflm-int8-arithmetic.md §14: the quantized
// path requantizes, out = clamp(zO + MBQM(x - zI, M, sh), max(qmin, zO), qmax).
// Note: TFLM's CalculateReluOpData forms the real multiplier as (double)sI / (double)sO (double
// division; the arithmetic doc's "float division" remark does not match the kernel source).
#include <limits>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/elementwise_common.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

struct OpData {
  int64_t size = 0;
  int32_t input_zero_point = 0, output_zero_point = 0;
  int32_t multiplier = 0;
  int shift = 0;
  int32_t act_min = 0, act_max = 0;
};

Status Prepare(KernelContext& ctx) {
  const Tensor* input = nullptr;
  Tensor* output = nullptr;
  TV_RETURN_IF_ERROR(GetUnaryOperands(ctx, &input, &output));
  TV_CHECK_OR_RETURN(input->type == DataType::kFloat32 || input->type == DataType::kInt8 ||
                         input->type == DataType::kInt16,
                     "input '%s' has type %s; expected float32, int8 or int16", input->name,
                     DataTypeName(input->type));
  TV_CHECK_OR_RETURN(output->type == input->type, "output '%s' has type %s; expected %s",
                     output->name, DataTypeName(output->type), DataTypeName(input->type));
  TV_RETURN_IF_ERROR(CheckSameShape(*input, *output));
  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->size = input->shape.NumElements();
  if (input->type == DataType::kFloat32) return Status::Ok();
  TV_RETURN_IF_ERROR(RequireQuantized(*input, "input"));
  TV_RETURN_IF_ERROR(RequireQuantized(*output, "output"));
  if (input->type == DataType::kInt16) {
    TV_CHECK_OR_RETURN(input->quant.zero_point == 0 && output->quant.zero_point == 0,
                       "int16 RELU requires zero points of 0 (got %d and %d)",
                       input->quant.zero_point, output->quant.zero_point);
  }
  const double real =
      static_cast<double>(input->quant.scale) / static_cast<double>(output->quant.scale);
  qm::QuantizeMultiplier(real, &d->multiplier, &d->shift);
  TV_RETURN_IF_ERROR(CheckShift(d->shift, "output multiplier"));
  d->input_zero_point = input->quant.zero_point;
  d->output_zero_point = output->quant.zero_point;
  // Q(0) = zO + (int32)roundf(0 / sO) = zO; the upper bound is the type maximum.
  qm::ActivationRangeQuantized(qm::kActRelu, output->type, output->quant.scale,
                               output->quant.zero_point, &d->act_min, &d->act_max);
  return Status::Ok();
}

template <typename T>
void EvalQuantized(const OpData& d, const T* in, T* out) {
  for (int64_t i = 0; i < d.size; ++i) {
    const int32_t x = WrapSub(in[i], d.input_zero_point);
    const int32_t v = WrapAdd(d.output_zero_point, qm::MBQM(x, d.multiplier, d.shift));
    out[i] = static_cast<T>(qm::Clamp(v, d.act_min, d.act_max));
  }
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  switch (input->type) {
    case DataType::kFloat32: {
      const float* in = input->As<float>();
      float* out = output->As<float>();
      for (int64_t i = 0; i < d.size; ++i) out[i] = in[i] < 0.0f ? 0.0f : in[i];
      return Status::Ok();
    }
    case DataType::kInt8:
      EvalQuantized(d, input->As<int8_t>(), output->As<int8_t>());
      return Status::Ok();
    case DataType::kInt16:
      EvalQuantized(d, input->As<int16_t>(), output->As<int16_t>());
      return Status::Ok();
    default:
      return Status::Error("unsupported type %s", DataTypeName(input->type));
  }
}

}  // namespace

const KernelRegistration kReluRegistration = {op::kRelu, 1, 3, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
