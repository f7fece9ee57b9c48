#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

tflite::BuiltinOptionsUnion ResizeOpts(bool align, bool half) {
  tflite::BuiltinOptionsUnion u;
  tflite::ResizeNearestNeighborOptionsT o;
  o.align_corners = align;
  o.half_pixel_centers = half;
  u.Set(o);
  return u;
}

// 1 x 1 x W x 1 input resized to width `out_w`; returns the source index per output column
// (input values are their own indices).
std::vector<int8_t> Resize1D(int32_t in_w, int32_t out_w, bool align, bool half) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt8, {1, 1, in_w, 1}, QuantSpec::PerTensor(1.0f, 0));
  int size = b.AddConst<int32_t>(DataType::kInt32, {2}, {1, out_w});
  int out = b.AddTensor(DataType::kInt8, {1, 1, out_w, 1}, QuantSpec::PerTensor(1.0f, 0));
  b.AddOperator(op::kResizeNearestNeighbor, {in, size}, {out}, ResizeOpts(align, half));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  EXPECT_TRUE(s.ok()) << s.message();
  if (!s.ok()) return {};
  std::vector<int8_t> x(in_w);
  for (int32_t i = 0; i < in_w; ++i) x[i] = static_cast<int8_t>(i);
  m.SetInput<int8_t>(0, x);
  EXPECT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_TRUE(m.interpreter().GuardsIntact());
  return m.Output<int8_t>(0);
}

TEST(ResizeNearestNeighbor, IndexFormulaHandChecked) {
  // 3 -> 5, plain: scale 0.6, floor(i*0.6) = 0, 0, 1, 1, 2.
  EXPECT_EQ(Resize1D(3, 5, false, false), (std::vector<int8_t>{0, 0, 1, 1, 2}));
  // align_corners: scale 2/4 = 0.5, round(i*0.5) (half away from zero) = 0, 1, 1, 2, 2.
  EXPECT_EQ(Resize1D(3, 5, true, false), (std::vector<int8_t>{0, 1, 1, 2, 2}));
  // half_pixel_centers: floor((i+0.5)*0.6) = floor(0.3, 0.9, 1.5, 2.1, 2.7) = 0, 0, 1, 2, 2.
  EXPECT_EQ(Resize1D(3, 5, false, true), (std::vector<int8_t>{0, 0, 1, 2, 2}));
  // both: round((i+0.5)*0.5) = round(0.25, 0.75, 1.25, 1.75, 2.25) = 0, 1, 1, 2, 2.
  EXPECT_EQ(Resize1D(3, 5, true, true), (std::vector<int8_t>{0, 1, 1, 2, 2}));
  // downsample 5 -> 2: scale 2.5: plain floor(0, 2.5) = 0, 2; half floor(1.25, 3.75) = 1, 3;
  // align scale 4: round(0, 4) = 0, 4.
  EXPECT_EQ(Resize1D(5, 2, false, false), (std::vector<int8_t>{0, 2}));
  EXPECT_EQ(Resize1D(5, 2, false, true), (std::vector<int8_t>{1, 3}));
  EXPECT_EQ(Resize1D(5, 2, true, false), (std::vector<int8_t>{0, 4}));
  // single output with align_corners falls back to in/out: 4 -> 1, floor(0) = 0.
  EXPECT_EQ(Resize1D(4, 1, true, false), (std::vector<int8_t>{0}));
}

TEST(ResizeNearestNeighbor, FloatTwoByTwoToFourByFourWithChannels) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kFloat32, {1, 2, 2, 2});
  int size = b.AddConst<int32_t>(DataType::kInt32, {2}, {4, 4});
  int out = b.AddTensor(DataType::kFloat32, {1, 4, 4, 2});
  b.AddOperator(op::kResizeNearestNeighbor, {in, size}, {out});  // options absent: both false
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  // pixel (y, x) has channels (10y + x, -(10y + x)).
  m.SetInput<float>(0, {0, -0.f, 1, -1, 10, -10, 11, -11});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  std::vector<float> want;
  for (int y = 0; y < 4; ++y) {
    for (int x = 0; x < 4; ++x) {
      const float v = static_cast<float>(10 * (y / 2) + x / 2);
      want.push_back(v);
      want.push_back(-v);
    }
  }
  EXPECT_EQ(m.Output<float>(0), want);
}

TEST(ResizeNearestNeighbor, RejectsBadModels) {
  auto load = [](std::vector<int32_t> in_shape, std::vector<int32_t> size,
                 std::vector<int32_t> out_shape, DataType t = DataType::kInt16) {
    ModelBuilder b;
    int in = b.AddTensor(t, in_shape);
    int s = b.AddConst<int32_t>(DataType::kInt32, {static_cast<int32_t>(size.size())}, size);
    int out = b.AddTensor(t, out_shape);
    b.AddOperator(op::kResizeNearestNeighbor, {in, s}, {out});
    b.SetGraphIO({in}, {out});
    LoadedModel m;
    return m.Load(b.Build());
  };
  ASSERT_TRUE(load({1, 2, 2, 1}, {3, 3}, {1, 3, 3, 1}).ok());
  Status s = load({1, 2, 2, 1}, {3, 3}, {1, 3, 4, 1});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("RESIZE_NEAREST_NEIGHBOR"), std::string::npos)
      << s.message();
  EXPECT_FALSE(load({2, 2, 1}, {3, 3}, {3, 3, 1}).ok());           // not 4-D
  EXPECT_FALSE(load({1, 2, 2, 1}, {3, 3, 1}, {1, 3, 3, 1}).ok());  // size not [2]
  EXPECT_FALSE(load({1, 2, 2, 1}, {3, 3}, {1, 3, 3, 1}, DataType::kInt32).ok());
  EXPECT_FALSE(load({1, 0, 2, 1}, {3, 3}, {1, 3, 3, 1}).ok());  // empty input
}

}  // namespace
}  // namespace tv
