#include <gtest/gtest.h>

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

tflite::BuiltinOptionsUnion MulOpts(tflite::ActivationFunctionType act) {
  tflite::BuiltinOptionsUnion u;
  tflite::MulOptionsT o;
  o.fused_activation_function = act;
  u.Set(o);
  return u;
}

struct MulModel {
  LoadedModel m;
  Status status;
  MulModel(DataType t, std::vector<int32_t> s1, std::vector<int32_t> s2, std::vector<int32_t> so,
           QuantSpec q1 = {}, QuantSpec q2 = {}, QuantSpec qo = {},
           tflite::ActivationFunctionType act = tflite::ActivationFunctionType::NONE) {
    ModelBuilder b;
    int a = b.AddTensor(t, s1, q1, "a");
    int c = b.AddTensor(t, s2, q2, "b");
    int o = b.AddTensor(t, so, qo, "out");
    b.AddOperator(op::kMul, {a, c}, {o}, MulOpts(act));
    b.SetGraphIO({a, c}, {o});
    status = m.Load(b.Build());
  }
};

TEST(Mul, FloatBroadcastRelu) {
  MulModel mm(DataType::kFloat32, {2, 1}, {1, 3}, {2, 3}, {}, {}, {},
              tflite::ActivationFunctionType::RELU);
  ASSERT_TRUE(mm.status.ok()) << mm.status.message();
  mm.m.SetInput<float>(0, {2.0f, -1.0f});
  mm.m.SetInput<float>(1, {1.5f, -2.0f, 0.25f});
  ASSERT_TRUE(mm.m.interpreter().Invoke().ok());
  EXPECT_EQ(mm.m.Output<float>(0), (std::vector<float>{3.0f, 0.0f, 0.5f, 0.0f, 2.0f, 0.0f}));
  EXPECT_TRUE(mm.m.interpreter().GuardsIntact());
}

TEST(Mul, Int8HandCheckedWithOffsets) {
  // s1 = 0.5, s2 = 0.25, sO = 0.125 -> eff = 1.0 -> (M = 2^30, shift = 1) -> MBQM(p) = p.
  // out = x1 * (x2 - 2) - 1, clamped: 3*4-1 = 11; -5*-2-1 = 9; 127*125 saturates to 127;
  // -128*125 saturates to -128.
  MulModel mm(DataType::kInt8, {4}, {4}, {4}, QuantSpec::PerTensor(0.5f, 0),
              QuantSpec::PerTensor(0.25f, 2), QuantSpec::PerTensor(0.125f, -1));
  ASSERT_TRUE(mm.status.ok()) << mm.status.message();
  mm.m.SetInput<int8_t>(0, {3, -5, 127, -128});
  mm.m.SetInput<int8_t>(1, {6, 0, 127, 127});
  ASSERT_TRUE(mm.m.interpreter().Invoke().ok());
  EXPECT_EQ(mm.m.Output<int8_t>(0), (std::vector<int8_t>{11, 9, 127, -128}));
  EXPECT_TRUE(mm.m.interpreter().GuardsIntact());
}

TEST(Mul, Int8RoundingTiesTowardPlusInfinity) {
  // eff = 0.5 -> (M = 2^30, shift 0): MBQM(p) = SRDHM(p, 2^30) = floor(p/2 + 1/2) (§2: SRDHM
  // rounds ties toward +inf): 3 -> 2, -3 -> -1, -5 -> -2, 5 -> 3.
  MulModel mm(DataType::kInt8, {4}, {1}, {4}, QuantSpec::PerTensor(0.5f, 0),
              QuantSpec::PerTensor(0.5f, 0), QuantSpec::PerTensor(0.5f, 0));
  ASSERT_TRUE(mm.status.ok()) << mm.status.message();
  mm.m.SetInput<int8_t>(0, {3, -3, -5, 5});
  mm.m.SetInput<int8_t>(1, {1});
  ASSERT_TRUE(mm.m.interpreter().Invoke().ok());
  EXPECT_EQ(mm.m.Output<int8_t>(0), (std::vector<int8_t>{2, -1, -2, 3}));
}

