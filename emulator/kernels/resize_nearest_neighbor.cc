// RESIZE_NEAREST_NEIGHBOR: float32, int8, int16 (TFLM resize_nearest_neighbor.cc); pure copy.
// Source index per output row/column, float32 math exactly as TFLM's GetNearestNeighbor
// (tflm-int8-arithmetic.md §14):
//   scale = (align_corners && out > 1) ? (in - 1) / (float)(out - 1) : in / (float)out
//   src   = align_corners ? (int)roundf((i + off) * scale) : (int)floorf((i + off) * scale)
//   src   = min(src, in - 1); with half_pixel_centers (off = 0.5f) also max(src, 0).
// Input is 4-D NHWC; size is a constant int32 [2] tensor (new height, new width).
#include <cmath>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/copy_common.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

struct OpData {
  int32_t batches = 0, in_h = 0, in_w = 0, out_h = 0, out_w = 0;
  int64_t depth_bytes = 0;
  int32_t* src_y = nullptr;  // [out_h] source row per output row
  int32_t* src_x = nullptr;  // [out_w] source column per output column
};

int32_t NearestIndex(int32_t i, int32_t in_size, int32_t out_size, bool align, bool half) {
  const float scale = (align && out_size > 1)
                          ? static_cast<float>(in_size - 1) / static_cast<float>(out_size - 1)
                          : static_cast<float>(in_size) / static_cast<float>(out_size);
  const float offset = half ? 0.5f : 0.0f;
  const float pos = (static_cast<float>(i) + offset) * scale;
  int32_t v = align ? static_cast<int32_t>(std::round(pos)) : static_cast<int32_t>(std::floor(pos));
  if (v > in_size - 1) v = in_size - 1;
  if (half && v < 0) v = 0;
  return v;
}

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 2 && ctx.num_outputs() == 1,
                     "expects 2 inputs and 1 output, got %d and %d", ctx.num_inputs(),
                     ctx.num_outputs());
  const Tensor *input = nullptr, *size_t_ = nullptr;
  Tensor* output = nullptr;
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 0, "input", &input));
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 1, "size", &size_t_));
  TV_RETURN_IF_ERROR(copy::RequireOutput(ctx, 0, &output));
  TV_CHECK_OR_RETURN(input->type == DataType::kFloat32 || input->type == DataType::kInt8 ||
                         input->type == DataType::kInt16,
                     "input '%s' has type %s; expected float32, int8 or int16", input->name,
                     DataTypeName(input->type));
  TV_RETURN_IF_ERROR(copy::RequireSameType(*input, *output));
  TV_CHECK_OR_RETURN(input->shape.rank == 4, "input '%s' must be 4-D (NHWC), has rank %d",
                     input->name, input->shape.rank);
  const int32_t* size = nullptr;
  int64_t n = 0;
  TV_RETURN_IF_ERROR(copy::ConstantInt32(*size_t_, "size", &size, &n));
  TV_CHECK_OR_RETURN(size_t_->shape.rank == 1 && n == 2, "size '%s' must be an int32 [2] tensor",
                     size_t_->name);
  Shape expected = input->shape;
  expected.dims[1] = size[0];
  expected.dims[2] = size[1];
  TV_CHECK_OR_RETURN(size[0] >= 0 && size[1] >= 0, "size [%d, %d] is negative", size[0], size[1]);
  TV_RETURN_IF_ERROR(copy::RequireShape(*output, expected));
  const auto opts = OptionsOrZero<tflite::ResizeNearestNeighborOptionsT>(
      ctx.op()->builtin_options_as_ResizeNearestNeighborOptions());
  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->batches = input->shape.dims[0];
  d->in_h = input->shape.dims[1];
  d->in_w = input->shape.dims[2];
  d->out_h = size[0];
  d->out_w = size[1];
  d->depth_bytes = int64_t{input->shape.dims[3]} * static_cast<int64_t>(DataTypeSize(input->type));
  TV_CHECK_OR_RETURN(output->shape.NumElements() == 0 || (d->in_h > 0 && d->in_w > 0),
                     "input '%s' is empty but output '%s' is not", input->name, output->name);
  TV_RETURN_IF_ERROR(ctx.AllocateArray(static_cast<size_t>(d->out_h), &d->src_y));
  TV_RETURN_IF_ERROR(ctx.AllocateArray(static_cast<size_t>(d->out_w), &d->src_x));
  for (int32_t y = 0; y < d->out_h; ++y) {
    d->src_y[y] = NearestIndex(y, d->in_h, d->out_h, opts.align_corners, opts.half_pixel_centers);
  }
  for (int32_t x = 0; x < d->out_w; ++x) {
    d->src_x[x] = NearestIndex(x, d->in_w, d->out_w, opts.align_corners, opts.half_pixel_centers);
  }
  return Status::Ok();
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const uint8_t* in = ctx.input(0)->data;
  uint8_t* out = ctx.output(0)->data;
  if (ctx.output(0)->bytes == 0) return Status::Ok();
  const int64_t row = int64_t{d.in_w} * d.depth_bytes;
  const int64_t batch = int64_t{d.in_h} * row;
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t y = 0; y < d.out_h; ++y) {
      const uint8_t* in_row = in + b * batch + d.src_y[y] * row;
      for (int32_t x = 0; x < d.out_w; ++x) {
        copy::CopyElements(out, in_row + d.src_x[x] * d.depth_bytes, 1,
                           static_cast<size_t>(d.depth_bytes));
        out += d.depth_bytes;
      }
    }
  }
  return Status::Ok();
}

}  // namespace

const KernelRegistration kResizeNearestNeighborRegistration = {
    op::kResizeNearestNeighbor, 1, 4, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
