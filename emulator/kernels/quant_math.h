// Integer primitives of TFLM's reference kernels (gemmlowp fixed point + TFLM common.h),
// reproduced bit for bit. See ../shared/docs/tflm-int8-arithmetic.md §2–§5 for the rules.
#ifndef TINYVERIFY_EMULATOR_KERNELS_QUANT_MATH_H_
#define TINYVERIFY_EMULATOR_KERNELS_QUANT_MATH_H_

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>

#include "emulator/dtype.h"
#include "emulator/status.h"

namespace tv {
namespace qm {

// gemmlowp SaturatingRoundingDoublingHighMul: floor((a*b + 2^30) / 2^31), saturating the
// single overflow case.
inline int32_t SRDHM(int32_t a, int32_t b) {
  if (a == b && a == std::numeric_limits<int32_t>::min()) return std::numeric_limits<int32_t>::max();
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int64_t nudge = ab >= 0 ? (int64_t{1} << 30) : (1 - (int64_t{1} << 30));
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}

inline int16_t SRDHM16(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min()) return std::numeric_limits<int16_t>::max();
  const int32_t ab = static_cast<int32_t>(a) * static_cast<int32_t>(b);
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return static_cast<int16_t>((ab + nudge) / (1 << 15));
}

// RoundingDivideByPOT: x / 2^e rounded to nearest, ties away from zero.
inline int32_t RDBPOT(int32_t x, int e) {
  const int32_t mask = static_cast<int32_t>((int64_t{1} << e) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> e) + (remainder > threshold ? 1 : 0);
}

// int16 instantiation, including gemmlowp's quirk: for e >= 16 the mask truncates to -1.
inline int16_t RDBPOT16(int16_t x, int e) {
  const int16_t mask = static_cast<int16_t>((1 << e) - 1);
  const int16_t remainder = static_cast<int16_t>(x & mask);
  const int16_t threshold = static_cast<int16_t>((mask >> 1) + (x < 0 ? 1 : 0));
  return static_cast<int16_t>((x >> e) + (remainder > threshold ? 1 : 0));
}

// SaturatingRoundingMultiplyByPOT<k> with a run-time exponent.
inline int32_t SRMPOT(int32_t x, int k) {
  if (k == 0) return x;
  if (k < 0) return RDBPOT(x, -k);
  const int32_t thr = static_cast<int32_t>((int64_t{1} << (31 - k)) - 1);
  if (x > thr) return std::numeric_limits<int32_t>::max();
  if (x < -thr) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(static_cast<uint32_t>(x) << k);
}

// TFLM QuantizeMultiplier (double-rounding build): m ~= M * 2^(shift - 31).
inline void QuantizeMultiplier(double m, int32_t* quantized, int* shift) {
  if (m == 0.0) {
    *quantized = 0;
    *shift = 0;
    return;
  }
  const double q = std::frexp(m, shift);
  int64_t qf = static_cast<int64_t>(std::round(q * static_cast<double>(int64_t{1} << 31)));
  if (qf == (int64_t{1} << 31)) {
    qf /= 2;
    ++*shift;
  }
  if (*shift < -31) {
    *shift = 0;
    qf = 0;
  }
  *quantized = static_cast<int32_t>(qf);
}

// MultiplyByQuantizedMultiplier, 32-bit accumulator: SRDHM then rounding right shift.
inline int32_t MBQM(int32_t x, int32_t multiplier, int shift) {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << left);  // wraps
  return RDBPOT(SRDHM(shifted, multiplier), right);
}

// MultiplyByQuantizedMultiplier, 64-bit accumulator (16x8 kernels with int64 bias).
inline int32_t MBQM64(int64_t x, int32_t multiplier, int shift) {
  const int64_t reduced =
      multiplier < 0x7FFF0000 ? ((static_cast<int64_t>(multiplier) + (1 << 15)) >> 16) : 0x7FFF;
  const int total_shift = 15 - shift;
  const int64_t rounding = int64_t{1} << (total_shift - 1);
  return static_cast<int32_t>((x * reduced + rounding) >> total_shift);
}

// Fused activations as stored in the schema's ActivationFunctionType.
enum Activation : int8_t { kActNone = 0, kActRelu = 1, kActReluN1To1 = 2, kActRelu6 = 3 };

inline void QuantizedTypeRange(DataType type, int32_t* lo, int32_t* hi) {
  switch (type) {
    case DataType::kInt8: *lo = -128; *hi = 127; return;
    case DataType::kUInt8: *lo = 0; *hi = 255; return;
    case DataType::kInt16: *lo = -32768; *hi = 32767; return;
    default: *lo = std::numeric_limits<int32_t>::min(); *hi = std::numeric_limits<int32_t>::max();
  }
}

// CalculateActivationRangeQuantized: TANH/SIGN_BIT (and NONE) leave the full type range.
inline void ActivationRangeQuantized(int activation, DataType type, float scale,
                                     int32_t zero_point, int32_t* act_min, int32_t* act_max) {
  int32_t qmin, qmax;
  QuantizedTypeRange(type, &qmin, &qmax);
  auto quantize = [&](float f) {
    return zero_point + static_cast<int32_t>(std::round(f / scale));
  };
  *act_min = qmin;
  *act_max = qmax;
  if (activation == kActRelu) {
    *act_min = zero_point > qmin ? zero_point : qmin;
  } else if (activation == kActRelu6) {
    *act_min = zero_point > qmin ? zero_point : qmin;
    const int32_t six = quantize(6.0f);
    *act_max = six < qmax ? six : qmax;
  } else if (activation == kActReluN1To1) {
    const int32_t m1 = quantize(-1.0f), p1 = quantize(1.0f);
    *act_min = m1 > qmin ? m1 : qmin;
    *act_max = p1 < qmax ? p1 : qmax;
  }
}

inline void ActivationRangeFloat(int activation, float* lo, float* hi) {
  *lo = -FLT_MAX;
  *hi = FLT_MAX;
  if (activation == kActRelu) {
    *lo = 0.0f;
  } else if (activation == kActRelu6) {
    *lo = 0.0f;
    *hi = 6.0f;
  } else if (activation == kActReluN1To1) {
    *lo = -1.0f;
    *hi = 1.0f;
  }
}

inline float ClampFloat(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }
inline int32_t Clamp(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

// tensorflow/lite/kernels/padding.h. padding: 0 = SAME, 1 = VALID (schema Padding).
inline int ComputeOutSize(int padding, int in, int filter, int stride, int dilation) {
  const int effective = (filter - 1) * dilation + 1;
  if (stride == 0) return 0;
  return padding == 0 ? (in + stride - 1) / stride : (in + stride - effective) / stride;
}

inline int ComputePaddingBefore(int stride, int dilation, int in, int filter, int out) {
  const int effective = (filter - 1) * dilation + 1;
  const int total = (out - 1) * stride + effective - in;
  return total > 0 ? total / 2 : 0;
}

}  // namespace qm
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_QUANT_MATH_H_
