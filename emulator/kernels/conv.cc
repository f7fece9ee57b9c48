// CONV_2D: float32, int8 (int8 or int4 filters, per-channel or per-tensor scales) and 16x8
// (int16 activations, int8 filters, int32 or int64 bias). Grouped convolution, dilation,
// SAME/VALID padding. Arithmetic: tflm-int8-arithmetic.md §6.1 and §17.
#include <type_traits>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/conv_common.h"
#include "emulator/kernels/registrations.h"
#include "emulator/kernels/weighted_op_data.h"

namespace tv {
namespace kernels {
namespace {

enum { kInput = 0, kFilter = 1, kBias = 2 };

using OpData = ConvOpData;

Status PrepareQuantized(KernelContext& ctx, const tflite::Conv2DOptionsT& opts, const Tensor& input,
                        const Tensor& filter, const Tensor* bias, const Tensor& output, OpData* d) {
  if (input.type == DataType::kInt8) {
    TV_CHECK_OR_RETURN(filter.type == DataType::kInt8 || filter.type == DataType::kInt4,
                       "filter '%s' has type %s; int8 input needs int8 or int4 filters",
                       filter.name, DataTypeName(filter.type));
    TV_RETURN_IF_ERROR(conv::CheckBias(bias, DataType::kInt32, d->out_c));
    TV_RETURN_IF_ERROR(conv::CheckZeroPoint(input, "input"));
    TV_RETURN_IF_ERROR(conv::CheckZeroPoint(output, "output"));
    d->input_offset = -input.quant.zero_point;
    d->output_offset = output.quant.zero_point;
  } else {
    // 16x8: zero points are assumed 0 and never applied (§6.1).
    TV_CHECK_OR_RETURN(filter.type == DataType::kInt8,
                       "filter '%s' has type %s; int16 input needs int8 filters", filter.name,
                       DataTypeName(filter.type));
    if (bias != nullptr) {
      TV_CHECK_OR_RETURN(bias->type == DataType::kInt32 || bias->type == DataType::kInt64,
                         "bias '%s' has type %s; int16 input needs int32 or int64 bias", bias->name,
                         DataTypeName(bias->type));
      d->wide_acc = bias->type == DataType::kInt64;
      TV_RETURN_IF_ERROR(conv::CheckBias(bias, bias->type, d->out_c));
    } else {
      d->wide_acc = opts.quantized_bias_type != tflite::TensorType::INT32;
    }
    if (d->wide_acc) {
      TV_RETURN_IF_ERROR(
          conv::PrepareWideAccumulator(ctx, bias, int64_t{d->f_h} * d->f_w * d->f_c, &d->bias64));
    }
  }
  TV_RETURN_IF_ERROR(
      conv::ChannelQuant(ctx, input, filter, output, d->out_c, 0, d->wide_acc, &d->quant));
  TV_RETURN_IF_ERROR(conv::ActivationRange(static_cast<int>(opts.fused_activation_function), output,
                                           &d->act_min, &d->act_max));
  if (filter.type == DataType::kInt4) TV_RETURN_IF_ERROR(conv::UnpackInt4(ctx, filter, &d->filter));
  return Status::Ok();
}

Status Prepare(KernelContext& ctx) {
  TV_RETURN_IF_ERROR(conv::CheckConvOperands(ctx));
  const Tensor* input = ctx.input(kInput);
  const Tensor* filter = ctx.input(kFilter);
  const Tensor* bias = ctx.input(kBias);
  const Tensor* output = ctx.output(0);
  const auto opts =
      OptionsOrZero<tflite::Conv2DOptionsT>(ctx.op()->builtin_options_as_Conv2DOptions());

  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  const Shape& fs = filter->shape;
  const Shape& os = output->shape;
  d->out_c = fs.dims[0];
  d->f_h = fs.dims[1];
  d->f_w = fs.dims[2];
  d->f_c = fs.dims[3];
  TV_RETURN_IF_ERROR(conv::SetInputOutputSizes(*input, *output, d));
  TV_CHECK_OR_RETURN(os.dims[3] == d->out_c,
                     "output '%s' has %d channels; filter '%s' has %d output channels",
                     output->name, os.dims[3], filter->name, d->out_c);
  TV_CHECK_OR_RETURN(d->f_c >= 1 && d->in_c % d->f_c == 0,
                     "input channels (%d) are not a multiple of filter input channels (%d)",
                     d->in_c, d->f_c);
  const int32_t groups = d->in_c / d->f_c;
  TV_CHECK_OR_RETURN(groups >= 1 && d->out_c % groups == 0,
                     "output channels (%d) are not a multiple of the group count (%d)", d->out_c,
                     groups);
  d->per_group = d->out_c / groups;
  const int padding = static_cast<int>(opts.padding);
  TV_RETURN_IF_ERROR(conv::ComputeAxis("h", padding, d->in_h, d->f_h, opts.stride_h,
                                       opts.dilation_h_factor, d->out_h, &d->y));
  TV_RETURN_IF_ERROR(conv::ComputeAxis("w", padding, d->in_w, d->f_w, opts.stride_w,
                                       opts.dilation_w_factor, d->out_w, &d->x));
  ctx.node().macs = output->shape.NumElements() * d->f_h * d->f_w * d->f_c;

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
        for (int32_t oc = 0; oc < d.out_c; ++oc) {
          const int32_t ic0 = (oc / d.per_group) * d.f_c;
          float total = 0.0f;  // §17: Σ over (ky, kx, ic) in loop order, then + bias
          for (int32_t ky = 0; ky < d.f_h; ++ky) {
            const int32_t iy = iy0 + d.y.dilation * ky;
            if (iy < 0 || iy >= d.in_h) continue;
            for (int32_t kx = 0; kx < d.f_w; ++kx) {
              const int32_t ix = ix0 + d.x.dilation * kx;
              if (ix < 0 || ix >= d.in_w) continue;
              const float* xp = in + ((int64_t{b} * d.in_h + iy) * d.in_w + ix) * d.in_c + ic0;
              const float* wp = w + ((int64_t{oc} * d.f_h + ky) * d.f_w + kx) * d.f_c;
              for (int32_t ic = 0; ic < d.f_c; ++ic) total += xp[ic] * wp[ic];
            }
          }
          const float bias_value = bias ? bias[oc] : 0.0f;
          out[((int64_t{b} * d.out_h + oy) * d.out_w + ox) * d.out_c + oc] =
              qm::ClampFloat(total + bias_value, d.f_min, d.f_max);
        }
      }
    }
  }
}

