// LOGISTIC and TANH differ only in their curve: both take float32, int8 (gemmlowp fixed point
// on Q4.27) or int16 (interpolated sigmoid table) with the same checks and the same scaling of
// the input. Arithmetic: tflm-int8-arithmetic.md §9, §11.
#ifndef TINYVERIFY_EMULATOR_KERNELS_SIGMOID_COMMON_H_
#define TINYVERIFY_EMULATOR_KERNELS_SIGMOID_COMMON_H_

#include <cmath>
#include <cstdint>

#include "emulator/kernel_api.h"
#include "emulator/kernels/lut_common.h"
#include "emulator/status.h"

namespace tv {
namespace kernels {

// Float logistic with the cut-offs of TFLM's reference/logistic.h (also the LSTM gates').
inline float LogisticFloat(float x) {
  constexpr float kCutoffUpper = 16.619047164916992188f;
  constexpr float kCutoffLower = -9.0f;
  if (x > kCutoffUpper) return 1.0f;
  if (x < kCutoffLower) return std::exp(x);
  return 1.0f / (1.0f + std::exp(-x));
}

struct SigmoidLikeOpData {
  int64_t size = 0;
  int32_t input_zero_point = 0;
  int32_t radius = 0;  // int8: |x - zp| >= radius saturates
  int32_t multiplier = 0;
  int shift = 0;
};

struct SigmoidLikeSpec {
  const char* op_name;                 // "LOGISTIC" or "TANH", for error messages
  bool int8_output_zero_point_is_min;  // LOGISTIC checks zero point -128; TFLM's TANH does not
  int int16_max_pot_shift;             // int16 input scaling headroom: 0 sigmoid, 1 tanh (2x)
};

// Checks the tensors and fills SigmoidLikeOpData (the int8/int16 input scaling).
[[nodiscard]] Status PrepareSigmoidLike(KernelContext& ctx, const SigmoidLikeSpec& spec);

// The element loop for each type; Int16 receives the input already on the table scale.
template <float (*Float)(float), int8_t (*Int8)(const SigmoidLikeOpData&, int8_t),
          int16_t (*Int16)(int32_t)>
Status EvalSigmoidLike(KernelContext& ctx) {
  const SigmoidLikeOpData& d = *ctx.op_data<SigmoidLikeOpData>();
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  switch (input->type) {
    case DataType::kFloat32: {
      const float* in = input->As<float>();
      float* out = output->As<float>();
      for (int64_t i = 0; i < d.size; ++i) out[i] = Float(in[i]);
      return Status::Ok();
    }
    case DataType::kInt8: {
      const int8_t* in = input->As<int8_t>();
      int8_t* out = output->As<int8_t>();
      for (int64_t i = 0; i < d.size; ++i) out[i] = Int8(d, in[i]);
      return Status::Ok();
    }
    case DataType::kInt16: {
      const int16_t* in = input->As<int16_t>();
      int16_t* out = output->As<int16_t>();
      for (int64_t i = 0; i < d.size; ++i)
        out[i] = Int16(lut::ScaleInt16Input(in[i], d.multiplier, d.shift));
      return Status::Ok();
    }
    default:
      return Status::Error("unsupported input type %s", DataTypeName(input->type));
  }
}

}  // namespace kernels
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_SIGMOID_COMMON_H_
