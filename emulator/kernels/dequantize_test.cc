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

Status BuildDequantize(LoadedModel* m, DataType in_type, QuantSpec q,
                       DataType out_type = DataType::kFloat32,
                       std::vector<int32_t> out_shape = {4}) {
  ModelBuilder b;
  int in = b.AddTensor(in_type, {4}, q, "q");
  int out = b.AddTensor(out_type, out_shape, {}, "y");
  b.AddOperator(op::kDequantize, {in}, {out});
  b.SetGraphIO({in}, {out});
  return m->Load(b.Build());
}

TEST(Dequantize, Int8HandChecked) {
  // y = 0.5 * (q + 3): exact in float.
  LoadedModel m;
  ASSERT_TRUE(BuildDequantize(&m, DataType::kInt8, QuantSpec::PerTensor(0.5f, -3)).ok());
  m.SetInput<int8_t>(0, {-128, -3, 0, 127});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{-62.5f, 0.0f, 1.5f, 65.0f}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Dequantize, Int16ProductRoundedOnceFromDouble) {
  // The product is formed in double and rounded to float once (§12); 0.1f * 3 in double then
  // rounded differs from 0.1f * 3.0f evaluated in float for some values, so compare with the
  // double formula directly.
  LoadedModel m;
  ASSERT_TRUE(BuildDequantize(&m, DataType::kInt16, QuantSpec::PerTensor(0.1f, 0)).ok());
  const std::vector<int16_t> q = {3, -32768, 32767, 12345};
  m.SetInput<int16_t>(0, q);
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  const auto out = m.Output<float>(0);
  for (size_t i = 0; i < q.size(); ++i) {
    EXPECT_EQ(out[i], static_cast<float>(static_cast<double>(0.1f) * q[i])) << i;
  }
}

TEST(Dequantize, UInt8) {
  LoadedModel m;
  ASSERT_TRUE(BuildDequantize(&m, DataType::kUInt8, QuantSpec::PerTensor(0.25f, 128)).ok());
  m.SetInput<uint8_t>(0, {0, 128, 255, 129});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{-32.0f, 0.0f, 31.75f, 0.25f}));
}

TEST(Dequantize, RejectsBadOperands) {
  {
    LoadedModel m;
    Status s =
        BuildDequantize(&m, DataType::kInt8, QuantSpec::PerTensor(0.5f, 0), DataType::kInt32);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("DEQUANTIZE"), std::string::npos) << s.message();
    EXPECT_NE(std::string(s.message()).find("output 'y' has type int32"), std::string::npos);
  }
  {
    LoadedModel m;
    Status s = BuildDequantize(&m, DataType::kFloat32, {});
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("input 'q' has type float32"), std::string::npos)
        << s.message();
  }
  {
    LoadedModel m;
    Status s = BuildDequantize(&m, DataType::kInt8, QuantSpec::PerTensor(0.5f, 0),
                               DataType::kFloat32, {2, 2});
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("shape"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace tv
