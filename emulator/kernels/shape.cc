// SHAPE: writes the input's dimensions into an int32 [rank] output (TFLM shape.cc supports
// int32 output only; the out_type option is not consulted). No input data is read.
#include "emulator/builtin_ops.h"
#include "emulator/kernels/copy_common.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 1 && ctx.num_outputs() == 1,
                     "expects 1 input and 1 output, got %d and %d", ctx.num_inputs(),
                     ctx.num_outputs());
  const Tensor* input = nullptr;
  Tensor* output = nullptr;
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 0, "input", &input));
  TV_RETURN_IF_ERROR(copy::RequireOutput(ctx, 0, &output));
  TV_CHECK_OR_RETURN(output->type == DataType::kInt32,
                     "output '%s' has type %s; TFLM supports int32 output only", output->name,
                     DataTypeName(output->type));
  Shape expected;
  expected.rank = 1;
  expected.dims[0] = input->shape.rank;
  return copy::RequireShape(*output, expected);
}

Status Eval(KernelContext& ctx) {
  const Tensor* input = ctx.input(0);
  int32_t* out = ctx.output(0)->As<int32_t>();
  for (int i = 0; i < input->shape.rank; ++i) out[i] = input->shape.dims[i];
  return Status::Ok();
}

}  // namespace

const KernelRegistration kShapeRegistration = {op::kShape, 1, 1, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
