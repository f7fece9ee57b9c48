// RELU6: float32, int8, int16. tflm-int8-arithmetic.md §14: the quantized path does NOT
// requantize — the output is assumed to share the input's quantization, and values are clamped
// to [zI, Q(6)] with Q(6) = clamp(round(6 / sI) + zI, type range) (TFLM FloatToQuantizedType).
#include <cmath>
#include <limits>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/elementwise_common.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

struct OpData {
  int64_t size = 0;
  int32_t zero = 0;  // lower bound: the input zero point
  int32_t six = 0;   // upper bound: 6.0 quantized with the input parameters
};

// FloatToQuantizedType<T>(6.0f, scale, zp): round(6/scale) + zp converted to int32 (an
// out-of-range conversion yields INT32_MIN on x86, emulated here), then clamped to T's range.
int32_t QuantizedSix(float scale, int32_t zero_point, int32_t qmin, int32_t qmax) {
  const double v = std::round(static_cast<double>(6.0f / scale)) + zero_point;
  int32_t r = std::numeric_limits<int32_t>::min();
  if (v >= -2147483648.0 && v < 2147483648.0) r = static_cast<int32_t>(v);
  return qm::Clamp(r, qmin, qmax);
}

Status Prepare(KernelContext& ctx) {
  const Tensor* input = nullptr;
  Tensor* output = nullptr;
  TV_RETURN_IF_ERROR(GetUnaryOperands(ctx, &input, &output));
  TV_CHECK_OR_RETURN(input->type == DataType::kFloat32 || input->type == DataType::kInt8 ||
                         input->type == DataType::kInt16,
                     "input '%s' has type %s; expected float32, int8 or int16", input->name,
                     DataTypeName(input->type));
  TV_CHECK_OR_RETURN(output->type == input->type, "output '%s' has type %s; expected %s",
                     output->name, DataTypeName(output->type), DataTypeName(input->type));
  TV_RETURN_IF_ERROR(CheckSameShape(*input, *output));
  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->size = input->shape.NumElements();
  if (input->type == DataType::kFloat32) return Status::Ok();
  TV_RETURN_IF_ERROR(RequireQuantized(*input, "input"));
  int32_t qmin, qmax;
  qm::QuantizedTypeRange(input->type, &qmin, &qmax);
  TV_CHECK_OR_RETURN(input->quant.zero_point >= qmin && input->quant.zero_point <= qmax,
                     "input '%s' zero point %d is outside the %s range", input->name,
                     input->quant.zero_point, DataTypeName(input->type));
  d->zero = input->quant.zero_point;
  d->six = QuantizedSix(input->quant.scale, input->quant.zero_point, qmin, qmax);
  return Status::Ok();
}

template <typename T>
void EvalQuantized(const OpData& d, const T* in, T* out) {
  const T lower = static_cast<T>(d.zero);
  const T upper = static_cast<T>(d.six);
  for (int64_t i = 0; i < d.size; ++i) {
    const T v = in[i];
    out[i] = v > upper ? upper : (v < lower ? lower : v);  // TFLM's order of tests
  }
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  switch (input->type) {
    case DataType::kFloat32: {
      const float* in = input->As<float>();
      float* out = output->As<float>();
      for (int64_t i = 0; i < d.size; ++i) {
        const float v = in[i];
        out[i] = v > 6.0f ? 6.0f : (v < 0.0f ? 0.0f : v);
      }
      return Status::Ok();
    }
    case DataType::kInt8:
      EvalQuantized(d, input->As<int8_t>(), output->As<int8_t>());
      return Status::Ok();
    case DataType::kInt16:
      EvalQuantized(d, input->As<int16_t>(), output->As<int16_t>());
      return Status::Ok();
    default:
      return Status::Error("unsupported type %s", DataTypeName(input->type));
  }
}

}  // namespace

const KernelRegistration kRelu6Registration = {op::kRelu6, 1, 3, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
