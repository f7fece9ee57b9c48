#include <gtest/gtest.h>

#include <cmath>
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

Status BuildRelu(LoadedModel* m, DataType t, QuantSpec qi, QuantSpec qo, int n = 5,
                 DataType out_t = DataType::kFloat32, bool same_type = true) {
  ModelBuilder b;
  int in = b.AddTensor(t, {1, n}, qi, "x");
  int out = b.AddTensor(same_type ? t : out_t, {1, n}, qo, "y");
  b.AddOperator(op::kRelu, {in}, {out});
  b.SetGraphIO({in}, {out});
  return m->Load(b.Build());
}

TEST(Relu, Float) {
  LoadedModel m;
  ASSERT_TRUE(BuildRelu(&m, DataType::kFloat32, {}, {}).ok());
  m.SetInput<float>(0, {-1.5f, 0.0f, 2.25f, -0.0f, 1e30f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  const auto out = m.Output<float>(0);
  EXPECT_EQ(out, (std::vector<float>{0.0f, 0.0f, 2.25f, -0.0f, 1e30f}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Relu, Int8RequantizesAndClampsAtOutputZeroPoint) {
  // sI = 0.5, zI = 10 -> sO = 0.25, zO = -20: eff 2 -> exact doubling.
  // out = max(-20, -20 + 2 * (x - 10)), clamped to 127:
  //   x=10 -> -20; x=0 -> -40 -> -20; x=30 -> 20; x=100 -> 160 -> 127; x=11 -> -18.
  LoadedModel m;
  ASSERT_TRUE(BuildRelu(&m, DataType::kInt8, QuantSpec::PerTensor(0.5f, 10),
                        QuantSpec::PerTensor(0.25f, -20))
                  .ok());
  m.SetInput<int8_t>(0, {10, 0, 30, 100, 11});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{-20, -20, 20, 127, -18}));
}

TEST(Relu, Int16RandomMatchesFormula) {
  const uint32_t seed = 99;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> vd(-32768, 32767);
  const float si = 0.0031f, so = 0.0017f;
  LoadedModel m;
  ASSERT_TRUE(
      BuildRelu(&m, DataType::kInt16, QuantSpec::PerTensor(si, 0), QuantSpec::PerTensor(so, 0), 64)
          .ok());
  std::vector<int16_t> x(64);
  for (auto& v : x) v = static_cast<int16_t>(vd(rng));
  m.SetInput<int16_t>(0, x);
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  int32_t mult;
  int sh;
  qm::QuantizeMultiplier(double{si} / double{so}, &mult, &sh);
  const auto out = m.Output<int16_t>(0);
  for (int i = 0; i < 64; ++i) {
    ASSERT_EQ(out[i], qm::Clamp(qm::MBQM(x[i], mult, sh), 0, 32767)) << "element " << i;
  }
}

TEST(Relu, RejectsBadOperands) {
  {
    LoadedModel m;
    Status s = BuildRelu(&m, DataType::kInt16, QuantSpec::PerTensor(0.5f, 3),
                         QuantSpec::PerTensor(0.5f, 0));
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("RELU"), std::string::npos) << s.message();
    EXPECT_NE(std::string(s.message()).find("zero points"), std::string::npos) << s.message();
  }
  {
    LoadedModel m;
    Status s = BuildRelu(&m, DataType::kInt32, {}, {});
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("input 'x' has type int32"), std::string::npos)
        << s.message();
  }
  {
    LoadedModel m;
    Status s = BuildRelu(&m, DataType::kInt8, QuantSpec::PerTensor(0.5f, 0),
                         QuantSpec::PerTensor(0.5f, 0), 5, DataType::kInt16, false);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("output 'y' has type int16"), std::string::npos)
        << s.message();
  }
}

}  // namespace
}  // namespace tv
