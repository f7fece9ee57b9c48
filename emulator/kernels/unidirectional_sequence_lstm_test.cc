#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/lstm_test_util.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using lstm_test::BuildLstm;
using lstm_test::Bytes;
using lstm_test::LstmConfig;
using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

// Straightforward float LSTM, batch-major [B][T][I] -> [B][T][S], in TFLM's operation order.
std::vector<float> FloatReference(const LstmConfig& c, const std::vector<float> w[3][4],
                                  const std::vector<float>& x) {
  auto sigmoid = [](float v) {
    if (v > 16.619047164916992188f) return 1.0f;
    if (v < -9.0f) return std::exp(v);
    return 1.0f / (1.0f + std::exp(-v));
  };
  std::vector<float> out(static_cast<size_t>(c.b * c.t * c.s));
  for (int b = 0; b < c.b; ++b) {
    std::vector<float> h(c.s, 0.0f), cell(c.s, 0.0f);
    for (int t = 0; t < c.t; ++t) {
      const float* xt = &x[static_cast<size_t>((b * c.t + t) * c.i)];
      float gate[4][16];
      for (int g = 0; g < 4; ++g) {
        for (int o = 0; o < c.s; ++o) {
          float a = 0.0f, r = 0.0f;
          for (int k = 0; k < c.i; ++k) a += xt[k] * w[0][g][o * c.i + k];
          for (int k = 0; k < c.s; ++k) r += h[k] * w[1][g][o * c.s + k];
          const float pre = (a + w[2][g][o]) + (r + 0.0f);
          gate[g][o] = g == 2 ? std::tanh(pre) : sigmoid(pre);
        }
      }
      for (int o = 0; o < c.s; ++o) {
        float cn = gate[0][o] * cell[o] + gate[1][o] * gate[2][o];
        if (c.cell_clip > 0) cn = std::max(std::min(c.cell_clip, cn), -c.cell_clip);
        cell[o] = cn;
        h[o] = std::tanh(cn) * gate[3][o];
        out[static_cast<size_t>((b * c.t + t) * c.s + o)] = h[o];
      }
    }
  }
  return out;
}

LstmConfig FloatConfig(int b, int t, int i, int s, const std::vector<float> w[3][4]) {
  LstmConfig c;
  c.b = b, c.t = t, c.i = i, c.s = s;
  for (int g = 0; g < 4; ++g) {
    c.wx[g] = Bytes(w[0][g]);
    c.wh[g] = Bytes(w[1][g]);
    c.bias_bytes[g] = Bytes(w[2][g]);
  }
  return c;
}

