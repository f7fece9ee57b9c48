// TRANSPOSE_CONV: float32, int8 (per-channel or per-tensor int8 filters) and 16x8 (int16
// activations, int8 filters; int64, int16 or int32 bias). Scatter-add into a zeroed
// accumulator as TFLM's reference kernel does. Arithmetic: tflm-int8-arithmetic.md §6.3, §17.
#include <cstring>
#include <type_traits>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/conv_common.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

enum { kOutputShape = 0, kFilter = 1, kInput = 2, kBias = 3 };

enum class Acc : uint8_t { kFloat, kInt32, kInt64 };

struct OpData {
  int32_t batches = 0, in_h = 0, in_w = 0, in_c = 0;
  int32_t out_h = 0, out_w = 0, out_c = 0;
  int32_t f_h = 0, f_w = 0;
  int32_t stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0;
  ChannelMultipliers quant;
  int32_t input_offset = 0, output_offset = 0;
  int32_t act_min = 0, act_max = 0;
  float f_min = 0, f_max = 0;
  Acc acc = Acc::kFloat;
  int scratch = -1;
  bool check_shape_at_eval = false;  // output_shape is not constant
  const int64_t* bias64 = nullptr;   // aligned int64 bias (16x8)
};

// Padding of one axis (§6.3): §5 with the output size as the "input", dilation 1. TFLM
// computes (and ignores) the implied forward-conv size, which the padding formula then uses.
Status TransposeAxis(const char* name, int padding, int64_t out, int64_t filter, int64_t stride,
                     int64_t in, int32_t* pad) {
  TV_CHECK_OR_RETURN(padding == 0 || padding == 1, "padding %d is neither SAME nor VALID", padding);
  TV_CHECK_OR_RETURN(stride >= 1 && stride <= conv::kMaxCoordinate,
                     "stride_%s is %lld; it must be >= 1 (a missing options table gives 0)", name,
                     static_cast<long long>(stride));
  TV_CHECK_OR_RETURN(filter >= 1, "filter %s is %lld; it must be >= 1", name,
                     static_cast<long long>(filter));
  const int64_t implied =
      padding == 0 ? (out + stride - 1) / stride : (out + stride - filter) / stride;
  const int64_t total = (implied - 1) * stride + filter - out;
  const int64_t p = total > 0 ? total / 2 : 0;
  TV_CHECK_OR_RETURN(
      in * stride + filter + p <= conv::kMaxCoordinate && out <= conv::kMaxCoordinate,
      "%s geometry is too large", name);
  *pad = static_cast<int32_t>(p);
  return Status::Ok();
}

Status CheckOutputShapeValues(const Tensor& shape_tensor, const Tensor& output) {
  const int32_t* v = shape_tensor.As<int32_t>();
  for (int i = 0; i < 4; ++i) {
    TV_CHECK_OR_RETURN(v[i] == output.shape.dims[i],
                       "output_shape '%s' holds [%d, %d, %d, %d] but output '%s' is [%d, %d, %d, "
                       "%d]",
                       shape_tensor.name, v[0], v[1], v[2], v[3], output.name, output.shape.dims[0],
                       output.shape.dims[1], output.shape.dims[2], output.shape.dims[3]);
  }
  return Status::Ok();
}

