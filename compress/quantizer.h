// Quantizes a LoweredGraph in place: activation parameters from calibration (shared where
// TFLite kernels require equal input/output parameters), pruned/clustered symmetric int8
// weights, int32 biases, int8 operands; then checks every requantization multiplier.
#ifndef TINYVERIFY_COMPRESS_QUANTIZER_H_
#define TINYVERIFY_COMPRESS_QUANTIZER_H_

#include "compress/calibration.h"
#include "compress/compress.h"
#include "compress/lowered_graph.h"
#include "emulator/status.h"

namespace tv {
namespace compress {

[[nodiscard]] Status QuantizeGraph(const CalibrationStats& stats, const CompressOptions& options,
                                   LoweredGraph* graph, CompressReport* report);

}  // namespace compress
}  // namespace tv

#endif  // TINYVERIFY_COMPRESS_QUANTIZER_H_
