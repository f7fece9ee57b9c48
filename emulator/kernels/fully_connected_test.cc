#include <gtest/gtest.h>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

tflite::BuiltinOptionsUnion FcOptions(tflite::ActivationFunctionType act) {
  tflite::BuiltinOptionsUnion u;
  tflite::FullyConnectedOptionsT o;
  o.fused_activation_function = act;
  u.Set(o);
  return u;
}

TEST(FullyConnected, Int8PerTensorHandChecked) {
  // in = [1, 2] (zp 0, s 1), w = [[1, 2], [3, -4]] (s 1), bias = [10, 0] (s 1), out s 1 zp 0
  // -> [1 + 4 + 10, 3 - 8] = [15, -5]
  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt8, {1, 2}, QuantSpec::PerTensor(1.0f, 0));
  int w = b.AddConst<int8_t>(DataType::kInt8, {2, 2}, {1, 2, 3, -4}, QuantSpec::PerTensor(1.0f, 0));
  int bias = b.AddConst<int32_t>(DataType::kInt32, {2}, {10, 0}, QuantSpec::PerTensor(1.0f, 0));
  int out = b.AddTensor(DataType::kInt8, {1, 2}, QuantSpec::PerTensor(1.0f, 0));
  b.AddOperator(op::kFullyConnected, {in, w, bias}, {out},
                FcOptions(tflite::ActivationFunctionType::NONE));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  m.SetInput<int8_t>(0, {1, 2});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{15, -5}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(FullyConnected, Int8ReluAndRequantize) {
  // out scale 2: acc [15, -5] -> 15/2 = 7.5 -> 8 (ties away from zero via RDBPOT), relu -> 0.
  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt8, {1, 2}, QuantSpec::PerTensor(1.0f, 0));
  int w = b.AddConst<int8_t>(DataType::kInt8, {2, 2}, {1, 2, 3, -4}, QuantSpec::PerTensor(1.0f, 0));
  int bias = b.AddConst<int32_t>(DataType::kInt32, {2}, {10, 0}, QuantSpec::PerTensor(1.0f, 0));
  int out = b.AddTensor(DataType::kInt8, {1, 2}, QuantSpec::PerTensor(2.0f, 0));
  b.AddOperator(op::kFullyConnected, {in, w, bias}, {out},
                FcOptions(tflite::ActivationFunctionType::RELU));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  m.SetInput<int8_t>(0, {1, 2});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{8, 0}));
}

TEST(FullyConnected, FloatWithBias) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kFloat32, {2, 2});
  int w = b.AddConst<float>(DataType::kFloat32, {1, 2}, {0.5f, -1.0f});
  int bias = b.AddConst<float>(DataType::kFloat32, {1}, {0.25f});
  int out = b.AddTensor(DataType::kFloat32, {2, 1});
  b.AddOperator(op::kFullyConnected, {in, w, bias}, {out});
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  m.SetInput<float>(0, {2.0f, 1.0f, 4.0f, -2.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{0.25f, 4.25f}));
}

TEST(FullyConnected, RejectsShapeMismatch) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kFloat32, {1, 3});
  int w = b.AddConst<float>(DataType::kFloat32, {1, 2}, {0.5f, -1.0f});
  int out = b.AddTensor(DataType::kFloat32, {1, 1});
  b.AddOperator(op::kFullyConnected, {in, w, -1}, {out});
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("FULLY_CONNECTED"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace tv
