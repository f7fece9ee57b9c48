// MEAN: float32, int8, int16 over a constant int32 axes tensor, with keep_dims.
// Arithmetic: tflm-int8-arithmetic.md §13.1 (TFLM reference_ops::QuantizedMeanOrSum):
//   (M0, s0) = QuantizeMultiplier(sI / sO); N = elements per output;
//   k = min(floor(log2 N), 32, 31 + s0); M = (M0 << k) / N (truncating); s = s0 - k;
//   out = clamp(MBQM((int32)(sum - zI * N), M, s) + zO).
// Float: running float sum in input row-major order, then / (float)N.
#include <limits>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/elementwise_common.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

struct OpData {
  int32_t rank = 0;
  int32_t dims[kMaxDims] = {0};
  int64_t out_stride[kMaxDims] = {0};  // output stride per input axis, 0 on reduced axes
  int64_t input_size = 0;
  int64_t output_size = 0;
  int64_t n = 0;  // input elements folded into each output
  int32_t input_zero_point = 0, output_zero_point = 0;
  int32_t multiplier = 0;  // with 1/N folded in
  int shift = 0;
  int scratch = -1;  // int32 accumulators (quantized only)
};

int FloorLog2(uint64_t n) {
  int r = 0;
  while (n >>= 1) ++r;
  return r;
}

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 2 && ctx.num_outputs() == 1,
                     "expects 2 inputs (input, axes) and 1 output, got %d and %d", ctx.num_inputs(),
                     ctx.num_outputs());
  const Tensor* input = ctx.input(0);
  const Tensor* axes = ctx.input(1);
  const Tensor* output = ctx.output(0);
  TV_CHECK_OR_RETURN(input && axes && output, "input, axes and output are required");
  TV_CHECK_OR_RETURN(input->type == DataType::kFloat32 || input->type == DataType::kInt8 ||
                         input->type == DataType::kInt16,
                     "input '%s' has type %s; expected float32, int8 or int16", input->name,
                     DataTypeName(input->type));
  TV_CHECK_OR_RETURN(output->type == input->type, "output '%s' has type %s; expected %s",
                     output->name, DataTypeName(output->type), DataTypeName(input->type));
  TV_CHECK_OR_RETURN(axes->type == DataType::kInt32, "axes '%s' has type %s; expected int32",
                     axes->name, DataTypeName(axes->type));
  TV_CHECK_OR_RETURN(axes->is_constant && axes->data != nullptr,
                     "axes '%s' must be a constant tensor", axes->name);
  const auto opts =
      OptionsOrZero<tflite::ReducerOptionsT>(ctx.op()->builtin_options_as_ReducerOptions());

  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  const int32_t rank = input->shape.rank;
  d->rank = rank;
  bool reduced[kMaxDims] = {false};
  // Axes: negative += rank, duplicates dropped; a scalar input ignores them (TFLM ResolveAxis).
  if (rank > 0) {
    const int64_t count = axes->shape.NumElements();
    const int32_t* axis = axes->As<int32_t>();
    for (int64_t i = 0; i < count; ++i) {
      const int32_t a = axis[i] < 0 ? axis[i] + rank : axis[i];
      TV_CHECK_OR_RETURN(a >= 0 && a < rank, "axis %d is out of range for input '%s' of rank %d",
                         axis[i], input->name, rank);
      reduced[a] = true;
    }
  }
  // Expected output shape; the element order is row-major over the kept axes either way.
  Shape expected;
  int64_t n = 1;
  for (int32_t i = 0; i < rank; ++i) {
    d->dims[i] = input->shape.dims[i];
    if (reduced[i]) {
      n *= input->shape.dims[i];
      if (opts.keep_dims) expected.dims[expected.rank++] = 1;
    } else {
      expected.dims[expected.rank++] = input->shape.dims[i];
    }
  }
  TV_CHECK_OR_RETURN(output->shape.NumElements() == expected.NumElements(),
                     "output '%s' has %lld elements; MEAN over the given axes gives %lld",
                     output->name, static_cast<long long>(output->shape.NumElements()),
                     static_cast<long long>(expected.NumElements()));
  TV_CHECK_OR_RETURN(!opts.keep_dims || output->shape == expected,
                     "output '%s' must keep the input's rank %d (keep_dims is set)", output->name,
                     rank);
  int64_t stride = 1;
  for (int32_t i = rank - 1; i >= 0; --i) {
    d->out_stride[i] = reduced[i] ? 0 : stride;
    if (!reduced[i]) stride *= input->shape.dims[i];
  }
  d->input_size = input->shape.NumElements();
  d->output_size = output->shape.NumElements();
  d->n = n;
  ctx.node().macs = d->input_size;
  if (input->type == DataType::kFloat32) return Status::Ok();

  TV_RETURN_IF_ERROR(RequireQuantized(*input, "input"));
  TV_RETURN_IF_ERROR(RequireQuantized(*output, "output"));
  d->input_zero_point = input->quant.zero_point;
  d->output_zero_point = output->quant.zero_point;
  int32_t m0 = 0;
  int s0 = 0;
  qm::QuantizeMultiplier(
      static_cast<double>(input->quant.scale) / static_cast<double>(output->quant.scale), &m0, &s0);
  d->multiplier = m0;
  d->shift = s0;
  if (n > 0) {
    // Fold 1/N into the multiplier (§13.1, trap §18.8). s0 >= -31 after QuantizeMultiplier, so
    // k >= 0; M0 < 2^31 and k <= 32 keep the shift inside int64.
    int k = FloorLog2(static_cast<uint64_t>(n));
    if (k > 32) k = 32;
    if (k > 31 + s0) k = 31 + s0;
    d->multiplier = static_cast<int32_t>((static_cast<int64_t>(m0) << k) / n);
    d->shift = s0 - k;
  }
  TV_RETURN_IF_ERROR(CheckShift(d->shift, "output multiplier"));
  TV_RETURN_IF_ERROR(ctx.RequestScratch(
      static_cast<size_t>(d->output_size > 0 ? d->output_size : 1) * sizeof(int32_t), &d->scratch));
  return Status::Ok();
}