Status PrepareQuantized(KernelContext& ctx, int activation, const Tensor& input,
                        const Tensor& filter, const Tensor* bias, const Tensor& output, OpData* d) {
  TV_CHECK_OR_RETURN(filter.type == DataType::kInt8, "filter '%s' has type %s; expected int8",
                     filter.name, DataTypeName(filter.type));
  if (input.type == DataType::kInt8) {
    TV_RETURN_IF_ERROR(conv::CheckBias(bias, DataType::kInt32, d->out_c));
    TV_RETURN_IF_ERROR(conv::CheckZeroPoint(input, "input"));
    d->input_offset = -input.quant.zero_point;
    d->output_offset = output.quant.zero_point;
    d->acc = Acc::kInt32;
  } else {
    // 16x8: no zero points applied; int64 accumulator, an int16 bias is widened to int64.
    d->acc = Acc::kInt64;
    if (bias != nullptr) {
      TV_CHECK_OR_RETURN(bias->type == DataType::kInt64 || bias->type == DataType::kInt16 ||
                             bias->type == DataType::kInt32,
                         "bias '%s' has type %s; int16 input needs int64, int32 or int16 bias",
                         bias->name, DataTypeName(bias->type));
      TV_RETURN_IF_ERROR(conv::CheckBias(bias, bias->type, d->out_c));
      if (bias->type == DataType::kInt32) d->acc = Acc::kInt32;
    }
    if (d->acc == Acc::kInt64) {
      TV_RETURN_IF_ERROR(
          conv::PrepareWideAccumulator(ctx, bias, int64_t{d->f_h} * d->f_w * d->in_c, &d->bias64));
    }
  }
  TV_RETURN_IF_ERROR(conv::ChannelQuant(ctx, input, filter, output, d->out_c, 0,
                                        d->acc == Acc::kInt64, &d->quant));
  // TFLM applies the fused activation here since tflite-micro#3278 (2026-01).
  TV_RETURN_IF_ERROR(conv::ActivationRange(activation, output, &d->act_min, &d->act_max));
  const size_t elem = d->acc == Acc::kInt64 ? sizeof(int64_t) : sizeof(int32_t);
  return ctx.RequestScratch(static_cast<size_t>(output.shape.NumElements()) * elem, &d->scratch);
}

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN((ctx.num_inputs() == 3 || ctx.num_inputs() == 4) && ctx.num_outputs() == 1,
                     "expects 3 or 4 inputs and 1 output, got %d and %d", ctx.num_inputs(),
                     ctx.num_outputs());
  const Tensor* shape = ctx.input(kOutputShape);
  const Tensor* filter = ctx.input(kFilter);
  const Tensor* input = ctx.input(kInput);
  const Tensor* bias = ctx.input(kBias);
  const Tensor* output = ctx.output(0);
  TV_RETURN_IF_ERROR(conv::CheckRank4(input, "input"));
  TV_RETURN_IF_ERROR(conv::CheckRank4(filter, "filter"));
  TV_RETURN_IF_ERROR(conv::CheckRank4(output, "output"));
  TV_CHECK_OR_RETURN(
      shape != nullptr && shape->type == DataType::kInt32 && shape->shape.NumElements() == 4,
      "output_shape (input 0) must be an int32 tensor of 4 elements");
  TV_CHECK_OR_RETURN(input->type == DataType::kFloat32 || input->type == DataType::kInt8 ||
                         input->type == DataType::kInt16,
                     "input '%s' has type %s; expected float32, int8 or int16", input->name,
                     DataTypeName(input->type));
  TV_CHECK_OR_RETURN(output->type == input->type, "output '%s' has type %s; expected %s",
                     output->name, DataTypeName(output->type), DataTypeName(input->type));
  const auto opts = OptionsOrZero<tflite::TransposeConvOptionsT>(
      ctx.op()->builtin_options_as_TransposeConvOptions());

  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  if (shape->is_constant) {
    TV_RETURN_IF_ERROR(CheckOutputShapeValues(*shape, *output));
  } else {
    d->check_shape_at_eval = true;
  }
  const Shape& is = input->shape;
  const Shape& fs = filter->shape;
  const Shape& os = output->shape;
  d->batches = is.dims[0];
  d->in_h = is.dims[1];
  d->in_w = is.dims[2];
  d->in_c = is.dims[3];
  d->out_c = fs.dims[0];
  d->f_h = fs.dims[1];
  d->f_w = fs.dims[2];
  d->out_h = os.dims[1];
  d->out_w = os.dims[2];
  TV_CHECK_OR_RETURN(os.dims[0] == d->batches, "output '%s' has batch %d; input has %d",
                     output->name, os.dims[0], d->batches);
  TV_CHECK_OR_RETURN(fs.dims[3] == d->in_c, "filter '%s' has %d input channels; input has %d",
                     filter->name, fs.dims[3], d->in_c);
  TV_CHECK_OR_RETURN(os.dims[3] == d->out_c,
                     "output '%s' has %d channels; filter '%s' has %d output channels",
                     output->name, os.dims[3], filter->name, d->out_c);
  TV_CHECK_OR_RETURN(output->shape.NumElements() >= 1 && input->shape.NumElements() >= 1,
                     "input '%s' and output '%s' must not be empty", input->name, output->name);
  const int padding = static_cast<int>(opts.padding);
  TV_RETURN_IF_ERROR(
      TransposeAxis("h", padding, d->out_h, d->f_h, opts.stride_h, d->in_h, &d->pad_h));
  TV_RETURN_IF_ERROR(
      TransposeAxis("w", padding, d->out_w, d->f_w, opts.stride_w, d->in_w, &d->pad_w));
  d->stride_h = opts.stride_h;
  d->stride_w = opts.stride_w;
  ctx.node().macs = input->shape.NumElements() * d->f_h * d->f_w * d->out_c;
  const int activation = static_cast<int>(opts.fused_activation_function);

  if (input->type == DataType::kFloat32) {
    TV_CHECK_OR_RETURN(filter->type == DataType::kFloat32,
                       "filter '%s' has type %s; float32 input needs a float32 filter",
                       filter->name, DataTypeName(filter->type));
    TV_RETURN_IF_ERROR(conv::CheckBias(bias, DataType::kFloat32, d->out_c));
    qm::ActivationRangeFloat(activation, &d->f_min, &d->f_max);
    return Status::Ok();
  }
  return PrepareQuantized(ctx, activation, *input, *filter, bias, *output, d);
}

