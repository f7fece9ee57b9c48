// Shared Prepare helpers of the convolution and pooling family (CONV_2D, DEPTHWISE_CONV_2D,
// TRANSPOSE_CONV, AVERAGE_POOL_2D, MAX_POOL_2D): window geometry with TFLM's padding rules
// (tflm-int8-arithmetic.md §5), per-channel multipliers (§6.1), int4 filter unpacking and the
// range checks that keep Eval free of overflow/UB on hostile models.
#ifndef TINYVERIFY_EMULATOR_KERNELS_CONV_COMMON_H_
#define TINYVERIFY_EMULATOR_KERNELS_CONV_COMMON_H_

#include <cmath>
#include <cstdint>
#include <cstring>

#include "emulator/kernels/kernel_util.h"

namespace tv {
namespace kernels {
namespace conv {

// Index arithmetic in Eval uses int; every coordinate it can form is checked against this.
constexpr int64_t kMaxCoordinate = int64_t{1} << 29;

inline Status CheckRank4(const Tensor* t, const char* role) {
  TV_CHECK_OR_RETURN(t != nullptr, "%s tensor is missing", role);
  TV_CHECK_OR_RETURN(t->shape.rank == 4, "%s '%s' must be 4-D (NHWC), got rank %d", role, t->name,
                     t->shape.rank);
  return Status::Ok();
}

// CONV_2D and DEPTHWISE_CONV_2D operands: input 0, filter 1, optional bias 2, one output;
// input, filter and output 4-D; a float32, int8 or int16 input and an output of its type.
inline Status CheckConvOperands(KernelContext& ctx) {
  TV_CHECK_OR_RETURN((ctx.num_inputs() == 2 || ctx.num_inputs() == 3) && ctx.num_outputs() == 1,
                     "expects 2 or 3 inputs and 1 output, got %d and %d", ctx.num_inputs(),
                     ctx.num_outputs());
  const Tensor* input = ctx.input(0);
  const Tensor* output = ctx.output(0);
  TV_RETURN_IF_ERROR(CheckRank4(input, "input"));
  TV_RETURN_IF_ERROR(CheckRank4(ctx.input(1), "filter"));
  TV_RETURN_IF_ERROR(CheckRank4(output, "output"));
  TV_CHECK_OR_RETURN(input->type == DataType::kFloat32 || input->type == DataType::kInt8 ||
                         input->type == DataType::kInt16,
                     "input '%s' has type %s; expected float32, int8 or int16", input->name,
                     DataTypeName(input->type));
  TV_CHECK_OR_RETURN(output->type == input->type, "output '%s' has type %s; expected %s",
                     output->name, DataTypeName(output->type), DataTypeName(input->type));
  return Status::Ok();
}

// The NHWC input and output sizes of a conv-like OpData; the output batch must match.
template <typename OpData>
Status SetInputOutputSizes(const Tensor& input, const Tensor& output, OpData* d) {
  const Shape& is = input.shape;
  const Shape& os = output.shape;
  d->batches = is.dims[0];
  d->in_h = is.dims[1];
  d->in_w = is.dims[2];
  d->in_c = is.dims[3];
  d->out_h = os.dims[1];
  d->out_w = os.dims[2];
  TV_CHECK_OR_RETURN(os.dims[0] == d->batches, "output '%s' has batch %d; input has %d",
                     output.name, os.dims[0], d->batches);
  return Status::Ok();
}

// One spatial axis of a windowed op (tensorflow/lite/kernels/padding.h): validates the
// options, computes the output size the op implies and the leading padding. TFLM loops over
// the output tensor's stored size; we insist that it equals the computed one.
struct Axis {
  int32_t stride = 0;
  int32_t dilation = 1;
  int32_t pad = 0;  // pad_before; the odd extra cell falls at the end (§5)
};

inline Status ComputeAxis(const char* name, int padding, int64_t in, int64_t filter, int64_t stride,
                          int64_t dilation, int64_t stored_out, Axis* axis) {
  TV_CHECK_OR_RETURN(padding == 0 || padding == 1, "padding %d is neither SAME nor VALID", padding);
  TV_CHECK_OR_RETURN(stride >= 1 && stride <= kMaxCoordinate,
                     "stride_%s is %lld; it must be >= 1 (a missing options table gives 0)", name,
                     static_cast<long long>(stride));
  TV_CHECK_OR_RETURN(dilation >= 1 && dilation <= kMaxCoordinate,
                     "dilation_%s is %lld; it must be >= 1", name,
                     static_cast<long long>(dilation));
  TV_CHECK_OR_RETURN(filter >= 1, "filter %s is %lld; it must be >= 1", name,
                     static_cast<long long>(filter));
  const int64_t effective = (filter - 1) * dilation + 1;
  TV_CHECK_OR_RETURN(effective <= kMaxCoordinate, "dilated filter %s (%lld) is too large", name,
                     static_cast<long long>(effective));
  const int64_t out =
      padding == 0 ? (in + stride - 1) / stride : (in + stride - effective) / stride;
  TV_CHECK_OR_RETURN(out >= 1, "%s: input size %lld is smaller than the dilated filter (%lld)",
                     name, static_cast<long long>(in), static_cast<long long>(effective));
  TV_CHECK_OR_RETURN(out == stored_out,
                     "output %s is %lld, but input %lld, filter %lld, stride %lld, dilation %lld "
                     "and %s padding give %lld",
                     name, static_cast<long long>(stored_out), static_cast<long long>(in),
                     static_cast<long long>(filter), static_cast<long long>(stride),
                     static_cast<long long>(dilation), padding == 0 ? "SAME" : "VALID",
                     static_cast<long long>(out));
  const int64_t total = (out - 1) * stride + effective - in;
  const int64_t pad = total > 0 ? total / 2 : 0;
  // Largest coordinate Eval forms: (out - 1) * stride + (filter - 1) * dilation (+/- pad).
  TV_CHECK_OR_RETURN((out - 1) * stride + effective + pad <= kMaxCoordinate,
                     "%s geometry is too large", name);
  axis->stride = static_cast<int32_t>(stride);
  axis->dilation = static_cast<int32_t>(dilation);
  axis->pad = static_cast<int32_t>(pad);
  return Status::Ok();
}

// int8 kernels add/subtract zero points in int32; values outside the type's range are not
// produced by any converter and could overflow, so they are rejected.
inline Status CheckZeroPoint(const Tensor& t, const char* role) {
  int32_t lo = 0, hi = 0;
  qm::QuantizedTypeRange(t.type, &lo, &hi);
  TV_CHECK_OR_RETURN(t.quant.zero_point >= lo && t.quant.zero_point <= hi,
                     "%s '%s' zero point %d is outside the %s range", role, t.name,
                     t.quant.zero_point, DataTypeName(t.type));
  return Status::Ok();
}

// CalculateActivationRangeQuantized (§5) after checking that the output's zero point lies in
// its type's range (so act_min <= act_max) and, for RELU6 / RELU_N1_TO_1, which divide by the
// scale, that the scale keeps the float->int conversion in range.
inline Status ActivationRange(int activation, const Tensor& output, int32_t* act_min,
                              int32_t* act_max) {
  TV_RETURN_IF_ERROR(CheckZeroPoint(output, "output"));
  const float scale = output.quant.scale;
  if (activation == qm::kActRelu6 || activation == qm::kActReluN1To1) {
    TV_CHECK_OR_RETURN(std::isfinite(scale) && scale > 0.0f && 6.0f / scale < 1e9f,
                       "output '%s' has scale %g, unusable with a fused RELU6/RELU_N1_TO_1",
                       output.name, static_cast<double>(scale));
  }
  qm::ActivationRangeQuantized(activation, output.type, scale, output.quant.zero_point, act_min,
                               act_max);
  return Status::Ok();
}

// Per-output-channel multipliers (§6.1: eff = (double)sI * (double)sW[c] / (double)sO).
// `axis` is the filter dimension that per-channel scales must run along. The shifts are
// checked against what MBQM (32-bit, shift <= 31) / MBQM64 (shift <= 14) can evaluate without
// undefined behaviour; real models are far inside these limits.
inline Status ChannelQuant(KernelContext& ctx, const Tensor& input, const Tensor& filter,
                           const Tensor& output, int32_t channels, int32_t axis, bool wide_acc,
                           ChannelMultipliers* out) {
  TV_CHECK_OR_RETURN(filter.quant.num_channels <= 1 || filter.quant.axis == axis,
                     "filter '%s' is quantized per channel along dimension %d; expected %d",
                     filter.name, filter.quant.axis, axis);
  TV_CHECK_OR_RETURN(input.quant.quantized && filter.quant.quantized && output.quant.quantized,
                     "quantized kernel needs scale and zero point on input, filter and output");
  TV_CHECK_OR_RETURN(std::isfinite(output.quant.scale) && output.quant.scale > 0.0f,
                     "output '%s' has scale %g; expected a positive finite scale", output.name,
                     static_cast<double>(output.quant.scale));
  for (int32_t c = 0; c < filter.quant.num_channels; ++c) {
    const double eff = static_cast<double>(input.quant.scale) * filter.quant.scales[c] /
                       static_cast<double>(output.quant.scale);
    TV_CHECK_OR_RETURN(std::isfinite(eff) && eff >= 0.0,
                       "input '%s' x filter '%s' scales give an invalid effective scale %g",
                       input.name, filter.name, eff);
  }
  TV_RETURN_IF_ERROR(ComputeChannelMultipliers(ctx, input, filter, output, channels, out));
  const int32_t max_shift = wide_acc ? 14 : 31;
  for (int32_t c = 0; c < channels; ++c) {
    TV_CHECK_OR_RETURN(out->shift[c] <= max_shift,
                       "effective output scale of channel %d (input scale x filter scale / "
                       "output scale) is too large (2^%d)",
                       c, out->shift[c]);
  }
  return Status::Ok();
}

// TFLM unpacks int4 filters to int8 before the int8 kernel; we do it once here.
// Packing (format doc §2.3): element 2i in the low nibble, 2i+1 in the high nibble.
inline Status UnpackInt4(KernelContext& ctx, const Tensor& filter, const int8_t** out) {
  TV_CHECK_OR_RETURN(filter.is_constant && filter.data != nullptr,
                     "int4 filter '%s' must be a constant tensor", filter.name);
  const size_t n = static_cast<size_t>(filter.shape.NumElements());
  int8_t* unpacked = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateArray(n, &unpacked));
  for (size_t i = 0; i < n; ++i) {
    const uint8_t byte = filter.data[i / 2];
    const int nibble = (i % 2 == 0) ? (byte & 0x0F) : (byte >> 4);
    unpacked[i] = static_cast<int8_t>(nibble >= 8 ? nibble - 16 : nibble);
  }
  *out = unpacked;
  return Status::Ok();
}

// int64 accumulators are rescaled by MBQM64, which multiplies by a 15-bit multiplier in int64;
// bounding |acc| by 2^47 keeps that product inside int64. `taps` is the number of int16 x int8
// products summed per output (each |p| <= 2^22). An int64 bias must be constant; flatbuffers
// only guarantee 4-byte alignment of its data, so a misaligned one is copied to aligned
// persistent memory. *bias64 receives the int64 bias to use in Eval (nullptr if none).
inline Status PrepareWideAccumulator(KernelContext& ctx, const Tensor* bias, int64_t taps,
                                     const int64_t** bias64) {
  *bias64 = nullptr;
  TV_CHECK_OR_RETURN(taps <= (int64_t{1} << 24), "too many products per output (%lld)",
                     static_cast<long long>(taps));
  if (bias == nullptr || bias->type != DataType::kInt64) return Status::Ok();
  TV_CHECK_OR_RETURN(bias->is_constant, "int64 bias '%s' must be a constant tensor", bias->name);
  const int64_t n = bias->shape.NumElements();
  for (int64_t i = 0; i < n; ++i) {
    int64_t v;
    std::memcpy(&v, bias->data + i * sizeof(int64_t), sizeof(v));
    TV_CHECK_OR_RETURN(v <= (int64_t{1} << 46) && v >= -(int64_t{1} << 46),
                       "bias '%s' value %lld at %lld is out of range", bias->name,
                       static_cast<long long>(v), static_cast<long long>(i));
  }
  if (reinterpret_cast<uintptr_t>(bias->data) % alignof(int64_t) == 0) {
    *bias64 = bias->As<int64_t>();
    return Status::Ok();
  }
  int64_t* copy = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateArray(static_cast<size_t>(n), &copy));
  std::memcpy(copy, bias->data, static_cast<size_t>(n) * sizeof(int64_t));
  *bias64 = copy;
  return Status::Ok();
}

inline Status CheckBias(const Tensor* bias, DataType expected, int32_t channels) {
  if (bias == nullptr) return Status::Ok();
  TV_CHECK_OR_RETURN(bias->type == expected, "bias '%s' has type %s; expected %s", bias->name,
                     DataTypeName(bias->type), DataTypeName(expected));
  TV_CHECK_OR_RETURN(bias->shape.NumElements() == channels,
                     "bias '%s' has %lld elements; expected %d (output channels)", bias->name,
                     static_cast<long long>(bias->shape.NumElements()), channels);
  return Status::Ok();
}

// int32 accumulation wraps in TFLM (two's complement); unsigned arithmetic reproduces that
// without signed-overflow UB.
inline int32_t WrapAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

}  // namespace conv
}  // namespace kernels
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_CONV_COMMON_H_
