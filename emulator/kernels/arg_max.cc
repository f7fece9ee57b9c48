// ARG_MAX: float32 or int8 input, int32 axis, int32 output (the combinations TFLM's
// arg_min_max.cc handles). Per (outer, inner) position a later element replaces the running
// best only if strictly greater (TFLM's std::greater loop): ties keep the first index, a NaN
// never wins, and a NaN in first position is never replaced. The axis may be a runtime input
// (TFLM reads it at Eval), so it is validated at every Eval as well.
#include "emulator/builtin_ops.h"
#include "emulator/kernels/copy_common.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

// Validates `axis_value` against the shapes and returns outer/axis/inner sizes.
Status Geometry(const Tensor& input, const Tensor& output, int32_t axis_value, int64_t* outer,
                int32_t* axis_size, int64_t* inner) {
  const int rank = input.shape.rank;
  const int64_t axis = axis_value < 0 ? int64_t{axis_value} + rank : axis_value;
  TV_CHECK_OR_RETURN(axis >= 0 && axis < rank, "axis %d is out of range for input '%s' (rank %d)",
                     axis_value, input.name, rank);
  Shape expected;
  for (int i = 0; i < rank; ++i) {
    if (i != axis) expected.dims[expected.rank++] = input.shape.dims[i];
  }
  TV_RETURN_IF_ERROR(copy::RequireShape(output, expected));
  *outer = copy::DimProduct(input.shape, 0, static_cast<int>(axis));
  *axis_size = input.shape.dims[axis];
  *inner = copy::DimProduct(input.shape, static_cast<int>(axis) + 1, rank);
  return Status::Ok();
}

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 2 && ctx.num_outputs() == 1,
                     "expects 2 inputs and 1 output, got %d and %d", ctx.num_inputs(),
                     ctx.num_outputs());
  const Tensor *input = nullptr, *axis_t = nullptr;
  Tensor* output = nullptr;
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 0, "input", &input));
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 1, "axis", &axis_t));
  TV_RETURN_IF_ERROR(copy::RequireOutput(ctx, 0, &output));
  TV_CHECK_OR_RETURN(input->type == DataType::kFloat32 || input->type == DataType::kInt8,
                     "input '%s' has type %s; expected float32 or int8", input->name,
                     DataTypeName(input->type));
  TV_CHECK_OR_RETURN(axis_t->type == DataType::kInt32, "axis '%s' has type %s; expected int32",
                     axis_t->name, DataTypeName(axis_t->type));
  TV_CHECK_OR_RETURN(axis_t->shape.NumElements() >= 1, "axis '%s' is empty", axis_t->name);
  TV_CHECK_OR_RETURN(output->type == DataType::kInt32,
                     "output '%s' has type %s; TFLM supports int32 output only", output->name,
                     DataTypeName(output->type));
  TV_CHECK_OR_RETURN(input->shape.rank >= 1, "input '%s' must have rank >= 1", input->name);
  if (axis_t->is_constant) {  // otherwise the axis is checked at every Eval
    int64_t outer = 0, inner = 0;
    int32_t n = 0;
    TV_RETURN_IF_ERROR(Geometry(*input, *output, axis_t->As<int32_t>()[0], &outer, &n, &inner));
  }
  return Status::Ok();
}

template <typename T>
void ArgMax(const T* in, int64_t outer, int32_t n, int64_t inner, int32_t* out) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const T* p = in + o * n * inner + i;
      T best = p[0];
      int32_t best_index = 0;
      for (int32_t k = 1; k < n; ++k) {
        if (p[k * inner] > best) {
          best = p[k * inner];
          best_index = k;
        }
      }
      out[o * inner + i] = best_index;
    }
  }
}

Status Eval(KernelContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  int64_t outer = 0, inner = 0;
  int32_t n = 0;
  TV_RETURN_IF_ERROR(Geometry(*input, *output, ctx.input(1)->As<int32_t>()[0], &outer, &n, &inner));
  TV_CHECK_OR_RETURN(n > 0 || outer * inner == 0, "axis of input '%s' is empty", input->name);
  if (input->type == DataType::kFloat32) {
    ArgMax(input->As<float>(), outer, n, inner, output->As<int32_t>());
  } else {
    ArgMax(input->As<int8_t>(), outer, n, inner, output->As<int32_t>());
  }
  return Status::Ok();
}

}  // namespace

const KernelRegistration kArgMaxRegistration = {op::kArgMax, 1, 3, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
