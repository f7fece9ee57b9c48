// SVDF: float32, and TFLM's "full integer" SVDF: int8 input/output, int8 feature weights,
// int16 (or int8) time weights and activation state, int32 bias. The activation state is a
// variable tensor [batch, filters * memory] that persists across invokes.
// Arithmetic: tflm-int8-arithmetic.md §16 (svdf.cc, svdf_common.cc).
#include <cmath>
#include <cstring>
#include <limits>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

enum { kInput = 0, kWeightsFeature = 1, kWeightsTime = 2, kBias = 3, kState = 4 };

struct OpData {
  int32_t batch = 0, input_size = 0, filters = 0, units = 0, memory = 0, rank = 0;
  int activation = 0;  // float path only; the integer path ignores it (as TFLM)
  int32_t m1 = 0, m2 = 0;
  int sh1 = 0, sh2 = 0;
  int32_t input_zp = 0, output_zp = 0, state_zp = 0;
  int scratch = 0;      // [batch, filters] int32/float
  int scratch_out = 0;  // [batch, units] int32
};

inline int32_t WrapAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
inline int32_t WrapMul(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b));
}

Status CheckShape2(const Tensor& t, int32_t d0, int32_t d1, const char* what) {
  TV_CHECK_OR_RETURN(t.shape.rank == 2 && t.shape.dims[0] == d0 && t.shape.dims[1] == d1,
                     "%s '%s' must have shape [%d, %d]", what, t.name, d0, d1);
  return Status::Ok();
}

