// Test helper shared by the UNIDIRECTIONAL_SEQUENCE_LSTM tests: builds a single-op LSTM model.
#ifndef TINYVERIFY_EMULATOR_KERNELS_LSTM_TEST_UTIL_H_
#define TINYVERIFY_EMULATOR_KERNELS_LSTM_TEST_UTIL_H_

#include <cstdint>
#include <vector>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace lstm_test {

using testing::ModelBuilder;
using testing::QuantSpec;

// Gate order of the vectors below: forget, input, cell, output. Model input slots per gate.
constexpr int kWxSlot[4] = {2, 1, 3, 4};
constexpr int kWhSlot[4] = {6, 5, 7, 8};
constexpr int kBiasSlot[4] = {13, 12, 14, 15};

struct LstmConfig {
  DataType act = DataType::kFloat32, weight = DataType::kFloat32, bias = DataType::kFloat32,
           cell = DataType::kFloat32;
  int b = 1, t = 1, i = 1, s = 1;
  bool time_major = false;
  float cell_clip = 0.0f;
  tflite::ActivationFunctionType activation = tflite::ActivationFunctionType::TANH;
  QuantSpec in_q, hidden_q, cell_q;
  float wx_scale[4] = {1, 1, 1, 1}, wh_scale[4] = {1, 1, 1, 1};
  // Raw little-endian element bytes of each gate's tensors.
  std::vector<uint8_t> wx[4], wh[4], bias_bytes[4];
};

template <typename T>
std::vector<uint8_t> Bytes(const std::vector<T>& v) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(v.data());
  return std::vector<uint8_t>(p, p + v.size() * sizeof(T));
}

// Builds a single-LSTM model: graph input = the sequence, graph output = the output sequence.
inline std::vector<uint8_t> BuildLstm(const LstmConfig& c, int peephole_slot = -1) {
  ModelBuilder mb;
  std::vector<int32_t> in(24, -1);
  const std::vector<int32_t> seq =
      c.time_major ? std::vector<int32_t>{c.t, c.b, c.i} : std::vector<int32_t>{c.b, c.t, c.i};
  in[0] = mb.AddTensor(c.act, seq, c.in_q, "x");
  const bool q = c.act != DataType::kFloat32;
  for (int g = 0; g < 4; ++g) {
    QuantSpec wxq = q ? QuantSpec::PerTensor(c.wx_scale[g], 0) : QuantSpec{};
    QuantSpec whq = q ? QuantSpec::PerTensor(c.wh_scale[g], 0) : QuantSpec{};
    in[kWxSlot[g]] = mb.AddConstTensor(c.weight, {c.s, c.i}, c.wx[g].data(), c.wx[g].size(), wxq);
    in[kWhSlot[g]] = mb.AddConstTensor(c.weight, {c.s, c.s}, c.wh[g].data(), c.wh[g].size(), whq);
    in[kBiasSlot[g]] =
        mb.AddConstTensor(c.bias, {c.s}, c.bias_bytes[g].data(), c.bias_bytes[g].size());
  }
  if (peephole_slot >= 0) in[peephole_slot] = in[kBiasSlot[0]];
  in[18] = mb.AddVariableTensor(c.act, {c.b, c.s}, c.hidden_q);
  in[19] = mb.AddVariableTensor(c.cell, {c.b, c.s}, c.cell_q);
  const std::vector<int32_t> out_shape =
      c.time_major ? std::vector<int32_t>{c.t, c.b, c.s} : std::vector<int32_t>{c.b, c.t, c.s};
  const int out = mb.AddTensor(c.act, out_shape, c.hidden_q, "y");
  tflite::UnidirectionalSequenceLSTMOptionsT o;
  o.fused_activation_function = c.activation;
  o.cell_clip = c.cell_clip;
  o.time_major = c.time_major;
  tflite::BuiltinOptionsUnion u;
  u.Set(o);
  mb.AddOperator(op::kUnidirectionalSequenceLstm, in, {out}, u);
  mb.SetGraphIO({in[0]}, {out});
  return mb.Build();
}

}  // namespace lstm_test
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_LSTM_TEST_UTIL_H_
