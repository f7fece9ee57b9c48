// Declarations of every kernel's registry row; each lives at the bottom of its op file.
#ifndef TINYVERIFY_EMULATOR_KERNELS_REGISTRATIONS_H_
#define TINYVERIFY_EMULATOR_KERNELS_REGISTRATIONS_H_

#include "emulator/kernel_api.h"

namespace tv {
namespace kernels {

extern const KernelRegistration kAddRegistration;  // ADD
extern const KernelRegistration kSubRegistration;  // SUB
extern const KernelRegistration kMulRegistration;  // MUL
extern const KernelRegistration kConvRegistration;  // CONV_2D
extern const KernelRegistration kDepthwiseConvRegistration;  // DEPTHWISE_CONV_2D
extern const KernelRegistration kTransposeConvRegistration;  // TRANSPOSE_CONV
extern const KernelRegistration kFullyConnectedRegistration;  // FULLY_CONNECTED
extern const KernelRegistration kAveragePoolRegistration;  // AVERAGE_POOL_2D
extern const KernelRegistration kMaxPoolRegistration;  // MAX_POOL_2D
extern const KernelRegistration kSoftmaxRegistration;  // SOFTMAX
extern const KernelRegistration kLogisticRegistration;  // LOGISTIC
extern const KernelRegistration kTanhRegistration;  // TANH
extern const KernelRegistration kReluRegistration;  // RELU
extern const KernelRegistration kRelu6Registration;  // RELU6
extern const KernelRegistration kLeakyReluRegistration;  // LEAKY_RELU
extern const KernelRegistration kHardSwishRegistration;  // HARD_SWISH
extern const KernelRegistration kReshapeRegistration;  // RESHAPE
extern const KernelRegistration kSqueezeRegistration;  // SQUEEZE
extern const KernelRegistration kExpandDimsRegistration;  // EXPAND_DIMS
extern const KernelRegistration kPadRegistration;  // PAD
extern const KernelRegistration kPadv2Registration;  // PADV2
extern const KernelRegistration kConcatenationRegistration;  // CONCATENATION
extern const KernelRegistration kStridedSliceRegistration;  // STRIDED_SLICE
extern const KernelRegistration kMeanRegistration;  // MEAN
extern const KernelRegistration kQuantizeRegistration;  // QUANTIZE
extern const KernelRegistration kDequantizeRegistration;  // DEQUANTIZE
extern const KernelRegistration kSvdfRegistration;  // SVDF
extern const KernelRegistration kUnidirectionalSequenceLstmRegistration;  // UNIDIRECTIONAL_SEQUENCE_LSTM
extern const KernelRegistration kTransposeRegistration;  // TRANSPOSE
extern const KernelRegistration kSplitRegistration;  // SPLIT
extern const KernelRegistration kPackRegistration;  // PACK
extern const KernelRegistration kUnpackRegistration;  // UNPACK
extern const KernelRegistration kGatherRegistration;  // GATHER
extern const KernelRegistration kArgMaxRegistration;  // ARG_MAX
extern const KernelRegistration kMaximumRegistration;  // MAXIMUM
extern const KernelRegistration kMinimumRegistration;  // MINIMUM
extern const KernelRegistration kResizeNearestNeighborRegistration;  // RESIZE_NEAREST_NEIGHBOR
extern const KernelRegistration kShapeRegistration;  // SHAPE
extern const KernelRegistration kCastRegistration;  // CAST

}  // namespace kernels
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_REGISTRATIONS_H_
