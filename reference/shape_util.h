// Shape arithmetic shared by the planner and the operators.
#ifndef TINYVERIFY_REFERENCE_SHAPE_UTIL_H_
#define TINYVERIFY_REFERENCE_SHAPE_UTIL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "emulator/status.h"

namespace tv {
namespace ref {

using Shape = std::vector<int64_t>;

// Multiplication that saturates at kHugeCount instead of overflowing (corrupt models can hold
// absurd dimensions; the planner's size limit then rejects them).
constexpr int64_t kHugeCount = int64_t{1} << 62;
inline int64_t SaturatingMul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r) || r > kHugeCount || r < -kHugeCount) return kHugeCount;
  return r;
}

inline int64_t NumElements(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n = SaturatingMul(n, d);
  return n;
}

// Product of dims [begin, end).
inline int64_t DimProduct(const Shape& shape, size_t begin, size_t end) {
  int64_t n = 1;
  for (size_t i = begin; i < end && i < shape.size(); ++i) n = SaturatingMul(n, shape[i]);
  return n;
}

// "[1,3,224,224]"; symbolic (-1) dims print as "?".
std::string ShapeToString(const Shape& shape);

// Numpy (multidirectional) broadcasting of two shapes.
Status BroadcastShapes(const Shape& a, const Shape& b, Shape* out);

// Maps a possibly negative axis into [0, rank); errors when out of range.
Status NormalizeAxis(int64_t axis, int64_t rank, int64_t* out);

// Row-major strides of `shape` expanded to `rank` dims (leading dims of size 1), with stride 0
// for broadcast dimensions of size 1 where `out_shape` is larger.
std::vector<int64_t> BroadcastStrides(const Shape& shape, const Shape& out_shape);

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_SHAPE_UTIL_H_
