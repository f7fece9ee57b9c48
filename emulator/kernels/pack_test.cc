#include <gtest/gtest.h>

#include <string>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

tflite::BuiltinOptionsUnion PackOpts(int32_t n, int32_t axis) {
  tflite::BuiltinOptionsUnion u;
  tflite::PackOptionsT o;
  o.values_count = n;
  o.axis = axis;
  u.Set(o);
  return u;
}

Status BuildPack(DataType t, int32_t axis, std::vector<int32_t> out_shape, LoadedModel* m,
                 int32_t values_count = 2) {
  ModelBuilder b;
  int x = b.AddTensor(t, {2, 3}, QuantSpec::PerTensor(1.0f, 0));
  int y = b.AddTensor(t, {2, 3}, QuantSpec::PerTensor(1.0f, 0));
  int out = b.AddTensor(t, out_shape, QuantSpec::PerTensor(1.0f, 0));
  b.AddOperator(op::kPack, {x, y}, {out}, PackOpts(values_count, axis));
  b.SetGraphIO({x, y}, {out});
  return m->Load(b.Build());
}

TEST(Pack, HandCheckedAxes) {
  // x = [[0, 1, 2], [3, 4, 5]], y = x + 10.
  const std::vector<int8_t> x = {0, 1, 2, 3, 4, 5}, y = {10, 11, 12, 13, 14, 15};
  struct Case {
    int32_t axis;
    std::vector<int32_t> shape;
    std::vector<int8_t> want;
  } cases[] = {
      {0, {2, 2, 3}, {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15}},
      {1, {2, 2, 3}, {0, 1, 2, 10, 11, 12, 3, 4, 5, 13, 14, 15}},
      {2, {2, 3, 2}, {0, 10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15}},
      {-1, {2, 3, 2}, {0, 10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.axis);
    LoadedModel m;
    Status s = BuildPack(DataType::kInt8, c.axis, c.shape, &m);
    ASSERT_TRUE(s.ok()) << s.message();
    m.SetInput<int8_t>(0, x);
    m.SetInput<int8_t>(1, y);
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    EXPECT_EQ(m.Output<int8_t>(0), c.want);
    EXPECT_TRUE(m.interpreter().GuardsIntact());
  }
}

TEST(Pack, Int64AndFloat) {
  for (DataType t : {DataType::kInt64, DataType::kFloat32, DataType::kInt16, DataType::kInt32}) {
    SCOPED_TRACE(DataTypeName(t));
    LoadedModel m;
    ASSERT_TRUE(BuildPack(t, 0, {2, 2, 3}, &m).ok());
    std::vector<uint8_t> a(m.interpreter().input(0)->bytes), c(a.size());
    for (size_t k = 0; k < a.size(); ++k) {
      a[k] = static_cast<uint8_t>(k);
      c[k] = static_cast<uint8_t>(200 - k);
    }
    m.SetInput<uint8_t>(0, a);
    m.SetInput<uint8_t>(1, c);
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    std::vector<uint8_t> want = a;
    want.insert(want.end(), c.begin(), c.end());
    EXPECT_EQ(m.Output<uint8_t>(0), want);
  }
}

TEST(Pack, RejectsBadModels) {
  LoadedModel m1;
  Status s = BuildPack(DataType::kInt8, 0, {2, 3, 2}, &m1);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("PACK"), std::string::npos) << s.message();
  LoadedModel m2;  // values_count disagrees with the inputs
  EXPECT_FALSE(BuildPack(DataType::kInt8, 0, {2, 2, 3}, &m2, 3).ok());
  LoadedModel m3;  // axis out of range
  EXPECT_FALSE(BuildPack(DataType::kInt8, 3, {2, 3, 2}, &m3).ok());
  LoadedModel m4;  // type
  EXPECT_FALSE(BuildPack(DataType::kBool, 0, {2, 2, 3}, &m4).ok());
}

}  // namespace
}  // namespace tv
