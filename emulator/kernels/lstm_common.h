// Shared pieces of UNIDIRECTIONAL_SEQUENCE_LSTM: the op data computed by Prepare, the int16
// gate non-linearities (TFLM's table-interpolated LOGISTIC/TANH, tflm-int8-arithmetic.md §11)
// and the per-step arithmetic of TFLM's lstm_eval.h (§16), templated over the activation,
// cell and bias types.
#ifndef TINYVERIFY_EMULATOR_KERNELS_LSTM_COMMON_H_
#define TINYVERIFY_EMULATOR_KERNELS_LSTM_COMMON_H_

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "emulator/kernels/quant_math.h"

namespace tv {
namespace kernels {
namespace lstm {

// TFLM common.h sigmoid_table_uint16: ~65536 * sigmoid(i / 24), transcribed (not recomputed:
// 44 entries differ by one from a plain rounding of the formula).
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
    65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
};

// Input tensor slots (TFLM lstm_shared.h).
enum : int {
  kInput = 0,
  kInputToInputWeights = 1,
  kInputToForgetWeights = 2,
  kInputToCellWeights = 3,
  kInputToOutputWeights = 4,
  kRecurrentToInputWeights = 5,
  kRecurrentToForgetWeights = 6,
  kRecurrentToCellWeights = 7,
  kRecurrentToOutputWeights = 8,
  kInputGateBias = 12,
  kForgetGateBias = 13,
  kCellGateBias = 14,
  kOutputGateBias = 15,
  kHiddenState = 18,
  kCellState = 19,
  kNumInputs = 24,
};

// Gate order used for the per-gate tables below.
enum Gate : int { kForgetGate = 0, kInputGate = 1, kCellGate = 2, kOutputGate = 3, kNumGates = 4 };

// One quantized fully-connected stage producing int16 gate pre-activations at scale 2^-12.
struct FcParams {
  int32_t multiplier = 0;
  int shift = 0;
  int32_t input_offset = 0;    // -input zero point
  int32_t weights_offset = 0;  // -weights zero point (0 for converter output)
};

// Element-wise quantized multiplication (TFLM CreateInterGateMulParams).
struct MulParams {
  int32_t multiplier = 0;
  int shift = 0;
  int32_t output_offset = 0;
  int32_t act_min = 0, act_max = 0;
};

struct OpData {
  bool time_major = false;
  int32_t batch = 0, time = 0, input_dim = 0, state_dim = 0;
  float cell_clip = 0.0f;  // > 0 enables clipping
  int16_t quantized_cell_clip = 0;
  int32_t cell_scale_power = 0;  // cell scale = 2^cell_scale_power
  FcParams input_fc[kNumGates];
  FcParams recurrent_fc[kNumGates];
  MulParams forget_cell_mul, input_mul, output_mul;
  int scratch[4] = {0, 0, 0, 0};
};

inline int32_t WrapAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
inline int32_t WrapMul(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b));
}

// reference_integer_ops::Logistic (int16) with input_multiplier = 0, input_left_shift = 0,
// i.e. the input is taken as Q3.12 and pre-scaled by 3 (§11 int16, POT case).
inline int16_t Logistic16(int16_t x) {
  const int32_t v = 3 * static_cast<int32_t>(x);
  const uint32_t a = static_cast<uint32_t>(v < 0 ? -v : v);
  const uint32_t h = a >> 9;
  uint32_t res;
  if (h >= 255) {
    res = 0x7FFFu << 10;
  } else {
    const uint32_t ua = kSigmoidTable[h], ub = kSigmoidTable[h + 1];
    res = (ua << 9) + (a & 0x1FFu) * (ub - ua);
  }
  res = v >= 0 ? res + (1u << 9) : (1u << 25) - res + (1u << 9) - 1;
  return static_cast<int16_t>(res >> 10);
}

// Input scaling of TFLM lstm_internal::Tanh: L = (15 + cell_scale_power) - 3; L >= 0 gives
// v = x * (3 << L), L < 0 gives v = (3x + 2^(-L-1)) >> -L.
struct TanhScaling {
  int32_t multiplier = 3;
  int shift = 0;
};
inline TanhScaling MakeTanhScaling(int32_t cell_scale_power) {
  const int32_t l = 15 + cell_scale_power - 3;
  TanhScaling s;
  if (l < 0) {
    s.multiplier = 3;
    s.shift = -l;
  } else {
    s.multiplier = 3 << l;
    s.shift = 0;
  }
  return s;
}

// reference_integer_ops::Tanh (int16), table path (§11 int16).
inline int16_t Tanh16(int16_t x, const TanhScaling& s) {
  const int32_t round = s.shift > 0 ? (1 << (s.shift - 1)) : 0;
  const int32_t v = (static_cast<int32_t>(x) * s.multiplier + round) >> s.shift;
  const uint32_t a = static_cast<uint32_t>(v < 0 ? -v : v);
  const uint32_t h = a >> 8;
  int32_t res;
  if (h >= 255) {
    res = 0xFFFF << 8;
  } else {
    const uint32_t ua = kSigmoidTable[h], ub = kSigmoidTable[h + 1];
    res = static_cast<int32_t>((ua << 8) + (a & 0xFFu) * (ub - ua));
  }
  res = v >= 0 ? res - (1 << 23) + (1 << 7) : -res + (1 << 23) + (1 << 7) - 1;
  return static_cast<int16_t>(res >> 8);
}

// Float gate non-linearities (reference_ops::Logistic / Tanh, §11 float).
inline float LogisticFloat(float x) {
  if (x > 16.619047164916992188f) return 1.0f;
  if (x < -9.0f) return std::exp(x);
  return 1.0f / (1.0f + std::exp(-x));
}

}  // namespace lstm
}  // namespace kernels
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_LSTM_COMMON_H_
