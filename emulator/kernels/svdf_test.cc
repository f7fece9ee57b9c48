#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

struct SvdfConfig {
  DataType act = DataType::kFloat32, time = DataType::kFloat32;
  int b = 1, i = 2, f = 2, rank = 1, m = 2;
  bool has_options = true, has_bias = true, state_variable = true;
  tflite::ActivationFunctionType activation = tflite::ActivationFunctionType::NONE;
  QuantSpec in_q, wf_q, wt_q, bias_q, state_q, out_q;
  std::vector<uint8_t> wf, wt, bias;  // raw element bytes
};

template <typename T>
std::vector<uint8_t> Bytes(const std::vector<T>& v) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(v.data());
  return std::vector<uint8_t>(p, p + v.size() * sizeof(T));
}

std::vector<uint8_t> BuildSvdf(const SvdfConfig& c) {
  ModelBuilder mb;
  const int units = c.f / c.rank > 0 ? c.f / c.rank : 1;
  const DataType wf_type = c.act == DataType::kFloat32 ? DataType::kFloat32 : DataType::kInt8;
  const DataType bias_type = c.act == DataType::kFloat32 ? DataType::kFloat32 : DataType::kInt32;
  const int in = mb.AddTensor(c.act, {c.b, c.i}, c.in_q, "x");
  const int wf = mb.AddConstTensor(wf_type, {c.f, c.i}, c.wf.data(), c.wf.size(), c.wf_q);
  const int wt = mb.AddConstTensor(c.time, {c.f, c.m}, c.wt.data(), c.wt.size(), c.wt_q);
  const int bias =
      c.has_bias ? mb.AddConstTensor(bias_type, {units}, c.bias.data(), c.bias.size(), c.bias_q)
                 : -1;
  const int state = c.state_variable ? mb.AddVariableTensor(c.time, {c.b, c.f * c.m}, c.state_q)
                                     : mb.AddTensor(c.time, {c.b, c.f * c.m}, c.state_q);
  const int out = mb.AddTensor(c.act, {c.b, units}, c.out_q, "y");
  tflite::BuiltinOptionsUnion u;
  if (c.has_options) {
    tflite::SVDFOptionsT o;
    o.rank = c.rank;
    o.fused_activation_function = c.activation;
    u.Set(o);
  }
  mb.AddOperator(op::kSvdf, {in, wf, wt, bias, state}, {out}, u);
  if (c.state_variable) {
    mb.SetGraphIO({in}, {out});
  } else {
    mb.SetGraphIO({in, state}, {out});  // a plain input instead of a variable
  }
  return mb.Build();
}

SvdfConfig FloatConfig() {
  // 1 batch, 2 inputs, 2 filters (rank 1 -> 2 units), memory 2.
  SvdfConfig c;
  c.wf = Bytes(std::vector<float>{1, 2, 3, -1});
  c.wt = Bytes(std::vector<float>{0.5f, 1.0f, 2.0f, -1.0f});
  c.bias = Bytes(std::vector<float>{0.1f, -0.2f});
  return c;
}

