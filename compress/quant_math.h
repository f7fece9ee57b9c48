// Quantization arithmetic shared by the converter: activation ranges from calibration
// statistics, asymmetric int8 activation parameters, symmetric int8 weights, int32 biases,
// and the TFLM multiplier representability check.
#ifndef TINYVERIFY_COMPRESS_QUANT_MATH_H_
#define TINYVERIFY_COMPRESS_QUANT_MATH_H_

#include <cstdint>
#include <vector>

#include "compress/calibration.h"
#include "compress/compress.h"

namespace tv {
namespace compress {

struct QuantParams {
  float scale = 1.0f;
  int32_t zero_point = 0;
};

// The [lo, hi] range to quantize a tensor to, from its statistics (always contains 0).
void ChooseRange(const TensorStats& stats, RangeMethod method, double percentile, float* lo,
                 float* hi);

// Asymmetric int8 parameters for [lo, hi]; 0.0 is exactly representable.
QuantParams AsymmetricInt8(float lo, float hi);

// Symmetric int8 weight scales (zero point 0) along `channel_axis` of `shape` (or one scale
// for the whole tensor when channel_axis < 0). A channel of zeros gets a tiny non-zero scale.
std::vector<float> SymmetricScales(const std::vector<float>& values,
                                   const std::vector<int32_t>& shape, int32_t channel_axis);

// Channel index of every element (0 for per-tensor).
std::vector<int32_t> ChannelOfElement(const std::vector<int32_t>& shape, int32_t channel_axis);

// TFLM QuantizeMultiplier: m ~= M * 2^(shift - 31). Returns false when the multiplier is not
// representable without being flushed to zero or overflowing the shift range TFLM expects.
bool RepresentableMultiplier(double m);

int8_t SaturateInt8(double v);

}  // namespace compress
}  // namespace tv

#endif  // TINYVERIFY_COMPRESS_QUANT_MATH_H_
