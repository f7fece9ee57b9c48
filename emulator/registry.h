// The one static kernel table: (builtin op, version range) -> {Prepare, reference Eval,
// optimized Eval}. The interpreter, the kernel tests and the benchmarks all read it.
#ifndef TINYVERIFY_EMULATOR_REGISTRY_H_
#define TINYVERIFY_EMULATOR_REGISTRY_H_

#include <cstdint>

#include "emulator/kernel_api.h"

namespace tv {

// The row for `op_code`. TFLM ignores the op version when resolving kernels; so do we, but
// a version outside the row's range is reported by `*version_supported = false` so callers can
// warn. nullptr when the op has no kernel at all.
const KernelRegistration* FindKernel(int32_t op_code, int32_t version, bool* version_supported);

// All rows, in op-code order.
const KernelRegistration* const* AllKernels(int32_t* count);

}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_REGISTRY_H_