Status PrepareInt8(const Tensor& input, const Tensor& wf, const Tensor& wt, const Tensor* bias,
                   const Tensor& state, const Tensor& output, OpData* d) {
  TV_CHECK_OR_RETURN(wf.type == DataType::kInt8, "weights_feature '%s' has type %s; expected int8",
                     wf.name, DataTypeName(wf.type));
  TV_CHECK_OR_RETURN(wt.type == DataType::kInt16 || wt.type == DataType::kInt8,
                     "weights_time '%s' has type %s; expected int16 or int8", wt.name,
                     DataTypeName(wt.type));
  TV_CHECK_OR_RETURN(state.type == wt.type,
                     "activation state '%s' has type %s; it must match weights_time (%s)",
                     state.name, DataTypeName(state.type), DataTypeName(wt.type));
  TV_CHECK_OR_RETURN(output.type == DataType::kInt8, "output '%s' has type %s; expected int8",
                     output.name, DataTypeName(output.type));
  // TFLM's int8 Prepare reads the bias scale unconditionally.
  TV_CHECK_OR_RETURN(bias != nullptr, "the int8 SVDF needs a bias tensor (TFLM requires it)");
  TV_CHECK_OR_RETURN(bias->type == DataType::kInt32, "bias '%s' has type %s; expected int32",
                     bias->name, DataTypeName(bias->type));
  TV_CHECK_OR_RETURN(input.quant.quantized && wf.quant.quantized && wt.quant.quantized &&
                         state.quant.quantized && output.quant.quantized,
                     "int8 SVDF needs scale/zero point on input, weights, state and output");
  TV_CHECK_OR_RETURN(state.quant.scale > 0.0f && output.quant.scale > 0.0f,
                     "state and output scales must be positive");
  // Real multipliers in float32, widened (§16, §18 item 3).
  const float e1 = input.quant.scale * wf.quant.scale / state.quant.scale;
  const float time_product = state.quant.scale * wt.quant.scale;
  const float e2 = time_product / output.quant.scale;
  const double bias_diff =
      static_cast<double>(bias->quant.scale) - static_cast<double>(time_product);
  TV_CHECK_OR_RETURN(std::fabs(bias_diff) < 1e-5,
                     "bias scale %g must equal state scale x weights_time scale (%g)",
                     static_cast<double>(bias->quant.scale), static_cast<double>(time_product));
  TV_CHECK_OR_RETURN(std::isfinite(e1) && std::isfinite(e2), "invalid effective scales");
  qm::QuantizeMultiplier(static_cast<double>(e1), &d->m1, &d->sh1);
  qm::QuantizeMultiplier(static_cast<double>(e2), &d->m2, &d->sh2);
  TV_CHECK_OR_RETURN(d->sh1 <= 30 && d->sh2 <= 30, "effective scales are out of range");
  d->input_zp = input.quant.zero_point;
  d->output_zp = output.quant.zero_point;
  d->state_zp = state.quant.zero_point;
  int32_t smin, smax;
  qm::QuantizedTypeRange(state.type, &smin, &smax);
  TV_CHECK_OR_RETURN(d->input_zp >= -128 && d->input_zp <= 127 && d->output_zp >= -128 &&
                         d->output_zp <= 127 && d->state_zp >= smin && d->state_zp <= smax,
                     "zero points of input, output and state must lie in their type ranges");
  return Status::Ok();
}

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 5 && ctx.num_outputs() == 1,
                     "expects 5 inputs (bias may be omitted) and 1 output, got %d and %d",
                     ctx.num_inputs(), ctx.num_outputs());
  const Tensor* input = ctx.input(kInput);
  const Tensor* wf = ctx.input(kWeightsFeature);
  const Tensor* wt = ctx.input(kWeightsTime);
  const Tensor* bias = ctx.input(kBias);
  const Tensor* state = ctx.input(kState);
  const Tensor* output = ctx.output(0);
  TV_CHECK_OR_RETURN(input && wf && wt && state && output,
                     "input, weights_feature, weights_time and activation state are required");
  const auto opts = OptionsOrZero<tflite::SVDFOptionsT>(ctx.op()->builtin_options_as_SVDFOptions());
  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->rank = opts.rank;
  d->activation = static_cast<int>(opts.fused_activation_function);
  TV_CHECK_OR_RETURN(d->rank > 0, "rank must be positive, got %d", d->rank);
  TV_CHECK_OR_RETURN(input->shape.rank == 2, "input '%s' must be 2-D, got rank %d", input->name,
                     input->shape.rank);
  TV_CHECK_OR_RETURN(wf->shape.rank == 2 && wt->shape.rank == 2,
                     "weights_feature and weights_time must be 2-D");
  d->batch = input->shape.dims[0];
  d->input_size = input->shape.dims[1];
  d->filters = wf->shape.dims[0];
  d->memory = wt->shape.dims[1];
  TV_CHECK_OR_RETURN(d->batch > 0 && d->input_size > 0 && d->filters > 0 && d->memory > 0,
                     "SVDF dimensions must be positive");
  TV_CHECK_OR_RETURN(d->filters % d->rank == 0, "%d filters are not divisible by rank %d",
                     d->filters, d->rank);
  d->units = d->filters / d->rank;
  TV_RETURN_IF_ERROR(CheckShape2(*wf, d->filters, d->input_size, "weights_feature"));
  TV_RETURN_IF_ERROR(CheckShape2(*wt, d->filters, d->memory, "weights_time"));
  TV_RETURN_IF_ERROR(CheckShape2(*output, d->batch, d->units, "output"));
  const int64_t state_cols = int64_t{d->filters} * d->memory;
  TV_CHECK_OR_RETURN(state->shape.rank == 2 && state->shape.dims[0] == d->batch &&
                         state->shape.dims[1] == state_cols,
                     "activation state '%s' must have shape [%d, %lld]", state->name, d->batch,
                     static_cast<long long>(state_cols));
  TV_CHECK_OR_RETURN(state->is_variable, "activation state '%s' must be a variable tensor",
                     state->name);
  if (bias) {
    TV_CHECK_OR_RETURN(bias->shape.rank == 1 && bias->shape.dims[0] == d->units,
                       "bias '%s' must have shape [%d]", bias->name, d->units);
  }
  const size_t bf = static_cast<size_t>(d->batch) * static_cast<size_t>(d->filters);
  if (input->type == DataType::kInt8) {
    TV_RETURN_IF_ERROR(PrepareInt8(*input, *wf, *wt, bias, *state, *output, d));
    TV_RETURN_IF_ERROR(ctx.RequestScratch(bf * sizeof(int32_t), &d->scratch));
    TV_RETURN_IF_ERROR(ctx.RequestScratch(
        static_cast<size_t>(d->batch) * static_cast<size_t>(d->units) * sizeof(int32_t),
        &d->scratch_out));
  } else if (input->type == DataType::kFloat32) {
    TV_CHECK_OR_RETURN(wf->type == DataType::kFloat32 && wt->type == DataType::kFloat32 &&
                           state->type == DataType::kFloat32 &&
                           output->type == DataType::kFloat32 &&
                           (!bias || bias->type == DataType::kFloat32),
                       "float SVDF needs float32 weights, bias, state and output");
    TV_CHECK_OR_RETURN(d->activation >= 0 && d->activation <= 5,
                       "fused activation %d is not supported", d->activation);
    TV_RETURN_IF_ERROR(ctx.RequestScratch(bf * sizeof(float), &d->scratch));
  } else {
    return Status::Error("input '%s' has type %s; expected int8 or float32", input->name,
                         DataTypeName(input->type));
  }
  ctx.node().macs = static_cast<int64_t>(bf) * (d->input_size + d->memory);
  return Status::Ok();
}

