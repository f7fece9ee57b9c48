// Shared Prepare/Eval of MAXIMUM and MINIMUM: float32, int8, int16, int32, int64 with numpy
// broadcasting up to rank 6. tflm-int8-arithmetic.md §14 (pure data movement): the raw stored
// values are compared with no requantization — quantization parameters are not consulted, as
// in TFLM. With float NaNs the comparison's order decides (see each op's Pick).
#ifndef TINYVERIFY_EMULATOR_KERNELS_MAXIMUM_MINIMUM_COMMON_H_
#define TINYVERIFY_EMULATOR_KERNELS_MAXIMUM_MINIMUM_COMMON_H_

#include "emulator/kernels/elementwise_common.h"

namespace tv {
namespace kernels {

inline Status PrepareMaximumMinimum(KernelContext& ctx) {
  const Tensor *in1 = nullptr, *in2 = nullptr;
  Tensor* out = nullptr;
  TV_RETURN_IF_ERROR(GetBinaryOperands(ctx, &in1, &in2, &out));
  switch (out->type) {
    case DataType::kFloat32:
    case DataType::kInt8:
    case DataType::kInt16:
    case DataType::kInt32:
    case DataType::kInt64:
      break;
    default:
      return Status::Error("input '%s' has type %s; expected float32, int8, int16, int32 or int64",
                           in1->name, DataTypeName(in1->type));
  }
  BroadcastPlan* plan = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&plan));
  return PlanBroadcast(*in1, *in2, *out, plan);
}

// `Pick` is a functor with `template <typename T> T operator()(T a, T b) const`.
template <typename Pick, typename T>
void ApplyMaximumMinimum(const BroadcastPlan& plan, const Tensor& in1, const Tensor& in2,
                         Tensor* out) {
  BroadcastBinary(plan, in1.As<T>(), in2.As<T>(), out->As<T>(),
                  [](T a, T b) { return Pick()(a, b); });
}

template <typename Pick>
Status EvalMaximumMinimum(KernelContext& ctx) {
  const BroadcastPlan& plan = *ctx.op_data<BroadcastPlan>();
  const Tensor& in1 = *ctx.input(0);
  const Tensor& in2 = *ctx.input(1);
  Tensor* out = ctx.output(0);
  switch (out->type) {
    case DataType::kFloat32:
      ApplyMaximumMinimum<Pick, float>(plan, in1, in2, out);
      return Status::Ok();
    case DataType::kInt8:
      ApplyMaximumMinimum<Pick, int8_t>(plan, in1, in2, out);
      return Status::Ok();
    case DataType::kInt16:
      ApplyMaximumMinimum<Pick, int16_t>(plan, in1, in2, out);
      return Status::Ok();
    case DataType::kInt32:
      ApplyMaximumMinimum<Pick, int32_t>(plan, in1, in2, out);
      return Status::Ok();
    case DataType::kInt64:
      ApplyMaximumMinimum<Pick, int64_t>(plan, in1, in2, out);
      return Status::Ok();
    default:
      return Status::Error("unsupported type %s", DataTypeName(out->type));
  }
}

}  // namespace kernels
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_MAXIMUM_MINIMUM_COMMON_H_
