// QUANTIZE: float32 -> int8/int16 (affine quantization) and integer requantization
// int8 -> int8/uint8/int16/int32, int16 -> int8/int16/int32, int32 -> int8/int16,
// uint8 -> int8 — exactly the pairs TFLM's reference kernel evaluates.
// Arithmetic: tflm-int8-arithmetic.md §12.
#include <cmath>
#include <limits>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/elementwise_common.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

struct OpData {
  int64_t size = 0;
  float output_scale = 0;
  int32_t input_zero_point = 0, output_zero_point = 0;
  int32_t multiplier = 0;  // requantization only
  int shift = 0;
};

bool SupportedPair(DataType in, DataType out) {
  using D = DataType;
  switch (in) {
    case D::kFloat32:
      return out == D::kInt8 || out == D::kInt16;
    case D::kInt8:
      return out == D::kInt8 || out == D::kUInt8 || out == D::kInt16 || out == D::kInt32;
    case D::kInt16:
      return out == D::kInt8 || out == D::kInt16 || out == D::kInt32;
    case D::kInt32:
      return out == D::kInt8 || out == D::kInt16;
    case D::kUInt8:
      return out == D::kInt8;
    default:
      return false;
  }
}

Status Prepare(KernelContext& ctx) {
  const Tensor* input = nullptr;
  Tensor* output = nullptr;
  TV_RETURN_IF_ERROR(GetUnaryOperands(ctx, &input, &output));
  TV_CHECK_OR_RETURN(SupportedPair(input->type, output->type),
                     "cannot quantize input '%s' of type %s to output '%s' of type %s (TFLM "
                     "supports float32->int8/int16, int8->int8/uint8/int16/int32, "
                     "int16->int8/int16/int32, int32->int8/int16, uint8->int8)",
                     input->name, DataTypeName(input->type), output->name,
                     DataTypeName(output->type));
  TV_RETURN_IF_ERROR(CheckSameShape(*input, *output));
  TV_RETURN_IF_ERROR(RequireQuantized(*output, "output"));
  TV_CHECK_OR_RETURN(output->quant.num_channels <= 1,
                     "output '%s' is quantized per channel; QUANTIZE supports per-tensor output "
                     "quantization only",
                     output->name);
  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->size = output->shape.NumElements();
  d->output_scale = output->quant.scale;
  d->output_zero_point = output->quant.zero_point;
  if (input->type != DataType::kFloat32) {
    TV_RETURN_IF_ERROR(RequireQuantized(*input, "input"));
    d->input_zero_point = input->quant.zero_point;
    // §12: effective scale in double.
    const double effective =
        static_cast<double>(input->quant.scale) / static_cast<double>(output->quant.scale);
    qm::QuantizeMultiplier(effective, &d->multiplier, &d->shift);
    TV_RETURN_IF_ERROR(CheckShift(d->shift, "requantization multiplier"));
  }
  return Status::Ok();
}

// static_cast<int32_t>(float) as x86 cvttss2si computes it: out-of-range and NaN give
// INT32_MIN (C++ leaves these undefined).
int32_t FloatToInt32(float v) {
  if (!(v >= -2147483648.0f && v < 2147483648.0f)) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(v);
}

template <typename Out>
void AffineQuantize(const OpData& d, const float* in, Out* out) {
  const int32_t lo = std::numeric_limits<Out>::min();
  const int32_t hi = std::numeric_limits<Out>::max();
  for (int64_t i = 0; i < d.size; ++i) {
    // float32 division, round half away from zero (roundf), then the zero point.
    const int32_t q =
        WrapAdd(FloatToInt32(std::round(in[i] / d.output_scale)), d.output_zero_point);
    out[i] = static_cast<Out>(qm::Clamp(q, lo, hi));
  }
}

template <typename In, typename Out>
void Requantize(const OpData& d, const In* in, Out* out) {
  const int32_t lo = std::numeric_limits<Out>::min();
  const int32_t hi = std::numeric_limits<Out>::max();
  for (int64_t i = 0; i < d.size; ++i) {
    const int32_t x = WrapSub(static_cast<int32_t>(in[i]), d.input_zero_point);
    const int32_t v = WrapAdd(qm::MBQM(x, d.multiplier, d.shift), d.output_zero_point);
    out[i] = static_cast<Out>(qm::Clamp(v, lo, hi));
  }
}

template <typename In>
Status RequantizeFrom(const OpData& d, const In* in, Tensor* output) {
  switch (output->type) {
    case DataType::kInt8:
      Requantize(d, in, output->As<int8_t>());
      return Status::Ok();
    case DataType::kUInt8:
      Requantize(d, in, output->As<uint8_t>());
      return Status::Ok();
    case DataType::kInt16:
      Requantize(d, in, output->As<int16_t>());
      return Status::Ok();
    case DataType::kInt32:
      Requantize(d, in, output->As<int32_t>());
      return Status::Ok();
    default:
      return Status::Error("unsupported output type %s", DataTypeName(output->type));
  }
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  switch (input->type) {
    case DataType::kFloat32:
      if (output->type == DataType::kInt8) {
        AffineQuantize(d, input->As<float>(), output->As<int8_t>());
      } else {
        AffineQuantize(d, input->As<float>(), output->As<int16_t>());
      }
      return Status::Ok();
    case DataType::kInt8:
      return RequantizeFrom(d, input->As<int8_t>(), output);
    case DataType::kUInt8:
      return RequantizeFrom(d, input->As<uint8_t>(), output);
    case DataType::kInt16:
      return RequantizeFrom(d, input->As<int16_t>(), output);
    case DataType::kInt32:
      return RequantizeFrom(d, input->As<int32_t>(), output);
    default:
      return Status::Error("unsupported input type %s", DataTypeName(input->type));
  }
}

}  // namespace

const KernelRegistration kQuantizeRegistration = {op::kQuantize, 1, 3, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