// Drop the oldest entry: the whole [batch, filters, memory] buffer moves left by one element.
template <typename T>
void ShiftState(const OpData& d, T* state) {
  const size_t n = static_cast<size_t>(d.batch) * d.filters * d.memory;
  std::memmove(state, state + 1, (n - 1) * sizeof(T));
}

template <typename T>
void EvalInteger(const OpData& d, const int8_t* x, const int8_t* wf, const T* wt,
                 const int32_t* bias, T* state, int32_t* scratch, int32_t* scratch_out,
                 int8_t* out) {
  ShiftState(d, state);
  const int32_t tmin = std::numeric_limits<T>::min(), tmax = std::numeric_limits<T>::max();
  const int64_t fm = int64_t{d.filters} * d.memory;
  // Feature projection into the newest state column: clamp to T, THEN add the state zero
  // point and narrow (TFLM order; an int8 state may wrap).
  for (int32_t b = 0; b < d.batch; ++b) {
    const int8_t* xb = x + int64_t{b} * d.input_size;
    for (int32_t f = 0; f < d.filters; ++f) {
      const int8_t* w = wf + int64_t{f} * d.input_size;
      int32_t dot = 0;
      for (int32_t c = 0; c < d.input_size; ++c)
        dot = WrapAdd(dot, WrapMul(w[c], xb[c] - d.input_zp));
      dot = qm::Clamp(qm::MBQM(dot, d.m1, d.sh1), tmin, tmax);
      state[b * fm + int64_t{f} * d.memory + d.memory - 1] = static_cast<T>(d.state_zp + dot);
    }
  }
  // Time weights: one dot product per (batch, filter) over the memory.
  for (int32_t b = 0; b < d.batch; ++b) {
    for (int32_t f = 0; f < d.filters; ++f) {
      const T* w = wt + int64_t{f} * d.memory;
      const T* s = state + b * fm + int64_t{f} * d.memory;
      int32_t acc = 0;
      for (int32_t j = 0; j < d.memory; ++j) acc = WrapAdd(acc, WrapMul(w[j], s[j] - d.state_zp));
      scratch[int64_t{b} * d.filters + f] = acc;
    }
  }
  // Bias, rank reduction, requantization (no fused activation in the integer path).
  for (int32_t b = 0; b < d.batch; ++b) {
    for (int32_t u = 0; u < d.units; ++u) {
      int32_t acc = bias ? bias[u] : 0;
      const int32_t* s = scratch + int64_t{b} * d.filters + int64_t{u} * d.rank;
      for (int32_t r = 0; r < d.rank; ++r) acc = WrapAdd(acc, s[r]);
      scratch_out[int64_t{b} * d.units + u] = acc;
    }
  }
  const int64_t n = int64_t{d.batch} * d.units;
  for (int64_t i = 0; i < n; ++i) {
    const int32_t v = qm::MBQM(scratch_out[i], d.m2, d.sh2) + d.output_zp;
    out[i] = static_cast<int8_t>(qm::Clamp(v, -128, 127));
  }
}

