// CAST: element-wise C++ static_cast between the types TFLM's cast.cc handles — input int8,
// int16, int32, uint32, float32 or bool; output int8, int16, int32, uint32 or float32
// (tflm-int8-arithmetic.md §14). Integer narrowing wraps (two's complement); float -> integer
// truncates toward zero. Out-of-range float -> integer casts are undefined in C++; the
// emulator reproduces what the x86-64 reference build (GCC, scalar cvttss2si) produces:
// int8/int16/int32 targets go through a 32-bit conversion whose invalid result is INT32_MIN
// (then truncated), uint32 goes through a 64-bit conversion (invalid: INT64_MIN, low 32 bits).
// A bool input element is read as its raw byte.
#include <cstdint>
#include <type_traits>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/copy_common.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

bool InputTypeOk(DataType t) {
  return t == DataType::kInt8 || t == DataType::kInt16 || t == DataType::kInt32 ||
         t == DataType::kUInt32 || t == DataType::kFloat32 || t == DataType::kBool;
}

bool OutputTypeOk(DataType t) {
  return t == DataType::kInt8 || t == DataType::kInt16 || t == DataType::kInt32 ||
         t == DataType::kUInt32 || t == DataType::kFloat32;
}

// x86-64 cvttss2si with a 32-bit destination.
int32_t FloatToInt32(float f) {
  if (!(f >= -2147483648.0f && f < 2147483648.0f)) return INT32_MIN;  // also NaN
  return static_cast<int32_t>(f);
}

// x86-64 cvttss2si with a 64-bit destination.
int64_t FloatToInt64(float f) {
  if (!(f >= -9223372036854775808.0f && f < 9223372036854775808.0f)) return INT64_MIN;
  return static_cast<int64_t>(f);
}

// Converts one source value (already widened) to the destination type.
template <typename To>
To FromInteger(int64_t v) {
  if constexpr (std::is_same_v<To, float>) {
    return static_cast<float>(v);
  } else {
    return static_cast<To>(static_cast<uint64_t>(v));  // modular, as GCC's integer casts
  }
}

template <typename To>
To FromFloat(float f) {
  if constexpr (std::is_same_v<To, float>) {
    return f;
  } else if constexpr (std::is_same_v<To, uint32_t>) {
    return static_cast<uint32_t>(static_cast<uint64_t>(FloatToInt64(f)));
  } else {
    return static_cast<To>(static_cast<uint32_t>(FloatToInt32(f)));
  }
}

template <typename From, typename To>
void CastLoop(const From* in, To* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    if constexpr (std::is_same_v<From, float>) {
      out[i] = FromFloat<To>(in[i]);
    } else {
      out[i] = FromInteger<To>(static_cast<int64_t>(in[i]));
    }
  }
}

template <typename From>
Status CastTo(const From* in, Tensor* output, int64_t n) {
  switch (output->type) {
    case DataType::kInt8:
      CastLoop(in, output->As<int8_t>(), n);
      break;
    case DataType::kInt16:
      CastLoop(in, output->As<int16_t>(), n);
      break;
    case DataType::kInt32:
      CastLoop(in, output->As<int32_t>(), n);
      break;
    case DataType::kUInt32:
      CastLoop(in, output->As<uint32_t>(), n);
      break;
    case DataType::kFloat32:
      CastLoop(in, output->As<float>(), n);
      break;
    default:
      return Status::Error("output type %s is not supported", DataTypeName(output->type));
  }
  return Status::Ok();
}

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 1 && ctx.num_outputs() == 1,
                     "expects 1 input and 1 output, got %d and %d", ctx.num_inputs(),
                     ctx.num_outputs());
  const Tensor* input = nullptr;
  Tensor* output = nullptr;
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 0, "input", &input));
  TV_RETURN_IF_ERROR(copy::RequireOutput(ctx, 0, &output));
  TV_CHECK_OR_RETURN(InputTypeOk(input->type),
                     "input '%s' has type %s; expected int8, int16, int32, uint32, float32 or "
                     "bool",
                     input->name, DataTypeName(input->type));
  TV_CHECK_OR_RETURN(OutputTypeOk(output->type),
                     "output '%s' has type %s; expected int8, int16, int32, uint32 or float32",
                     output->name, DataTypeName(output->type));
  char a[96], b[96];
  TV_CHECK_OR_RETURN(input->shape.NumElements() == output->shape.NumElements(),
                     "input '%s' %s and output '%s' %s differ in size", input->name,
                     copy::ShapeStr(input->shape, a, sizeof(a)), output->name,
                     copy::ShapeStr(output->shape, b, sizeof(b)));
  return Status::Ok();
}

Status Eval(KernelContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  const int64_t n = output->shape.NumElements();
  switch (input->type) {
    case DataType::kInt8:
      return CastTo(input->As<int8_t>(), output, n);
    case DataType::kInt16:
      return CastTo(input->As<int16_t>(), output, n);
    case DataType::kInt32:
      return CastTo(input->As<int32_t>(), output, n);
    case DataType::kUInt32:
      return CastTo(input->As<uint32_t>(), output, n);
    case DataType::kFloat32:
      return CastTo(input->As<float>(), output, n);
    case DataType::kBool:
      return CastTo(input->As<uint8_t>(), output, n);
    default:
      return Status::Error("input type %s is not supported", DataTypeName(input->type));
  }
}

}  // namespace

const KernelRegistration kCastRegistration = {op::kCast, 1, 5, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
