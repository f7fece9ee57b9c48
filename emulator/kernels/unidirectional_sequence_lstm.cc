// UNIDIRECTIONAL_SEQUENCE_LSTM: float32, int8 ("integer LSTM": int8 activations, int8 weights,
// int32 biases, int16 cell state) and int16 activations (int8 weights, int64 biases, int16 cell
// state), as TFLM's unidirectional_sequence_lstm.cc + lstm_eval*.cc. Only the standard
// (keras-style) LSTM is supported there: no CIFG, peephole, projection or layer norm.
// Arithmetic: tflm-int8-arithmetic.md §16 (gate FCs per §6.4, int16 LOGISTIC/TANH per §11).
#include <cmath>
#include <cstring>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/lstm_common.h"
#include "emulator/kernels/lstm_eval.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

using lstm::OpData;

// Model input slots of the per-gate weights and biases, indexed by lstm::Gate.
constexpr int kInputWeightSlot[lstm::kNumGates] = {
    lstm::kInputToForgetWeights, lstm::kInputToInputWeights, lstm::kInputToCellWeights,
    lstm::kInputToOutputWeights};
constexpr int kRecurrentWeightSlot[lstm::kNumGates] = {
    lstm::kRecurrentToForgetWeights, lstm::kRecurrentToInputWeights, lstm::kRecurrentToCellWeights,
    lstm::kRecurrentToOutputWeights};
constexpr int kBiasSlot[lstm::kNumGates] = {lstm::kForgetGateBias, lstm::kInputGateBias,
                                            lstm::kCellGateBias, lstm::kOutputGateBias};

// TFLM CheckedLog2: log2 in float via logf, rounded half away from zero; exact iff the
// fractional part is below 1e-3.
bool CheckedLog2(float x, int32_t* result) {
  const float l = std::log(x) * (1.0f / std::log(2.0f));
  const float r = std::round(l);
  *result = static_cast<int32_t>(r);
  return std::fabs(l - r) < 1e-3f;
}

Status CheckShape2(const Tensor& t, int32_t d0, int32_t d1, const char* what) {
  TV_CHECK_OR_RETURN(t.shape.rank == 2 && t.shape.dims[0] == d0 && t.shape.dims[1] == d1,
                     "%s '%s' must have shape [%d, %d]", what, t.name, d0, d1);
  return Status::Ok();
}

// Gate FC parameters as TFLM CreateGateParams: per-tensor FULLY_CONNECTED multiplier (§6.4:
// float32 product of the scales, widened) towards int16 output at scale 2^-12, zero point 0.
Status MakeFcParams(const Tensor& in, const Tensor& w, lstm::FcParams* p) {
  TV_CHECK_OR_RETURN(w.quant.quantized, "weights '%s' have no quantization parameters", w.name);
  TV_CHECK_OR_RETURN(w.quant.num_channels <= 1,
                     "weights '%s' are per-channel quantized; TFLM's LSTM supports per-tensor "
                     "weights only",
                     w.name);
  TV_CHECK_OR_RETURN(w.quant.scale > 0.0f && in.quant.scale > 0.0f,
                     "scales of '%s' and '%s' must be positive", in.name, w.name);
  const float gate_scale = 0.000244140625f;  // 2^-12 (Q3.12)
  const float product = in.quant.scale * w.quant.scale;
  qm::QuantizeMultiplier(static_cast<double>(product) / static_cast<double>(gate_scale),
                         &p->multiplier, &p->shift);
  // The 64-bit MBQM of int16 activations shifts by 15 - shift; the 32-bit one left-shifts.
  const int max_shift = in.type == DataType::kInt16 ? 14 : 30;
  TV_CHECK_OR_RETURN(std::isfinite(product) && p->shift <= max_shift,
                     "effective scale of '%s' x '%s' is out of range", in.name, w.name);
  int32_t lo, hi;
  qm::QuantizedTypeRange(in.type, &lo, &hi);
  TV_CHECK_OR_RETURN(in.quant.zero_point >= lo && in.quant.zero_point <= hi &&
                         w.quant.zero_point >= -128 && w.quant.zero_point <= 127,
                     "zero points of '%s' and '%s' must lie in their type ranges", in.name, w.name);
  p->input_offset = -in.quant.zero_point;
  p->weights_offset = -w.quant.zero_point;
  return Status::Ok();
}

