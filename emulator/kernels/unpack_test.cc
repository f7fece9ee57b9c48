#include <gtest/gtest.h>

#include <string>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

tflite::BuiltinOptionsUnion UnpackOpts(int32_t num, int32_t axis) {
  tflite::BuiltinOptionsUnion u;
  tflite::UnpackOptionsT o;
  o.num = num;
  o.axis = axis;
  u.Set(o);
  return u;
}

TEST(Unpack, HandCheckedAxis1) {
  // x [2, 3] = [[0, 1, 2], [3, 4, 5]] unpacked on axis 1 -> [0, 3], [1, 4], [2, 5].
  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt16, {2, 3}, QuantSpec::PerTensor(1.0f, 0));
  std::vector<int32_t> outs;
  for (int i = 0; i < 3; ++i) {
    outs.push_back(b.AddTensor(DataType::kInt16, {2}, QuantSpec::PerTensor(1.0f, 0)));
  }
  b.AddOperator(op::kUnpack, {in}, outs, UnpackOpts(3, -1));
  b.SetGraphIO({in}, outs);
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_TRUE(s.ok()) << s.message();
  m.SetInput<int16_t>(0, {0, 1, 2, 3, 4, 5});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int16_t>(0), (std::vector<int16_t>{0, 3}));
  EXPECT_EQ(m.Output<int16_t>(1), (std::vector<int16_t>{1, 4}));
  EXPECT_EQ(m.Output<int16_t>(2), (std::vector<int16_t>{2, 5}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Unpack, FloatAxis0) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kFloat32, {2, 2});
  int o0 = b.AddTensor(DataType::kFloat32, {2});
  int o1 = b.AddTensor(DataType::kFloat32, {2});
  b.AddOperator(op::kUnpack, {in}, {o0, o1}, UnpackOpts(2, 0));
  b.SetGraphIO({in}, {o0, o1});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  m.SetInput<float>(0, {1.5f, 2.5f, -3.5f, 4.5f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{1.5f, 2.5f}));
  EXPECT_EQ(m.Output<float>(1), (std::vector<float>{-3.5f, 4.5f}));
}

TEST(Unpack, RejectsBadModels) {
  auto load = [](int32_t num, int32_t axis, std::vector<int32_t> out_shape,
                 DataType t = DataType::kInt8) {
    ModelBuilder b;
    int in = b.AddTensor(t, {2, 3});
    int o0 = b.AddTensor(t, out_shape);
    int o1 = b.AddTensor(t, out_shape);
    b.AddOperator(op::kUnpack, {in}, {o0, o1}, UnpackOpts(num, axis));
    b.SetGraphIO({in}, {o0, o1});
    LoadedModel m;
    return m.Load(b.Build());
  };
  ASSERT_TRUE(load(2, 0, {3}).ok());
  Status s = load(2, 0, {2});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("UNPACK"), std::string::npos) << s.message();
  EXPECT_FALSE(load(3, 0, {3}).ok());  // num disagrees with outputs
  EXPECT_FALSE(load(2, 1, {2}).ok());  // axis 1 has 3 entries, not 2
  EXPECT_FALSE(load(2, 2, {3}).ok());  // axis out of range
  EXPECT_FALSE(load(2, 0, {3}, DataType::kInt64).ok());
}

}  // namespace
}  // namespace tv
