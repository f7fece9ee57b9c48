// PACK: float32, int8, int16, int32, int64 (TFLM pack.cc); pure copy
// (tflm-int8-arithmetic.md §14). values_count inputs of one shape are stacked along a new
// axis (negative += output rank). TFLM copies values_count inputs as given by the option, so
// the emulator requires it to equal the number of inputs.
#include "emulator/builtin_ops.h"
#include "emulator/kernels/copy_common.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

struct OpData {
  int64_t outer = 1;  // product of output dims before the axis
  int64_t chunk = 0;  // bytes copied from each input per outer index
};

Status Prepare(KernelContext& ctx) {
  const auto opts = OptionsOrZero<tflite::PackOptionsT>(ctx.op()->builtin_options_as_PackOptions());
  const int n = ctx.num_inputs();
  TV_CHECK_OR_RETURN(n >= 1 && opts.values_count == n,
                     "values_count is %d but the operator has %d inputs", opts.values_count, n);
  TV_CHECK_OR_RETURN(ctx.num_outputs() == 1, "expects 1 output, got %d", ctx.num_outputs());
  Tensor* output = nullptr;
  TV_RETURN_IF_ERROR(copy::RequireOutput(ctx, 0, &output));
  const DataType t = output->type;
  TV_CHECK_OR_RETURN(t == DataType::kFloat32 || t == DataType::kInt8 || t == DataType::kInt16 ||
                         t == DataType::kInt32 || t == DataType::kInt64,
                     "output '%s' has type %s; expected float32, int8, int16, int32 or int64",
                     output->name, DataTypeName(t));
  const Tensor* in0 = nullptr;
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 0, "input", &in0));
  const int out_rank = in0->shape.rank + 1;
  TV_CHECK_OR_RETURN(out_rank <= kMaxDims, "input '%s' has too many dims", in0->name);
  const int64_t axis = opts.axis < 0 ? int64_t{opts.axis} + out_rank : opts.axis;
  TV_CHECK_OR_RETURN(axis >= 0 && axis < out_rank, "axis %d is out of range for output rank %d",
                     opts.axis, out_rank);
  for (int i = 0; i < n; ++i) {
    const Tensor* in = nullptr;
    TV_RETURN_IF_ERROR(copy::RequireInput(ctx, i, "input", &in));
    TV_RETURN_IF_ERROR(copy::RequireSameType(*output, *in));
    char a[96], b[96];
    TV_CHECK_OR_RETURN(in->shape == in0->shape, "input '%s' %s differs from input '%s' %s",
                       in->name, copy::ShapeStr(in->shape, a, sizeof(a)), in0->name,
                       copy::ShapeStr(in0->shape, b, sizeof(b)));
  }
  Shape expected;
  expected.rank = out_rank;
  for (int i = 0, j = 0; i < out_rank; ++i) {
    expected.dims[i] = i == axis ? n : in0->shape.dims[j++];
  }
  TV_RETURN_IF_ERROR(copy::RequireShape(*output, expected));
  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->outer = copy::DimProduct(expected, 0, static_cast<int>(axis));
  d->chunk = copy::DimProduct(expected, static_cast<int>(axis) + 1, out_rank) *
             static_cast<int64_t>(DataTypeSize(t));
  return Status::Ok();
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  uint8_t* out = ctx.output(0)->data;
  const int n = ctx.num_inputs();
  for (int64_t k = 0; k < d.outer; ++k) {
    for (int i = 0; i < n; ++i) {
      copy::CopyElements(out, ctx.input(i)->data + k * d.chunk, 1, static_cast<size_t>(d.chunk));
      out += d.chunk;
    }
  }
  return Status::Ok();
}

}  // namespace

const KernelRegistration kPackRegistration = {op::kPack, 1, 3, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
