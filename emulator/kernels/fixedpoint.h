// gemmlowp fixed-point transcendental functions (exp, 1/(1+x), logistic, tanh) and TFLM's
// GetReciprocal, reproduced bit for bit on int32 raws. See tflm-int8-arithmetic.md §2 and §9.
//
// A "Qm" value is an int32 raw r representing r / 2^(31-m). gemmlowp fixes m at compile time;
// here it is a run-time argument so one routine serves softmax (Q5), logistic/tanh (Q4/Q5).
// Additions and subtractions wrap (two's complement) exactly as gemmlowp's raw int32 ops do;
// they are done on uint32 so the wrap is defined behaviour.
#ifndef TINYVERIFY_EMULATOR_KERNELS_FIXEDPOINT_H_
#define TINYVERIFY_EMULATOR_KERNELS_FIXEDPOINT_H_

#include <cmath>
#include <cstdint>
#include <limits>

#include "emulator/kernels/quant_math.h"

namespace tv {
namespace fp {

constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();

inline int32_t WrapAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
inline int32_t WrapSub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}
inline int32_t WrapNeg(int32_t a) { return WrapSub(0, a); }

// §2 RoundingHalfSum: (a + b) / 2 rounded to nearest, ties away from zero.
inline int32_t RoundingHalfSum(int32_t a, int32_t b) {
  const int64_t sum = static_cast<int64_t>(a) + static_cast<int64_t>(b);
  const int64_t sign = sum >= 0 ? 1 : -1;
  return static_cast<int32_t>((sum + sign) / 2);
}

// Number of leading zero bits of a 32-bit word (32 for zero).
inline int CountLeadingZeros32(uint32_t x) {
  if (x == 0) return 32;
  int n = 0;
  while ((x & 0x80000000u) == 0) {
    x <<= 1;
    ++n;
  }
  return n;
}

// §9 exp on [-1/4, 0): Q0 in, Q0 out. Taylor series around -1/8.
inline int32_t ExpOnIntervalNegQuarterTo0(int32_t a) {
  constexpr int32_t kExpMinusOneEighth = 1895147668;  // e^(-1/8) in Q0
  constexpr int32_t kOneThird = 715827883;            // 1/3 in Q0
  const int32_t x = WrapAdd(a, 1 << 28);              // x = a + 1/8
  const int32_t x2 = qm::SRDHM(x, x);
  const int32_t x3 = qm::SRDHM(x2, x);
  const int32_t x4 = qm::SRDHM(x2, x2);
  const int32_t x4_over_4 = qm::RDBPOT(x4, 2);
  const int32_t poly = qm::RDBPOT(WrapAdd(qm::SRDHM(WrapAdd(x4_over_4, x3), kOneThird), x2), 1);
  return WrapAdd(kExpMinusOneEighth, qm::SRDHM(kExpMinusOneEighth, WrapAdd(x, poly)));
}

// §9 exp_on_negative_values: input a <= 0 in Q(int_bits), output Q0. int_bits in [0, 29].
inline int32_t ExpOnNegativeValues(int32_t a, int int_bits) {
  const int frac_bits = 31 - int_bits;
  const int32_t one_quarter = int32_t{1} << (frac_bits - 2);
  const int32_t mask = one_quarter - 1;
  // Reduce a to [-1/4, 0) plus a non-negative multiple of 1/4 handled by the barrel shifter.
  const int32_t a_mod_quarter_minus_quarter = WrapSub(a & mask, one_quarter);
  int32_t result = ExpOnIntervalNegQuarterTo0(qm::SRMPOT(a_mod_quarter_minus_quarter, int_bits));
  const int32_t remainder = WrapSub(a_mod_quarter_minus_quarter, a);
  // e^(-2^k) in Q0 for k = -2..4.
  static constexpr int32_t kMultipliers[7] = {1672461947, 1302514674, 790015084, 290630308,
                                              39332535,   720401,     242};
  for (int k = -2; k <= 4; ++k) {
    if (int_bits > k) {
      const int bit = frac_bits + k;
      if ((static_cast<uint32_t>(remainder) >> bit) & 1u) {
        result = qm::SRDHM(result, kMultipliers[k + 2]);
      }
    }
  }
  if (int_bits > 5) {
    // Inputs below -32 underflow to zero (never reached for int_bits <= 5).
    const int clamp_bits = 36 - int_bits;
    const int64_t threshold = -(int64_t{1} << clamp_bits);
    if (static_cast<int64_t>(a) < threshold) result = 0;
  }
  if (a == 0) result = kInt32Max;
  return result;
}

// Newton-Raphson core shared by the two 1/(1+x) forms: returns x ~ 1/(1+a) scaled as Q2 with
// the half denominator (1+a)/2 in Q0.
inline int32_t NewtonOneOverOnePlusXQ2(int32_t a) {
  constexpr int32_t kQ2One = 1 << 29;
  const int32_t half_denominator = RoundingHalfSum(a, kInt32Max);
  constexpr int32_t k48Over17 = 1515870810;      // Q2
  constexpr int32_t kNeg32Over17 = -1010580540;  // Q2
  int32_t x = WrapAdd(k48Over17, qm::SRDHM(half_denominator, kNeg32Over17));
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = qm::SRDHM(half_denominator, x);
    const int32_t one_minus = WrapSub(kQ2One, half_denominator_times_x);
    x = WrapAdd(x, qm::SRMPOT(qm::SRDHM(x, one_minus), 2));  // Q4 -> Q2
  }
  return x;
}

