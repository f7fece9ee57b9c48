// RESHAPE: byte copy of any element type (tflm-int8-arithmetic.md §14). As in TFLM
// (reshape_common.cc) the output shape is the output tensor's stored shape — the optional
// shape input and the new_shape option are not consulted; only the element counts and
// types must agree.
#include "emulator/builtin_ops.h"
#include "emulator/kernels/copy_common.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 1 || ctx.num_inputs() == 2,
                     "expects 1 or 2 inputs, got %d", ctx.num_inputs());
  TV_CHECK_OR_RETURN(ctx.num_outputs() == 1, "expects 1 output, got %d", ctx.num_outputs());
  const Tensor* input = nullptr;
  Tensor* output = nullptr;
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 0, "input", &input));
  TV_RETURN_IF_ERROR(copy::RequireOutput(ctx, 0, &output));
  TV_RETURN_IF_ERROR(copy::RequireSameType(*input, *output));
  // TFLM reads a stored output shape of [0] with a single input as a scalar (legacy
  // converters); the stored shape then has no storage for the one element.
  TV_CHECK_OR_RETURN(!(ctx.num_inputs() == 1 && output->shape.rank == 1 &&
                       output->shape.dims[0] == 0 && input->shape.NumElements() == 1),
                     "output '%s' uses the legacy scalar shape [0], which is not supported",
                     output->name);
  char a[96], b[96];
  TV_CHECK_OR_RETURN(
      input->shape.NumElements() == output->shape.NumElements() && input->bytes == output->bytes,
      "input '%s' %s has %lld elements but output '%s' %s has %lld", input->name,
      copy::ShapeStr(input->shape, a, sizeof(a)),
      static_cast<long long>(input->shape.NumElements()), output->name,
      copy::ShapeStr(output->shape, b, sizeof(b)),
      static_cast<long long>(output->shape.NumElements()));
  return Status::Ok();
}

Status Eval(KernelContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  if (input->data != output->data) copy::CopyElements(output->data, input->data, 1, output->bytes);
  return Status::Ok();
}

}  // namespace

const KernelRegistration kReshapeRegistration = {op::kReshape, 1, 1, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
