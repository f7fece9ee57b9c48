// HARD_SWISH: x * relu6(x + 3) / 6 for float32 and int8 (TFLM supports no other type).
// The int8 path is TFLM's 16-bit fixed-point scheme: tflm-int8-arithmetic.md §14.
#include <algorithm>
#include <cmath>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

struct OpData {
  int64_t size = 0;
  int32_t input_zero_point = 0;
  int32_t output_zero_point = 0;
  int16_t output_multiplier = 0;   // Q0.15
  int output_exponent = 0;         // <= 0
  int16_t reluish_multiplier = 0;  // Q0.15
  int reluish_exponent = 0;
};

// TFLM DownScaleInt32ToInt16Multiplier: round the Q0.31 multiplier to Q0.15.
int16_t DownScaleMultiplier(int32_t m) {
  constexpr int32_t kRounding = 1 << 15;
  if (m >= std::numeric_limits<int32_t>::max() - kRounding) return 32767;
  return static_cast<int16_t>((m + kRounding) >> 16);
}

bool ValidScale(float s) { return std::isfinite(s) && s > 0.0f; }

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 1 && ctx.num_outputs() == 1,
                     "expects 1 input and 1 output (got %d and %d)", ctx.num_inputs(),
                     ctx.num_outputs());
  const Tensor* input = ctx.input(0);
  const Tensor* output = ctx.output(0);
  TV_CHECK_OR_RETURN(input != nullptr && output != nullptr, "input and output are required");
  TV_CHECK_OR_RETURN(input->type == DataType::kFloat32 || input->type == DataType::kInt8,
                     "input '%s' has type %s; expected int8 or float32 (TFLM's HARD_SWISH "
                     "supports no other type)",
                     input->name, DataTypeName(input->type));
  TV_CHECK_OR_RETURN(output->type == input->type, "output '%s' has type %s; expected %s",
                     output->name, DataTypeName(output->type), DataTypeName(input->type));
  TV_CHECK_OR_RETURN(input->shape == output->shape,
                     "output '%s' must have the same shape as input '%s'", output->name,
                     input->name);
  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->size = input->shape.NumElements();
  if (input->type == DataType::kFloat32) return Status::Ok();

  TV_CHECK_OR_RETURN(input->quant.quantized && output->quant.quantized,
                     "quantized HARD_SWISH needs scale and zero point on input and output");
  TV_CHECK_OR_RETURN(ValidScale(input->quant.scale) && ValidScale(output->quant.scale),
                     "input '%s' / output '%s' have invalid scales %g / %g", input->name,
                     output->name, static_cast<double>(input->quant.scale),
                     static_cast<double>(output->quant.scale));
  d->input_zero_point = input->quant.zero_point;
  d->output_zero_point = output->quant.zero_point;
  TV_CHECK_OR_RETURN(d->input_zero_point >= -128 && d->input_zero_point <= 127,
                     "input '%s' zero point %d is outside the int8 range", input->name,
                     d->input_zero_point);
  // All in float32, widened only for QuantizeMultiplier (§14, §18 item 3).
  const float hires_input_scale = (1.0f / 128.0f) * input->quant.scale;
  const float reluish_scale = 3.0f / 32768.0f;
  int32_t m32 = 0;
  qm::QuantizeMultiplier(static_cast<double>(hires_input_scale / output->quant.scale), &m32,
                         &d->output_exponent);
  d->output_multiplier = DownScaleMultiplier(m32);
  TV_CHECK_OR_RETURN(d->output_exponent <= 0,
                     "input scale / output scale = %g is too large for int8 HARD_SWISH "
                     "(needs < 128)",
                     static_cast<double>(input->quant.scale / output->quant.scale));
  qm::QuantizeMultiplier(static_cast<double>(hires_input_scale / reluish_scale), &m32,
                         &d->reluish_exponent);
  d->reluish_multiplier = DownScaleMultiplier(m32);
  // TFLM would shift by >= 31 bits (undefined) beyond this; real models are far below.
  TV_CHECK_OR_RETURN(d->reluish_exponent <= 31, "input scale %g is too large for HARD_SWISH",
                     static_cast<double>(input->quant.scale));
  return Status::Ok();
}

// reference/hard_swish.h SaturatingLeftShift on int16.
int16_t SaturatingLeftShift16(int16_t v, int amount) {
  const int64_t r = static_cast<int64_t>(v) * (int64_t{1} << amount);
  return static_cast<int16_t>(std::min<int64_t>(std::max<int64_t>(r, -32768), 32767));
}

// gemmlowp RoundingDivideByPOT<int16>. For exponents >= 16 the int16 mask truncates to -1 and
// the result is +1 for x >= 0 (even x = 0) and -1 for x < 0 (§2 quirk).
int16_t RoundingDivideByPOT16(int16_t x, int exponent) {
  if (exponent >= 16) return x >= 0 ? 1 : -1;
  return qm::RDBPOT16(x, exponent);
}

// Like SRDHM16 but truncating toward zero (ARM SQDMULH); used for the final product so that
// its bias cancels the rounding of the earlier multiplies.
int16_t SaturatingDoublingHighMul16(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min()) return 32767;
  return static_cast<int16_t>((static_cast<int32_t>(a) * static_cast<int32_t>(b)) / (1 << 15));
}

int8_t HardSwishInt8(const OpData& d, int8_t x) {
  const int16_t input_value = static_cast<int16_t>(x - d.input_zero_point);
  const int16_t hires = static_cast<int16_t>(input_value * (1 << 7));
  // x on the output scale, before the output shift.
  const int16_t preshift_output = qm::SRDHM16(hires, d.output_multiplier);
  // "Relu-ish" factor: x rescaled so that 3.0 is 32768 (saturating), then mapped to [0, 1].
  int16_t reluish = hires;
  if (d.reluish_exponent > 0) reluish = SaturatingLeftShift16(reluish, d.reluish_exponent - 1);
  reluish = qm::SRDHM16(reluish, d.reluish_multiplier);
  if (d.reluish_exponent > 0) reluish = SaturatingLeftShift16(reluish, 1);
  if (d.reluish_exponent < 0) reluish = RoundingDivideByPOT16(reluish, -d.reluish_exponent);
  reluish = static_cast<int16_t>((reluish + (1 << 15)) >> 1);
  const int16_t preshift_result = SaturatingDoublingHighMul16(reluish, preshift_output);
  int16_t out = RoundingDivideByPOT16(preshift_result, -d.output_exponent);
  out = static_cast<int16_t>(out + d.output_zero_point);  // int16 arithmetic, wraps
  return static_cast<int8_t>(std::min<int16_t>(std::max<int16_t>(out, -128), 127));
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  if (input->type == DataType::kFloat32) {
    const float* in = input->As<float>();
    float* out = output->As<float>();
    for (int64_t i = 0; i < d.size; ++i) {
      const float v = in[i];
      out[i] = v * std::min(6.0f, std::max(0.0f, v + 3)) / 6;  // left to right, as TFLM
    }
    return Status::Ok();
  }
  const int8_t* in = input->As<int8_t>();
  int8_t* out = output->As<int8_t>();
  for (int64_t i = 0; i < d.size; ++i) out[i] = HardSwishInt8(d, in[i]);
  return Status::Ok();
}

}  // namespace

const KernelRegistration kHardSwishRegistration = {op::kHardSwish, 1, 1, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