// Calls f(input_index, output_index) over the input in row-major order.
template <typename F>
void ForEachInput(const OpData& d, F&& f) {
  if (d.input_size == 0) return;
  int32_t idx[kMaxDims] = {0};
  int64_t o = 0;
  for (int64_t i = 0; i < d.input_size; ++i) {
    f(i, o);
    for (int32_t a = d.rank - 1; a >= 0; --a) {  // odometer step
      o += d.out_stride[a];
      if (++idx[a] < d.dims[a]) break;
      o -= d.out_stride[a] * d.dims[a];
      idx[a] = 0;
    }
  }
}

template <typename T>
void EvalQuantized(const OpData& d, const T* in, int32_t* sums, T* out) {
  for (int64_t o = 0; o < d.output_size; ++o) {
    sums[o] = 0;
    out[o] = 0;  // TFLM's value when N == 0 (T(), not the zero point)
  }
  if (d.n == 0 || d.input_size == 0) return;
  ForEachInput(d, [&](int64_t i, int64_t o) { sums[o] = WrapAdd(sums[o], in[i]); });
  const int32_t lo = std::numeric_limits<T>::min();
  const int32_t hi = std::numeric_limits<T>::max();
  // sum - zI * N in int64, truncated to int32 as TFLM's static_cast<int32_t> does.
  const int64_t offset = WrapMul64(d.input_zero_point, d.n);
  for (int64_t o = 0; o < d.output_size; ++o) {
    const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(WrapSub64(sums[o], offset)));
    const int32_t v = WrapAdd(qm::MBQM(shifted, d.multiplier, d.shift), d.output_zero_point);
    out[o] = static_cast<T>(qm::Clamp(v, lo, hi));
  }
}

void EvalFloat(const OpData& d, const float* in, float* out) {
  for (int64_t o = 0; o < d.output_size; ++o) out[o] = 0.0f;
  if (d.n == 0) return;
  ForEachInput(d, [&](int64_t i, int64_t o) { out[o] += in[i]; });
  const float count = static_cast<float>(d.n);
  for (int64_t o = 0; o < d.output_size; ++o) out[o] = out[o] / count;
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  switch (input->type) {
    case DataType::kFloat32:
      EvalFloat(d, input->As<float>(), output->As<float>());
      return Status::Ok();
    case DataType::kInt8:
      EvalQuantized(d, input->As<int8_t>(), reinterpret_cast<int32_t*>(ctx.scratch(d.scratch)),
                    output->As<int8_t>());
      return Status::Ok();
    case DataType::kInt16:
      EvalQuantized(d, input->As<int16_t>(), reinterpret_cast<int32_t*>(ctx.scratch(d.scratch)),
                    output->As<int16_t>());
      return Status::Ok();
    default:
      return Status::Error("unsupported type %s", DataTypeName(input->type));
  }
}

}  // namespace

const KernelRegistration kMeanRegistration = {op::kMean, 1, 3, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
