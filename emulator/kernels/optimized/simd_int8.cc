// int8 convolution / fully connected (im2col + GEMM over int16 pairs into int32) and int8
// depthwise convolution, compiled once per highway target and dispatched at run time.
// Integer sums wrap modulo 2^32 exactly like the reference's, so any summation order gives
// the same accumulator; requantization is the reference's arithmetic (simd_common-inl.h).
#include <algorithm>
#include <cstring>

#include "emulator/kernels/optimized/simd_plans.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "emulator/kernels/optimized/simd_int8.cc"
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

using D16 = hn::Repartition<int16_t, D32>;
using V16 = hn::Vec<D16>;

// acc + a[2i] * b[2i] + a[2i+1] * b[2i+1] in each int32 lane: vpdpwssd with AVX-512 VNNI,
// vpmaddwd + add on the other x86 targets.
HWY_INLINE V32 MulPairsAdd(D32 d32, V16 a, V16 b, V32 acc) {
#if HWY_TARGET == HWY_AVX3_DL
  // highway 1.0.3's AVX3_DL target string lacks "avx512vnni" (its CPU check requires VNNI),
  // so the intrinsic cannot be inlined here; the instruction is emitted directly instead.
  (void)d32;
  __m512i sum = acc.raw;
  __asm__("vpdpwssd %2, %1, %0" : "+v"(sum) : "v"(a.raw), "v"(b.raw));
  return V32{sum};
#elif HWY_TARGET == HWY_EMU128 || HWY_TARGET == HWY_SCALAR
  const V32 a32 = hn::BitCast(d32, a), b32 = hn::BitCast(d32, b);
  const V32 a_lo = hn::ShiftRight<16>(hn::ShiftLeft<16>(a32));
  const V32 b_lo = hn::ShiftRight<16>(hn::ShiftLeft<16>(b32));
  const V32 lo = hn::Mul(a_lo, b_lo);
  const V32 hi = hn::Mul(hn::ShiftRight<16>(a32), hn::ShiftRight<16>(b32));
  return hn::Add(acc, hn::Add(lo, hi));
#else
  V32 unused = hn::Zero(d32);
  return hn::ReorderWidenMulAccumulate(d32, a, b, acc, unused);
#endif
}

// Writes output pixel q's patch as int16 (taps in (ky, kx, ic) order, padded taps = zero
// point, an odd tail zeroed) into `dst`.
void BuildPatch(const GemmInt8Plan& p, const int8_t* input, int64_t q, int16_t* dst) {
  const Geometry& g = p.g;
  {
    const int32_t ox = static_cast<int32_t>(q % g.out_w);
    const int32_t oy = static_cast<int32_t>((q / g.out_w) % g.out_h);
    const int64_t b = q / (int64_t{g.out_w} * g.out_h);
    int16_t* d = dst;
    for (int32_t ky = 0; ky < g.f_h; ++ky) {
      const int32_t iy = oy * g.stride_y - g.pad_y + ky * g.dilation_y;
      for (int32_t kx = 0; kx < g.f_w; ++kx, d += g.in_c) {
        const int32_t ix = ox * g.stride_x - g.pad_x + kx * g.dilation_x;
        if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) {
          for (int32_t i = 0; i < g.in_c; ++i) d[i] = p.pad_value;
          continue;
        }
        const int8_t* src = input + ((b * g.in_h + iy) * g.in_w + ix) * g.in_c;
        for (int32_t i = 0; i < g.in_c; ++i) d[i] = src[i];
      }
    }
  }
  if (p.depth % 2 != 0) dst[p.depth] = 0;
}

// The k-th pair of patch values as the int32 bit pattern of two int16: from the int16 im2col
// row, or straight from an int8 input row (1x1 convolutions, fully connected), where the
// missing partner of an odd depth's last value is 0 (its weight is 0 too).
template <bool kDirect>
HWY_INLINE int32_t PatchPair(const void* patch, int32_t k, int32_t depth) {
  if (kDirect) {
    const int8_t* x = static_cast<const int8_t*>(patch) + 2 * k;
    const int32_t hi = 2 * k + 1 < depth ? x[1] : 0;
    return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint16_t>(x[0])) |
                                (static_cast<uint32_t>(hi) << 16));
  }
  int32_t pair;
  std::memcpy(&pair, static_cast<const int16_t*>(patch) + 2 * k, sizeof(pair));
  return pair;
}

