// Integer UNIDIRECTIONAL_SEQUENCE_LSTM (int8 and int16 activations, int16 cell state).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "emulator/kernels/lstm_test_util.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using lstm_test::BuildLstm;
using lstm_test::Bytes;
using lstm_test::LstmConfig;
using testing::LoadedModel;
using testing::QuantSpec;

// Quantized config; weights/biases are flattened [gate f,i,g,o][unit][k].
template <typename ActT, typename BiasT>
LstmConfig IntConfig(int b, int t, int i, int s, const std::vector<int8_t>& wx,
                     const std::vector<int8_t>& wh, const std::vector<BiasT>& bias) {
  LstmConfig c;
  c.act = sizeof(ActT) == 1 ? DataType::kInt8 : DataType::kInt16;
  c.weight = DataType::kInt8;
  c.bias = sizeof(BiasT) == 4 ? DataType::kInt32 : DataType::kInt64;
  c.cell = DataType::kInt16;
  c.b = b, c.t = t, c.i = i, c.s = s;
  for (int g = 0; g < 4; ++g) {
    c.wx[g] = Bytes(std::vector<int8_t>(wx.begin() + g * s * i, wx.begin() + (g + 1) * s * i));
    c.wh[g] = Bytes(std::vector<int8_t>(wh.begin() + g * s * s, wh.begin() + (g + 1) * s * s));
    c.bias_bytes[g] = Bytes(std::vector<BiasT>(bias.begin() + g * s, bias.begin() + (g + 1) * s));
  }
  return c;
}

void SetScales(LstmConfig* c, const float wx[4], const float wh[4]) {
  for (int g = 0; g < 4; ++g) c->wx_scale[g] = wx[g], c->wh_scale[g] = wh[g];
}

template <typename ActT>
std::vector<ActT> RunLstm(const LstmConfig& c, const std::vector<ActT>& x) {
  LoadedModel m;
  Status s = m.Load(BuildLstm(c));
  EXPECT_TRUE(s.ok()) << s.message();
  if (!s.ok()) return {};
  m.SetInput<ActT>(0, x);
  EXPECT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_TRUE(m.interpreter().GuardsIntact());
  return m.Output<ActT>(0);
}

TEST(UnidirectionalSequenceLstmInt, Int8HandChecked) {
  // One unit, one feature; x scale 2^-7 (zp 5), all weights 2^-5, so every gate FC multiplier
  // is exactly 1 (2^-7 * 2^-5 / 2^-12). Input x = 21 -> (x - zp) * w = 16 * 32 = 512 for every
  // gate; recurrent weights 0 except the forget gate (64).
  // Step 1 (h = zp_h = 3, c = 0): Q3.12 pre-activation 512.
  //   sigmoid: v = 3 * 512 = 1536, table[3] = 34813 -> (34813 << 9 + 512) >> 10 = 17407
  //   tanh (cell gate): v = 1536, table[6] = 36843 -> (36843 << 8 - 2^23 + 128) >> 8 = 4075
  //   c = i*g: 2^-30 / 2^-11 -> (2^30, -18): 17407 * 4075 = 70933525 -> 35466763 -> 135
  //   tanh(c), cell scale 2^-11 -> v = 6 * 135 = 810: table[3] + 42/256 step -> 2157
  //   h = o * tanh(c) at 2^-7 -> (2^30, -22): 2157 * 17407 -> 4.48 -> 4, + zp 3 = 7.
  // Step 2: forget pre-activation 512 + 64 * (7 - 3) = 768 -> v = 2304 -> 17916;
  //   c = 17916 * 135 (2^-15 multiplier: 73.8 -> 74) + 135 = 209; tanh: v = 1254 -> 3332;
  //   h = 3332 * 17407 -> 6.91 -> 7, + 3 = 10.
  const float w_scales[4] = {0.03125f, 0.03125f, 0.03125f, 0.03125f};
  LstmConfig c =
      IntConfig<int8_t, int32_t>(1, 2, 1, 1, {32, 32, 32, 32}, {64, 0, 0, 0}, {0, 0, 0, 0});
  SetScales(&c, w_scales, w_scales);
  c.in_q = QuantSpec::PerTensor(0.0078125f, 5);
  c.hidden_q = QuantSpec::PerTensor(0.0078125f, 3);
  c.cell_q = QuantSpec::PerTensor(0.00048828125f, 0);
  EXPECT_EQ(RunLstm<int8_t>(c, {21, 21}), (std::vector<int8_t>{7, 10}));
  // Cell clip 0.03 -> 0.03 * 2048 = 61.44 -> 61: c1 = 135 is clipped to 61, so
  // tanh: v = 366 -> 976; h = 976 * 17407 -> 2.05 -> 2, + 3 = 5.
  c.cell_clip = 0.03f;
  EXPECT_EQ(RunLstm<int8_t>(c, {21, 21})[0], 5);
}