TEST(Mul, Int16RandomMatchesFormula) {
  const uint32_t seed = 4242;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> vd(-32768, 32767);
  const float s1 = 0.0123f, s2 = 0.00071f, so = 0.0004f;
  MulModel mm(DataType::kInt16, {3, 4}, {4}, {3, 4}, QuantSpec::PerTensor(s1, 0),
              QuantSpec::PerTensor(s2, 0), QuantSpec::PerTensor(so, 0),
              tflite::ActivationFunctionType::RELU6);
  ASSERT_TRUE(mm.status.ok()) << mm.status.message();
  std::vector<int16_t> a(12), b(4);
  for (auto& v : a) v = static_cast<int16_t>(vd(rng));
  for (auto& v : b) v = static_cast<int16_t>(vd(rng));
  mm.m.SetInput<int16_t>(0, a);
  mm.m.SetInput<int16_t>(1, b);
  ASSERT_TRUE(mm.m.interpreter().Invoke().ok());
  int32_t m;
  int sh;
  qm::QuantizeMultiplier(double{s1} * double{s2} / double{so}, &m, &sh);
  int32_t lo, hi;
  qm::ActivationRangeQuantized(qm::kActRelu6, DataType::kInt16, so, 0, &lo, &hi);
  const auto out = mm.m.Output<int16_t>(0);
  for (int i = 0; i < 12; ++i) {
    const int32_t want = qm::Clamp(qm::MBQM(a[i] * b[i % 4], m, sh), lo, hi);
    ASSERT_EQ(out[i], want) << "element " << i;
  }
}

TEST(Mul, Int32ClampsToActivation) {
  MulModel mm(DataType::kInt32, {3}, {3}, {3}, {}, {}, {},
              tflite::ActivationFunctionType::RELU_N1_TO_1);
  ASSERT_TRUE(mm.status.ok()) << mm.status.message();
  mm.m.SetInput<int32_t>(0, {3, -3, 0});
  mm.m.SetInput<int32_t>(1, {2, 2, 5});
  ASSERT_TRUE(mm.m.interpreter().Invoke().ok());
  EXPECT_EQ(mm.m.Output<int32_t>(0), (std::vector<int32_t>{1, -1, 0}));
}

TEST(Mul, RejectsBadOperands) {
  {
    MulModel mm(DataType::kInt16, {2}, {2}, {2}, QuantSpec::PerTensor(0.5f, 1),
                QuantSpec::PerTensor(0.5f, 0), QuantSpec::PerTensor(0.5f, 0));
    ASSERT_FALSE(mm.status.ok());
    EXPECT_NE(std::string(mm.status.message()).find("MUL"), std::string::npos)
        << mm.status.message();
    EXPECT_NE(std::string(mm.status.message()).find("zero points"), std::string::npos);
  }
  {
    // Real multiplier ~1e12 needs a left shift beyond 31.
    MulModel mm(DataType::kInt8, {2}, {2}, {2}, QuantSpec::PerTensor(1e3f, 0),
                QuantSpec::PerTensor(1e3f, 0), QuantSpec::PerTensor(1e-6f, 0));
    ASSERT_FALSE(mm.status.ok());
    EXPECT_NE(std::string(mm.status.message()).find("out of range"), std::string::npos)
        << mm.status.message();
  }
  {
    // Valid multiplier (1e-2) but round(6 / sO) does not fit in int32 for the RELU6 range.
    MulModel mm(DataType::kInt8, {2}, {2}, {2}, QuantSpec::PerTensor(1e-20f, 0),
                QuantSpec::PerTensor(2e-20f, 0), QuantSpec::PerTensor(4e-38f, 0),
                tflite::ActivationFunctionType::RELU6);
    ASSERT_FALSE(mm.status.ok());
    EXPECT_NE(std::string(mm.status.message()).find("too small"), std::string::npos)
        << mm.status.message();
  }
  {
    MulModel mm(DataType::kInt8, {2, 2}, {3}, {2, 2}, QuantSpec::PerTensor(0.5f, 0),
                QuantSpec::PerTensor(0.5f, 0), QuantSpec::PerTensor(0.5f, 0));
    ASSERT_FALSE(mm.status.ok());
    EXPECT_NE(std::string(mm.status.message()).find("broadcast"), std::string::npos)
        << mm.status.message();
  }
}

}  // namespace
}  // namespace tv
