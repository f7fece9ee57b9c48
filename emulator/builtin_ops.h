// TensorFlow Lite builtin operator codes (the effective code of an OperatorCode) and names.
#ifndef TINYVERIFY_EMULATOR_BUILTIN_OPS_H_
#define TINYVERIFY_EMULATOR_BUILTIN_OPS_H_

#include <cstdint>

namespace tv {

namespace op {
constexpr int32_t kAdd = 0;
constexpr int32_t kAveragePool2D = 1;
constexpr int32_t kConcatenation = 2;
constexpr int32_t kConv2D = 3;
constexpr int32_t kDepthwiseConv2D = 4;
constexpr int32_t kDequantize = 6;
constexpr int32_t kFullyConnected = 9;
constexpr int32_t kL2Normalization = 11;
constexpr int32_t kLogistic = 14;
constexpr int32_t kMaxPool2D = 17;
constexpr int32_t kMul = 18;
constexpr int32_t kRelu = 19;
constexpr int32_t kRelu6 = 21;
constexpr int32_t kReshape = 22;
constexpr int32_t kSoftmax = 25;
constexpr int32_t kSvdf = 27;
constexpr int32_t kTanh = 28;
constexpr int32_t kCall = 31;
constexpr int32_t kCustom = 32;
constexpr int32_t kPad = 34;
constexpr int32_t kGather = 36;
constexpr int32_t kTranspose = 39;
constexpr int32_t kMean = 40;
constexpr int32_t kSub = 41;
constexpr int32_t kSqueeze = 43;
constexpr int32_t kUnidirectionalSequenceLstm = 44;
constexpr int32_t kStridedSlice = 45;
constexpr int32_t kSplit = 49;
constexpr int32_t kCast = 53;
constexpr int32_t kPrelu = 54;
constexpr int32_t kMaximum = 55;
constexpr int32_t kArgMax = 56;
constexpr int32_t kMinimum = 57;
constexpr int32_t kPadV2 = 60;
constexpr int32_t kSlice = 65;
constexpr int32_t kTransposeConv = 67;
constexpr int32_t kExpandDims = 70;
constexpr int32_t kSum = 74;
constexpr int32_t kShape = 77;
constexpr int32_t kReduceMax = 82;
constexpr int32_t kPack = 83;
constexpr int32_t kUnpack = 88;
constexpr int32_t kResizeNearestNeighbor = 97;
constexpr int32_t kLeakyRelu = 98;
constexpr int32_t kSplitV = 102;
constexpr int32_t kQuantize = 114;
constexpr int32_t kHardSwish = 117;
constexpr int32_t kBatchMatmul = 126;
constexpr int32_t kPlaceholderForGreaterOpCodes = 127;
// Largest builtin code this build knows; TFLM rejects codes above its own maximum.
constexpr int32_t kMaxKnownBuiltin = 210;
}  // namespace op

// Upper-case schema name ("CONV_2D"), or nullptr for a code this table does not name.
const char* BuiltinOpName(int32_t code);

}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_BUILTIN_OPS_H_
