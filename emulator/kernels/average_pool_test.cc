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
using tflite::ActivationFunctionType;

tflite::BuiltinOptionsUnion PoolOptions(tflite::Padding padding, int stride, int filter,
                                        ActivationFunctionType act = ActivationFunctionType::NONE) {
  tflite::Pool2DOptionsT o;
  o.padding = padding;
  o.stride_h = o.stride_w = stride;
  o.filter_height = o.filter_width = filter;
  o.fused_activation_function = act;
  tflite::BuiltinOptionsUnion u;
  u.Set(o);
  return u;
}

template <typename T>
std::vector<T> RunPool(DataType type, const std::vector<int32_t>& in_shape,
                       const std::vector<int32_t>& out_shape, const std::vector<T>& x,
                       tflite::BuiltinOptionsUnion options, const QuantSpec& q = {}) {
  ModelBuilder b;
  int in = b.AddTensor(type, in_shape, q);
  int out = b.AddTensor(type, out_shape, q);
  b.AddOperator(op::kAveragePool2D, {in}, {out}, std::move(options));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  EXPECT_TRUE(s.ok()) << s.message();
  if (!s.ok()) return {};
  m.SetInput<T>(0, x);
  EXPECT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_TRUE(m.interpreter().GuardsIntact());
  return m.Output<T>(0);
}

TEST(AveragePool2D, Int8RoundsHalfAwayFromZero) {
  // 2x2 windows, stride 2, VALID on [[1,2,3,4],[5,6,-8,-9]]:
  // (1+2+5+6) = 14 -> (14 + 2) / 4 = 4 (3.5 rounds up); (3+4-8-9) = -10 -> (-10 - 2) / 4 = -3
  // (-2.5 rounds away from zero). Raw values are averaged: the zero point is never subtracted.
  EXPECT_EQ(
      RunPool<int8_t>(DataType::kInt8, {1, 2, 4, 1}, {1, 1, 2, 1}, {1, 2, 3, 4, 5, 6, -8, -9},
                      PoolOptions(tflite::Padding::VALID, 2, 2), QuantSpec::PerTensor(0.5f, 7)),
      (std::vector<int8_t>{4, -3}));
}

TEST(AveragePool2D, Int8SamePaddingExcludesPaddingCells) {
  // 3x3 window, stride 1, SAME over [[1,2,3],[4,5,6],[7,8,9]]; only cells inside count:
  // corners 12/4=3, 16/4=4, 24/4=6, 28/4=7; edges 21/6=3.5->4, 27/6=4.5->5, 33/6=5.5->6,
  // 39/6=6.5->7; centre 45/9=5. RELU6 with scale 1, zp 0 clamps at 6.
  EXPECT_EQ(
      RunPool<int8_t>(DataType::kInt8, {1, 3, 3, 1}, {1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9},
                      PoolOptions(tflite::Padding::SAME, 1, 3, ActivationFunctionType::RELU6),
                      QuantSpec::PerTensor(1.0f, 0)),
      (std::vector<int8_t>{3, 4, 4, 5, 5, 6, 6, 6, 6}));
}

TEST(AveragePool2D, FloatSamePadding) {
  // Same geometry in float: total / count, then RELU6.
  EXPECT_EQ(
      RunPool<float>(DataType::kFloat32, {1, 3, 3, 1}, {1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9},
                     PoolOptions(tflite::Padding::SAME, 1, 3, ActivationFunctionType::RELU6)),
      (std::vector<float>{3, 3.5f, 4, 4.5f, 5, 5.5f, 6, 6, 6}));
}

TEST(AveragePool2D, Int16MultiChannelAndBatch) {
  // Two batches, two channels, one 2x2 window each: per channel (a+b+c+d)/4 half away from 0.
  // b0 c0: 100+200+300+401 = 1001 -> 250.25 -> 250; b0 c1: -1-2-3-4 = -10 -> -2.5 -> -3.
  // b1 c0: 32767*4 -> 32767; b1 c1: -32768*3 + 2 = -98302 -> -24575.5 -> -24576.
  EXPECT_EQ(
      RunPool<int16_t>(DataType::kInt16, {2, 2, 2, 2}, {2, 1, 1, 2},
                       {100, -1, 200, -2, 300, -3, 401, -4, 32767, -32768, 32767, -32768, 32767,
                        -32768, 32767, 2},
                       PoolOptions(tflite::Padding::VALID, 2, 2), QuantSpec::PerTensor(0.25f, 0)),
      (std::vector<int16_t>{250, -3, 32767, -24576}));
}

TEST(AveragePool2D, RejectsBadModels) {
  auto expect_error = [](ModelBuilder& b, const char* needle) {
    LoadedModel m;
    Status s = m.Load(b.Build());
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("AVERAGE_POOL_2D"), std::string::npos) << s.message();
    EXPECT_NE(std::string(s.message()).find(needle), std::string::npos) << s.message();
  };
  {  // Output scale differs from the input's: TFLM does not requantize.
    ModelBuilder b;
    int in = b.AddTensor(DataType::kInt8, {1, 2, 2, 1}, QuantSpec::PerTensor(0.5f, 0));
    int out = b.AddTensor(DataType::kInt8, {1, 1, 1, 1}, QuantSpec::PerTensor(0.25f, 0));
    b.AddOperator(op::kAveragePool2D, {in}, {out}, PoolOptions(tflite::Padding::VALID, 2, 2));
    b.SetGraphIO({in}, {out});
    expect_error(b, "must be equal");
  }
  {  // Missing options: zero filter size and stride.
    ModelBuilder b;
    int in = b.AddTensor(DataType::kFloat32, {1, 2, 2, 1});
    int out = b.AddTensor(DataType::kFloat32, {1, 1, 1, 1});
    b.AddOperator(op::kAveragePool2D, {in}, {out});
    b.SetGraphIO({in}, {out});
    expect_error(b, "stride_h is 0");
  }
  {  // int32 is not a pooling type.
    ModelBuilder b;
    int in = b.AddTensor(DataType::kInt32, {1, 2, 2, 1});
    int out = b.AddTensor(DataType::kInt32, {1, 1, 1, 1});
    b.AddOperator(op::kAveragePool2D, {in}, {out}, PoolOptions(tflite::Padding::VALID, 2, 2));
    b.SetGraphIO({in}, {out});
    expect_error(b, "has type int32");
  }
  {  // Output shape inconsistent with the window.
    ModelBuilder b;
    int in = b.AddTensor(DataType::kFloat32, {1, 4, 4, 1});
    int out = b.AddTensor(DataType::kFloat32, {1, 3, 2, 1});
    b.AddOperator(op::kAveragePool2D, {in}, {out}, PoolOptions(tflite::Padding::VALID, 2, 2));
    b.SetGraphIO({in}, {out});
    expect_error(b, "output h is 3");
  }
}

}  // namespace
}  // namespace tv
