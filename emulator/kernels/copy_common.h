// Helpers shared by the pure data-movement kernels (RESHAPE, SQUEEZE, EXPAND_DIMS, PAD,
// CONCATENATION, STRIDED_SLICE, TRANSPOSE, SPLIT, PACK, UNPACK, GATHER, ...): tensor and
// shape checks with messages that name the tensor, constant index-tensor readers, and
// element-size dispatch. None of these kernels does arithmetic on element values
// (tflm-int8-arithmetic.md §14 "Pure data movement").
#ifndef TINYVERIFY_EMULATOR_KERNELS_COPY_COMMON_H_
#define TINYVERIFY_EMULATOR_KERNELS_COPY_COMMON_H_

#include <cstdint>
#include <cstdio>
#include <cstring>

#include "emulator/kernel_api.h"

namespace tv {
namespace kernels {
namespace copy {

// "[1, 2, 3]" into `buf` (truncated if needed); returns buf.
inline const char* ShapeStr(const Shape& s, char* buf, size_t size) {
  size_t n = 0;
  if (size == 0) return buf;
  buf[0] = '\0';
  n += static_cast<size_t>(std::snprintf(buf, size, "["));
  for (int i = 0; i < s.rank && n < size; ++i) {
    n += static_cast<size_t>(
        std::snprintf(buf + n, size - n, i == 0 ? "%d" : ", %d", static_cast<int>(s.dims[i])));
  }
  if (n < size) std::snprintf(buf + n, size - n, "]");
  return buf;
}

// Product of dims[from, to).
inline int64_t DimProduct(const Shape& s, int from, int to) {
  int64_t p = 1;
  for (int i = from; i < to; ++i) p *= s.dims[i];
  return p;
}

// Input `i` must exist (not omitted) and be backed by data (constant) or planned memory.
inline Status RequireInput(KernelContext& ctx, int i, const char* what, const Tensor** out) {
  const Tensor* t = ctx.input(i);
  TV_CHECK_OR_RETURN(t != nullptr, "%s (input %d) is missing", what, i);
  *out = t;
  return Status::Ok();
}

// Output `i` must exist and must not be a constant tensor (constant data lives in the model
// file and is never written).
inline Status RequireOutput(KernelContext& ctx, int i, Tensor** out) {
  Tensor* t = ctx.output(i);
  TV_CHECK_OR_RETURN(t != nullptr, "output %d is missing", i);
  TV_CHECK_OR_RETURN(!t->is_constant, "output '%s' is a constant tensor and cannot be written",
                     t->name);
  *out = t;
  return Status::Ok();
}

inline Status RequireSameType(const Tensor& a, const Tensor& b) {
  TV_CHECK_OR_RETURN(a.type == b.type, "'%s' has type %s but '%s' has type %s", b.name,
                     DataTypeName(b.type), a.name, DataTypeName(a.type));
  return Status::Ok();
}

inline Status RequireShape(const Tensor& t, const Shape& expected) {
  if (t.shape == expected) return Status::Ok();
  char a[96], b[96];
  return Status::Error("output '%s' has shape %s, expected %s", t.name, ShapeStr(t.shape, a, 96),
                       ShapeStr(expected, b, 96));
}

// Reads a constant int32 index tensor (axis, perm, paddings, begin/end/strides, size) whose
// values the kernel needs at Prepare time. TFLM reads these as int32 without checking the
// type, so any other type would be misread there: refuse it.
inline Status ConstantInt32(const Tensor& t, const char* what, const int32_t** values,
                            int64_t* count) {
  TV_CHECK_OR_RETURN(t.is_constant && t.data != nullptr,
                     "%s tensor '%s' must be constant (TFLM does not support a non-constant %s)",
                     what, t.name, what);
  TV_CHECK_OR_RETURN(t.type == DataType::kInt32, "%s tensor '%s' has type %s; expected int32", what,
                     t.name, DataTypeName(t.type));
  *values = t.As<int32_t>();
  *count = t.shape.NumElements();
  return Status::Ok();
}

// Copies `count` elements of `elem` bytes (in and out never overlap). Nothing is touched for
// an empty copy: a zero-size tensor may have no storage at all.
inline void CopyElements(void* dst, const void* src, int64_t count, size_t elem) {
  if (count > 0 && elem > 0) std::memcpy(dst, src, static_cast<size_t>(count) * elem);
}

}  // namespace copy
}  // namespace kernels
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_COPY_COMMON_H_
