#include "emulator/registry.h"

#include "emulator/kernels/registrations.h"

namespace tv {

namespace {
using namespace kernels;  // NOLINT: the table below lists every kernel by name

const KernelRegistration* const kTable[] = {
    &kAddRegistration,
    &kSubRegistration,
    &kMulRegistration,
    &kConvRegistration,
    &kDepthwiseConvRegistration,
    &kTransposeConvRegistration,
    &kFullyConnectedRegistration,
    &kAveragePoolRegistration,
    &kMaxPoolRegistration,
    &kSoftmaxRegistration,
    &kLogisticRegistration,
    &kTanhRegistration,
    &kReluRegistration,
    &kRelu6Registration,
    &kLeakyReluRegistration,
    &kHardSwishRegistration,
    &kReshapeRegistration,
    &kSqueezeRegistration,
    &kExpandDimsRegistration,
    &kPadRegistration,
    &kPadv2Registration,
    &kConcatenationRegistration,
    &kStridedSliceRegistration,
    &kMeanRegistration,
    &kQuantizeRegistration,
    &kDequantizeRegistration,
    &kSvdfRegistration,
    &kUnidirectionalSequenceLstmRegistration,
    &kTransposeRegistration,
    &kSplitRegistration,
    &kPackRegistration,
    &kUnpackRegistration,
    &kGatherRegistration,
    &kArgMaxRegistration,
    &kMaximumRegistration,
    &kMinimumRegistration,
    &kResizeNearestNeighborRegistration,
    &kShapeRegistration,
    &kCastRegistration,
};
constexpr int32_t kTableSize = static_cast<int32_t>(sizeof(kTable) / sizeof(kTable[0]));
}  // namespace

const KernelRegistration* FindKernel(int32_t op_code, int32_t version, bool* version_supported) {
  for (const KernelRegistration* r : kTable) {
    if (r->op_code != op_code) continue;
    if (version_supported != nullptr) {
      *version_supported = version >= r->min_version && version <= r->max_version;
    }
    return r;
  }
  return nullptr;
}

const KernelRegistration* const* AllKernels(int32_t* count) {
  *count = kTableSize;
  return kTable;
}

}  // namespace tv
