// DEPTHWISE_CONV_2D: float32, int8 (int8 or int4 filters, per-channel or per-tensor scales) and
// 16x8 (int16 activations, int8 filters, int64 bias). Depth multiplier, dilation, SAME/VALID.
// Arithmetic: tflm-int8-arithmetic.md §6.2 and §17.
#include <type_traits>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/conv_common.h"
#include "emulator/kernels/registrations.h"
#include "emulator/kernels/weighted_op_data.h"

namespace tv {
namespace kernels {
namespace {

enum { kInput = 0, kFilter = 1, kBias = 2 };

using OpData = DepthwiseConvOpData;

Status PrepareQuantized(KernelContext& ctx, const tflite::DepthwiseConv2DOptionsT& opts,
                        const Tensor& input, const Tensor& filter, const Tensor* bias,
                        const Tensor& output, OpData* d) {
  const bool int16 = input.type == DataType::kInt16;
  if (!int16) {
    TV_CHECK_OR_RETURN(filter.type == DataType::kInt8 || filter.type == DataType::kInt4,
                       "filter '%s' has type %s; int8 input needs int8 or int4 filters",
                       filter.name, DataTypeName(filter.type));
    TV_RETURN_IF_ERROR(conv::CheckBias(bias, DataType::kInt32, d->out_c));
    TV_RETURN_IF_ERROR(conv::CheckZeroPoint(input, "input"));
    TV_RETURN_IF_ERROR(conv::CheckZeroPoint(output, "output"));
    d->input_offset = -input.quant.zero_point;
    d->output_offset = output.quant.zero_point;
  } else {
    // 16x8: always an int64 accumulator and int64 bias; zero points never applied (§6.2).
    TV_CHECK_OR_RETURN(filter.type == DataType::kInt8,
                       "filter '%s' has type %s; int16 input needs int8 filters", filter.name,
                       DataTypeName(filter.type));
    TV_RETURN_IF_ERROR(conv::CheckBias(bias, DataType::kInt64, d->out_c));
    TV_RETURN_IF_ERROR(
        conv::PrepareWideAccumulator(ctx, bias, int64_t{d->f_h} * d->f_w, &d->bias64));
  }
  TV_RETURN_IF_ERROR(conv::ChannelQuant(ctx, input, filter, output, d->out_c, 3, int16, &d->quant));
  TV_RETURN_IF_ERROR(conv::ActivationRange(static_cast<int>(opts.fused_activation_function), output,
                                           &d->act_min, &d->act_max));
  if (filter.type == DataType::kInt4) {
    TV_RETURN_IF_ERROR(conv::UnpackInt4(ctx, filter, &d->filter));
  }
  return Status::Ok();
}

Status Prepare(KernelContext& ctx) {
  TV_RETURN_IF_ERROR(conv::CheckConvOperands(ctx));
  const Tensor* input = ctx.input(kInput);
  const Tensor* filter = ctx.input(kFilter);
  const Tensor* bias = ctx.input(kBias);
  const Tensor* output = ctx.output(0);
  const auto opts = OptionsOrZero<tflite::DepthwiseConv2DOptionsT>(
      ctx.op()->builtin_options_as_DepthwiseConv2DOptions());

  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  const Shape& fs = filter->shape;
  const Shape& os = output->shape;
  d->f_h = fs.dims[1];
  d->f_w = fs.dims[2];
  d->out_c = fs.dims[3];
  d->depth_multiplier = opts.depth_multiplier;
  TV_CHECK_OR_RETURN(fs.dims[0] == 1, "filter '%s' must have shape [1, KH, KW, C*M]; got %d first",
                     filter->name, fs.dims[0]);
  TV_RETURN_IF_ERROR(conv::SetInputOutputSizes(*input, *output, d));
  TV_CHECK_OR_RETURN(os.dims[3] == d->out_c, "output '%s' has %d channels; filter '%s' has %d",
                     output->name, os.dims[3], filter->name, d->out_c);
  TV_CHECK_OR_RETURN(
      d->depth_multiplier >= 1 && int64_t{d->in_c} * d->depth_multiplier == int64_t{d->out_c},
      "depth_multiplier %d with %d input channels does not give the %d output "
      "channels (a missing options table gives 0)",
      d->depth_multiplier, d->in_c, d->out_c);
  const int padding = static_cast<int>(opts.padding);
  TV_RETURN_IF_ERROR(conv::ComputeAxis("h", padding, d->in_h, d->f_h, opts.stride_h,
                                       opts.dilation_h_factor, d->out_h, &d->y));
  TV_RETURN_IF_ERROR(conv::ComputeAxis("w", padding, d->in_w, d->f_w, opts.stride_w,
                                       opts.dilation_w_factor, d->out_w, &d->x));
  ctx.node().macs = output->shape.NumElements() * d->f_h * d->f_w;

  if (input->type == DataType::kFloat32) {
    TV_CHECK_OR_RETURN(filter->type == DataType::kFloat32,
                       "filter '%s' has type %s; float32 input needs a float32 filter",
                       filter->name, DataTypeName(filter->type));
    TV_RETURN_IF_ERROR(conv::CheckBias(bias, DataType::kFloat32, d->out_c));
    qm::ActivationRangeFloat(static_cast<int>(opts.fused_activation_function), &d->f_min,
                             &d->f_max);
    return Status::Ok();
  }
  return PrepareQuantized(ctx, opts, *input, *filter, bias, *output, d);
}

void EvalFloat(const OpData& d, const float* in, const float* w, const float* bias, float* out) {
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      const int32_t iy0 = oy * d.y.stride - d.y.pad;
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const int32_t ix0 = ox * d.x.stride - d.x.pad;
        float* op = out + ((int64_t{b} * d.out_h + oy) * d.out_w + ox) * d.out_c;
        for (int32_t ic = 0; ic < d.in_c; ++ic) {
          for (int32_t m = 0; m < d.depth_multiplier; ++m) {
            const int32_t oc = ic * d.depth_multiplier + m;
            float total = 0.0f;  // §17: Σ over (ky, kx), then + bias, then clamp
            for (int32_t ky = 0; ky < d.f_h; ++ky) {
              const int32_t iy = iy0 + d.y.dilation * ky;
              if (iy < 0 || iy >= d.in_h) continue;
              for (int32_t kx = 0; kx < d.f_w; ++kx) {
                const int32_t ix = ix0 + d.x.dilation * kx;
                if (ix < 0 || ix >= d.in_w) continue;
                const float xv = in[((int64_t{b} * d.in_h + iy) * d.in_w + ix) * d.in_c + ic];
                total += xv * w[(int64_t{ky} * d.f_w + kx) * d.out_c + oc];
              }
            }
            const float bias_value = bias ? bias[oc] : 0.0f;
            op[oc] = qm::ClampFloat(total + bias_value, d.f_min, d.f_max);
          }
        }
      }
    }
  }
}

