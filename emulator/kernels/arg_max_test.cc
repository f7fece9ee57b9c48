#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

Status BuildArgMax(DataType t, std::vector<int32_t> in_shape, int32_t axis,
                   std::vector<int32_t> out_shape, LoadedModel* m,
                   DataType out_type = DataType::kInt32, bool const_axis = true) {
  ModelBuilder b;
  int in = b.AddTensor(t, in_shape, QuantSpec::PerTensor(1.0f, 0));
  int ax = const_axis ? b.AddConst<int32_t>(DataType::kInt32, {1}, {axis})
                      : b.AddTensor(DataType::kInt32, {1});
  int out = b.AddTensor(out_type, out_shape);
  b.AddOperator(op::kArgMax, {in, ax}, {out});
  b.SetGraphIO(const_axis ? std::vector<int32_t>{in} : std::vector<int32_t>{in, ax}, {out});
  return m->Load(b.Build());
}

TEST(ArgMax, Int8LastAxisTiesPickFirst) {
  // rows [3, 7, 7, 1] -> 1 (tie between 1 and 2 keeps the first); [-5, -5, -5, -5] -> 0.
  LoadedModel m;
  Status s = BuildArgMax(DataType::kInt8, {2, 4}, -1, {2}, &m);
  ASSERT_TRUE(s.ok()) << s.message();
  m.SetInput<int8_t>(0, {3, 7, 7, 1, -5, -5, -5, -5});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int32_t>(0), (std::vector<int32_t>{1, 0}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(ArgMax, FloatAxis0AndNaN) {
  // columns of [[1, nan, 2], [5, 0, nan], [5, 9, 1]] on axis 0: [1, 0 (nan first never
  // replaced), 0 (a later nan never wins)].
  LoadedModel m;
  ASSERT_TRUE(BuildArgMax(DataType::kFloat32, {3, 3}, 0, {3}, &m).ok());
  const float nan = std::numeric_limits<float>::quiet_NaN();
  m.SetInput<float>(0, {1, nan, 2, 5, 0, nan, 5, 9, 1});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int32_t>(0), (std::vector<int32_t>{1, 0, 0}));
}

TEST(ArgMax, RuntimeAxisIsCheckedAtInvoke) {
  LoadedModel m;
  ASSERT_TRUE(BuildArgMax(DataType::kFloat32, {2, 2}, 0, {2}, &m, DataType::kInt32, false).ok());
  m.SetInput<float>(0, {1, 4, 3, 2});
  m.SetInput<int32_t>(1, {1});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int32_t>(0), (std::vector<int32_t>{1, 0}));
  m.SetInput<int32_t>(1, {7});
  EXPECT_FALSE(m.interpreter().Invoke().ok());
}

TEST(ArgMax, RejectsBadModels) {
  LoadedModel m1;
  Status s = BuildArgMax(DataType::kInt8, {2, 4}, 1, {4}, &m1);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("ARG_MAX"), std::string::npos) << s.message();
  LoadedModel m2;  // TFLM writes int32 only
  EXPECT_FALSE(BuildArgMax(DataType::kInt8, {2, 4}, 1, {2}, &m2, DataType::kInt64).ok());
  LoadedModel m3;  // input type
  EXPECT_FALSE(BuildArgMax(DataType::kInt16, {2, 4}, 1, {2}, &m3).ok());
  LoadedModel m4;  // axis out of range
  EXPECT_FALSE(BuildArgMax(DataType::kInt8, {2, 4}, 2, {2}, &m4).ok());
}

}  // namespace
}  // namespace tv