TEST(UnidirectionalSequenceLstm, FloatHandChecked) {
  // One unit, one input feature, two steps, zero initial state. Gates (f, i, g, o):
  // wx = (0.3, -0.2, 0.8, 0.5), wh = (0.1, 0.4, -0.6, 0.2), b = (1.0, 0.0, 0.1, -0.5).
  // Step 1, x = 0.5: f = σ(1.15) = 0.75951, i = σ(-0.1) = 0.47502, g = tanh(0.5) = 0.46212,
  // o = σ(-0.25) = 0.43782; c = i·g = 0.21952; h = o·tanh(c) = 0.09458.
  const std::vector<float> w[3][4] = {{{0.3f}, {-0.2f}, {0.8f}, {0.5f}},
                                      {{0.1f}, {0.4f}, {-0.6f}, {0.2f}},
                                      {{1.0f}, {0.0f}, {0.1f}, {-0.5f}}};
  LstmConfig c = FloatConfig(1, 2, 1, 1, w);
  LoadedModel m;
  ASSERT_TRUE(m.Load(BuildLstm(c)).ok());
  const std::vector<float> x = {0.5f, -1.0f};
  m.SetInput<float>(0, x);
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  const std::vector<float> y = m.Output<float>(0);
  EXPECT_NEAR(y[0], 0.09458f, 1e-4f);
  const std::vector<float> ref = FloatReference(c, w, x);
  for (size_t k = 0; k < y.size(); ++k) EXPECT_NEAR(y[k], ref[k], 1e-6f) << k;
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(UnidirectionalSequenceLstm, FloatRandomTimeMajorAndClip) {
  const unsigned seed = 1234;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  const int b = 2, t = 4, i = 3, s = 5;
  std::vector<float> w[3][4];
  for (int g = 0; g < 4; ++g) {
    for (int k = 0; k < s * i; ++k) w[0][g].push_back(2 * dist(rng));
    for (int k = 0; k < s * s; ++k) w[1][g].push_back(dist(rng));
    for (int k = 0; k < s; ++k) w[2][g].push_back(dist(rng));
  }
  std::vector<float> x(static_cast<size_t>(b * t * i));
  for (float& v : x) v = 3 * dist(rng);
  LstmConfig c = FloatConfig(b, t, i, s, w);
  c.cell_clip = 0.4f;  // low enough to engage
  const std::vector<float> ref = FloatReference(c, w, x);

  LoadedModel batch_major;
  ASSERT_TRUE(batch_major.Load(BuildLstm(c)).ok());
  batch_major.SetInput<float>(0, x);
  ASSERT_TRUE(batch_major.interpreter().Invoke().ok());
  const std::vector<float> y = batch_major.Output<float>(0);
  for (size_t k = 0; k < y.size(); ++k) EXPECT_NEAR(y[k], ref[k], 1e-5f) << k;

  // Time-major: same sequences laid out [T][B][I]; the results must be identical.
  c.time_major = true;
  LoadedModel tm;
  ASSERT_TRUE(tm.Load(BuildLstm(c)).ok());
  std::vector<float> xt(x.size());
  for (int bb = 0; bb < b; ++bb)
    for (int tt = 0; tt < t; ++tt)
      for (int k = 0; k < i; ++k) xt[(tt * b + bb) * i + k] = x[(bb * t + tt) * i + k];
  tm.SetInput<float>(0, xt);
  ASSERT_TRUE(tm.interpreter().Invoke().ok());
  const std::vector<float> yt = tm.Output<float>(0);
  for (int bb = 0; bb < b; ++bb)
    for (int tt = 0; tt < t; ++tt)
      for (int k = 0; k < s; ++k) EXPECT_EQ(yt[(tt * b + bb) * s + k], y[(bb * t + tt) * s + k]);
  EXPECT_TRUE(tm.interpreter().GuardsIntact());
}

TEST(UnidirectionalSequenceLstm, FloatStatePersistsAcrossInvokes) {
  const std::vector<float> w[3][4] = {{{0.3f}, {-0.2f}, {0.8f}, {0.5f}},
                                      {{0.1f}, {0.4f}, {-0.6f}, {0.2f}},
                                      {{1.0f}, {0.0f}, {0.1f}, {-0.5f}}};
  LstmConfig two = FloatConfig(1, 2, 1, 1, w);
  const std::vector<float> ref = FloatReference(two, w, {0.5f, -1.0f});
  LstmConfig one = FloatConfig(1, 1, 1, 1, w);
  LoadedModel m;
  ASSERT_TRUE(m.Load(BuildLstm(one)).ok());
  m.SetInput<float>(0, {0.5f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  m.SetInput<float>(0, {-1.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_NEAR(m.Output<float>(0)[0], ref[1], 1e-6f);  // second invoke continues the state
  m.interpreter().ResetVariables();
  m.SetInput<float>(0, {0.5f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_NEAR(m.Output<float>(0)[0], ref[0], 1e-6f);
}

TEST(UnidirectionalSequenceLstm, RejectsUnsupportedVariants) {
  const std::vector<float> w[3][4] = {{{0.3f}, {-0.2f}, {0.8f}, {0.5f}},
                                      {{0.1f}, {0.4f}, {-0.6f}, {0.2f}},
                                      {{1.0f}, {0.0f}, {0.1f}, {-0.5f}}};
  LstmConfig c = FloatConfig(1, 2, 1, 1, w);
  struct Case {
    int peephole_slot;
    tflite::ActivationFunctionType act;
    const char* needle;
  } cases[] = {{10, tflite::ActivationFunctionType::TANH, "peephole"},
               {16, tflite::ActivationFunctionType::TANH, "projection"},
               {21, tflite::ActivationFunctionType::TANH, "layer-norm"},
               {-1, tflite::ActivationFunctionType::RELU, "TANH"}};
  for (const Case& k : cases) {
    c.activation = k.act;
    LoadedModel m;
    Status s = m.Load(BuildLstm(c, k.peephole_slot));
    ASSERT_FALSE(s.ok()) << k.needle;
    EXPECT_NE(std::string(s.message()).find("UNIDIRECTIONAL_SEQUENCE_LSTM"), std::string::npos)
        << s.message();
    EXPECT_NE(std::string(s.message()).find(k.needle), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace tv
