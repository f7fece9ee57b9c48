#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

Status BuildMax(LoadedModel* m, DataType t, std::vector<int32_t> s1, std::vector<int32_t> s2,
                std::vector<int32_t> so, QuantSpec q1 = {}, QuantSpec q2 = {}, QuantSpec qo = {},
                DataType t2 = DataType::kFloat32, bool same = true) {
  ModelBuilder b;
  int a = b.AddTensor(t, s1, q1, "a");
  int c = b.AddTensor(same ? t : t2, s2, q2, "b");
  int o = b.AddTensor(t, so, qo, "out");
  b.AddOperator(op::kMaximum, {a, c}, {o});
  b.SetGraphIO({a, c}, {o});
  return m->Load(b.Build());
}

TEST(Maximum, FloatBroadcastAndNaNOrder) {
  // a > b ? a : b : a NaN in `a` loses (comparison false), a NaN in `b` wins.
  LoadedModel m;
  ASSERT_TRUE(BuildMax(&m, DataType::kFloat32, {2, 2}, {2}, {2, 2}).ok());
  const float nan = std::nanf("");
  m.SetInput<float>(0, {1.0f, -5.0f, nan, 4.0f});
  m.SetInput<float>(1, {0.5f, nan});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  const auto out = m.Output<float>(0);
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_TRUE(std::isnan(out[1]));
  EXPECT_EQ(out[2], 0.5f);
  EXPECT_TRUE(std::isnan(out[3]));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Maximum, Int8ComparesRawValuesWithoutRequantization) {
  // Different scales/zero points are ignored: the raw int8 values are compared.
  LoadedModel m;
  ASSERT_TRUE(BuildMax(&m, DataType::kInt8, {1, 4}, {1, 1}, {1, 4}, QuantSpec::PerTensor(0.5f, 3),
                       QuantSpec::PerTensor(2.0f, -7), QuantSpec::PerTensor(1.0f, 0))
                  .ok());
  m.SetInput<int8_t>(0, {-128, 0, 5, 127});
  m.SetInput<int8_t>(1, {4});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{4, 4, 5, 127}));
}

TEST(Maximum, Int16Int32Int64) {
  {
    LoadedModel m;
    ASSERT_TRUE(BuildMax(&m, DataType::kInt16, {3}, {3}, {3}).ok());
    m.SetInput<int16_t>(0, {-32768, 100, 7});
    m.SetInput<int16_t>(1, {-1, 99, 7});
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    EXPECT_EQ(m.Output<int16_t>(0), (std::vector<int16_t>{-1, 100, 7}));
  }
  {
    LoadedModel m;
    ASSERT_TRUE(BuildMax(&m, DataType::kInt32, {2, 1}, {3}, {2, 3}).ok());
    m.SetInput<int32_t>(0, {0, 10});
    m.SetInput<int32_t>(1, {-1, 5, 20});
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    EXPECT_EQ(m.Output<int32_t>(0), (std::vector<int32_t>{0, 5, 20, 10, 10, 20}));
  }
  {
    LoadedModel m;
    ASSERT_TRUE(BuildMax(&m, DataType::kInt64, {2}, {2}, {2}).ok());
    m.SetInput<int64_t>(0, {int64_t{1} << 40, -3});
    m.SetInput<int64_t>(1, {5, -2});
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    EXPECT_EQ(m.Output<int64_t>(0), (std::vector<int64_t>{int64_t{1} << 40, -2}));
  }
}

TEST(Maximum, RejectsBadOperands) {
  {
    LoadedModel m;
    Status s = BuildMax(&m, DataType::kFloat32, {2}, {2}, {2}, {}, {}, {}, DataType::kInt8, false);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("MAXIMUM"), std::string::npos) << s.message();
    EXPECT_NE(std::string(s.message()).find("input 'b' has type int8"), std::string::npos)
        << s.message();
  }
  {
    LoadedModel m;
    Status s = BuildMax(&m, DataType::kFloat32, {2, 3}, {4}, {2, 3});
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("broadcast"), std::string::npos) << s.message();
  }
  {
    LoadedModel m;
    Status s = BuildMax(&m, DataType::kUInt8, {2}, {2}, {2});
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("type uint8"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace tv
