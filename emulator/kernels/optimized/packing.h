// Prepare-time packing for the optimized kernels: weights rearranged into kBlock-channel
// blocks (simd_plans.h), zero point folded into the bias, requantization split per channel.
// Runs once per node; all memory comes from the context's persistent allocator.
#ifndef TINYVERIFY_EMULATOR_KERNELS_OPTIMIZED_PACKING_H_
#define TINYVERIFY_EMULATOR_KERNELS_OPTIMIZED_PACKING_H_

#include <cstdint>

#include "emulator/kernel_api.h"
#include "emulator/kernels/optimized/simd_plans.h"

namespace tv {
namespace optimized {

// Per-channel (`shift` != nullptr, arrays of `channels`) or per-tensor multipliers.
struct Multipliers {
  const int32_t* multiplier = nullptr;
  const int32_t* shift = nullptr;
  int32_t tensor_multiplier = 0;
  int32_t tensor_shift = 0;
};

[[nodiscard]] Status PackRequant(KernelContext& ctx, int32_t channels, const Multipliers& m,
                                 int32_t output_offset, int32_t act_min, int32_t act_max,
                                 Requant* rq);

// weights: [out_c][depth] int8 (OHWI filter or FC matrix); bias: out_c int32 or nullptr.
// Fills plan->weights, depth, depth_pairs and rq.bias (= bias + input_offset * sum(w)).
[[nodiscard]] Status PackGemmInt8(KernelContext& ctx, const int8_t* weights, const int32_t* bias,
                                  int32_t out_c, int32_t depth, int32_t input_offset,
                                  GemmInt8Plan* plan);

// weights: [taps][out_c] int8 (depthwise filter [1, KH, KW, C]); bias: out_c int32 or nullptr.
[[nodiscard]] Status PackDepthwiseInt8(KernelContext& ctx, const int8_t* weights,
                                       const int32_t* bias, int32_t taps, int32_t out_c,
                                       DepthwiseInt8Plan* plan);

// conv/FC weights [out_c][depth] -> [out_c / kBlock][depth][kBlock]; depthwise weights
// [taps][out_c] -> [taps][padded out_c]. Bias padded with zeros (the reference adds 0.0f when
// there is no bias, so adding a padded zero is the same operation).
[[nodiscard]] Status PackFloat(KernelContext& ctx, const float* weights, const float* bias,
                               int32_t out_c, int32_t depth, bool depthwise, FloatPlan* plan);

}  // namespace optimized
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_OPTIMIZED_PACKING_H_
