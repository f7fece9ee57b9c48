// Persistent op data of the weighted ops (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED), as
// their shared Prepare computes it. Public so that the host-only optimized flavour
// (emulator/kernels/optimized/) can read the geometry and multipliers and hang its
// pre-packed weights on `optimized`; the reference Eval never touches that field.
#ifndef TINYVERIFY_EMULATOR_KERNELS_WEIGHTED_OP_DATA_H_
#define TINYVERIFY_EMULATOR_KERNELS_WEIGHTED_OP_DATA_H_

#include <cstdint>

#include "emulator/kernels/conv_common.h"

namespace tv {
namespace kernels {

struct ConvOpData {
  int32_t batches = 0, in_h = 0, in_w = 0, in_c = 0;
  int32_t out_h = 0, out_w = 0, out_c = 0;
  int32_t f_h = 0, f_w = 0, f_c = 0;
  int32_t per_group = 1;  // output channels per group
  conv::Axis y, x;
  ChannelMultipliers quant;
  int32_t input_offset = 0, output_offset = 0;
  int32_t act_min = 0, act_max = 0;
  float f_min = 0, f_max = 0;
  bool wide_acc = false;            // 16x8 with int64 accumulator
  const int8_t* filter = nullptr;   // unpacked int4 filter; nullptr = use the filter tensor
  const int64_t* bias64 = nullptr;  // aligned int64 bias (16x8 with int64 bias)
  const void* optimized = nullptr;  // optimized flavour's packed data (host builds only)
};

struct DepthwiseConvOpData {
  int32_t batches = 0, in_h = 0, in_w = 0, in_c = 0;
  int32_t out_h = 0, out_w = 0, out_c = 0;
  int32_t f_h = 0, f_w = 0;
  int32_t depth_multiplier = 1;
  conv::Axis y, x;
  ChannelMultipliers quant;
  int32_t input_offset = 0, output_offset = 0;
  int32_t act_min = 0, act_max = 0;
  float f_min = 0, f_max = 0;
  const int8_t* filter = nullptr;   // unpacked int4 filter; nullptr = use the filter tensor
  const int64_t* bias64 = nullptr;  // aligned int64 bias (16x8)
  const void* optimized = nullptr;  // optimized flavour's packed data (host builds only)
};

struct FullyConnectedOpData {
  int32_t batches = 0;
  int32_t out_channels = 0;
  int32_t depth = 0;
  bool per_channel = false;
  int32_t multiplier = 0;  // per-tensor
  int shift = 0;
  ChannelMultipliers channel;  // per-channel
  int32_t input_offset = 0, filter_offset = 0, output_offset = 0;
  int32_t act_min = 0, act_max = 0;
  float f_min = 0, f_max = 0;
  const int8_t* weights = nullptr;  // int4 weights unpacked here at Prepare
  bool bias_int64 = false;
  const void* optimized = nullptr;  // optimized flavour's packed data (host builds only)
};

}  // namespace kernels
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_WEIGHTED_OP_DATA_H_