// TFLM CreateInterGateMulParams (double arithmetic).
lstm::MulParams MakeMulParams(float s1, float s2, float so, DataType out_type, int32_t out_zp) {
  lstm::MulParams p;
  const double eff = static_cast<double>(s1) * static_cast<double>(s2) / static_cast<double>(so);
  qm::QuantizeMultiplier(eff, &p.multiplier, &p.shift);
  p.output_offset = out_zp;
  qm::QuantizedTypeRange(out_type, &p.act_min, &p.act_max);
  return p;
}

Status PrepareQuantized(KernelContext& ctx, const Tensor& input, const Tensor& hidden,
                        const Tensor& cell, DataType bias_type, OpData* d) {
  const bool int8 = input.type == DataType::kInt8;
  TV_CHECK_OR_RETURN(bias_type == (int8 ? DataType::kInt32 : DataType::kInt64),
                     "%s LSTM needs %s biases, got %s", DataTypeName(input.type),
                     int8 ? "int32" : "int64", DataTypeName(bias_type));
  TV_CHECK_OR_RETURN(cell.type == DataType::kInt16,
                     "cell state '%s' has type %s; the quantized LSTM needs int16", cell.name,
                     DataTypeName(cell.type));
  TV_CHECK_OR_RETURN(input.quant.quantized && hidden.quant.quantized && cell.quant.quantized,
                     "quantized LSTM needs scale/zero point on input, hidden and cell state");
  TV_CHECK_OR_RETURN(cell.quant.scale > 0.0f && hidden.quant.scale > 0.0f,
                     "cell/hidden state scales must be positive");
  // Cell scale must be a power of two (TFLM's CheckedLog2; the integer tanh assumes it).
  TV_CHECK_OR_RETURN(CheckedLog2(cell.quant.scale, &d->cell_scale_power),
                     "cell state '%s' scale %g is not a power of two", cell.name,
                     static_cast<double>(cell.quant.scale));
  // Keep the tanh input scaling (3 << L or >> -L, L = 12 + power) within int32 / shift range.
  TV_CHECK_OR_RETURN(d->cell_scale_power >= -43 && d->cell_scale_power <= 2,
                     "cell state scale 2^%d is out of the supported range [2^-43, 2^2]",
                     d->cell_scale_power);
  d->quantized_cell_clip = static_cast<int16_t>(
      std::fmin(std::fmax(static_cast<double>(d->cell_clip) / static_cast<double>(cell.quant.scale),
                          -32768.0),
                32767.0));
  for (int g = 0; g < lstm::kNumGates; ++g) {
    TV_RETURN_IF_ERROR(MakeFcParams(input, *ctx.input(kInputWeightSlot[g]), &d->input_fc[g]));
    TV_RETURN_IF_ERROR(
        MakeFcParams(hidden, *ctx.input(kRecurrentWeightSlot[g]), &d->recurrent_fc[g]));
  }
  const float gate_out_scale = 0.000030517578125f;  // 2^-15 (Q0.15)
  const float cs = cell.quant.scale;
  d->forget_cell_mul = MakeMulParams(gate_out_scale, cs, cs, DataType::kInt16, 0);
  d->input_mul = MakeMulParams(gate_out_scale, gate_out_scale, cs, DataType::kInt16, 0);
  d->output_mul = MakeMulParams(gate_out_scale, gate_out_scale, hidden.quant.scale, hidden.type,
                                hidden.quant.zero_point);
  TV_CHECK_OR_RETURN(
      d->forget_cell_mul.shift <= 30 && d->input_mul.shift <= 30 && d->output_mul.shift <= 30,
      "cell/hidden state scales give out-of-range multipliers");
  return Status::Ok();
}

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == lstm::kNumInputs && ctx.num_outputs() == 1,
                     "expects 24 inputs and 1 output, got %d and %d", ctx.num_inputs(),
                     ctx.num_outputs());
  const auto opts = OptionsOrZero<tflite::UnidirectionalSequenceLSTMOptionsT>(
      ctx.op()->builtin_options_as_UnidirectionalSequenceLSTMOptions());
  TV_CHECK_OR_RETURN(opts.fused_activation_function == tflite::ActivationFunctionType::TANH,
                     "cell gate activation %d is not supported (TFLM's LSTM implements TANH "
                     "only)",
                     static_cast<int>(opts.fused_activation_function));
  TV_CHECK_OR_RETURN(opts.cell_clip >= 0.0f, "cell_clip must be >= 0");

  const Tensor* input = ctx.input(lstm::kInput);
  const Tensor* hidden = ctx.input(lstm::kHiddenState);
  const Tensor* cell = ctx.input(lstm::kCellState);
  const Tensor* output = ctx.output(0);
  TV_CHECK_OR_RETURN(input && hidden && cell && output,
                     "input, hidden state (18), cell state (19) and output are required");
  TV_CHECK_OR_RETURN(
      ctx.input(lstm::kInputToInputWeights) && ctx.input(lstm::kRecurrentToInputWeights),
      "CIFG LSTM (no input gate) is not supported by TFLM");
  for (int i = 1; i <= 8; ++i) {
    TV_CHECK_OR_RETURN(ctx.input(i) != nullptr, "weights input %d is missing", i);
  }
  for (int i = 9; i <= 11; ++i) {
    TV_CHECK_OR_RETURN(ctx.input(i) == nullptr,
                       "peephole LSTM (input %d) is not supported: TFLM implements only the "
                       "no-peephole/no-projection/no-layer-norm LSTM",
                       i);
  }
  for (int i = 16; i <= 17; ++i) {
    TV_CHECK_OR_RETURN(ctx.input(i) == nullptr,
                       "projection LSTM (input %d) is not supported: TFLM implements only the "
                       "no-peephole/no-projection/no-layer-norm LSTM",
                       i);
  }
  for (int i = 20; i <= 23; ++i) {
    TV_CHECK_OR_RETURN(ctx.input(i) == nullptr,
                       "layer-norm LSTM (input %d) is not supported: TFLM implements only the "
                       "no-peephole/no-projection/no-layer-norm LSTM",
                       i);
  }
  for (int i = 12; i <= 15; ++i) {
    TV_CHECK_OR_RETURN(ctx.input(i) != nullptr, "gate bias input %d is missing", i);
  }
  TV_CHECK_OR_RETURN(hidden->is_variable && cell->is_variable,
                     "hidden state '%s' and cell state '%s' must be variable tensors", hidden->name,
                     cell->name);
  TV_CHECK_OR_RETURN(hidden->type == input->type && output->type == input->type,
                     "input '%s' (%s), hidden state (%s) and output (%s) must share one type",
                     input->name, DataTypeName(input->type), DataTypeName(hidden->type),
                     DataTypeName(output->type));
  const DataType weight_type = ctx.input(lstm::kInputToForgetWeights)->type;
  const DataType bias_type = ctx.input(lstm::kForgetGateBias)->type;
  for (int i = 1; i <= 8; ++i) {
    TV_CHECK_OR_RETURN(ctx.input(i)->type == weight_type, "all weights must share one type");
  }
  for (int i = 12; i <= 15; ++i) {
    TV_CHECK_OR_RETURN(ctx.input(i)->type == bias_type, "all gate biases must share one type");
  }

  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  // Sizes (TFLM CreateLstmSizeInfo / ValidateTensorSize).
  TV_CHECK_OR_RETURN(input->shape.rank == 3, "input '%s' must be 3-D, got rank %d", input->name,
                     input->shape.rank);
  TV_CHECK_OR_RETURN(hidden->shape.rank >= 2, "hidden state '%s' must have rank >= 2",
                     hidden->name);
  d->time_major = opts.time_major;
  d->batch = input->shape.dims[d->time_major ? 1 : 0];
  d->time = input->shape.dims[d->time_major ? 0 : 1];
  d->input_dim = input->shape.dims[2];
  d->state_dim = hidden->shape.dims[1];
  d->cell_clip = opts.cell_clip;
  TV_CHECK_OR_RETURN(d->batch > 0 && d->time > 0 && d->input_dim > 0 && d->state_dim > 0,
                     "LSTM dimensions must be positive");
  const int32_t s = d->state_dim;
  for (int g = 0; g < lstm::kNumGates; ++g) {
    TV_RETURN_IF_ERROR(
        CheckShape2(*ctx.input(kInputWeightSlot[g]), s, d->input_dim, "input weights"));
    TV_RETURN_IF_ERROR(CheckShape2(*ctx.input(kRecurrentWeightSlot[g]), s, s, "recurrent weights"));
    const Tensor& b = *ctx.input(kBiasSlot[g]);
    TV_CHECK_OR_RETURN(b.shape.rank == 1 && b.shape.dims[0] == s, "bias '%s' must have shape [%d]",
                       b.name, s);
  }
  const int64_t state_elems = int64_t{d->batch} * s;
  TV_CHECK_OR_RETURN(
      hidden->shape.NumElements() == state_elems && cell->shape.NumElements() == state_elems,
      "hidden and cell state must have %lld elements (batch x state)",
      static_cast<long long>(state_elems));
  TV_CHECK_OR_RETURN(output->shape.rank == 3 && output->shape.dims[0] == input->shape.dims[0] &&
                         output->shape.dims[1] == input->shape.dims[1] &&
                         output->shape.dims[2] == s,
                     "output '%s' must have shape [%d, %d, %d]", output->name, input->shape.dims[0],
                     input->shape.dims[1], s);

  size_t cell_bytes = 4;
  if (input->type == DataType::kFloat32) {
    TV_CHECK_OR_RETURN(weight_type == DataType::kFloat32 && bias_type == DataType::kFloat32 &&
                           cell->type == DataType::kFloat32,
                       "float LSTM needs float32 weights, biases and cell state");
  } else if (input->type == DataType::kInt8 || input->type == DataType::kInt16) {
    TV_CHECK_OR_RETURN(weight_type == DataType::kInt8, "weights type %s is not supported",
                       DataTypeName(weight_type));
    TV_RETURN_IF_ERROR(PrepareQuantized(ctx, *input, *hidden, *cell, bias_type, d));
    cell_bytes = 2;
  } else {
    return Status::Error("input '%s' has type %s; expected float32, int8 or int16", input->name,
                         DataTypeName(input->type));
  }
  // Four gate-sized buffers, as TFLM (batch x state cells each).
  for (int i = 0; i < 4; ++i) {
    TV_RETURN_IF_ERROR(
        ctx.RequestScratch(static_cast<size_t>(state_elems) * cell_bytes, &d->scratch[i]));
  }
  ctx.node().macs = int64_t{d->time} * d->batch * lstm::kNumGates * s * (d->input_dim + s);
  return Status::Ok();
}

