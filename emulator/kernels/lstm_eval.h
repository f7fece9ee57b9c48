// One time step of UNIDIRECTIONAL_SEQUENCE_LSTM in TFLM's evaluation order (lstm_eval.h
// LstmStep): forget, input and cell gates; cell update; output gate; hidden update; copy of the
// hidden state to the output slice. Float and integer variants share the structure; the
// integer one follows tflm-int8-arithmetic.md §16.
#ifndef TINYVERIFY_EMULATOR_KERNELS_LSTM_EVAL_H_
#define TINYVERIFY_EMULATOR_KERNELS_LSTM_EVAL_H_

#include <cfloat>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "emulator/kernels/lstm_common.h"
#include "emulator/kernels/quant_math.h"

namespace tv {
namespace kernels {
namespace lstm {

template <typename ActT, typename WeightT, typename CellT, typename BiasT>
struct StepTensors {
  const WeightT* input_weights[kNumGates] = {};
  const WeightT* recurrent_weights[kNumGates] = {};
  const BiasT* bias[kNumGates] = {};
  CellT* buffer[4] = {};
};

// ---- float pieces (reference_ops::FullyConnected / Mul / Logistic / Tanh, §17) ----

inline void Fc(const FcParams&, const float* x, int32_t nb, int32_t depth, const float* w,
               const float* bias, int32_t units, float* out) {
  for (int32_t b = 0; b < nb; ++b) {
    for (int32_t o = 0; o < units; ++o) {
      float total = 0.0f;
      const float* wr = w + int64_t{o} * depth;
      const float* xr = x + int64_t{b} * depth;
      for (int32_t k = 0; k < depth; ++k) total += xr[k] * wr[k];
      const float bias_value = bias ? bias[o] : 0.0f;
      out[int64_t{b} * units + o] = qm::ClampFloat(total + bias_value, -FLT_MAX, FLT_MAX);
    }
  }
}

inline void AddElementwise(const float* a, const float* b, int32_t n, float* out) {
  for (int32_t i = 0; i < n; ++i) out[i] = a[i] + b[i];
}

inline void Mul(const MulParams&, const float* a, const float* b, int32_t n, float* out) {
  for (int32_t i = 0; i < n; ++i) out[i] = qm::ClampFloat(a[i] * b[i], -FLT_MAX, FLT_MAX);
}

inline void Sigmoid(float* v, int32_t n) {
  for (int32_t i = 0; i < n; ++i) v[i] = LogisticFloat(v[i]);
}

inline void Tanh(int32_t /*cell_scale_power*/, const float* in, int32_t n, float* out) {
  for (int32_t i = 0; i < n; ++i) out[i] = std::tanh(in[i]);
}

// std::max(std::min(clip, v), -clip), including its NaN behaviour (NaN -> clip).
inline void Clip(const OpData& d, float* v, int32_t n) {
  const float clip = d.cell_clip;
  for (int32_t i = 0; i < n; ++i) {
    const float lo = v[i] < clip ? v[i] : clip;
    v[i] = lo < -clip ? -clip : lo;
  }
}

// ---- integer pieces (reference_integer_ops::FullyConnected / MulElementwise, §6.4, §8.2) ----

// qm::MBQM64 with the int64 product and sum wrapping (two's complement) instead of UB, so a
// hostile int64 bias cannot trigger undefined behaviour; identical whenever nothing overflows.
inline int32_t Mbqm64Wrapping(int64_t x, int32_t multiplier, int shift) {
  const int64_t reduced =
      multiplier < 0x7FFF0000 ? ((static_cast<int64_t>(multiplier) + (1 << 15)) >> 16) : 0x7FFF;
  const int total_shift = 15 - shift;
  const uint64_t sum = static_cast<uint64_t>(x) * static_cast<uint64_t>(reduced) +
                       (uint64_t{1} << (total_shift - 1));
  return static_cast<int32_t>(static_cast<int64_t>(sum) >> total_shift);
}

// int8/int16 activations x int8 weights -> int16 gate pre-activation at 2^-12. The accumulator
// is BiasT (int32 wrapping for int8, int64 for int16 activations); int64 uses the 64-bit MBQM.
template <typename ActT, typename BiasT>
void Fc(const FcParams& p, const ActT* x, int32_t nb, int32_t depth, const int8_t* w,
        const BiasT* bias, int32_t units, int16_t* out) {
  for (int32_t b = 0; b < nb; ++b) {
    const ActT* xr = x + int64_t{b} * depth;
    for (int32_t o = 0; o < units; ++o) {
      const int8_t* wr = w + int64_t{o} * depth;
      int32_t v;
      if constexpr (std::is_same<BiasT, int64_t>::value) {
        int64_t acc = 0;
        for (int32_t k = 0; k < depth; ++k) {
          acc += int64_t{wr[k] + p.weights_offset} * (xr[k] + p.input_offset);
        }
        if (bias) {
          acc = static_cast<int64_t>(static_cast<uint64_t>(acc) + static_cast<uint64_t>(bias[o]));
        }
        v = Mbqm64Wrapping(acc, p.multiplier, p.shift);
      } else {
        int32_t acc = 0;
        for (int32_t k = 0; k < depth; ++k) {
          acc = WrapAdd(acc, WrapMul(wr[k] + p.weights_offset, xr[k] + p.input_offset));
        }
        if (bias) acc = WrapAdd(acc, bias[o]);
        v = qm::MBQM(acc, p.multiplier, p.shift);
      }
      out[int64_t{b} * units + o] = static_cast<int16_t>(qm::Clamp(v, -32768, 32767));
    }
  }
}

inline void AddElementwise(const int16_t* a, const int16_t* b, int32_t n, int16_t* out) {
  for (int32_t i = 0; i < n; ++i) {
    out[i] = static_cast<int16_t>(qm::Clamp(int32_t{a[i]} + b[i], -32768, 32767));
  }
}

template <typename OutT>
void Mul(const MulParams& p, const int16_t* a, const int16_t* b, int32_t n, OutT* out) {
  for (int32_t i = 0; i < n; ++i) {
    const int32_t v = p.output_offset + qm::MBQM(int32_t{a[i]} * b[i], p.multiplier, p.shift);
    out[i] = static_cast<OutT>(qm::Clamp(v, p.act_min, p.act_max));
  }
}

inline void Sigmoid(int16_t* v, int32_t n) {
  for (int32_t i = 0; i < n; ++i) v[i] = Logistic16(v[i]);
}

inline void Tanh(int32_t cell_scale_power, const int16_t* in, int32_t n, int16_t* out) {
  const TanhScaling s = MakeTanhScaling(cell_scale_power);
  for (int32_t i = 0; i < n; ++i) out[i] = Tanh16(in[i], s);
}

inline void Clip(const OpData& d, int16_t* v, int32_t n) {
  const int16_t clip = d.quantized_cell_clip;
  for (int32_t i = 0; i < n; ++i) {
    const int16_t lo = v[i] < clip ? v[i] : clip;
    v[i] = lo < -clip ? static_cast<int16_t>(-clip) : lo;
  }
}

// ---- one step ----

// gate = activation(FC(input) + bias + FC(hidden)); `tmp` holds the recurrent FC.
template <typename ActT, typename WeightT, typename CellT, typename BiasT>
void CalculateGate(const OpData& d, const StepTensors<ActT, WeightT, CellT, BiasT>& t, int g,
                   int32_t nb, const ActT* x, const ActT* h, bool tanh_gate, CellT* out) {
  const int32_t n = nb * d.state_dim;
  CellT* tmp = t.buffer[3];
  Fc(d.input_fc[g], x, nb, d.input_dim, t.input_weights[g], t.bias[g], d.state_dim, out);
  Fc(d.recurrent_fc[g], h, nb, d.state_dim, t.recurrent_weights[g],
     static_cast<const BiasT*>(nullptr), d.state_dim, tmp);
  AddElementwise(out, tmp, n, out);
  if (tanh_gate) {
    Tanh(-12, out, n, out);  // gate pre-activations are Q3.12: no input shift
  } else {
    Sigmoid(out, n);
  }
}

// `nb` batches of input rows `x`; `h`/`c` are the matching state rows; writes `out`.
template <typename ActT, typename WeightT, typename CellT, typename BiasT>
void Step(const OpData& d, const StepTensors<ActT, WeightT, CellT, BiasT>& t, int32_t nb,
          const ActT* x, ActT* h, CellT* c, ActT* out) {
  const int32_t n = nb * d.state_dim;
  CellT* forget = t.buffer[0];
  CellT* input_gate = t.buffer[1];
  CellT* cell_gate = t.buffer[2];
  CalculateGate(d, t, kForgetGate, nb, x, h, false, forget);
  CalculateGate(d, t, kInputGate, nb, x, h, false, input_gate);
  CalculateGate(d, t, kCellGate, nb, x, h, true, cell_gate);
  // c = f * c + i * g (saturating for int16), then optional clipping.
  Mul(d.forget_cell_mul, forget, c, n, c);
  Mul(d.input_mul, input_gate, cell_gate, n, input_gate);
  AddElementwise(c, input_gate, n, c);
  if (d.cell_clip > 0.0f) Clip(d, c, n);
  // h = tanh(c) * o.
  CellT* output_gate = t.buffer[1];
  CalculateGate(d, t, kOutputGate, nb, x, h, false, output_gate);
  CellT* tanh_c = t.buffer[0];
  Tanh(d.cell_scale_power, c, n, tanh_c);
  Mul(d.output_mul, tanh_c, output_gate, n, h);
  std::memmove(out, h, static_cast<size_t>(n) * sizeof(ActT));  // out may alias h
}

}  // namespace lstm
}  // namespace kernels
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_LSTM_EVAL_H_
