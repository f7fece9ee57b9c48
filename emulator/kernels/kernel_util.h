// Small helpers shared by kernels: option access with TFLM's "absent table" rule, shape
// checks and per-channel multiplier set-up.
#ifndef TINYVERIFY_EMULATOR_KERNELS_KERNEL_UTIL_H_
#define TINYVERIFY_EMULATOR_KERNELS_KERNEL_UTIL_H_

#include <cstdint>

#include "emulator/kernel_api.h"
#include "emulator/kernels/quant_math.h"
#include "emulator/schema/tflite_subset_generated.h"

namespace tv {
namespace kernels {

// Overloads that reset the few options whose schema default is not zero.
template <typename T>
inline void ZeroOptions(T*) {}
inline void ZeroOptions(tflite::Conv2DOptionsT* o) { o->dilation_w_factor = o->dilation_h_factor = 0; }
inline void ZeroOptions(tflite::DepthwiseConv2DOptionsT* o) {
  o->dilation_w_factor = o->dilation_h_factor = 0;
}
inline void ZeroOptions(tflite::AddOptionsT* o) { o->pot_scale_int16 = false; }
inline void ZeroOptions(tflite::SubOptionsT* o) { o->pot_scale_int16 = false; }

// TFLM parse rule: when the options table is absent (or of another type), the params struct
// stays zero-initialised — schema defaults do NOT apply. Pass the result of a generated
// builtin_options_as_X() accessor (nullptr when absent or of another type).
template <typename OptionsT, typename Table>
OptionsT OptionsOrZero(const Table* table) {
  OptionsT out;  // object-API struct: starts at the schema defaults
  if (table == nullptr) {
    ZeroOptions(&out);
  } else {
    table->UnPackTo(&out);
  }
  return out;
}

inline bool IsQuantizedType(DataType t) {
  return t == DataType::kInt8 || t == DataType::kInt16 || t == DataType::kUInt8;
}

// Per-channel (or broadcast per-tensor) output multipliers for conv-like ops:
// eff_c = (double)sI * (double)sW[c] / (double)sO.
struct ChannelMultipliers {
  int32_t* multiplier = nullptr;
  int32_t* shift = nullptr;
};

inline Status ComputeChannelMultipliers(KernelContext& ctx, const Tensor& input,
                                        const Tensor& filter, const Tensor& output,
                                        int32_t channels, ChannelMultipliers* out) {
  TV_CHECK_OR_RETURN(input.quant.quantized && filter.quant.quantized && output.quant.quantized,
                     "quantized kernel needs scale and zero point on input, filter and output");
  const int32_t n = filter.quant.num_channels;
  TV_CHECK_OR_RETURN(n == 1 || n == channels,
                     "filter '%s' has %d per-channel scales, expected 1 or %d", filter.name, n,
                     channels);
  TV_RETURN_IF_ERROR(ctx.AllocateArray(static_cast<size_t>(channels), &out->multiplier));
  TV_RETURN_IF_ERROR(ctx.AllocateArray(static_cast<size_t>(channels), &out->shift));
  for (int32_t c = 0; c < channels; ++c) {
    const float fs = filter.quant.scales[n == 1 ? 0 : c];
    const double eff = static_cast<double>(input.quant.scale) * static_cast<double>(fs) /
                       static_cast<double>(output.quant.scale);
    int shift = 0;
    qm::QuantizeMultiplier(eff, &out->multiplier[c], &shift);
    out->shift[c] = shift;
  }
  return Status::Ok();
}

inline bool SameShape(const Tensor& a, const Tensor& b) { return a.shape == b.shape; }

}  // namespace kernels
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_KERNEL_UTIL_H_
