#include <gtest/gtest.h>

#include <string>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

tflite::BuiltinOptionsUnion SqueezeOpts(std::vector<int32_t> dims) {
  tflite::BuiltinOptionsUnion u;
  tflite::SqueezeOptionsT o;
  o.squeeze_dims = std::move(dims);
  u.Set(o);
  return u;
}

TEST(Squeeze, AllUnitDimsWhenListEmpty) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt8, {1, 3, 1, 2}, QuantSpec::PerTensor(1.0f, 5));
  int out = b.AddTensor(DataType::kInt8, {3, 2}, QuantSpec::PerTensor(1.0f, 5));
  b.AddOperator(op::kSqueeze, {in}, {out});  // no options table: squeeze every size-1 dim
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  m.SetInput<int8_t>(0, {1, 2, 3, 4, 5, 6});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Squeeze, NegativeListedAxis) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kFloat32, {1, 2, 1});
  int out = b.AddTensor(DataType::kFloat32, {1, 2});
  b.AddOperator(op::kSqueeze, {in}, {out}, SqueezeOpts({-1}));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  m.SetInput<float>(0, {1.5f, -2.25f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{1.5f, -2.25f}));
}

TEST(Squeeze, RejectsNonUnitAxis) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kFloat32, {1, 2, 1});
  int out = b.AddTensor(DataType::kFloat32, {1, 1});
  b.AddOperator(op::kSqueeze, {in}, {out}, SqueezeOpts({1}));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("SQUEEZE"), std::string::npos) << s.message();
}

TEST(Squeeze, RejectsOutOfRangeAxisAndWrongOutput) {
  {
    ModelBuilder b;
    int in = b.AddTensor(DataType::kInt16, {1, 2});
    int out = b.AddTensor(DataType::kInt16, {2});
    b.AddOperator(op::kSqueeze, {in}, {out}, SqueezeOpts({5}));
    b.SetGraphIO({in}, {out});
    LoadedModel m;
    EXPECT_FALSE(m.Load(b.Build()).ok());
  }
  {
    ModelBuilder b;
    int in = b.AddTensor(DataType::kInt16, {1, 2});
    int out = b.AddTensor(DataType::kInt16, {1});
    b.AddOperator(op::kSqueeze, {in}, {out});
    b.SetGraphIO({in}, {out});
    LoadedModel m;
    EXPECT_FALSE(m.Load(b.Build()).ok());
  }
}

}  // namespace
}  // namespace tv
