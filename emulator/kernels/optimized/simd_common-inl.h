// Per-target helpers shared by simd_int8.cc and simd_float.cc. Included once per highway
// target from inside HWY_NAMESPACE (hence no include guard, like highway's own -inl headers).
#if defined(TV_SIMD_COMMON_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TV_SIMD_COMMON_INL_H_
#undef TV_SIMD_COMMON_INL_H_
#else
#define TV_SIMD_COMMON_INL_H_
#endif

#include <cstring>

#include "emulator/kernels/optimized/simd_plans.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace tv {
namespace optimized {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using D32 = hn::ScalableTag<int32_t>;
using V32 = hn::Vec<D32>;
// Vectors per kBlock channels.
constexpr int kVecs = kBlock / static_cast<int>(HWY_LANES(int32_t));
static_assert(kVecs >= 1 && kBlock % HWY_LANES(int32_t) == 0, "kBlock must fill whole vectors");

// MultiplyByQuantizedMultiplier of 32-bit accumulators, lane c+i using channel c+i's
// multiplier and shifts, then + output offset and the activation clamp — the reference's
// integer steps exactly:
//   x = acc << left (wrapping); SRDHM(x, m) = (x * m + 2^30) >> 31 on the 64-bit product
//   (this single formula equals gemmlowp's nudge-then-truncate for both signs; the saturating
//   case needs m = INT32_MIN, which QuantizeMultiplier never produces); then
//   RoundingDivideByPOT(v, right) = (v >> right) + (remainder > (mask >> 1) + (v < 0)).
HWY_INLINE V32 Requantize(D32 d, V32 acc, const Requant& rq, int32_t c) {
  const hn::Repartition<int64_t, D32> d64;
  const hn::Repartition<uint64_t, D32> du64;
  const V32 x = hn::operator<<(acc, hn::LoadU(d, rq.left_shift + c));
  const V32 m = hn::LoadU(d, rq.multiplier + c);
  const auto round = hn::Set(d64, int64_t{1} << 30);
  const auto even = hn::Add(hn::MulEven(x, m), round);
  const V32 x_odd = hn::BitCast(d, hn::ShiftRight<32>(hn::BitCast(du64, x)));
  const V32 m_odd = hn::BitCast(d, hn::ShiftRight<32>(hn::BitCast(du64, m)));
  const auto odd = hn::Add(hn::MulEven(x_odd, m_odd), round);
  // Bits 31..62 of each product: low half of even lanes, high half of odd lanes.
  const V32 even_hi = hn::BitCast(d, hn::ShiftRight<31>(hn::BitCast(du64, even)));
  const V32 odd_hi = hn::BitCast(d, hn::ShiftLeft<1>(hn::BitCast(du64, odd)));
  const V32 v = hn::OddEven(odd_hi, even_hi);
  const V32 remainder = hn::And(v, hn::LoadU(d, rq.round_mask + c));
  const V32 threshold = hn::Sub(hn::LoadU(d, rq.round_half + c), hn::ShiftRight<31>(v));
  V32 r = hn::operator>>(v, hn::LoadU(d, rq.right_shift + c));
  r = hn::Sub(r, hn::VecFromMask(d, hn::Gt(remainder, threshold)));
  r = hn::Add(r, hn::Set(d, rq.output_offset));
  return hn::Min(hn::Max(r, hn::Set(d, rq.act_min)), hn::Set(d, rq.act_max));
}

// Stores the int8 values of `v` (already within the int8 range) for channels [c, c + lanes),
// only those below `limit`.
HWY_INLINE void StoreInt8(D32 d, V32 v, int8_t* out, int32_t c, int32_t limit) {
  const hn::Rebind<int8_t, D32> d8;
  const auto narrow = hn::DemoteTo(d8, v);
  const int32_t lanes = static_cast<int32_t>(hn::Lanes(d));
  if (c + lanes <= limit) {
    hn::StoreU(narrow, d8, out + c);
  } else if (c < limit) {
    HWY_ALIGN int8_t tmp[HWY_LANES(int32_t)];
    hn::StoreU(narrow, d8, tmp);
    std::memcpy(out + c, tmp, static_cast<size_t>(limit - c));
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace optimized
}  // namespace tv
HWY_AFTER_NAMESPACE();

#endif  // TV_SIMD_COMMON_INL_H_
