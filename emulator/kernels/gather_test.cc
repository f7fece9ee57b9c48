#include <gtest/gtest.h>

#include <string>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

tflite::BuiltinOptionsUnion GatherOpts(int32_t axis, int32_t batch_dims) {
  tflite::BuiltinOptionsUnion u;
  tflite::GatherOptionsT o;
  o.axis = axis;
  o.batch_dims = batch_dims;
  u.Set(o);
  return u;
}

Status BuildGather(DataType t, std::vector<int32_t> p_shape, std::vector<int32_t> i_shape,
                   std::vector<int32_t> out_shape, int32_t axis, int32_t bd, LoadedModel* m,
                   DataType index_type = DataType::kInt32) {
  ModelBuilder b;
  int p = b.AddTensor(t, p_shape, QuantSpec::PerTensor(1.0f, 0));
  int i = b.AddTensor(index_type, i_shape);
  int out = b.AddTensor(t, out_shape, QuantSpec::PerTensor(1.0f, 0));
  b.AddOperator(op::kGather, {p, i}, {out}, GatherOpts(axis, bd));
  b.SetGraphIO({p, i}, {out});
  return m->Load(b.Build());
}

TEST(Gather, Axis0RowsHandChecked) {
  // params [3, 2] = [[1, 2], [3, 4], [5, 6]]; indices [2, 0, 2] -> [[5, 6], [1, 2], [5, 6]].
  LoadedModel m;
  Status s = BuildGather(DataType::kFloat32, {3, 2}, {3}, {3, 2}, 0, 0, &m);
  ASSERT_TRUE(s.ok()) << s.message();
  m.SetInput<float>(0, {1, 2, 3, 4, 5, 6});
  m.SetInput<int32_t>(1, {2, 0, 2});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{5, 6, 1, 2, 5, 6}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Gather, Axis1With2DIndicesInt8) {
  // params [2, 3] = [[0, 1, 2], [10, 11, 12]]; indices [[2, 1], [0, 0]] on axis -1 ->
  // out [2, 2, 2] = [[[2, 1], [0, 0]], [[12, 11], [10, 10]]].
  LoadedModel m;
  ASSERT_TRUE(BuildGather(DataType::kInt8, {2, 3}, {2, 2}, {2, 2, 2}, -1, 0, &m).ok());
  m.SetInput<int8_t>(0, {0, 1, 2, 10, 11, 12});
  m.SetInput<int32_t>(1, {2, 1, 0, 0});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{2, 1, 0, 0, 12, 11, 10, 10}));
}

TEST(Gather, BatchDims) {
  // batch_dims 1: params [2, 3], indices [2, 2] -> out[b][j] = params[b][indices[b][j]].
  LoadedModel m;
  ASSERT_TRUE(BuildGather(DataType::kInt8, {2, 3}, {2, 2}, {2, 2}, 1, 1, &m).ok());
  m.SetInput<int8_t>(0, {0, 1, 2, 10, 11, 12});
  m.SetInput<int32_t>(1, {2, 0, 1, 1});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{2, 0, 11, 11}));
}

TEST(Gather, OutOfRangeIndexFailsInvoke) {
  LoadedModel m;
  ASSERT_TRUE(BuildGather(DataType::kFloat32, {3, 2}, {2}, {2, 2}, 0, 0, &m).ok());
  m.SetInput<float>(0, {1, 2, 3, 4, 5, 6});
  for (int32_t bad : {3, -1, 1 << 30}) {
    m.SetInput<int32_t>(1, {0, bad});
    Status s = m.interpreter().Invoke();
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("out of range"), std::string::npos) << s.message();
  }
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Gather, RejectsBadModels) {
  LoadedModel m1;
  Status s = BuildGather(DataType::kFloat32, {3, 2}, {2}, {3, 2}, 0, 0, &m1);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("GATHER"), std::string::npos) << s.message();
  LoadedModel m2;  // axis out of range
  EXPECT_FALSE(BuildGather(DataType::kFloat32, {3, 2}, {2}, {2, 2}, 2, 0, &m2).ok());
  LoadedModel m3;  // int64 indices: TFLM supports int32 only
  EXPECT_FALSE(
      BuildGather(DataType::kFloat32, {3, 2}, {2}, {2, 2}, 0, 0, &m3, DataType::kInt64).ok());
  LoadedModel m4;  // params type
  EXPECT_FALSE(BuildGather(DataType::kInt16, {3, 2}, {2}, {2, 2}, 0, 0, &m4).ok());
  LoadedModel m5;  // batch_dims > axis
  EXPECT_FALSE(BuildGather(DataType::kInt8, {2, 3}, {2, 2}, {2, 2}, 0, 1, &m5).ok());
}

}  // namespace
}  // namespace tv
