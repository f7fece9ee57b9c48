#include "reference/ops/op_util.h"

#include <algorithm>
#include <cstring>

namespace tv {
namespace ref {
namespace {

template <typename T>
void StridedCopyTyped(const T* in, const std::vector<int64_t>& strides, int64_t offset, T* out,
                      const Shape& shape) {
  const int64_t total = NumElements(shape);
  if (total == 0) return;
  // Merge dimensions the source walks contiguously (e.g. the H, W of a channel Transpose) and
  // drop size-1 ones, so each inner copy is as long as possible. Fixed capacity: no allocation.
  constexpr int kMaxRank = 8;
  int64_t extent[kMaxRank], stride[kMaxRank];
  int n = 0;
  if (shape.size() > static_cast<size_t>(kMaxRank)) {  // rare: copy element by element
    std::vector<int64_t> index(shape.size(), 0);
    for (int64_t o = 0; o < total; ++o) {
      int64_t off = offset;
      for (size_t d = 0; d < shape.size(); ++d) off += index[d] * strides[d];
      out[o] = in[off];
      for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
        if (++index[d] < shape[d]) break;
        index[d] = 0;
      }
    }
    return;
  }
  for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
    if (shape[d] == 1) continue;
    if (n > 0 && strides[d] == stride[n - 1] * extent[n - 1]) {
      extent[n - 1] *= shape[d];
      continue;
    }
    extent[n] = shape[d], stride[n] = strides[d];
    ++n;
  }
  if (n == 0) {
    out[0] = in[offset];
    return;
  }
  std::reverse(extent, extent + n);  // outermost first
  std::reverse(stride, stride + n);
  const int64_t inner = extent[n - 1], inner_stride = stride[n - 1];
  int64_t index[kMaxRank] = {};
  int64_t off = offset;
  for (int64_t o = 0; o < total; o += inner) {
    const T* src = in + off;
    T* dst = out + o;
    if (inner_stride == 1) {
      std::memcpy(dst, src, static_cast<size_t>(inner) * sizeof(T));
    } else {
      for (int64_t k = 0; k < inner; ++k) dst[k] = src[k * inner_stride];
    }
    for (int d = n - 2; d >= 0; --d) {
      off += stride[d];
      if (++index[d] < extent[d]) break;
      off -= stride[d] * extent[d];
      index[d] = 0;
    }
  }
}

}  // namespace

void StridedCopy(const void* in, const std::vector<int64_t>& in_strides, int64_t in_offset,
                 void* out, const Shape& out_shape, size_t elem_size) {
  switch (elem_size) {
    case 1:
      StridedCopyTyped(static_cast<const uint8_t*>(in), in_strides, in_offset,
                       static_cast<uint8_t*>(out), out_shape);
      break;
    case 2:
      StridedCopyTyped(static_cast<const uint16_t*>(in), in_strides, in_offset,
                       static_cast<uint16_t*>(out), out_shape);
      break;
    case 4:
      StridedCopyTyped(static_cast<const uint32_t*>(in), in_strides, in_offset,
                       static_cast<uint32_t*>(out), out_shape);
      break;
    case 8:
      StridedCopyTyped(static_cast<const uint64_t*>(in), in_strides, in_offset,
                       static_cast<uint64_t*>(out), out_shape);
      break;
    default:
      break;
  }
}

BroadcastLoops MergeBroadcastLoops(const Shape& a_shape, const Shape& b_shape,
                                   const Shape& out_shape) {
  BroadcastLoops loops;
  const int rank = static_cast<int>(out_shape.size());
  if (rank > BroadcastLoops::kMaxRank) return loops;
  // Operand stride over output dimension d (0 where the operand is broadcast).
  auto stride_of = [&](const Shape& shape, int d, int64_t* running) {
    const int src = d - (rank - static_cast<int>(shape.size()));
    if (src < 0) return int64_t{0};
    const int64_t stride = shape[src] == 1 ? 0 : *running;
    *running *= shape[src];
    return stride;
  };
  // Innermost first into the arrays, merged while both operands continue contiguously.
  int64_t run_a = 1, run_b = 1;
  int n = 0;
  for (int d = rank - 1; d >= 0; --d) {
    const int64_t sa = stride_of(a_shape, d, &run_a), sb = stride_of(b_shape, d, &run_b);
    const int64_t e = out_shape[d];
    if (e == 1) continue;
    if (n > 0 && sa == loops.stride_a[n - 1] * loops.extent[n - 1] &&
        sb == loops.stride_b[n - 1] * loops.extent[n - 1]) {
      loops.extent[n - 1] *= e;
      continue;
    }
    loops.extent[n] = e, loops.stride_a[n] = sa, loops.stride_b[n] = sb;
    ++n;
  }
  if (n == 0) loops.extent[n] = 1, loops.stride_a[n] = 0, loops.stride_b[n] = 0, ++n;
  std::reverse(loops.extent, loops.extent + n);
  std::reverse(loops.stride_a, loops.stride_a + n);
  std::reverse(loops.stride_b, loops.stride_b + n);
  loops.rank = n;
  return loops;
}

float HalfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  const uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: renormalise
      int e = -1;
      do {
        ++e;
        mant <<= 1;
      } while ((mant & 0x400) == 0);
      bits = sign | static_cast<uint32_t>(127 - 15 - e) << 23 | (mant & 0x3ff) << 13;
    }
  } else if (exp == 0x1f) {
    bits = sign | 0x7f800000u | mant << 13;
  } else {
    bits = sign | (exp + 127 - 15) << 23 | mant << 13;
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t FloatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000);
  const uint32_t abs = x & 0x7fffffffu;
  if (abs > 0x7f800000u) return sign | 0x7e00;   // NaN
  if (abs >= 0x477ff000u) return sign | 0x7c00;  // overflow to inf
  if (abs < 0x38800000u) {                       // subnormal or zero
    if (abs < 0x33000000u) return sign;
    const uint32_t exp = abs >> 23;
    const uint32_t mant = (abs & 0x7fffff) | 0x800000;
    const int shift = 126 - static_cast<int>(exp) + 14;  // to 10-bit subnormal mantissa
    uint32_t value = mant >> shift;
    const uint32_t rem = mant & ((1u << shift) - 1);
    const uint32_t half = 1u << (shift - 1);
    if (rem > half || (rem == half && (value & 1))) ++value;
    return static_cast<uint16_t>(sign | value);
  }
  uint32_t value = ((abs >> 23) - 127 + 15) << 10 | (abs & 0x7fffff) >> 13;
  const uint32_t rem = abs & 0x1fff;
  if (rem > 0x1000 || (rem == 0x1000 && (value & 1))) ++value;
  return static_cast<uint16_t>(sign | value);
}

float BFloat16ToFloat(uint16_t b) {
  const uint32_t bits = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t FloatToBFloat16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((x >> 16) | 0x40);
  const uint32_t rounding = 0x7fff + ((x >> 16) & 1);
  return static_cast<uint16_t>((x + rounding) >> 16);
}

}  // namespace ref
}  // namespace tv
