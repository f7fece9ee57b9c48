// UNPACK: float32, int8, int16, int32 (TFLM unpack.cc); pure copy
// (tflm-int8-arithmetic.md §14). The input is cut along `axis` (negative += input rank)
// into `num` outputs with that axis removed. TFLM writes `num` outputs as given by the
// option, so the emulator requires num == number of outputs == the axis size.
#include "emulator/builtin_ops.h"
#include "emulator/kernels/copy_common.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

struct OpData {
  int64_t outer = 1;  // product of input dims before the axis
  int64_t chunk = 0;  // bytes copied into each output per outer index
};

Status Prepare(KernelContext& ctx) {
  const auto opts =
      OptionsOrZero<tflite::UnpackOptionsT>(ctx.op()->builtin_options_as_UnpackOptions());
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 1, "expects 1 input, got %d", ctx.num_inputs());
  const int n = ctx.num_outputs();
  TV_CHECK_OR_RETURN(n >= 1 && opts.num == n, "num is %d but the operator has %d outputs", opts.num,
                     n);
  const Tensor* input = nullptr;
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 0, "input", &input));
  const DataType t = input->type;
  TV_CHECK_OR_RETURN(t == DataType::kFloat32 || t == DataType::kInt8 || t == DataType::kInt16 ||
                         t == DataType::kInt32,
                     "input '%s' has type %s; expected float32, int8, int16 or int32", input->name,
                     DataTypeName(t));
  const int rank = input->shape.rank;
  const int64_t axis = opts.axis < 0 ? int64_t{opts.axis} + rank : opts.axis;
  TV_CHECK_OR_RETURN(axis >= 0 && axis < rank, "axis %d is out of range for input '%s' (rank %d)",
                     opts.axis, input->name, rank);
  TV_CHECK_OR_RETURN(input->shape.dims[axis] == n,
                     "input '%s' has %d entries on axis %lld but the operator has %d outputs",
                     input->name, input->shape.dims[axis], static_cast<long long>(axis), n);
  Shape expected;
  for (int i = 0; i < rank; ++i) {
    if (i != axis) expected.dims[expected.rank++] = input->shape.dims[i];
  }
  for (int i = 0; i < n; ++i) {
    Tensor* out = nullptr;
    TV_RETURN_IF_ERROR(copy::RequireOutput(ctx, i, &out));
    TV_RETURN_IF_ERROR(copy::RequireSameType(*input, *out));
    TV_RETURN_IF_ERROR(copy::RequireShape(*out, expected));
  }
  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->outer = copy::DimProduct(input->shape, 0, static_cast<int>(axis));
  d->chunk = copy::DimProduct(input->shape, static_cast<int>(axis) + 1, rank) *
             static_cast<int64_t>(DataTypeSize(t));
  return Status::Ok();
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const uint8_t* in = ctx.input(0)->data;
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

const KernelRegistration kUnpackRegistration = {op::kUnpack, 1, 4, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