// §9 one_over_one_plus_x_for_x_in_0_1: Q0 in, Q0 out.
inline int32_t OneOverOnePlusX(int32_t a) { return qm::SRMPOT(NewtonOneOverOnePlusXQ2(a), 1); }

// §9 one_minus_x_over_one_plus_x_for_x_in_0_1: Q0 in, Q0 out.
inline int32_t OneMinusXOverOnePlusX(int32_t a) {
  return qm::SRMPOT(WrapSub(NewtonOneOverOnePlusXQ2(a), 1 << 29), 2);
}

// §9 logistic: Q4 in, Q0 out.
inline int32_t LogisticQ4(int32_t a) {
  if (a == 0) return 1 << 30;
  const int32_t abs_a = a > 0 ? a : WrapNeg(a);
  const int32_t r = OneOverOnePlusX(ExpOnNegativeValues(WrapNeg(abs_a), 4));
  return a > 0 ? r : WrapSub(kInt32Max, r);
}

// §9 tanh: Q4 in, Q0 out. The negated magnitude is reinterpreted as Q5 (value doubled).
inline int32_t TanhQ4(int32_t a) {
  if (a == 0) return 0;
  const int32_t neg_abs = a < 0 ? a : WrapNeg(a);
  const int32_t t = OneMinusXOverOnePlusX(ExpOnNegativeValues(neg_abs, 5));
  return a < 0 ? WrapNeg(t) : t;
}

// §9 GetReciprocal (common.h): x > 0 in Q(int_bits). Returns 1/x as Q0 scaled by
// 2^-num_bits_over_unit.
inline int32_t GetReciprocal(int32_t x, int int_bits, int* num_bits_over_unit) {
  const int headroom_plus_one = CountLeadingZeros32(static_cast<uint32_t>(x));
  *num_bits_over_unit = int_bits - headroom_plus_one;
  const uint32_t shifted =
      headroom_plus_one >= 32 ? 0u : (static_cast<uint32_t>(x) << headroom_plus_one);
  const int32_t shifted_minus_one = static_cast<int32_t>(shifted - 0x80000000u);
  return OneOverOnePlusX(shifted_minus_one);
}

// §11 int8 LOGISTIC / TANH Prepare: the input (minus its zero point) is mapped to Q4.27 by
// MBQM(d, multiplier, shift); |d| >= radius saturates. Unlike QuantizeMultiplier there is no
// 2^31 -> 2^30 fix-up: a mantissa rounding up to 2^31 overflows the int32 conversion, which
// x86 turns into INT32_MIN — reproduced explicitly here.
// Returns false for input scales whose shift TFLM cannot represent (it would hit UB).
inline bool PrepareQ4Input(float input_scale, int32_t* multiplier, int* shift, int32_t* radius) {
  constexpr int kInputIntegerBits = 4;
  const double real = static_cast<double>(input_scale) *
                      static_cast<double>(int64_t{1} << (31 - kInputIntegerBits));
  if (!(real > 0.0) || !std::isfinite(real)) return false;
  const double q = std::frexp(real, shift);
  if (*shift < 0 || *shift > 62) return false;
  const double rounded = std::round(q * 2147483648.0);
  *multiplier =
      rounded >= 2147483648.0 ? std::numeric_limits<int32_t>::min() : static_cast<int32_t>(rounded);
  // CalculateInputRadius(4, shift, 31), in double.
  const double max_rescaled = static_cast<double>((1 << kInputIntegerBits) - 1) *
                              static_cast<double>(int64_t{1} << (31 - kInputIntegerBits)) /
                              std::ldexp(1.0, *shift);
  *radius = static_cast<int32_t>(std::floor(max_rescaled));
  return true;
}

}  // namespace fp
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_FIXEDPOINT_H_
