#include <gtest/gtest.h>

#include <string>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

TEST(ExpandDims, Int16InsertsUnitDim) {
  for (int32_t axis : {0, 1, 2, -1, -3}) {
    SCOPED_TRACE(axis);
    // input [2, 3]; positive axis a -> 1 inserted before dim a; -1 -> at the end; -3 -> front.
    const int32_t a = axis < 0 ? axis + 3 : axis;
    std::vector<int32_t> out_shape = {2, 3};
    out_shape.insert(out_shape.begin() + a, 1);
    ModelBuilder b;
    int in = b.AddTensor(DataType::kInt16, {2, 3}, QuantSpec::PerTensor(0.25f, 0));
    int ax = b.AddConst<int32_t>(DataType::kInt32, {1}, {axis});
    int out = b.AddTensor(DataType::kInt16, out_shape, QuantSpec::PerTensor(0.25f, 0));
    b.AddOperator(op::kExpandDims, {in, ax}, {out});
    b.SetGraphIO({in}, {out});
    LoadedModel m;
    Status s = m.Load(b.Build());
    ASSERT_TRUE(s.ok()) << s.message();
    m.SetInput<int16_t>(0, {-32768, 1, 2, 3, 4, 32767});
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    EXPECT_EQ(m.Output<int16_t>(0), (std::vector<int16_t>{-32768, 1, 2, 3, 4, 32767}));
    EXPECT_TRUE(m.interpreter().GuardsIntact());
  }
}

TEST(ExpandDims, RejectsWrongOutputShape) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kFloat32, {2, 3});
  int ax = b.AddConst<int32_t>(DataType::kInt32, {}, {1});
  int out = b.AddTensor(DataType::kFloat32, {1, 2, 3});
  b.AddOperator(op::kExpandDims, {in, ax}, {out});
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("EXPAND_DIMS"), std::string::npos) << s.message();
}

TEST(ExpandDims, RejectsUnsupportedTypeAndBadAxis) {
  {  // TFLM's EXPAND_DIMS handles float32/int8/int16 only.
    ModelBuilder b;
    int in = b.AddTensor(DataType::kInt32, {2});
    int ax = b.AddConst<int32_t>(DataType::kInt32, {}, {0});
    int out = b.AddTensor(DataType::kInt32, {1, 2});
    b.AddOperator(op::kExpandDims, {in, ax}, {out});
    b.SetGraphIO({in}, {out});
    LoadedModel m;
    EXPECT_FALSE(m.Load(b.Build()).ok());
  }
  {
    ModelBuilder b;
    int in = b.AddTensor(DataType::kInt8, {2});
    int ax = b.AddConst<int32_t>(DataType::kInt32, {}, {3});
    int out = b.AddTensor(DataType::kInt8, {2, 1});
    b.AddOperator(op::kExpandDims, {in, ax}, {out});
    b.SetGraphIO({in}, {out});
    LoadedModel m;
    EXPECT_FALSE(m.Load(b.Build()).ok());
  }
}

}  // namespace
}  // namespace tv
