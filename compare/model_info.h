// What `tinyverify inspect` reports about a model, independent of its format.
#ifndef TINYVERIFY_COMPARE_MODEL_INFO_H_
#define TINYVERIFY_COMPARE_MODEL_INFO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "emulator/dtype.h"

namespace tv {

struct TensorInfoRow {
  int32_t index = 0;
  std::string name;
  DataType dtype = DataType::kFloat32;
  std::vector<int64_t> shape;
  bool is_constant = false;
  bool is_variable = false;
  uint64_t bytes = 0;
  std::vector<float> scales;         // empty = not quantized
  std::vector<int32_t> zero_points;
  int32_t quantized_dimension = -1;  // >= 0 for per-channel
  // Weight statistics (constant tensors only).
  double sparsity = 0.0;       // fraction of zero elements
  int64_t unique_values = 0;   // distinct element values (weight sharing)
  // Entropy-coded size bound: Huffman code length over the element values, in bits (0 when
  // not computed). bits_per_weight = huffman_bits / elements.
  uint64_t huffman_bits = 0;
};

struct OpInfoRow {
  int32_t index = 0;
  std::string op;  // "CONV_2D" / "Conv"
  int32_t version = 0;
  std::vector<int32_t> inputs, outputs;
  int64_t macs = 0;
};

struct ModelInfo {
  std::string format;  // "tflite" | "onnx"
  uint64_t file_bytes = 0;
  std::string description;
  int32_t subgraphs = 1;
  std::vector<OpInfoRow> ops;
  std::vector<TensorInfoRow> tensors;
  std::vector<int32_t> inputs, outputs;
  uint64_t weight_bytes = 0;
  uint64_t parameters = 0;
  uint64_t arena_bytes = 0;       // planned activation arena (tflite)
  uint64_t persistent_bytes = 0;  // op data computed at prepare (tflite)
  int64_t total_macs = 0;
  std::vector<std::string> metadata;
};

}  // namespace tv

#endif  // TINYVERIFY_COMPARE_MODEL_INFO_H_
