#include <gtest/gtest.h>

#include <string>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

tflite::BuiltinOptionsUnion SplitOpts(int32_t n) {
  tflite::BuiltinOptionsUnion u;
  tflite::SplitOptionsT o;
  o.num_splits = n;
  u.Set(o);
  return u;
}

TEST(Split, AxisInputComesFirstHandChecked) {
  // x [2, 4] = [[0, 1, 2, 3], [4, 5, 6, 7]] split on axis -1 into 2: [[0, 1], [4, 5]] and
  // [[2, 3], [6, 7]].
  ModelBuilder b;
  int axis = b.AddConst<int32_t>(DataType::kInt32, {}, {-1});
  int in = b.AddTensor(DataType::kInt8, {2, 4}, QuantSpec::PerTensor(1.0f, 0));
  int o0 = b.AddTensor(DataType::kInt8, {2, 2}, QuantSpec::PerTensor(1.0f, 0));
  int o1 = b.AddTensor(DataType::kInt8, {2, 2}, QuantSpec::PerTensor(1.0f, 0));
  b.AddOperator(op::kSplit, {axis, in}, {o0, o1}, SplitOpts(2));
  b.SetGraphIO({in}, {o0, o1});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_TRUE(s.ok()) << s.message();
  m.SetInput<int8_t>(0, {0, 1, 2, 3, 4, 5, 6, 7});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{0, 1, 4, 5}));
  EXPECT_EQ(m.Output<int8_t>(1), (std::vector<int8_t>{2, 3, 6, 7}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Split, ThreeWaysOnAxis0Float) {
  ModelBuilder b;
  int axis = b.AddConst<int32_t>(DataType::kInt32, {1}, {0});
  int in = b.AddTensor(DataType::kFloat32, {3, 2});
  std::vector<int32_t> outs;
  for (int i = 0; i < 3; ++i) outs.push_back(b.AddTensor(DataType::kFloat32, {1, 2}));
  b.AddOperator(op::kSplit, {axis, in}, outs, SplitOpts(3));
  b.SetGraphIO({in}, outs);
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  m.SetInput<float>(0, {1, 2, 3, 4, 5, 6});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{1, 2}));
  EXPECT_EQ(m.Output<float>(1), (std::vector<float>{3, 4}));
  EXPECT_EQ(m.Output<float>(2), (std::vector<float>{5, 6}));
}

Status LoadSplit(DataType t, int32_t axis_value, std::vector<int32_t> out_shape,
                 bool const_axis = true) {
  ModelBuilder b;
  int axis = const_axis ? b.AddConst<int32_t>(DataType::kInt32, {}, {axis_value})
                        : b.AddTensor(DataType::kInt32, {});
  int in = b.AddTensor(t, {2, 4});
  int o0 = b.AddTensor(t, out_shape);
  int o1 = b.AddTensor(t, out_shape);
  b.AddOperator(op::kSplit, {axis, in}, {o0, o1}, SplitOpts(2));
  b.SetGraphIO(const_axis ? std::vector<int32_t>{in} : std::vector<int32_t>{axis, in}, {o0, o1});
  LoadedModel m;
  return m.Load(b.Build());
}

TEST(Split, RejectsBadModels) {
  ASSERT_TRUE(LoadSplit(DataType::kInt16, 1, {2, 2}).ok());
  Status s = LoadSplit(DataType::kInt16, 1, {2, 4});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("SPLIT"), std::string::npos) << s.message();
  EXPECT_FALSE(LoadSplit(DataType::kInt16, 2, {2, 2}).ok());         // axis out of range
  EXPECT_FALSE(LoadSplit(DataType::kInt16, 1, {2, 2}, false).ok());  // non-constant axis
  EXPECT_FALSE(LoadSplit(DataType::kInt64, 1, {2, 2}).ok());         // type
  EXPECT_TRUE(LoadSplit(DataType::kInt32, -2, {1, 4}).ok());
}

}  // namespace
}  // namespace tv
