#include <gtest/gtest.h>

#include <string>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

TEST(PadV2, Int8UsesConstantValue) {
  // constant_values = 100 (same quantization as the output) is written raw into the border.
  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt8, {1, 2}, QuantSpec::PerTensor(0.5f, 3));
  int pads = b.AddConst<int32_t>(DataType::kInt32, {2, 2}, {0, 1, 1, 0});
  int cv = b.AddConst<int8_t>(DataType::kInt8, {}, {100}, QuantSpec::PerTensor(0.5f, 3));
  int out = b.AddTensor(DataType::kInt8, {2, 3}, QuantSpec::PerTensor(0.5f, 3));
  b.AddOperator(op::kPadV2, {in, pads, cv}, {out});
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_TRUE(s.ok()) << s.message();
  m.SetInput<int8_t>(0, {-1, -2});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{100, -1, -2, 100, 100, 100}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(PadV2, FloatRuntimeConstantValue) {
  // The pad value may be a graph input: it is read at every invoke.
  ModelBuilder b;
  int in = b.AddTensor(DataType::kFloat32, {2});
  int pads = b.AddConst<int32_t>(DataType::kInt32, {1, 2}, {1, 1});
  int cv = b.AddTensor(DataType::kFloat32, {1});
  int out = b.AddTensor(DataType::kFloat32, {4});
  b.AddOperator(op::kPadV2, {in, pads, cv}, {out});
  b.SetGraphIO({in, cv}, {out});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  m.SetInput<float>(0, {1.0f, 2.0f});
  m.SetInput<float>(1, {-0.75f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{-0.75f, 1.0f, 2.0f, -0.75f}));
  m.SetInput<float>(1, {3.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{3.0f, 1.0f, 2.0f, 3.0f}));
}

TEST(PadV2, RejectsMismatchedConstantQuantizationAndType) {
  {
    ModelBuilder b;
    int in = b.AddTensor(DataType::kInt8, {2}, QuantSpec::PerTensor(0.5f, 3));
    int pads = b.AddConst<int32_t>(DataType::kInt32, {1, 2}, {1, 1});
    int cv = b.AddConst<int8_t>(DataType::kInt8, {}, {0}, QuantSpec::PerTensor(0.25f, 3));
    int out = b.AddTensor(DataType::kInt8, {4}, QuantSpec::PerTensor(0.5f, 3));
    b.AddOperator(op::kPadV2, {in, pads, cv}, {out});
    b.SetGraphIO({in}, {out});
    LoadedModel m;
    Status s = m.Load(b.Build());
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("PADV2"), std::string::npos) << s.message();
  }
  {
    ModelBuilder b;
    int in = b.AddTensor(DataType::kFloat32, {2});
    int pads = b.AddConst<int32_t>(DataType::kInt32, {1, 2}, {1, 1});
    int cv = b.AddConst<int32_t>(DataType::kInt32, {}, {0});
    int out = b.AddTensor(DataType::kFloat32, {4});
    b.AddOperator(op::kPadV2, {in, pads, cv}, {out});
    b.SetGraphIO({in}, {out});
    LoadedModel m;
    EXPECT_FALSE(m.Load(b.Build()).ok());
  }
}

}  // namespace
}  // namespace tv
