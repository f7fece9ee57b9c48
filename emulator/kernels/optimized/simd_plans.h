// Plans handed from the optimized kernels' Prepare (packing.cc) to the SIMD loops
// (simd_int8.cc, simd_float.cc), and the runtime-dispatched entry points. A plan holds the
// geometry and pointers to weights packed once at Prepare; Eval only reads it.
#ifndef TINYVERIFY_EMULATOR_KERNELS_OPTIMIZED_SIMD_PLANS_H_
#define TINYVERIFY_EMULATOR_KERNELS_OPTIMIZED_SIMD_PLANS_H_

#include <cstddef>
#include <cstdint>

namespace tv {
namespace optimized {

// Output channels per packed weight block: one AVX-512 vector of int32/float lanes, two AVX2
// vectors, four SSE4 vectors. Fixed, so packing does not depend on the dispatched target.
constexpr int32_t kBlock = 16;
// Output pixels computed together by the GEMM micro-kernel (they share weight loads).
constexpr int32_t kRows = 4;

inline int32_t RoundUpToBlock(int32_t n) { return (n + kBlock - 1) / kBlock * kBlock; }

// Window geometry of a convolution; a fully connected layer is a 1x1 "convolution" over
// `batches` rows of `in_c` values.
struct Geometry {
  int32_t batches = 0, in_h = 0, in_w = 0, in_c = 0;
  int32_t out_h = 0, out_w = 0, out_c = 0;
  int32_t f_h = 1, f_w = 1;
  int32_t stride_y = 1, stride_x = 1, dilation_y = 1, dilation_x = 1, pad_y = 0, pad_x = 0;
  int32_t depth_multiplier = 1;  // depthwise only
  // 1x1 window, stride 1, no padding: a patch is the input pixel itself (no im2col).
  bool direct_rows = false;
};

// Per-output-channel requantization (MultiplyByQuantizedMultiplier split into the pieces
// the vector code needs), arrays padded to a multiple of kBlock.
struct Requant {
  const int32_t* bias = nullptr;  // int8 GEMM: bias + input_offset * sum(weights), wrapping
  const int32_t* multiplier = nullptr;
  const int32_t* left_shift = nullptr;   // max(shift, 0)
  const int32_t* right_shift = nullptr;  // max(-shift, 0)
  const int32_t* round_mask = nullptr;   // (1 << right_shift) - 1
  const int32_t* round_half = nullptr;   // round_mask >> 1
  int32_t output_offset = 0, act_min = 0, act_max = 0;
};

// int8 convolution / fully connected as a GEMM: every output pixel's patch (im2col row of
// `depth` int8 values in (ky, kx, ic) order, padded taps filled with the input zero point so
// they contribute nothing) times every output channel's weights.
struct GemmInt8Plan {
  Geometry g;
  int32_t depth = 0;        // f_h * f_w * in_c
  int32_t depth_pairs = 0;  // ceil(depth / 2)
  int8_t pad_value = 0;     // the input zero point
  // [out_c / kBlock][depth_pairs][kBlock][2] int16; channels and the odd tap are zero-padded.
  const int16_t* weights = nullptr;
  Requant rq;
};
// Scratch for GemmInt8: kRows patches of 2 * depth_pairs int16.
inline size_t GemmInt8ScratchBytes(const GemmInt8Plan& p) {
  return static_cast<size_t>(kRows) * 2 * p.depth_pairs * sizeof(int16_t) + 64;
}

// int8 depthwise convolution (depth multiplier 1), vectorised over channels.
struct DepthwiseInt8Plan {
  Geometry g;
  int32_t input_offset = 0;
  const int32_t* weights = nullptr;  // [f_h * f_w][RoundUpToBlock(out_c)] as int32
  const int32_t* bias = nullptr;     // RoundUpToBlock(out_c), zeros when the op has no bias
  Requant rq;                        // rq.bias unused
};

// float convolution / fully connected / depthwise: each output channel sums its products in
// the reference order (taps in (ky, kx, ic) order, padded taps skipped, then + bias, then
// clamp), so results are bit-identical; only the channels run in parallel lanes.
struct FloatPlan {
  Geometry g;
  bool depthwise = false;
  // conv/FC: [out_c / kBlock][f_h * f_w * in_c][kBlock]; depthwise: [f_h * f_w][out_c pad].
  const float* weights = nullptr;
  const float* bias = nullptr;  // padded to a multiple of kBlock (zeros when absent)
  float act_min = 0, act_max = 0;
};

// Runtime-dispatched (highway: AVX-512 VNNI, AVX-512, AVX2, SSE4, ... fallbacks).
void GemmInt8(const GemmInt8Plan& plan, const int8_t* input, int8_t* output, int16_t* scratch);
void DepthwiseInt8(const DepthwiseInt8Plan& plan, const int8_t* input, int8_t* output);
void ConvFloat(const FloatPlan& plan, const float* input, float* output);
// Name of the instruction set the dispatcher picked (for benchmark labels).
const char* SelectedTargetName();

}  // namespace optimized
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_OPTIMIZED_SIMD_PLANS_H_
