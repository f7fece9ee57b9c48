// LEAKY_RELU: float32, int8, int16. tflm-int8-arithmetic.md §14: both real multipliers are
// formed in float32 and widened — ma = (double)((sI * alpha) / sO), mi = (double)(sI / sO).
// The alpha multiplier is negative for alpha < 0 and is used as is: TFLM's double-rounding
// MultiplyByQuantizedMultiplier feeds it straight into SRDHM (which rounds ties toward +inf,
// so this is not the same as negating the result of a positive multiplier).
#include <cmath>
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
  float alpha = 0;
  int32_t input_zero_point = 0, output_zero_point = 0;
  int32_t multiplier_alpha = 0, multiplier_identity = 0;
  int shift_alpha = 0, shift_identity = 0;
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
  // Absent options table: TFLM leaves alpha zero-initialised (not the schema default).
  const auto opts =
      OptionsOrZero<tflite::LeakyReluOptionsT>(ctx.op()->builtin_options_as_LeakyReluOptions());
  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->size = input->shape.NumElements();
  d->alpha = opts.alpha;
  if (input->type == DataType::kFloat32) return Status::Ok();
  TV_RETURN_IF_ERROR(RequireQuantized(*input, "input"));
  TV_RETURN_IF_ERROR(RequireQuantized(*output, "output"));
  TV_CHECK_OR_RETURN(std::isfinite(opts.alpha), "alpha %g is not finite",
                     static_cast<double>(opts.alpha));
  const float si = input->quant.scale, so = output->quant.scale;
  const double alpha_real = static_cast<double>(si * opts.alpha / so);  // float32 on purpose
  const double identity_real = static_cast<double>(si / so);
  qm::QuantizeMultiplier(alpha_real, &d->multiplier_alpha, &d->shift_alpha);
  qm::QuantizeMultiplier(identity_real, &d->multiplier_identity, &d->shift_identity);
  TV_RETURN_IF_ERROR(CheckShift(d->shift_alpha, "alpha multiplier"));
  TV_RETURN_IF_ERROR(CheckShift(d->shift_identity, "identity multiplier"));
  d->input_zero_point = input->quant.zero_point;
  d->output_zero_point = output->quant.zero_point;
  return Status::Ok();
}

template <typename T>
void EvalQuantized(const OpData& d, const T* in, T* out) {
  const int32_t lo = std::numeric_limits<T>::min();
  const int32_t hi = std::numeric_limits<T>::max();
  for (int64_t i = 0; i < d.size; ++i) {
    const int32_t x = WrapSub(in[i], d.input_zero_point);
    const int32_t scaled = x >= 0 ? qm::MBQM(x, d.multiplier_identity, d.shift_identity)
                                  : qm::MBQM(x, d.multiplier_alpha, d.shift_alpha);
    out[i] = static_cast<T>(qm::Clamp(WrapAdd(d.output_zero_point, scaled), lo, hi));
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
      for (int64_t i = 0; i < d.size; ++i) out[i] = in[i] > 0 ? in[i] : in[i] * d.alpha;
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

const KernelRegistration kLeakyReluRegistration = {op::kLeakyRelu, 1, 2, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
