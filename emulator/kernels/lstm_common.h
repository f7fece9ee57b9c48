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

#include "emulator/kernels/lut_common.h"
#include "emulator/kernels/quant_math.h"
#include "emulator/kernels/sigmoid_common.h"

namespace tv {
namespace kernels {
namespace lstm {

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
inline int16_t Logistic16(int16_t x) { return lut::LogisticInt16(3 * static_cast<int32_t>(x)); }

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
  return lut::TanhInt16(lut::ScaleInt16Input(x, s.multiplier, s.shift));
}

// The float gates use kernels::LogisticFloat (sigmoid_common.h) and std::tanh.

}  // namespace lstm
}  // namespace kernels
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_LSTM_COMMON_H_
