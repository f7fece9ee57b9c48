// SOFTMAX over the last axis: float32 (with beta), int8 -> int8, int8 -> int16 (gemmlowp
// fixed-point exp + Newton reciprocal) and int16 -> int16 (interpolated LUTs).
// Arithmetic: tflm-int8-arithmetic.md §9, §10, §15.
#include <cmath>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/fixedpoint.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/lut_common.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

enum class Kind : uint8_t { kFloat, kInt8ToInt8, kInt8ToInt16, kInt16 };

struct OpData {
  Kind kind = Kind::kFloat;
  int64_t outer = 0;  // number of rows
  int32_t depth = 0;  // row length (last axis)
  float beta = 0.0f;  // float path
  // int8 input: Q5.26 scaled-diff multiplier and cut-off; int16 input: diff rescale.
  int32_t multiplier = 0;
  int shift = 0;
  int32_t diff_min = 0;
  int16_t* exp_lut = nullptr;  // int16 path, 513 entries each
  int16_t* recip_lut = nullptr;
};

constexpr int kScaledDiffIntegerBits = 5;     // int8 path: diffs are Q5.26
constexpr int kAccumulationIntegerBits = 12;  // sum of exps is Q12.19

float ExpFloat(float v) { return std::exp(v); }
float OneOverOnePlus(float v) { return 1.0f / (1.0f + v); }

bool ValidScale(float s) { return std::isfinite(s) && s > 0.0f; }

// §10 PreprocessSoftmaxScaling + CalculateInputRadius for the int8 input.
Status PrepareInt8Input(const Tensor& input, const Tensor& output, float beta, OpData* d) {
  if (output.type == DataType::kInt16) {
    TV_CHECK_OR_RETURN(output.quant.zero_point == -32768,
                       "int16 output '%s' must have zero point -32768 (got %d)", output.name,
                       output.quant.zero_point);
    const float expected = 1.0f / 65536;
    TV_CHECK_OR_RETURN(std::fabs(output.quant.scale - expected) <= 0.001f * expected,
                       "int16 output '%s' must have scale 1/65536 (got %g)", output.name,
                       static_cast<double>(output.quant.scale));
    d->kind = Kind::kInt8ToInt16;
  } else {
    TV_CHECK_OR_RETURN(output.quant.zero_point == -128,
                       "int8 output '%s' must have zero point -128 (got %d)", output.name,
                       output.quant.zero_point);
    TV_CHECK_OR_RETURN(output.quant.scale == 1.0f / 256,
                       "int8 output '%s' must have scale exactly 1/256 (got %g)", output.name,
                       static_cast<double>(output.quant.scale));
    d->kind = Kind::kInt8ToInt8;
  }
  const double max_real = static_cast<double>(std::numeric_limits<int32_t>::max());
  double real = static_cast<double>(beta) * static_cast<double>(input.quant.scale) *
                static_cast<double>(int64_t{1} << (31 - kScaledDiffIntegerBits));
  if (real > max_real) real = max_real;
  // TFLM's QuantizeMultiplierGreaterThanOne aborts otherwise (beta <= 0, tiny beta * scale).
  TV_CHECK_OR_RETURN(real > 1.0,
                     "beta * input scale = %g is too small for the int8 kernel (needs > 2^-26)",
                     static_cast<double>(beta) * static_cast<double>(input.quant.scale));
  qm::QuantizeMultiplier(real, &d->multiplier, &d->shift);
  TV_CHECK_OR_RETURN(d->shift >= 0 && d->shift <= 31, "input multiplier shift %d out of range",
                     d->shift);
  const double radius =
      std::floor(static_cast<double>((int64_t{1} << kScaledDiffIntegerBits) - 1) *
                 static_cast<double>(int64_t{1} << (31 - kScaledDiffIntegerBits)) /
                 static_cast<double>(int64_t{1} << d->shift));
  d->diff_min = static_cast<int32_t>(-radius);
  return Status::Ok();
}

