// FULLY_CONNECTED: float32, int8 (per-tensor and per-channel weights), int16x8 and int4 weights.
// Arithmetic: tflm-int8-arithmetic.md §6.4.
#include <type_traits>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/registrations.h"
#include "emulator/kernels/weighted_op_data.h"

namespace tv {
namespace kernels {
namespace {

using OpData = FullyConnectedOpData;

enum { kInput = 0, kWeights = 1, kBias = 2 };

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() >= 2 && ctx.num_outputs() == 1,
                     "expects 2-3 inputs and 1 output");
  const Tensor* input = ctx.input(kInput);
  const Tensor* weights = ctx.input(kWeights);
  const Tensor* bias = ctx.input(kBias);
  const Tensor* output = ctx.output(0);
  TV_CHECK_OR_RETURN(input && weights, "input and weights are required");
  const auto opts = OptionsOrZero<tflite::FullyConnectedOptionsT>(
      ctx.op()->builtin_options_as_FullyConnectedOptions());
  TV_CHECK_OR_RETURN(opts.weights_format == tflite::FullyConnectedOptionsWeightsFormat::DEFAULT,
                     "shuffled weights format is not supported (TFLM reference kernels handle "
                     "DEFAULT only)");
  TV_CHECK_OR_RETURN(weights->shape.rank == 2, "weights '%s' must be 2-D, got rank %d",
                     weights->name, weights->shape.rank);
  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->out_channels = weights->shape.dims[0];
  d->depth = weights->shape.dims[1];
  TV_CHECK_OR_RETURN(output->shape.rank >= 1 && output->shape.dims[output->shape.rank - 1] ==
                                                    d->out_channels,
                     "output '%s' last dimension must be %d", output->name, d->out_channels);
  d->batches = d->out_channels > 0
                   ? static_cast<int32_t>(output->shape.NumElements() / d->out_channels)
                   : 0;
  TV_CHECK_OR_RETURN(input->shape.NumElements() == int64_t{d->batches} * d->depth,
                     "input '%s' has %lld elements, expected %d batches x %d", input->name,
                     static_cast<long long>(input->shape.NumElements()), d->batches, d->depth);
  if (bias) {
    TV_CHECK_OR_RETURN(bias->shape.NumElements() == d->out_channels,
                       "bias '%s' must have %d elements", bias->name, d->out_channels);
  }
  ctx.node().macs = int64_t{d->batches} * d->out_channels * d->depth;

