// MAXIMUM: float32, int8, int16, int32, int64 with numpy broadcasting up to rank 6.
// tflm-int8-arithmetic.md §14 (pure data movement): compares the raw stored values,
// `a > b ? a : b`, with no requantization — quantization parameters are not consulted, as in
// TFLM. With float NaNs the expression's order decides (NaN in b wins, NaN in a loses).
#include "emulator/builtin_ops.h"
#include "emulator/kernels/elementwise_common.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

Status Prepare(KernelContext& ctx) {
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

template <typename T>
void Apply(const BroadcastPlan& plan, const Tensor& in1, const Tensor& in2, Tensor* out) {
  BroadcastBinary(plan, in1.As<T>(), in2.As<T>(), out->As<T>(),
                  [](T a, T b) { return a > b ? a : b; });
}

Status Eval(KernelContext& ctx) {
  const BroadcastPlan& plan = *ctx.op_data<BroadcastPlan>();
  const Tensor& in1 = *ctx.input(0);
  const Tensor& in2 = *ctx.input(1);
  Tensor* out = ctx.output(0);
  switch (out->type) {
    case DataType::kFloat32:
      Apply<float>(plan, in1, in2, out);
      return Status::Ok();
    case DataType::kInt8:
      Apply<int8_t>(plan, in1, in2, out);
      return Status::Ok();
    case DataType::kInt16:
      Apply<int16_t>(plan, in1, in2, out);
      return Status::Ok();
    case DataType::kInt32:
      Apply<int32_t>(plan, in1, in2, out);
      return Status::Ok();
    case DataType::kInt64:
      Apply<int64_t>(plan, in1, in2, out);
      return Status::Ok();
    default:
      return Status::Error("unsupported type %s", DataTypeName(out->type));
  }
}

}  // namespace

const KernelRegistration kMaximumRegistration = {op::kMaximum, 1, 4, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