template <typename ActT, typename WeightT, typename CellT, typename BiasT>
Status EvalTyped(KernelContext& ctx, const OpData& d) {
  lstm::StepTensors<ActT, WeightT, CellT, BiasT> t;
  for (int g = 0; g < lstm::kNumGates; ++g) {
    t.input_weights[g] = ctx.input(kInputWeightSlot[g])->template As<WeightT>();
    t.recurrent_weights[g] = ctx.input(kRecurrentWeightSlot[g])->template As<WeightT>();
    t.bias[g] = ctx.input(kBiasSlot[g])->template As<BiasT>();
  }
  for (int i = 0; i < 4; ++i) t.buffer[i] = reinterpret_cast<CellT*>(ctx.scratch(d.scratch[i]));
  const ActT* input = ctx.input(lstm::kInput)->template As<ActT>();
  ActT* hidden = ctx.input(lstm::kHiddenState)->template As<ActT>();
  CellT* cell = ctx.input(lstm::kCellState)->template As<CellT>();
  ActT* output = ctx.output(0)->template As<ActT>();
  const int64_t in_step = d.input_dim, out_step = d.state_dim;
  if (d.time_major) {
    // Time outer; every step processes all batches at once.
    for (int32_t step = 0; step < d.time; ++step) {
      const int64_t k = int64_t{step} * d.batch;
      lstm::Step(d, t, d.batch, input + k * in_step, hidden, cell, output + k * out_step);
    }
  } else {
    // Batch outer, time inner, one batch row of state at a time.
    for (int32_t b = 0; b < d.batch; ++b) {
      for (int32_t step = 0; step < d.time; ++step) {
        const int64_t k = int64_t{b} * d.time + step;
        lstm::Step(d, t, 1, input + k * in_step, hidden + int64_t{b} * d.state_dim,
                   cell + int64_t{b} * d.state_dim, output + k * out_step);
      }
    }
  }
  return Status::Ok();
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  switch (ctx.input(lstm::kInput)->type) {
    case DataType::kFloat32:
      return EvalTyped<float, float, float, float>(ctx, d);
    case DataType::kInt8:
      return EvalTyped<int8_t, int8_t, int16_t, int32_t>(ctx, d);
    case DataType::kInt16:
      return EvalTyped<int16_t, int8_t, int16_t, int64_t>(ctx, d);
    default:
      return Status::Error("unsupported input type");
  }
}

}  // namespace

const KernelRegistration kUnidirectionalSequenceLstmRegistration = {
    op::kUnidirectionalSequenceLstm, 1, 4, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
