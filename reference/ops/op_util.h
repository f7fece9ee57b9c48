// Helpers shared by operator implementations: dtype dispatch and broadcasting loops.
#ifndef TINYVERIFY_REFERENCE_OPS_OP_UTIL_H_
#define TINYVERIFY_REFERENCE_OPS_OP_UTIL_H_

#include <cstdint>
#include <cstring>
#include <vector>

#include "reference/kernel.h"

namespace tv {
namespace ref {

// Calls f(T{}) with the C++ type of `dtype`; returns false for types outside the set.
template <typename F>
bool DispatchFloat(DataType dtype, F&& f) {
  switch (dtype) {
    case DataType::kFloat32:
      f(float());
      return true;
    case DataType::kFloat64:
      f(double());
      return true;
    default:
      return false;
  }
}

template <typename F>
bool DispatchNumeric(DataType dtype, F&& f) {
  switch (dtype) {
    case DataType::kFloat32:
      f(float());
      return true;
    case DataType::kFloat64:
      f(double());
      return true;
    case DataType::kInt8:
      f(int8_t());
      return true;
    case DataType::kInt16:
      f(int16_t());
      return true;
    case DataType::kInt32:
      f(int32_t());
      return true;
    case DataType::kInt64:
      f(int64_t());
      return true;
    case DataType::kUInt8:
      f(uint8_t());
      return true;
    case DataType::kUInt16:
      f(uint16_t());
      return true;
    case DataType::kUInt32:
      f(uint32_t());
      return true;
    case DataType::kUInt64:
      f(uint64_t());
      return true;
    default:
      return false;
  }
}

template <typename F>
bool DispatchAll(DataType dtype, F&& f) {
  if (dtype == DataType::kBool) {
    f(bool());
    return true;
  }
  return DispatchNumeric(dtype, f);
}

// Operand strides over the output's dimensions with adjacent dimensions merged where both
// operands step through them as one (e.g. [1,C,H,W] + [C,1,1] becomes [C, H*W] with b strides
// [1, 0]), so the innermost loop is as long as possible. Fixed capacity: no allocation.
struct BroadcastLoops {
  static constexpr int kMaxRank = 8;
  int rank = 0;  // merged dimensions, outermost first; 0 when the output rank exceeds kMaxRank
  int64_t extent[kMaxRank], stride_a[kMaxRank], stride_b[kMaxRank];
};
BroadcastLoops MergeBroadcastLoops(const Shape& a_shape, const Shape& b_shape,
                                   const Shape& out_shape);

// Calls body(out_index, a_index, b_index) for every output element of the broadcast of two
// shapes, in output order (innermost dimension fastest). Shapes must already be known to
// broadcast to `out_shape`. The common inner strides (1, 1), (1, 0), (0, 1) get their own loops
// so the compiler can vectorise the body.
template <typename Body>
void ForEachBroadcast(const Shape& a_shape, const Shape& b_shape, const Shape& out_shape,
                      Body&& body) {
  const int64_t total = NumElements(out_shape);
  if (total == 0) return;
  if (a_shape == out_shape && b_shape == out_shape) {
    for (int64_t i = 0; i < total; ++i) body(i, i, i);
    return;
  }
  const BroadcastLoops loops = MergeBroadcastLoops(a_shape, b_shape, out_shape);
  if (loops.rank > 0) {
    const int n = loops.rank;
    const int64_t inner = loops.extent[n - 1];
    const int64_t ia = loops.stride_a[n - 1], ib = loops.stride_b[n - 1];
    int64_t index[BroadcastLoops::kMaxRank] = {};
    int64_t off_a = 0, off_b = 0;
    for (int64_t o = 0; o < total; o += inner) {
      if (ia == 1 && ib == 1) {
        for (int64_t k = 0; k < inner; ++k) body(o + k, off_a + k, off_b + k);
      } else if (ia == 1 && ib == 0) {
        for (int64_t k = 0; k < inner; ++k) body(o + k, off_a + k, off_b);
      } else if (ia == 0 && ib == 1) {
        for (int64_t k = 0; k < inner; ++k) body(o + k, off_a, off_b + k);
      } else {
        for (int64_t k = 0; k < inner; ++k) body(o + k, off_a + k * ia, off_b + k * ib);
      }
      for (int d = n - 2; d >= 0; --d) {
        off_a += loops.stride_a[d];
        off_b += loops.stride_b[d];
        if (++index[d] < loops.extent[d]) break;
        off_a -= loops.stride_a[d] * loops.extent[d];
        off_b -= loops.stride_b[d] * loops.extent[d];
        index[d] = 0;
      }
    }
    return;
  }
  const size_t rank = out_shape.size();
  const std::vector<int64_t> sa = BroadcastStrides(a_shape, out_shape);
  const std::vector<int64_t> sb = BroadcastStrides(b_shape, out_shape);
  const int64_t inner = rank ? out_shape[rank - 1] : 1;
  const int64_t ia = rank ? sa[rank - 1] : 0;
  const int64_t ib = rank ? sb[rank - 1] : 0;
  std::vector<int64_t> index(rank, 0);
  int64_t off_a = 0, off_b = 0;
  for (int64_t o = 0; o < total; o += inner) {
    for (int64_t k = 0; k < inner; ++k) body(o + k, off_a + k * ia, off_b + k * ib);
    // Advance the multi-index over all but the innermost dimension.
    for (int d = static_cast<int>(rank) - 2; d >= 0; --d) {
      off_a += sa[d];
      off_b += sb[d];
      if (++index[d] < out_shape[d]) break;
      off_a -= sa[d] * out_shape[d];
      off_b -= sb[d] * out_shape[d];
      index[d] = 0;
    }
  }
}

// Generic strided copy: out[i] = in[offset(i)] where `in_strides` (in elements) are expressed
// over the output's dimensions. Used by Transpose, Expand, Slice and Tile.
void StridedCopy(const void* in, const std::vector<int64_t>& in_strides, int64_t in_offset,
                 void* out, const Shape& out_shape, size_t elem_size);

// Half-precision conversions (IEEE binary16 and bfloat16), round to nearest even.
float HalfToFloat(uint16_t h);
uint16_t FloatToHalf(float f);
float BFloat16ToFloat(uint16_t b);
uint16_t FloatToBFloat16(float f);

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_OPS_OP_UTIL_H_
