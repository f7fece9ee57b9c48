// Shared Prepare of AVERAGE_POOL_2D and MAX_POOL_2D (TFLM pooling_common.cc;
// tflm-int8-arithmetic.md §7): window geometry, the input/output quantization check and the
// activation range. Eval lives in each op's file.
#ifndef TINYVERIFY_EMULATOR_KERNELS_POOLING_COMMON_H_
#define TINYVERIFY_EMULATOR_KERNELS_POOLING_COMMON_H_

#include <algorithm>
#include <cstdint>

#include "emulator/kernels/conv_common.h"

namespace tv {
namespace kernels {
namespace pool {

struct PoolData {
  int32_t batches = 0, in_h = 0, in_w = 0, channels = 0;
  int32_t out_h = 0, out_w = 0;
  int32_t f_h = 0, f_w = 0;
  conv::Axis y, x;
  int32_t act_min = 0, act_max = 0;
  float f_min = 0, f_max = 0;
};

// Clipped window of one output position (§7): taps [start, end) along each axis.
struct Window {
  int32_t iy0, ix0, ky0, ky1, kx0, kx1;
};

inline Window WindowAt(const PoolData& d, int32_t oy, int32_t ox) {
  Window w;
  w.iy0 = oy * d.y.stride - d.y.pad;
  w.ix0 = ox * d.x.stride - d.x.pad;
  w.ky0 = std::max<int32_t>(0, -w.iy0);
  w.ky1 = std::min(d.f_h, d.in_h - w.iy0);
  w.kx0 = std::max<int32_t>(0, -w.ix0);
  w.kx1 = std::min(d.f_w, d.in_w - w.ix0);
  return w;
}

inline Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 1 && ctx.num_outputs() == 1,
                     "expects 1 input and 1 output, got %d and %d", ctx.num_inputs(),
                     ctx.num_outputs());
  const Tensor* input = ctx.input(0);
  const Tensor* output = ctx.output(0);
  TV_RETURN_IF_ERROR(conv::CheckRank4(input, "input"));
  TV_RETURN_IF_ERROR(conv::CheckRank4(output, "output"));
  TV_CHECK_OR_RETURN(input->type == DataType::kFloat32 || input->type == DataType::kInt8 ||
                         input->type == DataType::kInt16,
                     "input '%s' has type %s; expected float32, int8 or int16", input->name,
                     DataTypeName(input->type));
  TV_CHECK_OR_RETURN(output->type == input->type, "output '%s' has type %s; expected %s",
                     output->name, DataTypeName(output->type), DataTypeName(input->type));
  const auto opts =
      OptionsOrZero<tflite::Pool2DOptionsT>(ctx.op()->builtin_options_as_Pool2DOptions());
  PoolData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  const Shape& is = input->shape;
  const Shape& os = output->shape;
  d->batches = is.dims[0];
  d->in_h = is.dims[1];
  d->in_w = is.dims[2];
  d->channels = is.dims[3];
  d->out_h = os.dims[1];
  d->out_w = os.dims[2];
  d->f_h = opts.filter_height;
  d->f_w = opts.filter_width;
  TV_CHECK_OR_RETURN(os.dims[0] == d->batches && os.dims[3] == d->channels,
                     "output '%s' must keep the input's batch (%d) and channels (%d)", output->name,
                     d->batches, d->channels);
  const int padding = static_cast<int>(opts.padding);
  TV_RETURN_IF_ERROR(
      conv::ComputeAxis("h", padding, d->in_h, d->f_h, opts.stride_h, 1, d->out_h, &d->y));
  TV_RETURN_IF_ERROR(
      conv::ComputeAxis("w", padding, d->in_w, d->f_w, opts.stride_w, 1, d->out_w, &d->x));
  const int activation = static_cast<int>(opts.fused_activation_function);
  if (input->type == DataType::kFloat32) {
    qm::ActivationRangeFloat(activation, &d->f_min, &d->f_max);
    return Status::Ok();
  }
  // TFLM requires the output to share the input's quantization: pooling never requantizes.
  const double diff = static_cast<double>(input->quant.scale) - output->quant.scale;
  TV_CHECK_OR_RETURN(diff <= 1e-6 && diff >= -1e-6,
                     "input '%s' scale %g and output '%s' scale %g must be equal", input->name,
                     static_cast<double>(input->quant.scale), output->name,
                     static_cast<double>(output->quant.scale));
  TV_CHECK_OR_RETURN(input->quant.zero_point == output->quant.zero_point,
                     "input '%s' zero point %d and output '%s' zero point %d must be equal",
                     input->name, input->quant.zero_point, output->name, output->quant.zero_point);
  TV_RETURN_IF_ERROR(conv::ActivationRange(activation, *output, &d->act_min, &d->act_max));
  return Status::Ok();
}

}  // namespace pool
}  // namespace kernels
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_POOLING_COMMON_H_
