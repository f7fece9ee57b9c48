// EXPAND_DIMS: element copy (tflm-int8-arithmetic.md §14). As in TFLM expand_dims.cc: input
// float32, int8 or int16; the axis tensor is a constant int32 of at most one dimension
// (negative axis += rank + 1); the output's stored shape must equal the input shape with a
// 1 inserted at axis.
#include "emulator/builtin_ops.h"
#include "emulator/kernels/copy_common.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 2 && ctx.num_outputs() == 1,
                     "expects 2 inputs and 1 output, got %d and %d", ctx.num_inputs(),
                     ctx.num_outputs());
  const Tensor* input = nullptr;
  const Tensor* axis_t = nullptr;
  Tensor* output = nullptr;
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 0, "input", &input));
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 1, "axis", &axis_t));
  TV_RETURN_IF_ERROR(copy::RequireOutput(ctx, 0, &output));
  TV_CHECK_OR_RETURN(input->type == DataType::kFloat32 || input->type == DataType::kInt8 ||
                         input->type == DataType::kInt16,
                     "input '%s' has type %s; expected float32, int8 or int16", input->name,
                     DataTypeName(input->type));
  TV_RETURN_IF_ERROR(copy::RequireSameType(*input, *output));
  TV_CHECK_OR_RETURN(axis_t->shape.rank <= 1, "axis tensor '%s' must be a scalar or 1-D",
                     axis_t->name);
  const int32_t* axis_data = nullptr;
  int64_t n = 0;
  TV_RETURN_IF_ERROR(copy::ConstantInt32(*axis_t, "axis", &axis_data, &n));
  TV_CHECK_OR_RETURN(n >= 1, "axis tensor '%s' is empty", axis_t->name);
  const int rank = input->shape.rank;
  int64_t axis = axis_data[0];
  if (axis < 0) axis += rank + 1;
  TV_CHECK_OR_RETURN(axis >= 0 && axis <= rank && rank + 1 <= kMaxDims,
                     "axis %d is out of range for input '%s' of rank %d", axis_data[0], input->name,
                     rank);
  Shape expected;
  expected.rank = rank + 1;
  for (int i = 0; i < expected.rank; ++i) {
    expected.dims[i] = i < axis ? input->shape.dims[i] : i == axis ? 1 : input->shape.dims[i - 1];
  }
  return copy::RequireShape(*output, expected);
}

Status Eval(KernelContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  copy::CopyElements(output->data, input->data, 1, output->bytes);
  return Status::Ok();
}

}  // namespace

const KernelRegistration kExpandDimsRegistration = {op::kExpandDims, 1, 1, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
