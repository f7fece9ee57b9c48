#include <gtest/gtest.h>

#include <string>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

TEST(Shape, WritesInputDims) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt8, {1, 7, 3, 2}, QuantSpec::PerTensor(1.0f, 0));
  int out = b.AddTensor(DataType::kInt32, {4});
  b.AddOperator(op::kShape, {in}, {out});
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int32_t>(0), (std::vector<int32_t>{1, 7, 3, 2}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Shape, RejectsInt64OutputAndWrongLength) {
  for (auto [t, len] : {std::pair<DataType, int32_t>{DataType::kInt64, 2},
                        std::pair<DataType, int32_t>{DataType::kInt32, 3}}) {
    ModelBuilder b;
    int in = b.AddTensor(DataType::kFloat32, {2, 5});
    int out = b.AddTensor(t, {len});
    b.AddOperator(op::kShape, {in}, {out});
    b.SetGraphIO({in}, {out});
    LoadedModel m;
    Status s = m.Load(b.Build());
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("SHAPE"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace tv
