// The converter's middle representation: a TFLite-shaped graph (builtin ops, NHWC layout,
// fused activations) whose constants are still float. onnx_import.h produces it; the
// quantizer fills in int8 data and quantization parameters; tflite_writer.h serializes it.
#ifndef TINYVERIFY_COMPRESS_LOWERED_GRAPH_H_
#define TINYVERIFY_COMPRESS_LOWERED_GRAPH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "emulator/dtype.h"

namespace tv {
namespace compress {

// Values are the TFLite BuiltinOperator codes.
enum class OpCode : int32_t {
  kAdd = 0,
  kAveragePool2D = 1,
  kConcatenation = 2,
  kConv2D = 3,
  kDepthwiseConv2D = 4,
  kFullyConnected = 9,
  kLogistic = 14,
  kMaxPool2D = 17,
  kMul = 18,
  kRelu = 19,
  kRelu6 = 21,
  kReshape = 22,
  kSoftmax = 25,
  kPad = 34,
  kTranspose = 39,
};
const char* OpCodeName(OpCode code);

// Values are the TFLite ActivationFunctionType enum.
enum class Activation : int8_t { kNone = 0, kRelu = 1, kRelu6 = 3 };

enum class TensorRole { kActivation, kWeight, kBias, kConstant, kShape };

struct LTensor {
  std::string name;
  std::vector<int32_t> shape;  // TFLite layout (NHWC for rank 4)
  TensorRole role = TensorRole::kActivation;
  // Calibration source: the ONNX tensor whose observed range this tensor has ("" = none).
  std::string range_of;
  std::vector<float> values;      // float constants (weights, biases, operands)
  std::vector<int32_t> int_data;  // kShape tensors (int32 shapes, paddings, permutations)
  int32_t channel_axis = -1;      // weights: output-channel axis for per-channel scales
  // Filled by the quantizer.
  DataType type = DataType::kFloat32;
  std::vector<float> scales;
  std::vector<int64_t> zero_points;
  int32_t quantized_dimension = 0;
  std::vector<uint8_t> data;  // stored bytes of constants
};

struct LOp {
  OpCode code = OpCode::kAdd;
  std::string origin;           // ONNX node(s) it came from, for messages and notes
  std::vector<int32_t> inputs;  // -1 = omitted optional input
  std::vector<int32_t> outputs;
  Activation activation = Activation::kNone;
  // Conv / pool geometry.
  bool same_padding = false;
  int32_t stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  int32_t filter_h = 0, filter_w = 0, depth_multiplier = 1;
  int32_t axis = 0;                // concatenation
  std::vector<int32_t> new_shape;  // reshape
};

struct LoweredGraph {
  std::vector<LTensor> tensors;
  std::vector<LOp> ops;
  std::vector<int32_t> inputs, outputs;
  std::vector<std::string> notes;

  int32_t AddTensor(LTensor t) {
    tensors.push_back(std::move(t));
    return static_cast<int32_t>(tensors.size() - 1);
  }
};

}  // namespace compress
}  // namespace tv

#endif  // TINYVERIFY_COMPRESS_LOWERED_GRAPH_H_