// Expected outputs below come from an independent Python transcription of §16 / TFLM
// lstm_eval (float32-rounded scale products, double-rounding MBQM, the int16 sigmoid table).
const float kWxScale[4] = {0.011f, 0.009f, 0.013f, 0.007f};
const float kWhScale[4] = {0.006f, 0.012f, 0.008f, 0.01f};

TEST(UnidirectionalSequenceLstmInt, Int8ZeroPointsAndClipBatchAndTimeMajor) {
  LstmConfig c = IntConfig<int8_t, int32_t>(
      2, 3, 3, 2, {-93, 18,  89, 78,  68,   -111, -62,  -97, -1, 67,  -12, -7,
                   39,  -30, 74, -74, -103, -3,   -120, 101, 86, -28, -17, 28},
      {68, 69, -127, 51, -13, -59, 57, 78, -69, 24, 114, -101, 103, -46, -120, -122},
      {-2792, 2321, 1435, -2925, 122, 2623, -1226, 457});
  SetScales(&c, kWxScale, kWhScale);
  c.in_q = QuantSpec::PerTensor(0.02f, -7);
  c.hidden_q = QuantSpec::PerTensor(0.011f, 4);
  c.cell_q = QuantSpec::PerTensor(0.00048828125f, 0);
  c.cell_clip = 0.5f;
  const std::vector<int8_t> x = {-114, -15,  96, 125, -9,  48, -10, -16, 107,
                                 20,   -117, 85, -77, -33, 23, -67, 42,  88};
  const std::vector<int8_t> expected = {43, 12, 9, -9, 37, 16, 15, 30, 33, 19, 44, 11};
  EXPECT_EQ(RunLstm<int8_t>(c, x), expected);
  // Time-major layout of the same sequences gives the same per-batch results.
  c.time_major = true;
  std::vector<int8_t> xt(x.size()), et(expected.size());
  for (int b = 0; b < 2; ++b)
    for (int t = 0; t < 3; ++t) {
      for (int k = 0; k < 3; ++k) xt[(t * 2 + b) * 3 + k] = x[(b * 3 + t) * 3 + k];
      for (int k = 0; k < 2; ++k) et[(t * 2 + b) * 2 + k] = expected[(b * 3 + t) * 2 + k];
    }
  EXPECT_EQ(RunLstm<int8_t>(c, xt), et);
}

TEST(UnidirectionalSequenceLstmInt, Int8CellScale2PowMinus15UsesShiftedTanhInput) {
  // Cell scale 2^-15: tanh input left shift L = 15 - 15 - 3 = -3 -> (3x + 4) >> 3.
  LstmConfig c = IntConfig<int8_t, int32_t>(
      2, 3, 3, 2, {-67,  24,  12, -94, -33, 107, 27,  -6,  33,  21, -111, 28,
                   -124, 105, 87, -7,  -61, 14,  -68, -78, 127, 56, -7,   11},
      {87, 13, -6, -26, 36, 93, -89, -68, 35, -89, 95, 110, 6, -28, 62, -124},
      {2500, -2476, -1695, 1842, -2650, -533, -2746, -793});
  SetScales(&c, kWxScale, kWhScale);
  c.in_q = QuantSpec::PerTensor(0.03f, 12);
  c.hidden_q = QuantSpec::PerTensor(0.009f, -9);
  c.cell_q = QuantSpec::PerTensor(3.0517578125e-05f, 0);
  EXPECT_EQ(RunLstm<int8_t>(
                c, {114, 70, 90, 74, 99, -60, 59, -79, -110, -59, 125, -17, 4, 95, 26, 87, 69, 51}),
            (std::vector<int8_t>{-24, -43, -9, -18, -11, 32, -7, -10, 1, -15, -13, -35}));
}

