// CONCATENATION: float32, int8, int16, int32, int64, bool; pure copy
// (tflm-int8-arithmetic.md §14). TFLM rules (concatenation.cc): 1..10 inputs of one type
// equal to the output type, rank ≤ 6, fused activation NONE, negative axis += output rank;
// int8 inputs must carry exactly the output's scale and zero point (TFLM never requantizes
// here) and int16 inputs and output must have zero point 0.
#include "emulator/builtin_ops.h"
#include "emulator/kernels/copy_common.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

constexpr int kMaxInputs = 10;
constexpr int kMaxRank = 6;

struct OpData {
  int64_t outer = 1;               // product of dims before the axis
  int64_t chunk[kMaxInputs] = {};  // bytes of input i per outer index
};

bool SupportedType(DataType t) {
  return t == DataType::kFloat32 || t == DataType::kInt8 || t == DataType::kInt16 ||
         t == DataType::kInt32 || t == DataType::kInt64 || t == DataType::kBool;
}

Status Prepare(KernelContext& ctx) {
  const int n = ctx.num_inputs();
  TV_CHECK_OR_RETURN(n >= 1 && n <= kMaxInputs, "expects 1 to %d inputs, got %d", kMaxInputs, n);
  TV_CHECK_OR_RETURN(ctx.num_outputs() == 1, "expects 1 output, got %d", ctx.num_outputs());
  Tensor* output = nullptr;
  TV_RETURN_IF_ERROR(copy::RequireOutput(ctx, 0, &output));
  const auto opts = OptionsOrZero<tflite::ConcatenationOptionsT>(
      ctx.op()->builtin_options_as_ConcatenationOptions());
  TV_CHECK_OR_RETURN(opts.fused_activation_function == tflite::ActivationFunctionType::NONE,
                     "fused activation %d is not supported (TFLM requires NONE)",
                     static_cast<int>(opts.fused_activation_function));
  TV_CHECK_OR_RETURN(SupportedType(output->type),
                     "output '%s' has type %s; expected float32, int8, int16, int32, int64 or "
                     "bool",
                     output->name, DataTypeName(output->type));
  const int rank = output->shape.rank;
  TV_CHECK_OR_RETURN(rank <= kMaxRank, "output '%s' has rank %d; at most %d supported",
                     output->name, rank, kMaxRank);
  const int64_t axis = opts.axis < 0 ? int64_t{opts.axis} + rank : opts.axis;
  TV_CHECK_OR_RETURN(axis >= 0 && axis < rank, "axis %d is out of range for rank %d", opts.axis,
                     rank);
  if (output->type == DataType::kInt16) {
    TV_CHECK_OR_RETURN(output->quant.zero_point == 0,
                       "int16 output '%s' must have zero point 0, has %d", output->name,
                       output->quant.zero_point);
  }

  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->outer = copy::DimProduct(output->shape, 0, static_cast<int>(axis));
  const int64_t inner = copy::DimProduct(output->shape, static_cast<int>(axis) + 1, rank);
  const size_t elem = DataTypeSize(output->type);
  int64_t axis_sum = 0;
  char a[96], b[96];
  for (int i = 0; i < n; ++i) {
    const Tensor* in = nullptr;
    TV_RETURN_IF_ERROR(copy::RequireInput(ctx, i, "input", &in));
    TV_RETURN_IF_ERROR(copy::RequireSameType(*output, *in));
    bool same = in->shape.rank == rank;
    for (int k = 0; same && k < rank; ++k)
      same = k == axis || in->shape.dims[k] == output->shape.dims[k];
    TV_CHECK_OR_RETURN(same, "input '%s' %s does not match output '%s' %s outside axis %lld",
                       in->name, copy::ShapeStr(in->shape, a, sizeof(a)), output->name,
                       copy::ShapeStr(output->shape, b, sizeof(b)), static_cast<long long>(axis));
    if (in->type == DataType::kInt8) {
      TV_CHECK_OR_RETURN(in->quant.scale == output->quant.scale &&
                             in->quant.zero_point == output->quant.zero_point,
                         "int8 input '%s' (scale %g, zero point %d) must have the output's scale "
                         "%g and zero point %d (TFLM does not requantize in CONCATENATION)",
                         in->name, static_cast<double>(in->quant.scale), in->quant.zero_point,
                         static_cast<double>(output->quant.scale), output->quant.zero_point);
    } else if (in->type == DataType::kInt16) {
      TV_CHECK_OR_RETURN(in->quant.zero_point == 0,
                         "int16 input '%s' must have zero point 0, has %d", in->name,
                         in->quant.zero_point);
    }
    axis_sum += in->shape.dims[axis];
    d->chunk[i] = int64_t{in->shape.dims[axis]} * inner * static_cast<int64_t>(elem);
  }
  TV_CHECK_OR_RETURN(axis_sum == output->shape.dims[axis],
                     "output '%s' has %d entries on axis %lld but the inputs add up to %lld",
                     output->name, output->shape.dims[axis], static_cast<long long>(axis),
                     static_cast<long long>(axis_sum));
  return Status::Ok();
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  uint8_t* out = ctx.output(0)->data;
  const int n = ctx.num_inputs();
  for (int64_t k = 0; k < d.outer; ++k) {
    for (int i = 0; i < n; ++i) {
      copy::CopyElements(out, ctx.input(i)->data + k * d.chunk[i], 1,
                         static_cast<size_t>(d.chunk[i]));
      out += d.chunk[i];
    }
  }
  return Status::Ok();
}

}  // namespace

const KernelRegistration kConcatenationRegistration = {
    op::kConcatenation, 1, 4, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
