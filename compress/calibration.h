// Calibration: runs the float ONNX model through the reference executor with every
// intermediate tensor exposed as a graph output, and records per-tensor shapes, ranges and
// (optionally) histograms that quant_math.h turns into int8 scales and zero points.
#ifndef TINYVERIFY_COMPRESS_CALIBRATION_H_
#define TINYVERIFY_COMPRESS_CALIBRATION_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "compare/host_tensor.h"
#include "emulator/status.h"
#include "reference/onnx_proto.h"

namespace tv {
namespace compress {

struct TensorStats {
  std::vector<int64_t> shape;  // as observed with batch 1
  float min = 0.0f, max = 0.0f;
  // Histogram over [min, max] (only when requested): kHistogramBins equal-width bins.
  std::vector<uint64_t> histogram;
};
constexpr int kHistogramBins = 2048;

using CalibrationStats = std::map<std::string, TensorStats>;

// `samples`: float tensors shaped like the single graph input with batch 1 (the leading 1
// may be omitted). Errors name the sample index or the failing node.
[[nodiscard]] Status Calibrate(const onnx::ModelProto& model,
                               const std::vector<HostTensor>& samples, bool histograms,
                               CalibrationStats* stats);

}  // namespace compress
}  // namespace tv

#endif  // TINYVERIFY_COMPRESS_CALIBRATION_H_