// Scatter every input element into the outputs it influences, in TFLM's loop order
// (b, iy, ix, ic, ky, kx, oc), so float sums see their terms in the same order (§17).
// Sum = float, uint32_t (wrapping int32) or int64_t.
template <typename InT, typename Sum>
void Scatter(const OpData& d, const InT* in, const void* filter, Sum* acc) {
  using W = typename std::conditional<std::is_same<Sum, float>::value, float, int8_t>::type;
  const W* w = static_cast<const W*>(filter);
  const int64_t w_oc_stride = int64_t{d.f_h} * d.f_w * d.in_c;
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t iy = 0; iy < d.in_h; ++iy) {
      for (int32_t ix = 0; ix < d.in_w; ++ix) {
        const InT* xp = in + ((int64_t{b} * d.in_h + iy) * d.in_w + ix) * d.in_c;
        const int32_t oy0 = iy * d.stride_h - d.pad_h;
        const int32_t ox0 = ix * d.stride_w - d.pad_w;
        for (int32_t ic = 0; ic < d.in_c; ++ic) {
          for (int32_t ky = 0; ky < d.f_h; ++ky) {
            const int32_t oy = oy0 + ky;
            if (oy < 0 || oy >= d.out_h) continue;
            for (int32_t kx = 0; kx < d.f_w; ++kx) {
              const int32_t ox = ox0 + kx;
              if (ox < 0 || ox >= d.out_w) continue;
              Sum* ap = acc + ((int64_t{b} * d.out_h + oy) * d.out_w + ox) * d.out_c;
              const W* wp = w + (int64_t{ky} * d.f_w + kx) * d.in_c + ic;
              if constexpr (std::is_same<Sum, float>::value) {
                const float xv = xp[ic];
                for (int32_t oc = 0; oc < d.out_c; ++oc) ap[oc] += xv * wp[oc * w_oc_stride];
              } else {
                const int32_t xv = xp[ic] + d.input_offset;
                for (int32_t oc = 0; oc < d.out_c; ++oc) {
                  ap[oc] += static_cast<Sum>(xv * static_cast<int32_t>(wp[oc * w_oc_stride]));
                }
              }
            }
          }
        }
      }
    }
  }
}

void EvalFloat(const OpData& d, const float* in, const float* w, const float* bias, float* out) {
  const int64_t n = int64_t{d.batches} * d.out_h * d.out_w * d.out_c;
  for (int64_t i = 0; i < n; ++i) out[i] = 0.0f;
  Scatter<float, float>(d, in, w, out);
  for (int64_t i = 0; i < n; ++i) {
    float acc = out[i];
    if (bias) acc += bias[i % d.out_c];
    out[i] = qm::ClampFloat(acc, d.f_min, d.f_max);
  }
}

template <typename InT, typename Sum, typename BiasT>
void EvalQuantized(const OpData& d, const InT* in, const int8_t* w, const BiasT* bias, Sum* acc,
                   InT* out) {
  const int64_t n = int64_t{d.batches} * d.out_h * d.out_w * d.out_c;
  std::memset(acc, 0, static_cast<size_t>(n) * sizeof(Sum));
  Scatter<InT, Sum>(d, in, w, acc);
  for (int64_t i = 0; i < n; ++i) {
    const int32_t oc = static_cast<int32_t>(i % d.out_c);
    Sum a = acc[i];
    if (bias) a += static_cast<Sum>(bias[oc]);
    int32_t v;
    if constexpr (std::is_same<Sum, int64_t>::value) {
      v = qm::MBQM64(a, d.quant.multiplier[oc], d.quant.shift[oc]);
    } else {
      v = qm::MBQM(static_cast<int32_t>(a), d.quant.multiplier[oc], d.quant.shift[oc]);
    }
    v += d.output_offset;
    out[i] = static_cast<InT>(qm::Clamp(v, d.act_min, d.act_max));
  }
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor* filter = ctx.input(kFilter);
  const Tensor* input = ctx.input(kInput);
  const Tensor* bias = ctx.input(kBias);
  Tensor* output = ctx.output(0);
  if (d.check_shape_at_eval) {
    TV_RETURN_IF_ERROR(CheckOutputShapeValues(*ctx.input(kOutputShape), *output));
  }
  const int8_t* w = filter->As<int8_t>();
  if (input->type == DataType::kFloat32) {
    EvalFloat(d, input->As<float>(), filter->As<float>(), bias ? bias->As<float>() : nullptr,
              output->As<float>());
    return Status::Ok();
  }
  uint8_t* scratch = ctx.scratch(d.scratch);
  if (input->type == DataType::kInt8) {
    EvalQuantized(d, input->As<int8_t>(), w, bias ? bias->As<int32_t>() : nullptr,
                  reinterpret_cast<uint32_t*>(scratch), output->As<int8_t>());
    return Status::Ok();
  }
  const int16_t* x = input->As<int16_t>();
  int16_t* y = output->As<int16_t>();
  if (d.acc == Acc::kInt32) {
    EvalQuantized(d, x, w, bias->As<int32_t>(), reinterpret_cast<uint32_t*>(scratch), y);
  } else if (bias != nullptr && bias->type == DataType::kInt16) {
    EvalQuantized(d, x, w, bias->As<int16_t>(), reinterpret_cast<int64_t*>(scratch), y);
  } else {
    EvalQuantized(d, x, w, d.bias64, reinterpret_cast<int64_t*>(scratch), y);
  }
  return Status::Ok();
}

}  // namespace

const KernelRegistration kTransposeConvRegistration = {
    op::kTransposeConv, 1, 5, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
