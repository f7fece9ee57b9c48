// Lookup-table helpers of TFLM's int16 kernels (tflm-int8-arithmetic.md §11, §15):
//   - LutPopulateInt16 / LutLookup16: the 513-entry interpolated tables of int16 SOFTMAX;
//   - the 256-entry sigmoid table and the int16 LOGISTIC / TANH evaluations built on it
//     (also what the integer LSTM's gates use).
#ifndef TINYVERIFY_EMULATOR_KERNELS_LUT_COMMON_H_
#define TINYVERIFY_EMULATOR_KERNELS_LUT_COMMON_H_

#include <cmath>
#include <cstdint>

namespace tv {
namespace lut {

constexpr int kInt16LutSize = 513;

using FloatFn = float (*)(float);

// §15 LUTPopulateInt16, float32 throughout (order of operations matters for bit-exactness;
// the project compiles with -ffp-contract=off so nothing is fused).
inline void LutPopulateInt16(float input_scale, int32_t input_zero_point, float output_scale,
                             int32_t output_zero_point, FloatFn f, int16_t* lut) {
  const float input_min = input_scale * static_cast<float>(-32768 - input_zero_point);
  const float input_max = input_scale * static_cast<float>(32767 - input_zero_point);
  const float output_min = output_scale * static_cast<float>(-32768 - output_zero_point);
  const float output_max = output_scale * static_cast<float>(32767 - output_zero_point);
  constexpr int kSteps = 512;
  const float step = (input_max - input_min) / kSteps;
  const float half_step = step / 2;
  const float inv_scale = 65536.0f / (output_max - output_min);
  auto clamp16 = [](float v) -> int16_t {
    const float c = v < -32768.0f ? -32768.0f : (v > 32767.0f ? 32767.0f : v);
    return static_cast<int16_t>(c);
  };
  for (int i = 0; i < kSteps; ++i) {
    const float x = input_min + static_cast<float>(i) * step;
    const float val = f(x);
    const float val_mid = f(x + half_step);
    const float val_next = f(input_min + static_cast<float>(i + 1) * step);
    const float sample = std::round(val * inv_scale);
    // The table is nudged so that linear interpolation between entries is unbiased at the
    // midpoint of each segment.
    const float midpoint_interp =
        std::round((val_next * inv_scale + std::round(val * inv_scale)) / 2);
    const float midpoint_err = midpoint_interp - std::round(val_mid * inv_scale);
    const float bias = std::round(midpoint_err / 2);
    lut[i] = clamp16(sample - bias);
  }
  lut[kSteps] = clamp16(std::round(f(input_max) * inv_scale));
}

// §15 LUTLookup for int16 input: linear interpolation between the 513 entries.
inline int16_t LutLookup16(int16_t value, const int16_t* lut) {
  const int index = 256 + (value >> 7);
  const int32_t frac = value & 0x7F;
  const int16_t base = lut[index];
  const int16_t slope = static_cast<int16_t>(lut[index + 1] - lut[index]);
  const int32_t delta = (static_cast<int32_t>(slope) * frac + 64) >> 7;
  return static_cast<int16_t>(base + delta);
}

// sigmoid(i/24) in 0.16 fixed point, i = 0..255, exactly as kernels/internal/common.h
// `sigmoid_table_uint16` (not a plain rounding of the formula: several entries differ by 1).
inline constexpr uint16_t kSigmoidTable[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794,
    41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443,
    48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169, 53581, 53983, 54374,
    54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433, 57724, 58007, 58280, 58544,
    58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110, 61279,
    61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990,
    63090, 63186, 63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030,
    64090, 64148, 64204, 64257, 64308, 64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652,
    64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019,
    65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234,
    65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360,
    65367, 65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476,
    65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498, 65500, 65501,
    65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513, 65514, 65515, 65516,
    65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
    65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529,
    65529, 65530, 65530, 65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532,
    65532, 65532, 65532, 65533, 65533, 65533, 65533, 65533, 65533, 65533, 65533, 65534, 65534,
    65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535};

// TFLM CheckedLog2: float log2 rounded; true when within 1e-3 of an integer.
inline bool CheckedLog2(float x, int* log2_rounded) {
  const float log2 = std::log(x) * (1.0f / std::log(2.0f));
  const float rounded = std::round(log2);
  *log2_rounded = static_cast<int>(rounded);
  return std::fabs(log2 - rounded) < 1e-3f;
}

// §11 int16 LOGISTIC / TANH Prepare for the input step. `max_pot_shift` is 0 for LOGISTIC and
// 1 for TANH. Returns false when the multiplier would exceed 32767 (TFLM only DCHECKs this and
// would overflow int32 in Eval); the caller reports the error.
inline bool PrepareInt16TableInput(float input_scale, int max_pot_shift, int32_t* multiplier,
                                   int* shift) {
  constexpr int kInputIntegerBits = 3;
  int log2_rounded = 0;
  bool pot = CheckedLog2(input_scale, &log2_rounded);
  *shift = (15 - kInputIntegerBits) + log2_rounded;
  pot = pot && *shift >= 0 && *shift <= max_pot_shift;
  if (pot) {
    *multiplier = 0;  // Eval uses 3 * 2^shift
    return true;
  }
  // Rescale the input to 1/(3 * 4096) per step, as the table expects.
  double m = static_cast<double>(input_scale) * 4096.0 * 3.0;
  *shift = 0;
  while (m <= 32767.0 / 2.0 && *shift <= 30) {
    ++*shift;
    m *= 2.0;
  }
  if (!(m <= 32767.0) || m < 1.0) return false;  // m < 1 would read as the POT marker 0
  *multiplier = static_cast<int32_t>(m);
  return true;
}

// §11 int16 input step: v = round(x * M / 2^L); M == 0 encodes the power-of-two case
// (M = 3 * 2^L, L = 0). The product wraps like TFLM's int32 arithmetic.
inline int32_t ScaleInt16Input(int16_t x, int32_t multiplier, int shift) {
  if (multiplier == 0) {
    multiplier = 3 << shift;
    shift = 0;
  }
  const int32_t round = shift > 0 ? (int32_t{1} << (shift - 1)) : 0;
  const uint32_t product =
      static_cast<uint32_t>(static_cast<int32_t>(x)) * static_cast<uint32_t>(multiplier) +
      static_cast<uint32_t>(round);
  return static_cast<int32_t>(product) >> shift;
}

// |v| without overflow for INT32_MIN.
inline uint32_t AbsInt16TableInput(int32_t v) {
  return v >= 0 ? static_cast<uint32_t>(v) : 0u - static_cast<uint32_t>(v);
}

// kSigmoidTable linearly interpolated at abs_v, which carries `frac_bits` fractional bits below
// the table step; `saturated` past the table's last entry. Result scale: table << frac_bits.
inline uint32_t InterpolateSigmoidTable(uint32_t abs_v, int frac_bits, uint32_t saturated) {
  const uint32_t h = abs_v >> frac_bits;
  if (h >= 255) return saturated;
  const uint32_t a = kSigmoidTable[h], b = kSigmoidTable[h + 1];
  return (a << frac_bits) + (abs_v & ((1u << frac_bits) - 1u)) * (b - a);
}

// §11 int16 LOGISTIC on the table scale (v = input / (3 * 4096)), output Q0.15.
inline int16_t LogisticInt16(int32_t v) {
  uint32_t result = InterpolateSigmoidTable(AbsInt16TableInput(v), 9, 0x7FFFu << 10);
  result = v >= 0 ? result + (1u << 9) : (1u << 25) - result + (1u << 9) - 1u;
  return static_cast<int16_t>(result >> 10);
}

// §11 int16 TANH via tanh(x) = 2 sigmoid(2x) - 1, output Q0.15.
inline int16_t TanhInt16(int32_t v) {
  const int32_t r =
      static_cast<int32_t>(InterpolateSigmoidTable(AbsInt16TableInput(v), 8, 0xFFFFu << 8));
  const int32_t signed_result =
      v >= 0 ? (r - (1 << 23)) + (1 << 7) : (-r + (1 << 23)) + (1 << 7) - 1;
  return static_cast<int16_t>(signed_result >> 8);
}

}  // namespace lut
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_LUT_COMMON_H_