  if (input->type == DataType::kFloat32) {
    TV_CHECK_OR_RETURN(weights->type == DataType::kFloat32 && output->type == DataType::kFloat32 &&
                           (!bias || bias->type == DataType::kFloat32),
                       "float input needs float32 weights, bias and output");
    qm::ActivationRangeFloat(static_cast<int>(opts.fused_activation_function), &d->f_min,
                             &d->f_max);
    return Status::Ok();
  }
  TV_CHECK_OR_RETURN(input->type == DataType::kInt8 || input->type == DataType::kInt16,
                     "input type %s is not supported", DataTypeName(input->type));
  TV_CHECK_OR_RETURN(output->type == input->type, "output type %s must match input type %s",
                     DataTypeName(output->type), DataTypeName(input->type));
  TV_CHECK_OR_RETURN(weights->type == DataType::kInt8 || weights->type == DataType::kInt4,
                     "weights type %s is not supported with %s input",
                     DataTypeName(weights->type), DataTypeName(input->type));
  TV_CHECK_OR_RETURN(input->quant.quantized && weights->quant.quantized &&
                         output->quant.quantized,
                     "quantized FULLY_CONNECTED needs scale/zero point on input, weights, output");
  if (bias) {
    d->bias_int64 = bias->type == DataType::kInt64;
    TV_CHECK_OR_RETURN(bias->type == DataType::kInt32 || d->bias_int64,
                       "bias type %s is not supported", DataTypeName(bias->type));
    TV_CHECK_OR_RETURN(!d->bias_int64 || input->type == DataType::kInt16,
                       "int64 bias requires int16 input");
  } else {
    d->bias_int64 = input->type == DataType::kInt16 &&
                    opts.quantized_bias_type != tflite::TensorType::INT32;
  }
  d->per_channel = weights->quant.num_channels > 1;
  if (d->per_channel) {
    TV_RETURN_IF_ERROR(
        ComputeChannelMultipliers(ctx, *input, *weights, *output, d->out_channels, &d->channel));
  } else {
    const float product = input->quant.scale * weights->quant.scale;  // float32 on purpose
    const double eff = static_cast<double>(product) / static_cast<double>(output->quant.scale);
    if (bias) {
      const double diff = static_cast<double>(input->quant.scale) *
                              static_cast<double>(weights->quant.scale) -
                          static_cast<double>(bias->quant.scale);
      TV_CHECK_OR_RETURN((diff < 0 ? -diff : diff) / static_cast<double>(output->quant.scale) <=
                             0.02,
                         "bias scale does not match input scale x weight scale");
    }
    qm::QuantizeMultiplier(eff, &d->multiplier, &d->shift);
    d->filter_offset = -weights->quant.zero_point;
  }
  const int max_shift = input->type == DataType::kInt16 ? 14 : 30;
  const int32_t channels = d->per_channel ? d->out_channels : 1;
  for (int32_t c = 0; c < channels; ++c) {
    const int shift = d->per_channel ? d->channel.shift[c] : d->shift;
    TV_CHECK_OR_RETURN(shift <= max_shift, "effective output multiplier is too large (shift %d; "
                       "check the input/weight/output scales)", shift);
  }
  TV_CHECK_OR_RETURN(input->quant.zero_point >= -32768 && input->quant.zero_point <= 32767 &&
                         output->quant.zero_point >= -32768 && output->quant.zero_point <= 32767 &&
                         weights->quant.zero_point >= -128 && weights->quant.zero_point <= 127,
                     "zero point out of range for the tensor type");
  d->input_offset = -input->quant.zero_point;
  d->output_offset = output->quant.zero_point;
  qm::ActivationRangeQuantized(static_cast<int>(opts.fused_activation_function), output->type,
                               output->quant.scale, output->quant.zero_point, &d->act_min,
                               &d->act_max);
  d->weights = weights->As<int8_t>();
  if (weights->type == DataType::kInt4) {
    TV_CHECK_OR_RETURN(!d->per_channel, "int4 weights are supported per-tensor only");
    const size_t n = static_cast<size_t>(weights->shape.NumElements());
    int8_t* unpacked = nullptr;
    TV_RETURN_IF_ERROR(ctx.AllocateArray(n, &unpacked));
    const uint8_t* packed = weights->data;
    for (size_t i = 0; i < n; ++i) {
      const uint8_t byte = packed[i / 2];
      const int nibble = (i % 2 == 0) ? (byte & 0x0F) : (byte >> 4);
      unpacked[i] = static_cast<int8_t>(nibble >= 8 ? nibble - 16 : nibble);
    }
    d->weights = unpacked;
  }
  return Status::Ok();
}

template <typename InT, typename AccT>
void EvalQuantized(const OpData& d, const InT* in, const void* bias_data, InT* out) {
  const AccT* bias = static_cast<const AccT*>(bias_data);
  for (int32_t b = 0; b < d.batches; ++b) {
    const InT* x = in + static_cast<int64_t>(b) * d.depth;
    for (int32_t oc = 0; oc < d.out_channels; ++oc) {
      const int8_t* w = d.weights + static_cast<int64_t>(oc) * d.depth;
      // int32 accumulation wraps as in TFLM; done in unsigned arithmetic so that hostile
      // zero points cannot trigger signed-overflow undefined behaviour.
      using UAccT = std::make_unsigned_t<AccT>;
      UAccT acc = 0;
      for (int32_t k = 0; k < d.depth; ++k) {
        acc += static_cast<UAccT>(static_cast<AccT>(w[k]) + d.filter_offset) *
               static_cast<UAccT>(static_cast<AccT>(x[k]) + d.input_offset);
      }
      if (bias) acc += static_cast<UAccT>(bias[oc]);
      const int32_t m = d.per_channel ? d.channel.multiplier[oc] : d.multiplier;
      const int s = d.per_channel ? d.channel.shift[oc] : d.shift;
      int32_t v;
      if constexpr (sizeof(AccT) == 8) {
        v = qm::MBQM64(static_cast<AccT>(acc), m, s);
      } else {
        v = qm::MBQM(static_cast<AccT>(acc), m, s);
      }
      v += d.output_offset;
      out[static_cast<int64_t>(b) * d.out_channels + oc] =
          static_cast<InT>(qm::Clamp(v, d.act_min, d.act_max));
    }
  }
}

void EvalFloat(const OpData& d, const float* in, const float* w_all, const float* bias,
               float* out) {
  for (int32_t b = 0; b < d.batches; ++b) {
    const float* x = in + static_cast<int64_t>(b) * d.depth;
    for (int32_t oc = 0; oc < d.out_channels; ++oc) {
      const float* w = w_all + static_cast<int64_t>(oc) * d.depth;
      float total = 0.0f;
      for (int32_t k = 0; k < d.depth; ++k) total += x[k] * w[k];
      const float bias_value = bias ? bias[oc] : 0.0f;
      out[static_cast<int64_t>(b) * d.out_channels + oc] =
          qm::ClampFloat(total + bias_value, d.f_min, d.f_max);
    }
  }
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor* input = ctx.input(kInput);
  const Tensor* bias = ctx.input(kBias);
  Tensor* output = ctx.output(0);
  const void* bias_data = bias ? bias->data : nullptr;
  switch (input->type) {
    case DataType::kFloat32:
      EvalFloat(d, input->As<float>(), ctx.input(kWeights)->As<float>(),
                static_cast<const float*>(bias_data), output->As<float>());
      return Status::Ok();
    case DataType::kInt8:
      EvalQuantized<int8_t, int32_t>(d, input->As<int8_t>(), bias_data, output->As<int8_t>());
      return Status::Ok();
    case DataType::kInt16:
      if (d.bias_int64) {
        EvalQuantized<int16_t, int64_t>(d, input->As<int16_t>(), bias_data,
                                        output->As<int16_t>());
      } else {
        EvalQuantized<int16_t, int32_t>(d, input->As<int16_t>(), bias_data,
                                        output->As<int16_t>());
      }
      return Status::Ok();
    default:
      return Status::Error("unsupported input type %s", DataTypeName(input->type));
  }
}

}  // namespace

const KernelRegistration kFullyConnectedRegistration = {op::kFullyConnected, 1, 12, Prepare, Eval,
                                                        nullptr};

}  // namespace kernels
}  // namespace tv