// R output pixels (patches) x one block of kBlock output channels.
template <int R, bool kDirect>
HWY_INLINE void GemmTile(const GemmInt8Plan& p, const void* const* patches, int32_t block,
                         int8_t* const* outs) {
  const D32 d32;
  const D16 d16;
  const int32_t c0 = block * kBlock;
  V32 acc[R][kVecs];
  for (int v = 0; v < kVecs; ++v) {
    const V32 bias = hn::LoadU(d32, p.rq.bias + c0 + v * hn::Lanes(d32));
    for (int r = 0; r < R; ++r) acc[r][v] = bias;
  }
  const int16_t* w = p.weights + static_cast<int64_t>(block) * p.depth_pairs * kBlock * 2;
  for (int32_t k = 0; k < p.depth_pairs; ++k, w += kBlock * 2) {
    V16 wv[kVecs];
    for (int v = 0; v < kVecs; ++v) wv[v] = hn::LoadU(d16, w + v * hn::Lanes(d16));
    for (int r = 0; r < R; ++r) {
      const int32_t pair = PatchPair<kDirect>(patches[r], k, p.depth);
      const V16 x = hn::BitCast(d16, hn::Set(d32, pair));
      for (int v = 0; v < kVecs; ++v) acc[r][v] = MulPairsAdd(d32, x, wv[v], acc[r][v]);
    }
  }
  for (int r = 0; r < R; ++r) {
    for (int v = 0; v < kVecs; ++v) {
      const int32_t c = c0 + v * static_cast<int32_t>(hn::Lanes(d32));
      StoreInt8(d32, Requantize(d32, acc[r][v], p.rq, c), outs[r], c, p.g.out_c);
    }
  }
}

template <bool kDirect>
void GemmRows(const GemmInt8Plan& p, const int8_t* input, int8_t* output, int16_t* scratch) {
  const Geometry& g = p.g;
  const int64_t pixels = int64_t{g.batches} * g.out_h * g.out_w;
  const int32_t blocks = RoundUpToBlock(g.out_c) / kBlock;
  const int64_t stride = 2 * int64_t{p.depth_pairs};
  for (int64_t q0 = 0; q0 < pixels; q0 += kRows) {
    const int rows = static_cast<int>(std::min<int64_t>(kRows, pixels - q0));
    const void* patches[kRows];
    int8_t* outs[kRows];
    for (int r = 0; r < rows; ++r) {
      if (kDirect) {
        patches[r] = input + (q0 + r) * g.in_c;
      } else {
        BuildPatch(p, input, q0 + r, scratch + r * stride);
        patches[r] = scratch + r * stride;
      }
      outs[r] = output + (q0 + r) * g.out_c;
    }
    for (int32_t block = 0; block < blocks; ++block) {
      if (rows == kRows) {
        GemmTile<kRows, kDirect>(p, patches, block, outs);
      } else {
        for (int r = 0; r < rows; ++r) GemmTile<1, kDirect>(p, patches + r, block, outs + r);
      }
    }
  }
}

void GemmInt8Impl(const GemmInt8Plan& p, const int8_t* input, int8_t* output, int16_t* scratch) {
  if (p.g.direct_rows) {
    GemmRows<true>(p, input, output, scratch);
  } else {
    GemmRows<false>(p, input, output, scratch);
  }
}

