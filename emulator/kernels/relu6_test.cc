#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

Status BuildRelu6(LoadedModel* m, DataType t, QuantSpec qi, QuantSpec qo,
                  std::vector<int32_t> out_shape = {6}) {
  ModelBuilder b;
  int in = b.AddTensor(t, {6}, qi, "x");
  int out = b.AddTensor(t, out_shape, qo, "y");
  b.AddOperator(op::kRelu6, {in}, {out});
  b.SetGraphIO({in}, {out});
  return m->Load(b.Build());
}

TEST(Relu6, Float) {
  LoadedModel m;
  ASSERT_TRUE(BuildRelu6(&m, DataType::kFloat32, {}, {}).ok());
  m.SetInput<float>(0, {-1.0f, 0.0f, 3.5f, 6.0f, 6.5f, 100.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{0.0f, 0.0f, 3.5f, 6.0f, 6.0f, 6.0f}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Relu6, Int8NoRequantization) {
  // Input sI = 0.05, zI = -100: lower = -100, upper = round(6 / 0.05) - 100 = 120 - 100 = 20.
  // The output's (different) quantization is ignored, as in TFLM.
  LoadedModel m;
  ASSERT_TRUE(BuildRelu6(&m, DataType::kInt8, QuantSpec::PerTensor(0.05f, -100),
                         QuantSpec::PerTensor(1.0f, 0))
                  .ok());
  m.SetInput<int8_t>(0, {-128, -100, -99, 19, 20, 127});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{-100, -100, -99, 19, 20, 20}));
}

TEST(Relu6, Int8SixSaturatesToTypeMax) {
  // sI = 0.01, zI = 0: round(600) = 600 -> clamped to 127.
  LoadedModel m;
  ASSERT_TRUE(BuildRelu6(&m, DataType::kInt8, QuantSpec::PerTensor(0.01f, 0),
                         QuantSpec::PerTensor(0.01f, 0))
                  .ok());
  m.SetInput<int8_t>(0, {-128, -1, 0, 1, 126, 127});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{0, 0, 0, 1, 126, 127}));
}

TEST(Relu6, Int16) {
  // sI = 2^-12, zI = 0: upper = 6 * 4096 = 24576.
  LoadedModel m;
  ASSERT_TRUE(BuildRelu6(&m, DataType::kInt16, QuantSpec::PerTensor(1.0f / 4096, 0),
                         QuantSpec::PerTensor(1.0f / 4096, 0))
                  .ok());
  m.SetInput<int16_t>(0, {-32768, -1, 0, 24575, 24577, 32767});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int16_t>(0), (std::vector<int16_t>{0, 0, 0, 24575, 24576, 24576}));
}

TEST(Relu6, RejectsBadOperands) {
  {
    LoadedModel m;
    Status s = BuildRelu6(&m, DataType::kInt8, {}, {});
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("RELU6"), std::string::npos) << s.message();
    EXPECT_NE(std::string(s.message()).find("quantization"), std::string::npos) << s.message();
  }
  {
    LoadedModel m;
    Status s = BuildRelu6(&m, DataType::kFloat32, {}, {}, {3, 2});
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("shape"), std::string::npos) << s.message();
  }
  {
    LoadedModel m;
    Status s = BuildRelu6(&m, DataType::kInt8, QuantSpec::PerTensor(0.5f, 300),
                          QuantSpec::PerTensor(0.5f, 0));
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("zero point"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace tv
