// float convolution / fully connected / depthwise, compiled once per highway target and
// dispatched at run time. Bit-identical to the reference: every output channel is one lane
// that sums its products in the reference's order (taps (ky, kx, ic), padded taps skipped),
// with separate multiply and add (never fused), then adds the bias and clamps like
// ClampFloat. Only independent output channels run side by side.
#include <cstring>

#include "emulator/kernels/optimized/simd_plans.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "emulator/kernels/optimized/simd_float.cc"
// foreach_target.h must come first (it re-includes this file once per target).
// clang-format off
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "emulator/kernels/optimized/simd_common-inl.h"
// clang-format on

HWY_BEFORE_NAMESPACE();
namespace tv {
namespace optimized {
namespace HWY_NAMESPACE {

using DF = hn::Repartition<float, D32>;
using VF = hn::Vec<DF>;

// ClampFloat(v, lo, hi) = v < lo ? lo : (v > hi ? hi : v), NaN and -0 included.
HWY_INLINE VF ClampLikeReference(VF v, VF lo, VF hi) {
  const VF upper = hn::IfThenElse(hn::Gt(v, hi), hi, v);
  return hn::IfThenElse(hn::Lt(v, lo), lo, upper);
}

HWY_INLINE void StoreChannels(DF df, VF v, float* out, int32_t c, int32_t limit) {
  const int32_t lanes = static_cast<int32_t>(hn::Lanes(df));
  if (c + lanes <= limit) {
    hn::StoreU(v, df, out + c);
  } else if (c < limit) {
    HWY_ALIGN float tmp[HWY_LANES(float)];
    hn::StoreU(v, df, tmp);
    std::memcpy(out + c, tmp, static_cast<size_t>(limit - c) * sizeof(float));
  }
}

void ConvFloatImpl(const FloatPlan& p, const float* input, float* output) {
  const DF df;
  const Geometry& g = p.g;
  const int32_t lanes = static_cast<int32_t>(hn::Lanes(df));
  const int32_t padded_c = RoundUpToBlock(g.out_c);
  const int64_t block_stride = int64_t{g.f_h} * g.f_w * g.in_c * kBlock;
  const VF lo = hn::Set(df, p.act_min), hi = hn::Set(df, p.act_max);
  for (int32_t b = 0; b < g.batches; ++b) {
    for (int32_t oy = 0; oy < g.out_h; ++oy) {
      const int32_t iy0 = oy * g.stride_y - g.pad_y;
      for (int32_t ox = 0; ox < g.out_w; ++ox) {
        const int32_t ix0 = ox * g.stride_x - g.pad_x;
        float* out = output + ((int64_t{b} * g.out_h + oy) * g.out_w + ox) * g.out_c;
        for (int32_t c0 = 0; c0 < g.out_c; c0 += kBlock) {
          VF acc[kVecs];
          for (int v = 0; v < kVecs; ++v) acc[v] = hn::Zero(df);
          // Depthwise: output channel c reads input channel c / depth_multiplier; lanes past
          // the last channel read channel 0 (zero weights, never stored).
          const bool gather = p.depthwise && (g.depth_multiplier != 1 || c0 + kBlock > g.out_c);
          int32_t source[kBlock] = {0};
          for (int32_t j = 0; gather && j < kBlock; ++j) {
            source[j] = c0 + j < g.out_c ? (c0 + j) / g.depth_multiplier : 0;
          }
          for (int32_t ky = 0; ky < g.f_h; ++ky) {
            const int32_t iy = iy0 + ky * g.dilation_y;
            if (iy < 0 || iy >= g.in_h) continue;
            for (int32_t kx = 0; kx < g.f_w; ++kx) {
              const int32_t ix = ix0 + kx * g.dilation_x;
              if (ix < 0 || ix >= g.in_w) continue;
              const float* x = input + ((int64_t{b} * g.in_h + iy) * g.in_w + ix) * g.in_c;
              if (p.depthwise) {
                const float* w = p.weights + (int64_t{ky} * g.f_w + kx) * padded_c + c0;
                float tail[kBlock];
                if (gather) {
                  for (int32_t j = 0; j < kBlock; ++j) tail[j] = x[source[j]];
                  x = tail;
                } else {
                  x += c0;
                }
                for (int v = 0; v < kVecs; ++v) {
                  const VF prod =
                      hn::Mul(hn::LoadU(df, x + v * lanes), hn::LoadU(df, w + v * lanes));
                  acc[v] = hn::Add(acc[v], prod);
                }
                continue;
              }
              const float* w = p.weights + (c0 / kBlock) * block_stride +
                               (int64_t{ky} * g.f_w + kx) * g.in_c * kBlock;
              for (int32_t ic = 0; ic < g.in_c; ++ic, w += kBlock) {
                const VF xv = hn::Set(df, x[ic]);
                for (int v = 0; v < kVecs; ++v) {
                  acc[v] = hn::Add(acc[v], hn::Mul(xv, hn::LoadU(df, w + v * lanes)));
                }
              }
            }
          }
          for (int v = 0; v < kVecs; ++v) {
            const int32_t c = c0 + v * lanes;
            const VF total = hn::Add(acc[v], hn::LoadU(df, p.bias + c));
            StoreChannels(df, ClampLikeReference(total, lo, hi), out, c, g.out_c);
          }
        }
      }
    }
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace optimized
}  // namespace tv
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tv {
namespace optimized {

HWY_EXPORT(ConvFloatImpl);

void ConvFloat(const FloatPlan& plan, const float* input, float* output) {
  HWY_DYNAMIC_DISPATCH(ConvFloatImpl)(plan, input, output);
}

}  // namespace optimized
}  // namespace tv
#endif  // HWY_ONCE
