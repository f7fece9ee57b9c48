#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>
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

tflite::BuiltinOptionsUnion PoolOptions(tflite::Padding padding, int stride, int filter_h,
                                        int filter_w,
                                        ActivationFunctionType act = ActivationFunctionType::NONE) {
  tflite::Pool2DOptionsT o;
  o.padding = padding;
  o.stride_h = o.stride_w = stride;
  o.filter_height = filter_h;
  o.filter_width = filter_w;
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
  b.AddOperator(op::kMaxPool2D, {in}, {out}, std::move(options));
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

TEST(MaxPool2D, Int8SamePaddingWithReluAtZeroPoint) {
  // 2x2 windows, stride 2, SAME on a 3x3 image: pad_before 0, the last row/column windows are
  // clipped. Windows: {-9,-8,-6,-5} -> -5; {-7,-4} -> -4; {-3,-2} -> -2; {-1} -> -1.
  // RELU with zp -3 clamps from below at -3: [-3, -3, -2, -1].
  EXPECT_EQ(RunPool<int8_t>(
                DataType::kInt8, {1, 3, 3, 1}, {1, 2, 2, 1}, {-9, -8, -7, -6, -5, -4, -3, -2, -1},
                PoolOptions(tflite::Padding::SAME, 2, 2, 2, ActivationFunctionType::RELU),
                QuantSpec::PerTensor(0.5f, -3)),
            (std::vector<int8_t>{-3, -3, -2, -1}));
}

TEST(MaxPool2D, Int8Relu6UsesOutputQuantization) {
  // scale 0.5, zp 0: RELU6 range [0, round(6 / 0.5)] = [0, 12]. Windows of 1x2, stride 1.
  EXPECT_EQ(
      RunPool<int8_t>(DataType::kInt8, {1, 1, 3, 1}, {1, 1, 2, 1}, {127, -128, 5},
                      PoolOptions(tflite::Padding::VALID, 1, 1, 2, ActivationFunctionType::RELU6),
                      QuantSpec::PerTensor(0.5f, 0)),
      (std::vector<int8_t>{12, 5}));
}

TEST(MaxPool2D, Int16Extremes) {
  // Windows holding only the type minimum stay at -32768 (the start value of the scan).
  EXPECT_EQ(
      RunPool<int16_t>(DataType::kInt16, {1, 2, 2, 2}, {1, 1, 1, 2},
                       {-32768, 5, -32768, 32767, -32768, -7, -32768, 0},
                       PoolOptions(tflite::Padding::VALID, 2, 2, 2), QuantSpec::PerTensor(1.0f, 0)),
      (std::vector<int16_t>{-32768, 32767}));
}

TEST(MaxPool2D, FloatNanNeverWins) {
  // TFLM keeps std::max(running, v) starting from the lowest float: a NaN never replaces the
  // running maximum, so an all-NaN window yields -FLT_MAX (activation NONE).
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> out =
      RunPool<float>(DataType::kFloat32, {1, 1, 4, 1}, {1, 1, 2, 1}, {nan, 1.5f, nan, nan},
                     PoolOptions(tflite::Padding::VALID, 2, 1, 2));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], 1.5f);
  EXPECT_EQ(out[1], -FLT_MAX);
}

TEST(MaxPool2D, FloatReluN1To1) {
  EXPECT_EQ(RunPool<float>(
                DataType::kFloat32, {1, 2, 2, 1}, {1, 2, 2, 1}, {-3.0f, 0.25f, 0.5f, 7.0f},
                PoolOptions(tflite::Padding::SAME, 1, 1, 1, ActivationFunctionType::RELU_N1_TO_1)),
            (std::vector<float>{-1.0f, 0.25f, 0.5f, 1.0f}));
}

TEST(MaxPool2D, RejectsMismatchedZeroPoint) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt8, {1, 2, 2, 1}, QuantSpec::PerTensor(0.5f, 0));
  int out = b.AddTensor(DataType::kInt8, {1, 1, 1, 1}, QuantSpec::PerTensor(0.5f, 1));
  b.AddOperator(op::kMaxPool2D, {in}, {out}, PoolOptions(tflite::Padding::VALID, 2, 2, 2));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("MAX_POOL_2D"), std::string::npos) << s.message();
  EXPECT_NE(std::string(s.message()).find("zero point"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace tv
