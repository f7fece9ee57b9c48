// GATHER: float32 or int8 params, int32 indices (the types TFLM's gather.cc accepts); pure
// copy (tflm-int8-arithmetic.md §14). axis (negative += params rank) and batch_dims
// (negative += indices rank) are validated as in TFLM's Prepare; the output shape is
// params[:axis] + indices[batch_dims:] + params[axis+1:]. Every index is range-checked at
// Eval: an out-of-range index fails the invoke (TFLM's current kernel also returns an error).
#include "emulator/builtin_ops.h"
#include "emulator/kernels/copy_common.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

struct OpData {
  int64_t batch = 1, outer = 1, inner = 1, coords = 1;
  int32_t axis_size = 0;
  size_t elem = 0;
};

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 2 && ctx.num_outputs() == 1,
                     "expects 2 inputs and 1 output, got %d and %d", ctx.num_inputs(),
                     ctx.num_outputs());
  const Tensor *params = nullptr, *indices = nullptr;
  Tensor* output = nullptr;
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 0, "params", &params));
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 1, "indices", &indices));
  TV_RETURN_IF_ERROR(copy::RequireOutput(ctx, 0, &output));
  TV_CHECK_OR_RETURN(indices->type == DataType::kInt32,
                     "indices '%s' have type %s; TFLM supports int32 indices only", indices->name,
                     DataTypeName(indices->type));
  TV_CHECK_OR_RETURN(params->type == DataType::kFloat32 || params->type == DataType::kInt8,
                     "params '%s' have type %s; expected float32 or int8", params->name,
                     DataTypeName(params->type));
  TV_RETURN_IF_ERROR(copy::RequireSameType(*params, *output));
  const auto opts =
      OptionsOrZero<tflite::GatherOptionsT>(ctx.op()->builtin_options_as_GatherOptions());
  const int pr = params->shape.rank, ir = indices->shape.rank;
  const int64_t axis = opts.axis < 0 ? int64_t{opts.axis} + pr : opts.axis;
  TV_CHECK_OR_RETURN(axis >= 0 && axis < pr, "axis %d is out of range for params '%s' (rank %d)",
                     opts.axis, params->name, pr);
  const int64_t bd = opts.batch_dims < 0 ? int64_t{opts.batch_dims} + ir : opts.batch_dims;
  TV_CHECK_OR_RETURN(bd >= 0 && bd <= axis && bd < pr && bd <= ir,
                     "batch_dims %d is invalid for axis %lld, params rank %d, indices rank %d",
                     opts.batch_dims, static_cast<long long>(axis), pr, ir);
  for (int i = 0; i < bd; ++i) {
    TV_CHECK_OR_RETURN(params->shape.dims[i] == indices->shape.dims[i],
                       "batch dimension %d differs: params %d, indices %d", i,
                       params->shape.dims[i], indices->shape.dims[i]);
  }
  const int64_t out_rank = pr + ir - 1 - bd;
  TV_CHECK_OR_RETURN(out_rank <= kMaxDims, "output rank %lld is too large",
                     static_cast<long long>(out_rank));
  Shape expected;
  for (int i = 0; i < axis; ++i) expected.dims[expected.rank++] = params->shape.dims[i];
  for (int64_t i = bd; i < ir; ++i) expected.dims[expected.rank++] = indices->shape.dims[i];
  for (int i = static_cast<int>(axis) + 1; i < pr; ++i) {
    expected.dims[expected.rank++] = params->shape.dims[i];
  }
  TV_RETURN_IF_ERROR(copy::RequireShape(*output, expected));
  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->batch = copy::DimProduct(params->shape, 0, static_cast<int>(bd));
  d->outer = copy::DimProduct(params->shape, static_cast<int>(bd), static_cast<int>(axis));
  d->inner = copy::DimProduct(params->shape, static_cast<int>(axis) + 1, pr);
  d->coords = copy::DimProduct(indices->shape, static_cast<int>(bd), ir);
  d->axis_size = params->shape.dims[axis];
  d->elem = DataTypeSize(params->type);
  return Status::Ok();
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const uint8_t* in = ctx.input(0)->data;
  const int32_t* idx = ctx.input(1)->As<int32_t>();
  uint8_t* out = ctx.output(0)->data;
  const size_t row = static_cast<size_t>(d.inner) * d.elem;
  for (int64_t b = 0; b < d.batch; ++b) {
    for (int64_t o = 0; o < d.outer; ++o) {
      for (int64_t c = 0; c < d.coords; ++c) {
        const int32_t v = idx[b * d.coords + c];
        TV_CHECK_OR_RETURN(
            v >= 0 && v < d.axis_size, "index %d (position %lld of '%s') is out of range [0, %d)",
            v, static_cast<long long>(b * d.coords + c), ctx.input(1)->name, d.axis_size);
        const int64_t src = ((b * d.outer + o) * d.axis_size + v) * d.inner;
        const int64_t dst = ((b * d.outer + o) * d.coords + c) * d.inner;
        copy::CopyElements(out + dst * static_cast<int64_t>(d.elem),
                           in + src * static_cast<int64_t>(d.elem), 1, row);
      }
    }
  }
  return Status::Ok();
}

}  // namespace

const KernelRegistration kGatherRegistration = {op::kGather, 1, 6, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
