// DEQUANTIZE: int8 / int16 / uint8 -> float32. Arithmetic: tflm-int8-arithmetic.md §12:
// y = (float)((double)scale * (double)(q - zero_point)). Per-channel inputs use channel 0's
// parameters for every element, as TFLM does (it reads params.scale / params.zero_point).
#include "emulator/builtin_ops.h"
#include "emulator/kernels/elementwise_common.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

struct OpData {
  int64_t size = 0;
  double scale = 0;
  int32_t zero_point = 0;
};

Status Prepare(KernelContext& ctx) {
  const Tensor* input = nullptr;
  Tensor* output = nullptr;
  TV_RETURN_IF_ERROR(GetUnaryOperands(ctx, &input, &output));
  TV_CHECK_OR_RETURN(input->type == DataType::kInt8 || input->type == DataType::kInt16 ||
                         input->type == DataType::kUInt8,
                     "input '%s' has type %s; expected int8, int16 or uint8", input->name,
                     DataTypeName(input->type));
  TV_CHECK_OR_RETURN(output->type == DataType::kFloat32,
                     "output '%s' has type %s; expected float32", output->name,
                     DataTypeName(output->type));
  TV_RETURN_IF_ERROR(CheckSameShape(*input, *output));
  TV_RETURN_IF_ERROR(RequireQuantized(*input, "input"));
  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->size = input->shape.NumElements();
  d->scale = static_cast<double>(input->quant.scale);
  d->zero_point = input->quant.zero_point;
  return Status::Ok();
}

template <typename T>
void Dequantize(const OpData& d, const T* in, float* out) {
  for (int64_t i = 0; i < d.size; ++i) {
    // int32 difference, wrapping as TFLM's does on hostile zero points.
    const int32_t diff = WrapSub(static_cast<int32_t>(in[i]), d.zero_point);
    out[i] = static_cast<float>(d.scale * static_cast<double>(diff));
  }
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor* input = ctx.input(0);
  float* out = ctx.output(0)->As<float>();
  switch (input->type) {
    case DataType::kInt8:
      Dequantize(d, input->As<int8_t>(), out);
      return Status::Ok();
    case DataType::kInt16:
      Dequantize(d, input->As<int16_t>(), out);
      return Status::Ok();
    case DataType::kUInt8:
      Dequantize(d, input->As<uint8_t>(), out);
      return Status::Ok();
    default:
      return Status::Error("unsupported input type %s", DataTypeName(input->type));
  }
}

}  // namespace

const KernelRegistration kDequantizeRegistration = {op::kDequantize, 1, 6, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
