// SPLIT: float32, int8, int16, int32 (TFLM split.cc); pure copy (tflm-int8-arithmetic.md §14).
// Input 0 is the axis (constant int32 scalar, negative += rank), input 1 the tensor; the
// axis dimension is cut into num_outputs equal parts, one per output, in order.
#include "emulator/builtin_ops.h"
#include "emulator/kernels/copy_common.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

struct OpData {
  int64_t outer = 1;  // product of dims before the axis
  int64_t chunk = 0;  // bytes each output takes per outer index
};

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 2, "expects 2 inputs (axis, input), got %d",
                     ctx.num_inputs());
  const int n = ctx.num_outputs();
  TV_CHECK_OR_RETURN(n >= 1, "expects at least 1 output");
  const Tensor *axis_t = nullptr, *input = nullptr;
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 0, "axis", &axis_t));
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 1, "input", &input));
  const DataType t = input->type;
  TV_CHECK_OR_RETURN(t == DataType::kFloat32 || t == DataType::kInt8 || t == DataType::kInt16 ||
                         t == DataType::kInt32,
                     "input '%s' has type %s; expected float32, int8, int16 or int32", input->name,
                     DataTypeName(t));
  const int32_t* axis_data = nullptr;
  int64_t count = 0;
  TV_RETURN_IF_ERROR(copy::ConstantInt32(*axis_t, "axis", &axis_data, &count));
  TV_CHECK_OR_RETURN(count >= 1, "axis tensor '%s' is empty", axis_t->name);
  const int rank = input->shape.rank;
  const int64_t axis = axis_data[0] < 0 ? int64_t{axis_data[0]} + rank : axis_data[0];
  TV_CHECK_OR_RETURN(axis >= 0 && axis < rank, "axis %d is out of range for input '%s' (rank %d)",
                     axis_data[0], input->name, rank);
  const int32_t dim = input->shape.dims[axis];
  TV_CHECK_OR_RETURN(dim % n == 0, "input '%s' dimension %lld (%d) does not split into %d parts",
                     input->name, static_cast<long long>(axis), dim, n);
  Shape expected = input->shape;
  expected.dims[axis] = dim / n;
  for (int i = 0; i < n; ++i) {
    Tensor* out = nullptr;
    TV_RETURN_IF_ERROR(copy::RequireOutput(ctx, i, &out));
    TV_RETURN_IF_ERROR(copy::RequireSameType(*input, *out));
    TV_RETURN_IF_ERROR(copy::RequireShape(*out, expected));
  }
  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->outer = copy::DimProduct(input->shape, 0, static_cast<int>(axis));
  d->chunk = copy::DimProduct(expected, static_cast<int>(axis), rank) *
             static_cast<int64_t>(DataTypeSize(t));
  return Status::Ok();
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const uint8_t* in = ctx.input(1)->data;
  const int n = ctx.num_outputs();
  for (int64_t k = 0; k < d.outer; ++k) {
    for (int i = 0; i < n; ++i) {
      copy::CopyElements(ctx.output(i)->data + k * d.chunk, in, 1, static_cast<size_t>(d.chunk));
      in += d.chunk;
    }
  }
  return Status::Ok();
}

}  // namespace

const KernelRegistration kSplitRegistration = {op::kSplit, 1, 4, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
