#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/quant_math.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

Status BuildMean(LoadedModel* m, DataType t, std::vector<int32_t> in_shape,
                 std::vector<int32_t> axes, std::vector<int32_t> out_shape, bool keep_dims,
                 QuantSpec qi = {}, QuantSpec qo = {}, bool const_axes = true) {
  ModelBuilder b;
  int in = b.AddTensor(t, in_shape, qi, "x");
  int ax = const_axes
               ? b.AddConst<int32_t>(DataType::kInt32, {static_cast<int32_t>(axes.size())}, axes)
               : b.AddTensor(DataType::kInt32, {static_cast<int32_t>(axes.size())}, {}, "axes");
  int out = b.AddTensor(t, out_shape, qo, "y");
  tflite::BuiltinOptionsUnion u;
  tflite::ReducerOptionsT o;
  o.keep_dims = keep_dims;
  u.Set(o);
  b.AddOperator(op::kMean, {in, ax}, {out}, std::move(u));
  if (const_axes) {
    b.SetGraphIO({in}, {out});
  } else {
    b.SetGraphIO({in, ax}, {out});
  }
  return m->Load(b.Build());
}

TEST(Mean, FloatLastAxis) {
  LoadedModel m;
  ASSERT_TRUE(BuildMean(&m, DataType::kFloat32, {2, 3}, {1}, {2}, false).ok());
  m.SetInput<float>(0, {1.0f, 2.0f, 6.0f, -1.0f, 0.5f, 0.5f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{3.0f, 0.0f}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Mean, FloatSpatialKeepDimsSumsInRowMajorOrder) {
  // [1,2,2,2] over axes {1,2} with keep_dims -> [1,1,1,2]; channel c averages x[h][w][c].
  LoadedModel m;
  ASSERT_TRUE(BuildMean(&m, DataType::kFloat32, {1, 2, 2, 2}, {2, 1}, {1, 1, 1, 2}, true).ok());
  m.SetInput<float>(0, {1e8f, 1.0f, 1.0f, 2.0f, -1e8f, 3.0f, 1.0f, 4.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  // Channel 0: ((1e8 + 1) - 1e8) + 1 in float = (1e8 - 1e8) + 1 = 1 (the +1 is absorbed first).
  const float c0 = (((0.0f + 1e8f) + 1.0f) + -1e8f) + 1.0f;
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{c0 / 4.0f, 10.0f / 4.0f}));
}

TEST(Mean, Int8HalfTiesRoundTowardPlusInfinity) {
  // sI = sO = 1, z = 0, N = 2: M0 = 2^30, s0 = 1, k = 1 -> M = 2^30, s = 0, so
  // out = SRDHM(sum, 2^30) = floor(sum/2 + 1/2): 3 -> 2, -3 -> -1, 7 -> 4, -7 -> -3.
  LoadedModel m;
  ASSERT_TRUE(BuildMean(&m, DataType::kInt8, {4, 2}, {-1}, {4}, false,
                        QuantSpec::PerTensor(1.0f, 0), QuantSpec::PerTensor(1.0f, 0))
                  .ok());
  m.SetInput<int8_t>(0, {1, 2, -1, -2, 3, 4, -3, -4});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{2, -1, 4, -3}));
}

TEST(Mean, Int8MultiplierFoldingWithThreeElements) {
  // N = 3: k = 1, M = (2^30 << 1) / 3 = 715827882 (truncated), s = 0.
  // sum 5 -> floor((5*715827882 + 2^30) / 2^31) = 2; sum -5 -> -2; sum 9 -> 3; sum 4 -> 1.
  LoadedModel m;
  ASSERT_TRUE(BuildMean(&m, DataType::kInt8, {4, 3}, {1, 1}, {4, 1}, true,
                        QuantSpec::PerTensor(1.0f, 0), QuantSpec::PerTensor(1.0f, 0))
                  .ok());
  m.SetInput<int8_t>(0, {1, 2, 2, -1, -2, -2, 3, 3, 3, 1, 1, 2});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{2, -2, 3, 1}));
}

