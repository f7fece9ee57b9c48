// Helpers for the quantized operators: reading scales/zero points and saturating requantization.
#ifndef TINYVERIFY_REFERENCE_OPS_QUANT_UTIL_H_
#define TINYVERIFY_REFERENCE_OPS_QUANT_UTIL_H_

#include <cmath>
#include <cstdint>
#include <vector>

#include "reference/kernel.h"

namespace tv {
namespace ref {

// Widens every element of an integer tensor (int8/uint8/int16/uint16/int32) to int32.
std::vector<int32_t> WidenToInt32(DataType dtype, const void* data, int64_t count);
// Reads a float scale tensor (float32, float16 or bfloat16) into floats.
std::vector<float> ReadScales(DataType dtype, const void* data, int64_t count);
bool IsQuantType(DataType t);  // int8, uint8, int16, uint16, int32
// Validates an optional scale (float32/float16/bfloat16) or zero-point (integer) input holding
// either 1 or `per_channel` elements, so Run() can read it without bounds surprises.
Status CheckQuantParam(const PrepareContext& ctx, int slot, bool is_scale, int64_t per_channel);
// Rounds half to even and saturates to the range of `dtype`, then stores element i.
void StoreQuantized(DataType dtype, double value, void* out, int64_t i);

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_OPS_QUANT_UTIL_H_