// §10 int16 -> int16 LUT path.
Status PrepareInt16(KernelContext& ctx, const Tensor& input, const Tensor& output, float beta,
                    OpData* d) {
  TV_CHECK_OR_RETURN(output.type == DataType::kInt16, "int16 input '%s' needs an int16 output",
                     input.name);
  TV_CHECK_OR_RETURN(input.quant.zero_point == 0 && output.quant.zero_point == 0,
                     "int16 input '%s' and output '%s' must have zero point 0", input.name,
                     output.name);
  const float expected = 1.0f / 32768;
  TV_CHECK_OR_RETURN(std::fabs(output.quant.scale - expected) <= 0.001f * expected,
                     "int16 output '%s' must have scale 1/32768 (got %g)", output.name,
                     static_cast<double>(output.quant.scale));
  // The LUT covers diffs in [-10, 0]; rows of up to 65536 elements keep the Q16.15 sum of
  // exps (each <= 32767) inside int32.
  TV_CHECK_OR_RETURN(d->depth <= 65536, "int16 SOFTMAX supports rows of at most 65536 (got %d)",
                     d->depth);
  const double real =
      static_cast<double>(input.quant.scale) * static_cast<double>(beta) / (10.0 / 65535.0);
  TV_CHECK_OR_RETURN(std::isfinite(real), "beta * input scale must be finite");
  qm::QuantizeMultiplier(real, &d->multiplier, &d->shift);
  TV_CHECK_OR_RETURN(d->shift <= 31 && d->shift >= -31,
                     "beta * input scale %g is out of range for int16 SOFTMAX", real);
  d->kind = Kind::kInt16;
  TV_RETURN_IF_ERROR(ctx.AllocateArray(lut::kInt16LutSize, &d->exp_lut));
  TV_RETURN_IF_ERROR(ctx.AllocateArray(lut::kInt16LutSize, &d->recip_lut));
  const float range = 65535.0f;  // int16 max - min
  lut::LutPopulateInt16(10.0f / range, 32767, 2.0f / range, 0, ExpFloat, d->exp_lut);
  lut::LutPopulateInt16(1.0f / range, -32768, 2.0f / range, 0, OneOverOnePlus, d->recip_lut);
  return Status::Ok();
}

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 1 && ctx.num_outputs() == 1,
                     "expects 1 input and 1 output (got %d and %d)", ctx.num_inputs(),
                     ctx.num_outputs());
  const Tensor* input = ctx.input(0);
  const Tensor* output = ctx.output(0);
  TV_CHECK_OR_RETURN(input != nullptr && output != nullptr, "input and output are required");
  TV_CHECK_OR_RETURN(input->shape.rank >= 1, "input '%s' must have rank >= 1", input->name);
  TV_CHECK_OR_RETURN(input->shape == output->shape,
                     "output '%s' must have the same shape as input '%s'", output->name,
                     input->name);
  const auto opts =
      OptionsOrZero<tflite::SoftmaxOptionsT>(ctx.op()->builtin_options_as_SoftmaxOptions());

  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->depth = input->shape.dims[input->shape.rank - 1];
  d->outer = d->depth > 0 ? input->shape.NumElements() / d->depth : 0;
  d->beta = opts.beta;

  switch (input->type) {
    case DataType::kFloat32:
      TV_CHECK_OR_RETURN(output->type == DataType::kFloat32,
                         "output '%s' has type %s; expected float32 for float32 input",
                         output->name, DataTypeName(output->type));
      d->kind = Kind::kFloat;
      return Status::Ok();
    case DataType::kInt8:
    case DataType::kInt16:
      break;
    default:
      return Status::Error("input '%s' has type %s; expected int8, int16 or float32", input->name,
                           DataTypeName(input->type));
  }
  TV_CHECK_OR_RETURN(output->type == DataType::kInt8 || output->type == DataType::kInt16,
                     "output '%s' has type %s; expected int8 or int16", output->name,
                     DataTypeName(output->type));
  TV_CHECK_OR_RETURN(input->quant.quantized && output->quant.quantized,
                     "quantized SOFTMAX needs scale and zero point on input and output");
  TV_CHECK_OR_RETURN(ValidScale(input->quant.scale), "input '%s' has invalid scale %g", input->name,
                     static_cast<double>(input->quant.scale));
  if (input->type == DataType::kInt8) return PrepareInt8Input(*input, *output, opts.beta, d);
  return PrepareInt16(ctx, *input, *output, opts.beta, d);
}

void EvalFloat(const OpData& d, const float* in, float* out) {
  for (int64_t row = 0; row < d.outer; ++row) {
    const float* x = in + row * d.depth;
    float* y = out + row * d.depth;
    float max = std::numeric_limits<float>::lowest();
    for (int32_t c = 0; c < d.depth; ++c) max = x[c] > max ? x[c] : max;  // std::max order
    float sum = 0.0f;
    for (int32_t c = 0; c < d.depth; ++c) {
      const float e = std::exp((x[c] - max) * d.beta);
      y[c] = e;
      sum += e;
    }
    for (int32_t c = 0; c < d.depth; ++c) y[c] = y[c] / sum;
  }
}

// exp(beta * sI * diff) in Q0 for a diff at or above diff_min (§10).
inline int32_t ExpOfDiff(const OpData& d, int32_t diff) {
  // diff >= diff_min guarantees |diff * 2^shift| <= 31 * 2^26: no overflow.
  const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(diff) << d.shift);
  const int32_t scaled = qm::SRDHM(shifted, d.multiplier);  // Q5.26
  return fp::ExpOnNegativeValues(scaled, kScaledDiffIntegerBits);
}