// Independent reference of §13.1 for one output.
int32_t RefMean(int64_t sum, int64_t n, float si, int32_t zi, float so, int32_t zo, int32_t lo,
                int32_t hi) {
  int32_t m0;
  int s0;
  qm::QuantizeMultiplier(static_cast<double>(si) / static_cast<double>(so), &m0, &s0);
  int k = 63 - __builtin_clzll(static_cast<unsigned long long>(n));
  k = std::min(k, 32);
  k = std::min(k, 31 + s0);
  const int32_t m = static_cast<int32_t>((static_cast<int64_t>(m0) << k) / n);
  const int32_t v = qm::MBQM(static_cast<int32_t>(sum - int64_t{zi} * n), m, s0 - k) + zo;
  return v < lo ? lo : (v > hi ? hi : v);
}

TEST(Mean, Int8RandomMatchesReference) {
  const uint32_t seed = 2024;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> vd(-128, 127);
  std::uniform_real_distribution<float> sd(0.01f, 0.5f);
  for (int iter = 0; iter < 10; ++iter) {
    const float si = sd(rng), so = sd(rng);
    const int zi = vd(rng), zo = vd(rng);
    // [3,4,5] over axes {0, 2} (given as {-3, 2, 0}) -> [4].
    LoadedModel m;
    ASSERT_TRUE(BuildMean(&m, DataType::kInt8, {3, 4, 5}, {-3, 2, 0}, {4}, false,
                          QuantSpec::PerTensor(si, zi), QuantSpec::PerTensor(so, zo))
                    .ok());
    std::vector<int8_t> x(60);
    for (auto& v : x) v = static_cast<int8_t>(vd(rng));
    m.SetInput<int8_t>(0, x);
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    const auto out = m.Output<int8_t>(0);
    for (int j = 0; j < 4; ++j) {
      int64_t sum = 0;
      for (int i = 0; i < 3; ++i)
        for (int k = 0; k < 5; ++k) sum += x[(i * 4 + j) * 5 + k];
      ASSERT_EQ(out[j], RefMean(sum, 15, si, zi, so, zo, -128, 127)) << "iter " << iter;
    }
  }
}

TEST(Mean, Int16) {
  // sI = 2^-10, sO = 2^-11: the mean is doubled. Mean of {1000, 1001} = 1000.5 -> x2 = 2001.
  LoadedModel m;
  ASSERT_TRUE(BuildMean(&m, DataType::kInt16, {2, 2}, {1}, {2}, false,
                        QuantSpec::PerTensor(1.0f / 1024, 0), QuantSpec::PerTensor(1.0f / 2048, 0))
                  .ok());
  m.SetInput<int16_t>(0, {1000, 1001, 32767, 32767});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int16_t>(0), (std::vector<int16_t>{2001, 32767}));
}

TEST(Mean, RejectsBadOperands) {
  {
    LoadedModel m;
    Status s = BuildMean(&m, DataType::kFloat32, {2, 3}, {2}, {2}, false);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("MEAN"), std::string::npos) << s.message();
    EXPECT_NE(std::string(s.message()).find("axis 2 is out of range"), std::string::npos)
        << s.message();
  }
  {
    LoadedModel m;
    Status s = BuildMean(&m, DataType::kFloat32, {2, 3}, {1}, {3}, false);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("output 'y'"), std::string::npos) << s.message();
  }
  {
    LoadedModel m;
    Status s = BuildMean(&m, DataType::kFloat32, {2, 3}, {1}, {2}, false, {}, {}, false);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("constant"), std::string::npos) << s.message();
  }
  {
    LoadedModel m;
    Status s = BuildMean(&m, DataType::kInt32, {2, 3}, {1}, {2}, false);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("input 'x' has type int32"), std::string::npos)
        << s.message();
  }
}

}  // namespace
}  // namespace tv