// AccT = int32_t (int8 path; wraps like TFLM, via uint32) or int64_t (16x8 path).
template <typename InT, typename AccT>
void EvalQuantized(const OpData& d, const InT* in, const int8_t* w, const AccT* bias, InT* out) {
  using Sum = typename std::conditional<sizeof(AccT) == 8, int64_t, uint32_t>::type;
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      const int32_t iy0 = oy * d.y.stride - d.y.pad;
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const int32_t ix0 = ox * d.x.stride - d.x.pad;
        InT* op = out + ((int64_t{b} * d.out_h + oy) * d.out_w + ox) * d.out_c;
        for (int32_t ic = 0; ic < d.in_c; ++ic) {
          for (int32_t m = 0; m < d.depth_multiplier; ++m) {
            const int32_t oc = ic * d.depth_multiplier + m;
            Sum acc = 0;
            for (int32_t ky = 0; ky < d.f_h; ++ky) {
              const int32_t iy = iy0 + d.y.dilation * ky;
              if (iy < 0 || iy >= d.in_h) continue;  // zero padding = skipped taps
              for (int32_t kx = 0; kx < d.f_w; ++kx) {
                const int32_t ix = ix0 + d.x.dilation * kx;
                if (ix < 0 || ix >= d.in_w) continue;
                const int32_t xv = in[((int64_t{b} * d.in_h + iy) * d.in_w + ix) * d.in_c + ic];
                const int32_t wv = w[(int64_t{ky} * d.f_w + kx) * d.out_c + oc];
                acc += static_cast<Sum>(wv * (xv + d.input_offset));
              }
            }
            if (bias) acc += static_cast<Sum>(bias[oc]);
            int32_t v;
            if constexpr (sizeof(AccT) == 8) {
              v = qm::MBQM64(acc, d.quant.multiplier[oc], d.quant.shift[oc]);
            } else {
              v = qm::MBQM(static_cast<int32_t>(acc), d.quant.multiplier[oc], d.quant.shift[oc]);
            }
            v += d.output_offset;
            op[oc] = static_cast<InT>(qm::Clamp(v, d.act_min, d.act_max));
          }
        }
      }
    }
  }
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor* input = ctx.input(kInput);
  const Tensor* filter = ctx.input(kFilter);
  const Tensor* bias = ctx.input(kBias);
  Tensor* output = ctx.output(0);
  const void* bias_data = bias ? bias->data : nullptr;
  const int8_t* w = d.filter ? d.filter : filter->As<int8_t>();
  switch (input->type) {
    case DataType::kFloat32:
      EvalFloat(d, input->As<float>(), filter->As<float>(), static_cast<const float*>(bias_data),
                output->As<float>());
      return Status::Ok();
    case DataType::kInt8:
      EvalQuantized<int8_t, int32_t>(d, input->As<int8_t>(), w,
                                     static_cast<const int32_t*>(bias_data), output->As<int8_t>());
      return Status::Ok();
    case DataType::kInt16:
      EvalQuantized<int16_t, int64_t>(d, input->As<int16_t>(), w, d.bias64, output->As<int16_t>());
      return Status::Ok();
    default:
      return Status::Error("unsupported input type %s", DataTypeName(input->type));
  }
}

}  // namespace

const KernelRegistration kDepthwiseConvRegistration = {
    op::kDepthwiseConv2D, 1, 7, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
