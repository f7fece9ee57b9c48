#include "emulator/kernels/sigmoid_common.h"

#include "emulator/kernels/fixedpoint.h"
#include "emulator/kernels/kernel_util.h"

namespace tv {
namespace kernels {

Status PrepareSigmoidLike(KernelContext& ctx, const SigmoidLikeSpec& spec) {
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
  SigmoidLikeOpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->size = input->shape.NumElements();
  if (input->type == DataType::kFloat32) return Status::Ok();

  TV_CHECK_OR_RETURN(input->quant.quantized && output->quant.quantized,
                     "quantized %s needs scale and zero point on input and output", spec.op_name);
  const float s_in = input->quant.scale;
  TV_CHECK_OR_RETURN(std::isfinite(s_in) && s_in > 0.0f, "input '%s' has invalid scale %g",
                     input->name, static_cast<double>(s_in));
  if (input->type == DataType::kInt8) {
    // The output scale is assumed (1/256 LOGISTIC, 1/128 TANH): TFLM does not check it.
    TV_CHECK_OR_RETURN(!spec.int8_output_zero_point_is_min || output->quant.zero_point == -128,
                       "int8 output '%s' must have zero point -128 (got %d)", output->name,
                       output->quant.zero_point);
    d->input_zero_point = input->quant.zero_point;
    TV_CHECK_OR_RETURN(fp::PrepareQ4Input(s_in, &d->multiplier, &d->shift, &d->radius),
                       "input '%s' scale %g is out of range for int8 %s", input->name,
                       static_cast<double>(s_in), spec.op_name);
    return Status::Ok();
  }
  // int16: symmetric, output scale 2^-15.
  TV_CHECK_OR_RETURN(input->quant.zero_point == 0 && output->quant.zero_point == 0,
                     "int16 input '%s' and output '%s' must have zero point 0", input->name,
                     output->name);
  TV_CHECK_OR_RETURN(
      lut::PrepareInt16TableInput(s_in, spec.int16_max_pot_shift, &d->multiplier, &d->shift),
      "input '%s' scale %g is out of range for int16 %s", input->name, static_cast<double>(s_in),
      spec.op_name);
  int out_log2 = 0;
  TV_CHECK_OR_RETURN(lut::CheckedLog2(output->quant.scale, &out_log2) && out_log2 == -15,
                     "int16 output '%s' must have scale 2^-15 (got %g)", output->name,
                     static_cast<double>(output->quant.scale));
  return Status::Ok();
}

}  // namespace kernels
}  // namespace tv
