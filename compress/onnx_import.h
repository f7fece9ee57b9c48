// ONNX -> LoweredGraph: pattern matching (Conv+BatchNormalization folding, Relu/Clip fusion,
// MatMul+Add -> FULLY_CONNECTED with bias), NCHW -> NHWC layout conversion (weights permuted,
// Flatten/Reshape element order preserved), and refusal of anything else with the node named.
#ifndef TINYVERIFY_COMPRESS_ONNX_IMPORT_H_
#define TINYVERIFY_COMPRESS_ONNX_IMPORT_H_

#include "compress/calibration.h"
#include "compress/lowered_graph.h"
#include "emulator/status.h"
#include "reference/onnx_proto.h"

namespace tv {
namespace compress {

// `stats` supplies every tensor's shape (batch 1) and is also the range source for the
// quantizer. Constants stay float in the result.
[[nodiscard]] Status LowerOnnx(const onnx::ModelProto& model, const CalibrationStats& stats,
                               LoweredGraph* out);

}  // namespace compress
}  // namespace tv

#endif  // TINYVERIFY_COMPRESS_ONNX_IMPORT_H_