// AccT = int32_t (wrapping like TFLM, summed in uint32) or int64_t (16x8 with int64 bias).
template <typename InT, typename AccT>
void EvalQuantized(const OpData& d, const InT* in, const int8_t* w, const AccT* bias, InT* out) {
  using Sum = typename std::conditional<sizeof(AccT) == 8, int64_t, uint32_t>::type;
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      const int32_t iy0 = oy * d.y.stride - d.y.pad;
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const int32_t ix0 = ox * d.x.stride - d.x.pad;
        for (int32_t oc = 0; oc < d.out_c; ++oc) {
          const int32_t ic0 = (oc / d.per_group) * d.f_c;
          Sum acc = 0;
          for (int32_t ky = 0; ky < d.f_h; ++ky) {
            const int32_t iy = iy0 + d.y.dilation * ky;
            if (iy < 0 || iy >= d.in_h) continue;  // zero padding = skipped taps
            for (int32_t kx = 0; kx < d.f_w; ++kx) {
              const int32_t ix = ix0 + d.x.dilation * kx;
              if (ix < 0 || ix >= d.in_w) continue;
              const InT* xp = in + ((int64_t{b} * d.in_h + iy) * d.in_w + ix) * d.in_c + ic0;
              const int8_t* wp = w + ((int64_t{oc} * d.f_h + ky) * d.f_w + kx) * d.f_c;
              for (int32_t ic = 0; ic < d.f_c; ++ic) {
                const int32_t p = static_cast<int32_t>(wp[ic]) * (xp[ic] + d.input_offset);
                acc += static_cast<Sum>(p);
              }
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
          out[((int64_t{b} * d.out_h + oy) * d.out_w + ox) * d.out_c + oc] =
              static_cast<InT>(qm::Clamp(v, d.act_min, d.act_max));
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
      if (d.wide_acc) {
        EvalQuantized<int16_t, int64_t>(d, input->As<int16_t>(), w, d.bias64,
                                        output->As<int16_t>());
      } else {
        EvalQuantized<int16_t, int32_t>(d, input->As<int16_t>(), w,
                                        static_cast<const int32_t*>(bias_data),
                                        output->As<int16_t>());
      }
      return Status::Ok();
    default:
      return Status::Error("unsupported input type %s", DataTypeName(input->type));
  }
}

}  // namespace

const KernelRegistration kConvRegistration = {op::kConv2D, 1, 8, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
