#include <gtest/gtest.h>

#include <string>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

TEST(Reshape, Int8CopiesBytesInOrder) {
  // A reshape never reorders: output == input element for element (quantization untouched).
  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt8, {1, 2, 3}, QuantSpec::PerTensor(0.5f, -3));
  int shape = b.AddConst<int32_t>(DataType::kInt32, {2}, {3, 2});
  int out = b.AddTensor(DataType::kInt8, {3, 2}, QuantSpec::PerTensor(0.5f, -3));
  b.AddOperator(op::kReshape, {in, shape}, {out});
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  m.SetInput<int8_t>(0, {-128, -1, 0, 1, 2, 127});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{-128, -1, 0, 1, 2, 127}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Reshape, FloatSingleInputAndInt64) {
  for (DataType t : {DataType::kFloat32, DataType::kInt64, DataType::kInt16, DataType::kBool}) {
    SCOPED_TRACE(DataTypeName(t));
    ModelBuilder b;
    int in = b.AddTensor(t, {2, 2});
    int out = b.AddTensor(t, {4});
    b.AddOperator(op::kReshape, {in}, {out});
    b.SetGraphIO({in}, {out});
    LoadedModel m;
    ASSERT_TRUE(m.Load(b.Build()).ok());
    std::vector<uint8_t> bytes(m.interpreter().input(0)->bytes);
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 7 + 1);
    m.SetInput<uint8_t>(0, bytes);
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    EXPECT_EQ(m.Output<uint8_t>(0), bytes);
    EXPECT_TRUE(m.interpreter().GuardsIntact());
  }
}

TEST(Reshape, EmptyTensorIsANoOp) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kFloat32, {0, 3});
  int out = b.AddTensor(DataType::kFloat32, {3, 0});
  b.AddOperator(op::kReshape, {in}, {out});
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Reshape, RejectsElementCountMismatch) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kFloat32, {2, 3});
  int out = b.AddTensor(DataType::kFloat32, {5});
  b.AddOperator(op::kReshape, {in}, {out});
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("RESHAPE"), std::string::npos) << s.message();
}

TEST(Reshape, RejectsTypeMismatch) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt8, {4}, QuantSpec::PerTensor(1.0f, 0));
  int out = b.AddTensor(DataType::kUInt8, {4}, QuantSpec::PerTensor(1.0f, 0));
  b.AddOperator(op::kReshape, {in}, {out});
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("RESHAPE"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace tv
