// tv::compress — post-training int8 quantization (plus optional pruning and weight sharing) of
// a float ONNX model into a TensorFlow Lite flatbuffer that TFLM and the emulator both run.
//
//   CompressOptions options;                       // per-channel, min/max calibration
//   std::vector<HostTensor> calib = ...;           // float samples, each [1, ...] or [...]
//   std::string tflite; CompressReport report;
//   TV_RETURN_IF_ERROR(Compress(onnx_bytes, calib, options, &tflite, &report));
//
// Stages (one file each): calibration.h (float run with every intermediate exposed),
// onnx_import.h (pattern matching: BN fold, activation fuse, NCHW->NHWC), quant_math.h
// (scales, zero points), weight_sharing.h (prune, cluster), tflite_writer.h (flatbuffer).
#ifndef TINYVERIFY_COMPRESS_COMPRESS_H_
#define TINYVERIFY_COMPRESS_COMPRESS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "compare/host_tensor.h"
#include "emulator/status.h"

namespace tv {
namespace compress {

enum class RangeMethod { kMinMax, kPercentile, kMse };

struct CompressOptions {
  bool per_channel = true;
  double prune_sparsity = 0.0;  // 0 = no pruning; global magnitude pruning of weights
  int cluster_k = 0;            // 0 = no clustering; else at most K int8 values per tensor
  RangeMethod activations = RangeMethod::kMinMax;
  double percentile = 99.99;  // for kPercentile
  std::string description = "tinyverify compress";
  std::string base_dir;  // resolves ONNX external-data locations ("" = current directory)
};

// Parses "minmax", "mse" or "percentile:99.9" into options.
[[nodiscard]] Status ParseRangeMethod(const std::string& text, CompressOptions* options);

struct WeightReport {
  std::string tensor;
  int64_t elements = 0;
  double sparsity = 0.0;
  int64_t unique_values = 0;
  uint64_t huffman_bits = 0;  // Huffman-coded size of the int8 values
  double entropy_bits = 0.0;  // Shannon bound
};

struct CompressReport {
  int32_t operators = 0;
  int64_t float_weight_bytes = 0;
  int64_t int8_weight_bytes = 0;  // int8 weights + int32 biases as stored
  uint64_t huffman_weight_bits = 0;
  std::vector<WeightReport> weights;
  std::vector<std::string> notes;  // decisions worth telling the user (fusions, layout)
};

// `onnx_bytes`: a serialized onnx.ModelProto with one float input. `calibration`: float
// samples shaped like the input (batch 1 or without the batch dimension).
[[nodiscard]] Status Compress(const std::string& onnx_bytes,
                              const std::vector<HostTensor>& calibration,
                              const CompressOptions& options, std::string* tflite,
                              CompressReport* report);

}  // namespace compress
}  // namespace tv

#endif  // TINYVERIFY_COMPRESS_COMPRESS_H_