void DepthwiseInt8Impl(const DepthwiseInt8Plan& p, const int8_t* input, int8_t* output) {
  const D32 d32;
  const hn::Rebind<int8_t, D32> d8;
  const Geometry& g = p.g;
  const int32_t padded_c = RoundUpToBlock(g.out_c);
  const V32 offset = hn::Set(d32, p.input_offset);
  HWY_ALIGN int8_t tail[kBlock];
  const bool gather = g.depth_multiplier != 1;
  int32_t source[kBlock] = {0};
  for (int32_t b = 0; b < g.batches; ++b) {
    for (int32_t oy = 0; oy < g.out_h; ++oy) {
      const int32_t iy0 = oy * g.stride_y - g.pad_y;
      for (int32_t ox = 0; ox < g.out_w; ++ox) {
        const int32_t ix0 = ox * g.stride_x - g.pad_x;
        int8_t* out = output + ((int64_t{b} * g.out_h + oy) * g.out_w + ox) * g.out_c;
        for (int32_t c0 = 0; c0 < g.out_c; c0 += kBlock) {
          const bool partial = c0 + kBlock > g.out_c;
          if (gather || partial) {
            // Output channel c reads input channel c / depth_multiplier; lanes past the last
            // channel read channel 0 (their weights are zero and they are never stored).
            for (int32_t j = 0; j < kBlock; ++j) {
              const int32_t c = c0 + j;
              source[j] = c < g.out_c ? c / g.depth_multiplier : 0;
            }
          }
          V32 acc[kVecs];
          for (int v = 0; v < kVecs; ++v) {
            acc[v] = hn::LoadU(d32, p.bias + c0 + v * hn::Lanes(d32));
          }
          for (int32_t ky = 0; ky < g.f_h; ++ky) {
            const int32_t iy = iy0 + ky * g.dilation_y;
            if (iy < 0 || iy >= g.in_h) continue;  // padded taps are skipped, as in reference
            for (int32_t kx = 0; kx < g.f_w; ++kx) {
              const int32_t ix = ix0 + kx * g.dilation_x;
              if (ix < 0 || ix >= g.in_w) continue;
              const int8_t* src = input + ((int64_t{b} * g.in_h + iy) * g.in_w + ix) * g.in_c;
              const int32_t* w = p.weights + (int64_t{ky} * g.f_w + kx) * padded_c + c0;
              if (g.in_c == 1) {  // every output channel reads the single input channel
                const V32 x = hn::Set(d32, src[0] + p.input_offset);
                for (int v = 0; v < kVecs; ++v) {
                  const V32 wv = hn::LoadU(d32, w + v * static_cast<int32_t>(hn::Lanes(d32)));
                  acc[v] = hn::Add(acc[v], hn::Mul(x, wv));
                }
                continue;
              }
              if (gather || partial) {
                for (int32_t j = 0; j < kBlock; ++j) tail[j] = src[source[j]];
                src = tail;
              } else {
                src += c0;
              }
              for (int v = 0; v < kVecs; ++v) {
                const int32_t lane0 = v * static_cast<int32_t>(hn::Lanes(d32));
                const V32 x = hn::Add(hn::PromoteTo(d32, hn::LoadU(d8, src + lane0)), offset);
                acc[v] = hn::Add(acc[v], hn::Mul(x, hn::LoadU(d32, w + lane0)));
              }
            }
          }
          for (int v = 0; v < kVecs; ++v) {
            const int32_t c = c0 + v * static_cast<int32_t>(hn::Lanes(d32));
            StoreInt8(d32, Requantize(d32, acc[v], p.rq, c), out, c, g.out_c);
          }
        }
      }
    }
  }
}

const char* TargetNameImpl() { return hwy::TargetName(HWY_TARGET); }

}  // namespace HWY_NAMESPACE
}  // namespace optimized
}  // namespace tv
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tv {
namespace optimized {

HWY_EXPORT(GemmInt8Impl);
HWY_EXPORT(DepthwiseInt8Impl);
HWY_EXPORT(TargetNameImpl);

void GemmInt8(const GemmInt8Plan& plan, const int8_t* input, int8_t* output, int16_t* scratch) {
  HWY_DYNAMIC_DISPATCH(GemmInt8Impl)(plan, input, output, scratch);
}
void DepthwiseInt8(const DepthwiseInt8Plan& plan, const int8_t* input, int8_t* output) {
  HWY_DYNAMIC_DISPATCH(DepthwiseInt8Impl)(plan, input, output);
}
const char* SelectedTargetName() { return HWY_DYNAMIC_DISPATCH(TargetNameImpl)(); }

}  // namespace optimized
}  // namespace tv
#endif  // HWY_ONCE