TEST(UnidirectionalSequenceLstmInt, Int16ActivationsInt64Bias) {
  LstmConfig c = IntConfig<int16_t, int64_t>(
      2, 3, 3, 2, {117, 93, 115, 90,  -113, -104, -106, -35,  86, -84, 61,  80,
                   44,  91, -49, -63, 28,   -73,  28,   -118, 21, 47,  -87, -17},
      {36, -27, 78, 58, 93, 127, 3, 116, -32, 12, 112, -14, 1, -59, 103, -118},
      {-271222, 81696, 187476, 33934, 98474, 144188, 251291, -127522});
  SetScales(&c, kWxScale, kWhScale);
  c.in_q = QuantSpec::PerTensor(0.0001f, 0);
  c.hidden_q = QuantSpec::PerTensor(0.00004f, 0);
  c.cell_q = QuantSpec::PerTensor(0.00048828125f, 0);
  c.cell_clip = 0.5f;
  EXPECT_EQ(RunLstm<int16_t>(c, {-9512, -1819, -2543, -29641, -9605, 9849, -10016, -14851, 14377,
                                 -8934, 25642, 21583, 14975, 13603, 14665, 25659, -11642, 19642}),
            (std::vector<int16_t>{-4001, 5026, -6953, 3110, -9158, -5159, 1639, -464, 4562, -4334,
                                  4003, -9649}));
}

TEST(UnidirectionalSequenceLstmInt, Int8SaturatingGates) {
  // FC multiplier 0.5 * 0.01 / 2^-12 = 20.48 and +-900000 biases: gate pre-activations clamp
  // to the int16 range, the input + recurrent sum saturates, the gates hit the table ends.
  const float scales[4] = {0.01f, 0.01f, 0.01f, 0.01f};
  LstmConfig c = IntConfig<int8_t, int32_t>(
      1, 2, 2, 2,
      {127, 127, -127, -127, 127, -127, 100, 100, 127, 127, -127, -127, -127, 127, 127, 127},
      {127, 127, 127, -127, -127, -127, 127, 127, 127, 127, -127, -127, 127, -127, -127, 127},
      {900000, -900000, 20000, -20000, -900000, 900000, 0, 500000});
  SetScales(&c, scales, scales);
  c.in_q = QuantSpec::PerTensor(0.5f, 0);
  c.hidden_q = QuantSpec::PerTensor(0.02f, -1);
  c.cell_q = QuantSpec::PerTensor(0.0009765625f, 0);
  EXPECT_EQ(RunLstm<int8_t>(c, {127, 127, -128, 100}), (std::vector<int8_t>{-20, 37, -39, -1}));
}

TEST(UnidirectionalSequenceLstmInt, RejectsBadQuantization) {
  const float w_scales[4] = {0.03125f, 0.03125f, 0.03125f, 0.03125f};
  auto base = [&] {
    LstmConfig c =
        IntConfig<int8_t, int32_t>(1, 2, 1, 1, {32, 32, 32, 32}, {0, 0, 0, 0}, {0, 0, 0, 0});
    SetScales(&c, w_scales, w_scales);
    c.in_q = QuantSpec::PerTensor(0.0078125f, 5);
    c.hidden_q = QuantSpec::PerTensor(0.0078125f, 3);
    c.cell_q = QuantSpec::PerTensor(0.00048828125f, 0);
    return c;
  };
  auto expect_error = [](const LstmConfig& c, const char* needle) {
    LoadedModel m;
    Status s = m.Load(BuildLstm(c));
    ASSERT_FALSE(s.ok()) << needle;
    EXPECT_NE(std::string(s.message()).find("UNIDIRECTIONAL_SEQUENCE_LSTM"), std::string::npos)
        << s.message();
    EXPECT_NE(std::string(s.message()).find(needle), std::string::npos) << s.message();
  };
  LstmConfig c = base();
  c.cell_q = QuantSpec::PerTensor(0.0003f, 0);
  expect_error(c, "power of two");
  c = base();
  c.bias = DataType::kInt64;  // int8 activations need int32 biases
  for (auto& b : c.bias_bytes) b.resize(8, 0);
  expect_error(c, "int32 biases");
  c = base();
  c.cell = DataType::kInt8;
  expect_error(c, "int16");
  c = base();
  c.hidden_q = QuantSpec{};
  expect_error(c, "scale/zero point");
}

}  // namespace
}  // namespace tv