template <typename OutT>
Status EvalInt8(const OpData& d, const int8_t* in, OutT* out) {
  constexpr int32_t kOutMin = std::numeric_limits<OutT>::min();
  constexpr int32_t kOutMax = std::numeric_limits<OutT>::max();
  constexpr int kOutBits = static_cast<int>(sizeof(OutT) * 8);
  for (int64_t row = 0; row < d.outer; ++row) {
    const int8_t* x = in + row * d.depth;
    OutT* y = out + row * d.depth;
    int32_t max = -128;
    for (int32_t c = 0; c < d.depth; ++c) max = x[c] > max ? x[c] : max;
    int32_t sum = 0;  // Q12.19, wrapping like TFLM's int32 FixedPoint addition
    for (int32_t c = 0; c < d.depth; ++c) {
      const int32_t diff = x[c] - max;
      if (diff >= d.diff_min) {
        sum =
            fp::WrapAdd(sum, qm::RDBPOT(ExpOfDiff(d, diff), kAccumulationIntegerBits));  // Q0->Q12
      }
    }
    int num_bits_over_unit = 0;
    const int32_t scale = fp::GetReciprocal(sum, kAccumulationIntegerBits, &num_bits_over_unit);
    const int exponent = num_bits_over_unit + 31 - kOutBits;
    // TFLM aborts (TFLITE_CHECK) here; only reachable with very long rows.
    TV_CHECK_OR_RETURN(sum > 0 && exponent >= 0 && exponent <= 31,
                       "SOFTMAX row of %d elements overflows the fixed-point sum", d.depth);
    for (int32_t c = 0; c < d.depth; ++c) {
      const int32_t diff = x[c] - max;
      int32_t o = kOutMin;
      if (diff >= d.diff_min) {
        o = qm::RDBPOT(qm::SRDHM(scale, ExpOfDiff(d, diff)), exponent) + kOutMin;
        o = qm::Clamp(o, kOutMin, kOutMax);
      }
      y[c] = static_cast<OutT>(o);
    }
  }
  return Status::Ok();
}

void EvalInt16(const OpData& d, const int16_t* in, int16_t* out) {
  for (int64_t row = 0; row < d.outer; ++row) {
    const int16_t* x = in + row * d.depth;
    int16_t* y = out + row * d.depth;
    int32_t max = -32768;
    for (int32_t c = 0; c < d.depth; ++c) max = x[c] > max ? x[c] : max;
    // The exps are cached in the output row, as TFLM does (in-place safe: each x[c] is read
    // before y[c] is written).
    int32_t sum = 0;  // Q16.15
    for (int32_t c = 0; c < d.depth; ++c) {
      const int32_t scaled = qm::MBQM(x[c] - max, d.multiplier, d.shift) + 32767;
      const int16_t e =
          lut::LutLookup16(static_cast<int16_t>(qm::Clamp(scaled, -32768, 32767)), d.exp_lut);
      y[c] = e;
      sum += e;
    }
    // sum >= 32767 (the max element maps to exp(0)), so 1 <= headroom_plus_one <= 17.
    const int headroom_plus_one = fp::CountLeadingZeros32(static_cast<uint32_t>(sum));
    const int32_t shifted_sum = static_cast<int32_t>(
        ((static_cast<int64_t>(sum) << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
    // 1/(1 + x) LUT with x = sum - 1, recentred from [0, 65535] to int16.
    const int32_t sym = shifted_sum - ((1 << 15) + (1 << 16));
    const int16_t reciprocal =
        lut::LutLookup16(static_cast<int16_t>(qm::Clamp(sym, -32768, 32767)), d.recip_lut);
    const int right_shift = 31 - headroom_plus_one;
    const int64_t round = int64_t{1} << (right_shift - 1);
    for (int32_t c = 0; c < d.depth; ++c) {
      const int32_t r = static_cast<int32_t>(
          (static_cast<int64_t>(y[c]) * static_cast<int64_t>(reciprocal) + round) >> right_shift);
      y[c] = static_cast<int16_t>(qm::Clamp(r, 0, 32767));
    }
  }
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  switch (d.kind) {
    case Kind::kFloat:
      EvalFloat(d, input->As<float>(), output->As<float>());
      return Status::Ok();
    case Kind::kInt8ToInt8:
      return EvalInt8(d, input->As<int8_t>(), output->As<int8_t>());
    case Kind::kInt8ToInt16:
      return EvalInt8(d, input->As<int8_t>(), output->As<int16_t>());
    case Kind::kInt16:
      EvalInt16(d, input->As<int16_t>(), output->As<int16_t>());
      return Status::Ok();
  }
  return Status::Error("unsupported SOFTMAX configuration");
}

}  // namespace

const KernelRegistration kSoftmaxRegistration = {op::kSoftmax, 1, 3, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
