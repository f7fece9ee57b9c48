// Input mapping for `tinyverify verify`: turns one float sample in the file's layout into one
// model input (layout, normalisation, quantization), and model outputs back into float
// vectors (dequantization, softmax for logits). Every choice is reported as a decision string
// so the report says exactly what was fed to each model.
#ifndef TINYVERIFY_COMPARE_INPUT_MAPPING_H_
#define TINYVERIFY_COMPARE_INPUT_MAPPING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "compare/executor.h"
#include "compare/host_tensor.h"
#include "emulator/status.h"

namespace tv {
namespace verify {

// y = (x * scale - mean[c]) / std[c]; mean/std have one value or one per channel.
struct Preprocess {
  bool given = false;
  float scale = 1.0f;
  std::vector<float> mean{0.0f};
  std::vector<float> std{1.0f};
  std::string ToString() const;
};

// Parses "scale=1/255,mean=0.5,std=0.25" (values may be fractions a/b; per-channel lists use
// ':' as in "mean=0.485:0.456:0.406"). Empty text = identity.
[[nodiscard]] Status ParsePreprocess(const std::string& text, Preprocess* out);

enum class Layout { kNone, kHW, kHWC, kCHW };

class InputMapper {
 public:
  // Plans how samples of `sample_shape` become `spec`. `channels_first_hint` breaks ties for
  // square-channel shapes (ONNX models default to NCHW, .tflite to NHWC). Appends decisions.
  [[nodiscard]] Status Plan(const std::vector<int64_t>& sample_shape, const TensorSpec& spec,
                            const Preprocess& pre, bool channels_first_hint,
                            const std::string& model_name, std::vector<std::string>* decisions);
  // Maps one sample (float32, planned shape) into `out` (spec dtype and concrete shape).
  // Adds the number of values clipped by quantization to *clipped. Thread-safe (const).
  void Map(const HostTensor& sample, HostTensor* out, int64_t* clipped) const;
  int64_t num_values() const { return static_cast<int64_t>(mul_.size()); }
  bool quantized() const { return spec_.dtype != DataType::kFloat32; }

 private:
  TensorSpec spec_;
  std::vector<int64_t> shape_;    // concrete model input shape
  std::vector<int32_t> gather_;   // model element i <- sample element gather_[i]; empty = same
  std::vector<float> mul_, add_;  // per model element: y = x * mul + add
  float qmin_ = 0, qmax_ = 0;
};

// Quantizes y (round half away from zero, then clamp) as TFLite does for inputs.
int32_t QuantizeValue(float y, float scale, int32_t zero_point, int32_t qmin, int32_t qmax,
                      bool* clipped);

// Flattens an output tensor to float (dequantizing int8/uint8/int16 with the spec's scale and
// zero point).
[[nodiscard]] Status OutputToFloat(const HostTensor& t, const TensorSpec& spec,
                                   std::vector<float>* out);

// True when a classifier output is not a probability vector (a negative value, or the row
// does not sum to ~1): then the pipeline applies softmax.
bool LooksLikeLogits(const std::vector<float>& v);
void Softmax(std::vector<float>* v);

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_INPUT_MAPPING_H_