// TFLM ActivationValFloat; TfLiteMax/TfLiteMin are std::fmax/std::fmin in the default build.
float ActivationValFloat(int act, float a) {
  switch (act) {
    case 1:
      return std::fmax(0.0f, a);  // RELU
    case 2:
      return std::fmax(-1.0f, std::fmin(a, 1.0f));  // RELU_N1_TO_1
    case 3:
      return std::fmax(0.0f, std::fmin(a, 6.0f));  // RELU6
    case 4:
      return std::tanh(a);  // TANH
    case 5:
      return std::signbit(a) ? 1.0f : 0.0f;  // SIGN_BIT
    default:
      return a;  // NONE
  }
}

void EvalFloat(const OpData& d, const float* x, const float* wf, const float* wt, const float* bias,
               float* state, float* scratch, float* out) {
  ShiftState(d, state);
  const int64_t fm = int64_t{d.filters} * d.memory;
  for (int32_t b = 0; b < d.batch; ++b) {
    const float* xb = x + int64_t{b} * d.input_size;
    for (int32_t f = 0; f < d.filters; ++f) {
      const float* w = wf + int64_t{f} * d.input_size;
      float dot = 0.0f;
      for (int32_t k = 0; k < d.input_size; ++k) dot += w[k] * xb[k];
      state[b * fm + int64_t{f} * d.memory + d.memory - 1] = dot;
    }
  }
  for (int32_t b = 0; b < d.batch; ++b) {
    for (int32_t f = 0; f < d.filters; ++f) {
      const float* w = wt + int64_t{f} * d.memory;
      const float* s = state + b * fm + int64_t{f} * d.memory;
      float acc = 0.0f;
      for (int32_t j = 0; j < d.memory; ++j) acc += w[j] * s[j];
      scratch[int64_t{b} * d.filters + f] = acc;
    }
  }
  for (int32_t b = 0; b < d.batch; ++b) {
    for (int32_t u = 0; u < d.units; ++u) {
      float acc = bias ? bias[u] : 0.0f;
      const float* s = scratch + int64_t{b} * d.filters + int64_t{u} * d.rank;
      for (int32_t r = 0; r < d.rank; ++r) acc += s[r];
      out[int64_t{b} * d.units + u] = ActivationValFloat(d.activation, acc);
    }
  }
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Tensor* input = ctx.input(kInput);
  const Tensor* wt = ctx.input(kWeightsTime);
  const Tensor* bias = ctx.input(kBias);
  Tensor* state = ctx.input(kState);
  Tensor* output = ctx.output(0);
  const int8_t* wf8 = ctx.input(kWeightsFeature)->As<int8_t>();
  if (input->type == DataType::kFloat32) {
    EvalFloat(d, input->As<float>(), ctx.input(kWeightsFeature)->As<float>(), wt->As<float>(),
              bias ? bias->As<float>() : nullptr, state->As<float>(),
              reinterpret_cast<float*>(ctx.scratch(d.scratch)), output->As<float>());
    return Status::Ok();
  }
  const int32_t* b32 = bias ? bias->As<int32_t>() : nullptr;
  int32_t* s1 = reinterpret_cast<int32_t*>(ctx.scratch(d.scratch));
  int32_t* s2 = reinterpret_cast<int32_t*>(ctx.scratch(d.scratch_out));
  if (wt->type == DataType::kInt16) {
    EvalInteger<int16_t>(d, input->As<int8_t>(), wf8, wt->As<int16_t>(), b32, state->As<int16_t>(),
                         s1, s2, output->As<int8_t>());
  } else {
    EvalInteger<int8_t>(d, input->As<int8_t>(), wf8, wt->As<int8_t>(), b32, state->As<int8_t>(), s1,
                        s2, output->As<int8_t>());
  }
  return Status::Ok();
}

}  // namespace

const KernelRegistration kSvdfRegistration = {op::kSvdf, 1, 4, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