TEST(Svdf, FloatHandCheckedTwoInvokes) {
  // Invoke 1, x = [1, 1]: features f0 = 1 + 2 = 3, f1 = 3 - 1 = 2; state [0 3 | 0 2];
  //   time: f0 = 0.5*0 + 1*3 = 3, f1 = 2*0 - 1*2 = -2; out = bias + . = [3.1, -2.2].
  // Invoke 2, x = [2, -1]: the flat state shifts left by one ([3 0 | 2 2]), then the newest
  //   column gets f0 = 0, f1 = 7 -> [3 0 | 2 7]; time: f0 = 1.5, f1 = 4 - 7 = -3;
  //   out = [1.6, -3.2].
  SvdfConfig c = FloatConfig();
  LoadedModel m;
  ASSERT_TRUE(m.Load(BuildSvdf(c)).ok());
  m.SetInput<float>(0, {1.0f, 1.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  std::vector<float> y = m.Output<float>(0);
  EXPECT_FLOAT_EQ(y[0], 3.1f);
  EXPECT_FLOAT_EQ(y[1], -2.2f);
  m.SetInput<float>(0, {2.0f, -1.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  y = m.Output<float>(0);
  EXPECT_FLOAT_EQ(y[0], 1.6f);
  EXPECT_FLOAT_EQ(y[1], -3.2f);
  // Resetting the variables restarts the sequence.
  m.interpreter().ResetVariables();
  m.SetInput<float>(0, {1.0f, 1.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_FLOAT_EQ(m.Output<float>(0)[0], 3.1f);
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Svdf, FloatActivationsAndRankTwo) {
  // Rank 2: the two filters are summed into one unit: 3 + (-2) + 0.1 = 1.1.
  SvdfConfig c = FloatConfig();
  c.rank = 2;
  c.bias = Bytes(std::vector<float>{0.1f});
  LoadedModel m;
  ASSERT_TRUE(m.Load(BuildSvdf(c)).ok());
  m.SetInput<float>(0, {1.0f, 1.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_FLOAT_EQ(m.Output<float>(0)[0], 1.1f);

  struct Case {
    tflite::ActivationFunctionType act;
    float y0, y1;  // activation of [3.1, -2.2]
  } cases[] = {{tflite::ActivationFunctionType::RELU, 3.1f, 0.0f},
               {tflite::ActivationFunctionType::RELU6, 3.1f, 0.0f},
               {tflite::ActivationFunctionType::RELU_N1_TO_1, 1.0f, -1.0f},
               {tflite::ActivationFunctionType::TANH, std::tanh(3.1f), std::tanh(-2.2f)},
               {tflite::ActivationFunctionType::SIGN_BIT, 0.0f, 1.0f}};
  for (const Case& k : cases) {
    SvdfConfig a = FloatConfig();
    a.activation = k.act;
    LoadedModel ma;
    ASSERT_TRUE(ma.Load(BuildSvdf(a)).ok());
    ma.SetInput<float>(0, {1.0f, 1.0f});
    ASSERT_TRUE(ma.interpreter().Invoke().ok());
    EXPECT_FLOAT_EQ(ma.Output<float>(0)[0], k.y0) << static_cast<int>(k.act);
    EXPECT_FLOAT_EQ(ma.Output<float>(0)[1], k.y1) << static_cast<int>(k.act);
  }
}

SvdfConfig Int16StateConfig() {
  // x scale 0.5 (zp 1), feature weights 0.5, state 0.25 -> e1 = 1 (exact);
  // time weights 0.5, output 0.25 (zp -3) -> e2 = 0.5; bias scale 0.125 = 0.25 * 0.5.
  SvdfConfig c;
  c.act = DataType::kInt8;
  c.time = DataType::kInt16;
  c.in_q = QuantSpec::PerTensor(0.5f, 1);
  c.wf_q = QuantSpec::PerTensor(0.5f, 0);
  c.wt_q = QuantSpec::PerTensor(0.5f, 0);
  c.bias_q = QuantSpec::PerTensor(0.125f, 0);
  c.state_q = QuantSpec::PerTensor(0.25f, 0);
  c.out_q = QuantSpec::PerTensor(0.25f, -3);
  c.wf = Bytes(std::vector<int8_t>{1, 2, 3, -1});
  c.wt = Bytes(std::vector<int16_t>{1, 2, 4, -2});
  c.bias = Bytes(std::vector<int32_t>{1, -3});
  return c;
}

TEST(Svdf, Int8Int16StateHandChecked) {
  // Invoke 1, x = [2, 2] -> x - zp = [1, 1]: features [3, 2] (multiplier 1) -> state [0 3 | 0 2];
  //   time: [2*3, -2*2] = [6, -4]; + bias [1, -3] -> [7, -7];
  //   x 0.5 via SRDHM(x, 2^30): 7 -> 3.5 -> 4 and -7 -> -3.5 -> -3 (ties toward +inf);
  //   + zp -3 -> [1, -6].
  // Invoke 2, x = [3, 0] -> [2, -1]: features [0, 7]; shifted state [3 0 | 2 7];
  //   time: [1*3 + 0, 4*2 - 2*7] = [3, -6]; + bias -> [4, -9] -> [2, -4] -> [-1, -7].
  SvdfConfig c = Int16StateConfig();
  LoadedModel m;
  ASSERT_TRUE(m.Load(BuildSvdf(c)).ok());
  m.SetInput<int8_t>(0, {2, 2});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{1, -6}));
  m.SetInput<int8_t>(0, {3, 0});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{-1, -7}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Svdf, Int8StateClampsBeforeAddingZeroPointAndWraps) {
  // One filter, memory 1, all scales 1 except output 2 (e2 = 0.5); state zp -50, int8 state.
  // x = 100: feature 2*100 = 200 -> clamp 127 -> +zp = 77 (stored); time 1*(77+50) = 127 ->
  //   x0.5 = 63.5 -> 64.
  // x = -100: feature -200 -> clamp -128 -> +zp = -178, narrowed to int8 = 78 (TFLM wraps);
  //   time 78 + 50 = 128 -> 64 (adding the zero point first would give -39).
  SvdfConfig c;
  c.act = DataType::kInt8;
  c.time = DataType::kInt8;
  c.i = 1, c.f = 1, c.m = 1;
  c.in_q = c.wf_q = c.wt_q = c.bias_q = QuantSpec::PerTensor(1.0f, 0);
  c.state_q = QuantSpec::PerTensor(1.0f, -50);
  c.out_q = QuantSpec::PerTensor(2.0f, 0);
  c.wf = Bytes(std::vector<int8_t>{2});
  c.wt = Bytes(std::vector<int8_t>{1});
  c.bias = Bytes(std::vector<int32_t>{0});
  LoadedModel m;
  ASSERT_TRUE(m.Load(BuildSvdf(c)).ok());
  m.SetInput<int8_t>(0, {100});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0)[0], 64);
  m.SetInput<int8_t>(0, {-100});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0)[0], 64);
}

TEST(Svdf, Int8RandomAgreesWithDequantizedFloat) {
  const unsigned seed = 7;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> w8(-127, 127), x8(-128, 127);
  std::uniform_int_distribution<int> w16(-300, 300), b32(-2000, 2000);
  SvdfConfig c;
  c.act = DataType::kInt8;
  c.time = DataType::kInt16;
  c.b = 2, c.i = 5, c.f = 6, c.rank = 2, c.m = 4;
  const float s_in = 0.05f, s_wf = 0.01f, s_st = 0.002f, s_wt = 0.003f, s_out = 0.1f;
  c.in_q = QuantSpec::PerTensor(s_in, 3);
  c.wf_q = QuantSpec::PerTensor(s_wf, 0);
  c.wt_q = QuantSpec::PerTensor(s_wt, 0);
  c.bias_q = QuantSpec::PerTensor(s_st * s_wt, 0);
  c.state_q = QuantSpec::PerTensor(s_st, 0);
  c.out_q = QuantSpec::PerTensor(s_out, -2);
  std::vector<int8_t> wf(30);
  std::vector<int16_t> wt(24);
  std::vector<int32_t> bias(3);
  for (auto& v : wf) v = static_cast<int8_t>(w8(rng));
  for (auto& v : wt) v = static_cast<int16_t>(w16(rng));
  for (auto& v : bias) v = b32(rng);
  c.wf = Bytes(wf), c.wt = Bytes(wt), c.bias = Bytes(bias);
  LoadedModel m;
  ASSERT_TRUE(m.Load(BuildSvdf(c)).ok());
  std::vector<double> state(2 * 6 * 4, 0.0);  // real-valued reference state
  for (int step = 0; step < 5; ++step) {
    std::vector<int8_t> x(10);
    for (auto& v : x) v = static_cast<int8_t>(x8(rng));
    m.SetInput<int8_t>(0, x);
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    const std::vector<int8_t> y = m.Output<int8_t>(0);
    for (size_t k = 0; k + 1 < state.size(); ++k) state[k] = state[k + 1];
    for (int b = 0; b < 2; ++b) {
      double tol[3] = {0, 0, 0};
      for (int f = 0; f < 6; ++f) {
        double dot = 0;
        for (int k = 0; k < 5; ++k) dot += s_wf * wf[f * 5 + k] * s_in * (x[b * 5 + k] - 3);
        state[(b * 6 + f) * 4 + 3] = dot;
        for (int j = 0; j < 4; ++j) tol[f / 2] += std::fabs(s_wt * wt[f * 4 + j]) * s_st;
      }
      for (int u = 0; u < 3; ++u) {
        double acc = s_st * s_wt * bias[u];
        for (int f = 2 * u; f < 2 * u + 2; ++f)
          for (int j = 0; j < 4; ++j) acc += s_wt * wt[f * 4 + j] * state[(b * 6 + f) * 4 + j];
        acc = std::min(std::max(acc, s_out * -126.0), s_out * 129.0);  // int8 output range
        const double got = s_out * (y[b * 3 + u] + 2);
        EXPECT_NEAR(got, acc, s_out + tol[u]) << "step " << step << " b " << b << " u " << u;
      }
    }
  }
}

TEST(Svdf, RejectsInvalidModels) {
  struct Case {
    const char* needle;
    void (*mutate)(SvdfConfig*);
  } cases[] = {
      {"rank", [](SvdfConfig* c) { c->has_options = false; }},
      {"divisible", [](SvdfConfig* c) { c->rank = 3, c->bias.resize(4); }},
      {"needs a bias", [](SvdfConfig* c) { c->has_bias = false; }},
      {"bias scale", [](SvdfConfig* c) { c->bias_q = QuantSpec::PerTensor(0.5f, 0); }},
      {"variable", [](SvdfConfig* c) { c->state_variable = false; }},
  };
  for (const Case& k : cases) {
    SvdfConfig c = Int16StateConfig();
    k.mutate(&c);
    LoadedModel m;
    Status s = m.Load(BuildSvdf(c));
    ASSERT_FALSE(s.ok()) << k.needle;
    EXPECT_NE(std::string(s.message()).find("SVDF"), std::string::npos)
        << k.needle << ": " << s.message();
    EXPECT_NE(std::string(s.message()).find(k.needle), std::string::npos) << s.message();
  }
  // Float SVDF without bias is accepted (zero bias).
  SvdfConfig f = FloatConfig();
  f.has_bias = false;
  LoadedModel m;
  ASSERT_TRUE(m.Load(BuildSvdf(f)).ok());
  m.SetInput<float>(0, {1.0f, 1.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_FLOAT_EQ(m.Output<float>(0)[0], 3.0f);
}

}  // namespace
}  // namespace tv
