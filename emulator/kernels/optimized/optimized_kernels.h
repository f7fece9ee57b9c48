// The optimized kernel flavour (host only): SIMD CONV_2D, DEPTHWISE_CONV_2D and
// FULLY_CONNECTED, bit-identical to the reference kernels. Pass FindOptimizedKernel as
// InterpreterOptions::optimized_kernels; cases a kernel does not vectorise (int16
// activations, grouped convolution, depth multiplier > 1, non-constant weights, weight zero
// points) run the reference Eval.
#ifndef TINYVERIFY_EMULATOR_KERNELS_OPTIMIZED_OPTIMIZED_KERNELS_H_
#define TINYVERIFY_EMULATOR_KERNELS_OPTIMIZED_OPTIMIZED_KERNELS_H_

#include <cstdint>

#include "emulator/kernel_api.h"

namespace tv {
namespace optimized {

const OptimizedKernel* FindOptimizedKernel(int32_t op_code);

// All optimized kernels (for the randomized comparison test and the op benchmarks).
const OptimizedKernel* AllOptimizedKernels(int32_t* count);

// The instruction set the runtime dispatcher selected, e.g. "AVX3_DL" or "AVX2".
const char* SelectedTargetName();

}  // namespace optimized
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_OPTIMIZED_OPTIMIZED_KERNELS_H_
