// SOFTMAX tests: hand-checked cases and error handling. The oracle comparisons are in
// softmax_oracle_test.cc.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "emulator/kernels/softmax_test_util.h"

namespace tv {
namespace softmax_test {
namespace {

// ---- Hand-checked cases ----
TEST(Softmax, Int8HandChecked) {
  // One element: sum = exp(0) = 2^19 in Q12 -> 1/sum = ~2^31 (nbou 0), E = 23 ->
  // 2^31 / 2^23 - 128 = 128 -> clamps to 127.
  // Two equal elements: sum = 2^20 -> nbou 1, scale ~2^31, E = 24 -> 128 - 128 = 0 (= 0.5).
  Config c{DataType::kInt8, DataType::kInt8, {3, 2}, QuantSpec::PerTensor(0.1f, 3), kOut8};
  // rows: [5, 5] equal; [127, -128] diff -255 is below diff_min -> -128 for it, 127 for max;
  // [-128, -128] equal.
  EXPECT_EQ((RunSoftmax<int8_t, int8_t>(c, {5, 5, 127, -128, -128, -128})),
            (std::vector<int8_t>{0, 0, 127, -128, 0, 0}));
  Config single{DataType::kInt8, DataType::kInt8, {1}, QuantSpec::PerTensor(0.5f, 0), kOut8};
  EXPECT_EQ((RunSoftmax<int8_t, int8_t>(single, {-7})), (std::vector<int8_t>{127}));
}

TEST(Softmax, Int8DiffMinCutOff) {
  // s_in = 1, beta = 1: real = 2^26 -> M = 2^30, shift 27; diff_min = -floor(31*2^26/2^27)
  // = -15. Diff -16 is cut (-128). Diff -15: exp(-15)*2^31 ~ 656 rounds to 0 in the Q12 sum
  // and to 0 in the output (656 / 2^23), so that entry is also -128 but via the exp path.
  Config c{DataType::kInt8, DataType::kInt8, {2, 2}, QuantSpec::PerTensor(1.0f, 0), kOut8};
  EXPECT_EQ((RunSoftmax<int8_t, int8_t>(c, {0, -16, 0, -15})),
            (std::vector<int8_t>{127, -128, 127, -128}));
}

TEST(Softmax, Int8ToInt16HandChecked) {
  // One element: E = 0 + 31 - 16 = 15 -> 2^31/2^15 - 32768 = 32768 -> clamps to 32767.
  // Two equal: E = 16 -> 32768 - 32768 = 0 (= 0.5 at scale 1/65536, zp -32768).
  Config c{DataType::kInt8, DataType::kInt16, {1, 2}, QuantSpec::PerTensor(0.1f, 0), kOut16From8};
  EXPECT_EQ((RunSoftmax<int8_t, int16_t>(c, {9, 9})), (std::vector<int16_t>{0, 0}));
  c.shape = {1};
  EXPECT_EQ((RunSoftmax<int8_t, int16_t>(c, {9})), (std::vector<int16_t>{32767}));
}

TEST(Softmax, FloatHandChecked) {
  // [1, 2]: e = [exp(-1), 1], out = [1/(1+e^-1), e^0/(1+e^-1)] = [0.2689414, 0.7310586].
  // [0, 0, 0, 0]: 0.25 each. beta 2 on [0, ln 3 / 2]: e = [1/3, 1] -> [0.25, 0.75].
  Config c{DataType::kFloat32, DataType::kFloat32, {2, 2}, {}, {}};
  auto out = RunSoftmax<float, float>(c, {1.0f, 2.0f, 3.0f, 3.0f});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_NEAR(out[0], 0.26894142f, 1e-6f);
  EXPECT_NEAR(out[1], 0.73105858f, 1e-6f);
  EXPECT_EQ(out[2], 0.5f);
  EXPECT_EQ(out[3], 0.5f);
  Config c4{DataType::kFloat32, DataType::kFloat32, {1, 4}, {}, {}};
  EXPECT_EQ((RunSoftmax<float, float>(c4, {-3, -3, -3, -3})), (std::vector<float>(4, 0.25f)));
  Config cb{DataType::kFloat32, DataType::kFloat32, {2}, {}, {}, 2.0f};
  out = RunSoftmax<float, float>(cb, {0.0f, std::log(3.0f) / 2});
  EXPECT_NEAR(out[0], 0.25f, 1e-6f);
  EXPECT_NEAR(out[1], 0.75f, 1e-6f);
}

TEST(Softmax, FloatMatchesTflmOrder) {
  // Bit-exact against the §17 order: expf((x - max) * beta), running sum, divide.
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-8.0f, 8.0f);
  Config c{DataType::kFloat32, DataType::kFloat32, {3, 17}, {}, {}, 0.7f};
  std::vector<float> x(51);
  for (float& v : x) v = dist(rng);
  const auto out = RunSoftmax<float, float>(c, x);
  for (int r = 0; r < 3; ++r) {
    float mx = std::numeric_limits<float>::lowest(), sum = 0.0f;
    for (int i = 0; i < 17; ++i) mx = std::max(mx, x[r * 17 + i]);
    std::vector<float> e(17);
    for (int i = 0; i < 17; ++i) sum += e[i] = std::exp((x[r * 17 + i] - mx) * 0.7f);
    for (int i = 0; i < 17; ++i) EXPECT_EQ(out[r * 17 + i], e[i] / sum) << r << "," << i;
  }
}

TEST(Softmax, Int16HandChecked) {
  // One element: 1.0 saturates to 32767; two equal elements give ~0.5 (16384 +- 1 from the
  // LUT interpolation); exactness is checked against the oracle in the randomized test.
  Config c{
      DataType::kInt16, DataType::kInt16, {2, 2}, QuantSpec::PerTensor(1.0f / 1024, 0), kOut16};
  const auto out = RunSoftmax<int16_t, int16_t>(c, {100, 100, 0, -32768});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_NEAR(out[0], 16384, 1);
  EXPECT_EQ(out[0], out[1]);
  EXPECT_NEAR(out[2], 32767, 2);
  // Diff -32 is below the LUT's range [-10, 0]: it clamps to exp(-10) * 32768 ~ 1.5, so the
  // output is 1 or 2, not 0.
  EXPECT_GE(out[3], 1);
  EXPECT_LE(out[3], 2);
}

// ---- Errors ----
TEST(Softmax, RejectsBadInputs) {
  Config c{DataType::kInt32,
           DataType::kInt32,
           {1, 4},
           QuantSpec::PerTensor(1.0f, 0),
           QuantSpec::PerTensor(1.0f, 0)};
  std::string e = LoadError(c);
  EXPECT_NE(e.find("SOFTMAX"), std::string::npos) << e;
  EXPECT_NE(e.find("int32"), std::string::npos) << e;

  c = Config{DataType::kInt8,
             DataType::kInt8,
             {1, 4},
             QuantSpec::PerTensor(0.1f, 0),
             QuantSpec::PerTensor(1.0f / 128, -128)};
  e = LoadError(c);
  EXPECT_NE(e.find("1/256"), std::string::npos) << e;

  c.out_q = QuantSpec::PerTensor(1.0f / 256, 0);
  EXPECT_NE(LoadError(c).find("zero point"), std::string::npos);

  c.out_q = kOut8;
  c.beta = 0.0f;  // QuantizeMultiplierGreaterThanOne would abort in TFLM
  EXPECT_NE(LoadError(c).find("beta"), std::string::npos);

  c = Config{DataType::kFloat32, DataType::kInt8, {1, 4}, {}, kOut8};
  EXPECT_NE(LoadError(c).find("float32"), std::string::npos);

  c = Config{DataType::kInt16, DataType::kInt8, {1, 4}, QuantSpec::PerTensor(0.1f, 0), kOut8};
  EXPECT_NE(LoadError(c).find("int16"), std::string::npos);

  // Output shape must match the input shape.
  ModelBuilder b;
  const int in = b.AddTensor(DataType::kFloat32, {1, 4}, {}, "x");
  const int out = b.AddTensor(DataType::kFloat32, {1, 5}, {}, "y");
  b.AddOperator(op::kSoftmax, {in}, {out}, SoftmaxOptions(1.0f));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("shape"), std::string::npos) << s.message();
}

TEST(Softmax, AbsentOptionsMeanBetaZero) {
  // Absent options table -> beta = 0 (TFLM zero-initialises): float softmax is then uniform.
  ModelBuilder b;
  const int in = b.AddTensor(DataType::kFloat32, {1, 4}, {}, "x");
  const int out = b.AddTensor(DataType::kFloat32, {1, 4}, {}, "y");
  b.AddOperator(op::kSoftmax, {in}, {out});
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  m.SetInput<float>(0, {1.0f, 5.0f, -2.0f, 0.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>(4, 0.25f)));
}

TEST(Softmax, Int8LongRowOverflowIsAnError) {
  // 600 equal values: sum = 600 * 2^19 > 2^28, so the output exponent exceeds 31 — TFLM's
  // TFLITE_CHECK aborts; the emulator reports an error from Invoke instead.
  Config c{DataType::kInt8, DataType::kInt8, {1, 600}, QuantSpec::PerTensor(0.1f, 0), kOut8};
  LoadedModel m;
  ASSERT_TRUE(m.Load(BuildSoftmax(c)).ok());
  m.SetInput<int8_t>(0, std::vector<int8_t>(600, 3));
  EXPECT_FALSE(m.interpreter().Invoke().ok());
}

}  // namespace
}  // namespace softmax_test
}  // namespace tv
