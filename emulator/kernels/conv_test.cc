#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/quant_math.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;
using tflite::ActivationFunctionType;

tflite::BuiltinOptionsUnion ConvOptions(
    tflite::Padding padding, int stride_h, int stride_w, int dil_h = 1, int dil_w = 1,
    ActivationFunctionType act = ActivationFunctionType::NONE,
    tflite::TensorType bias_type = tflite::TensorType::FLOAT32) {
  tflite::Conv2DOptionsT o;
  o.padding = padding;
  o.stride_h = stride_h;
  o.stride_w = stride_w;
  o.dilation_h_factor = dil_h;
  o.dilation_w_factor = dil_w;
  o.fused_activation_function = act;
  o.quantized_bias_type = bias_type;
  tflite::BuiltinOptionsUnion u;
  u.Set(o);
  return u;
}

TEST(Conv2D, Int8PerChannelHandChecked) {
  // x - zI = [[1,2,3],[4,5,6],[7,8,9]] (zI = 1, sI = 0.5), VALID 2x2 filters, sO = 1, zO = -3.
  // Channel 0: w = [[1,0],[0,1]], sW = 1 -> eff 0.5 = 2^30 * 2^-31, bias 10.
  //   acc(0,0) = 1 + 5 + 10 = 16 -> SRDHM(16, 2^30) = 8 -> 8 - 3 = 5; likewise 18->6, 22->8, 24->9.
  // Channel 1: w = [[-1,2],[3,-5]], sW = 0.5 -> eff 0.25 (M = 2^30, shift -1), bias -1.
  //   acc(0,0) = -1 + 4 + 12 - 25 - 1 = -11 -> SRDHM = floor(-10/2) = -5 -> RDBPOT(-5, 1) = -3
  //   (tie away from zero) -> -6.  acc(0,1) = -12 -> -6 -> -3 -> -6.
  //   acc(1,0) = -14 -> -7 -> -4 (tie) -> -7.  acc(1,1) = -15 -> -7 -> -4 -> -7.
  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt8, {1, 3, 3, 1}, QuantSpec::PerTensor(0.5f, 1));
  int w = b.AddConst<int8_t>(DataType::kInt8, {2, 2, 2, 1}, {1, 0, 0, 1, -1, 2, 3, -5},
                             QuantSpec{{1.0f, 0.5f}, {0, 0}, 0});
  int bias =
      b.AddConst<int32_t>(DataType::kInt32, {2}, {10, -1}, QuantSpec{{0.5f, 0.25f}, {0, 0}, 0});
  int out = b.AddTensor(DataType::kInt8, {1, 2, 2, 2}, QuantSpec::PerTensor(1.0f, -3));
  b.AddOperator(op::kConv2D, {in, w, bias}, {out}, ConvOptions(tflite::Padding::VALID, 1, 1));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  m.SetInput<int8_t>(0, {2, 3, 4, 5, 6, 7, 8, 9, 10});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{5, -6, 6, -6, 8, -7, 9, -7}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
  EXPECT_EQ(m.interpreter().nodes()[0].macs, 8 * 4);
}

TEST(Conv2D, FloatSamePaddingRelu6HandChecked) {
  // x = [[1,2],[3,4]], w = [[0.5,-1],[2,0.25]], bias 0.5, SAME stride 1: pad_before = 0, the
  // extra row/column falls at the end. out(0,0) = 0.5-2+6+1+0.5 = 6; out(0,1) = 1+8+0.5 = 9.5;
  // out(1,0) = 1.5-4+0.5 = -2; out(1,1) = 2+0.5 = 2.5; RELU6 -> [6, 6, 0, 2.5].
  ModelBuilder b;
  int in = b.AddTensor(DataType::kFloat32, {1, 2, 2, 1});
  int w = b.AddConst<float>(DataType::kFloat32, {1, 2, 2, 1}, {0.5f, -1.0f, 2.0f, 0.25f});
  int bias = b.AddConst<float>(DataType::kFloat32, {1}, {0.5f});
  int out = b.AddTensor(DataType::kFloat32, {1, 2, 2, 1});
  b.AddOperator(op::kConv2D, {in, w, bias}, {out},
                ConvOptions(tflite::Padding::SAME, 1, 1, 1, 1, ActivationFunctionType::RELU6));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  m.SetInput<float>(0, {1, 2, 3, 4});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{6.0f, 6.0f, 0.0f, 2.5f}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

// 16x8 accumulator selection (§6.1, §4): eff = 0.5 * 0.5 / 1 = 0.25 (M = 2^30, shift -1).
// 64-bit MBQM: (x * 2^14 + 2^15) >> 16 = floor((x + 2) / 4): -2 -> 0, -6 -> -1.
// 32-bit MBQM: RDBPOT(SRDHM(x, 2^30), 1): -2 -> -1 -> -1 (tie away); -6 -> -3 -> -2.
std::vector<int16_t> Run16x8(int bias_kind, tflite::TensorType quantized_bias_type) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt16, {1, 1, 2, 1}, QuantSpec::PerTensor(0.5f, 0));
  int w = b.AddConst<int8_t>(DataType::kInt8, {1, 1, 1, 1}, {1}, QuantSpec::PerTensor(0.5f, 0));
  int bias = -1;
  if (bias_kind == 32)
    bias = b.AddConst<int32_t>(DataType::kInt32, {1}, {0}, QuantSpec::PerTensor(0.25f, 0));
  if (bias_kind == 64)
    bias = b.AddConst<int64_t>(DataType::kInt64, {1}, {0}, QuantSpec::PerTensor(0.25f, 0));
  int out = b.AddTensor(DataType::kInt16, {1, 1, 2, 1}, QuantSpec::PerTensor(1.0f, 0));
  b.AddOperator(op::kConv2D, {in, w, bias}, {out},
                ConvOptions(tflite::Padding::VALID, 1, 1, 1, 1, ActivationFunctionType::NONE,
                            quantized_bias_type));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  EXPECT_TRUE(s.ok()) << s.message();
  if (!s.ok()) return {};
  m.SetInput<int16_t>(0, {-2, -6});
  EXPECT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_TRUE(m.interpreter().GuardsIntact());
  return m.Output<int16_t>(0);
}

TEST(Conv2D, Int16AccumulatorFollowsBiasType) {
  const std::vector<int16_t> wide = {0, -1}, narrow = {-1, -2};
  EXPECT_EQ(Run16x8(64, tflite::TensorType::FLOAT32), wide);
  EXPECT_EQ(Run16x8(32, tflite::TensorType::FLOAT32), narrow);
  EXPECT_EQ(Run16x8(0, tflite::TensorType::FLOAT32), wide);
  EXPECT_EQ(Run16x8(0, tflite::TensorType::INT32), narrow);
}

// Independent reference for the randomized tests: explicit zero-point padding, int64 sums.
struct Case {
  int n, h, w, cin, cout, groups, kh, kw, sh, sw, dh, dw;
  bool same, per_channel;
  ActivationFunctionType act;
};

int OutSize(bool same, int in, int k, int s, int d) {
  const int eff = (k - 1) * d + 1;
  return same ? (in + s - 1) / s : (in + s - eff) / s;
}

void RunRandomInt8(const Case& c, uint32_t seed, bool int4) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const int fc = c.cin / c.groups;
  const int oh = OutSize(c.same, c.h, c.kh, c.sh, c.dh),
            ow = OutSize(c.same, c.w, c.kw, c.sw, c.dw);
  const float si = 0.02f + uni(0, 100) * 0.001f, so = 0.05f + uni(0, 100) * 0.002f;
  const int zi = uni(-128, 127), zo = uni(-20, 20);
  std::vector<float> sw(c.per_channel ? c.cout : 1);
  for (float& s : sw) s = 0.001f + uni(1, 1000) * 0.00001f;
  std::vector<int8_t> x(static_cast<size_t>(c.n) * c.h * c.w * c.cin),
      w(static_cast<size_t>(c.cout) * c.kh * c.kw * fc);
  for (auto& v : x) v = static_cast<int8_t>(uni(-128, 127));
  for (auto& v : w) v = static_cast<int8_t>(int4 ? uni(-8, 7) : uni(-127, 127));
  std::vector<int32_t> bias(c.cout);
  for (auto& v : bias) v = uni(-5000, 5000);

  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt8, {c.n, c.h, c.w, c.cin}, QuantSpec::PerTensor(si, zi));
  std::vector<int64_t> wzp(sw.size(), 0);
  int wt;
  if (int4) {
    std::vector<uint8_t> packed((w.size() + 1) / 2, 0);
    for (size_t i = 0; i < w.size(); ++i) packed[i / 2] |= (w[i] & 0x0F) << (i % 2 ? 4 : 0);
    wt = b.AddConstTensor(DataType::kInt4, {c.cout, c.kh, c.kw, fc}, packed.data(), packed.size(),
                          QuantSpec{sw, wzp, 0});
  } else {
    wt = b.AddConst<int8_t>(DataType::kInt8, {c.cout, c.kh, c.kw, fc}, w, QuantSpec{sw, wzp, 0});
  }
  int bt = b.AddConst<int32_t>(DataType::kInt32, {c.cout}, bias);
  int out = b.AddTensor(DataType::kInt8, {c.n, oh, ow, c.cout}, QuantSpec::PerTensor(so, zo));
  b.AddOperator(op::kConv2D, {in, wt, bt}, {out},
                ConvOptions(c.same ? tflite::Padding::SAME : tflite::Padding::VALID, c.sh, c.sw,
                            c.dh, c.dw, c.act));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_TRUE(s.ok()) << s.message();
  m.SetInput<int8_t>(0, x);
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  const std::vector<int8_t> got = m.Output<int8_t>(0);

  // Pad explicitly with the zero point (a padded tap then contributes w * 0).
  const int pt = std::max(0, ((oh - 1) * c.sh + (c.kh - 1) * c.dh + 1 - c.h) / 2);
  const int pl = std::max(0, ((ow - 1) * c.sw + (c.kw - 1) * c.dw + 1 - c.w) / 2);
  const int ph = c.h + 2 * pt + c.kh * c.dh + c.sh, pw = c.w + 2 * pl + c.kw * c.dw + c.sw;
  int32_t act_min, act_max;
  qm::ActivationRangeQuantized(static_cast<int>(c.act), DataType::kInt8, so, zo, &act_min,
                               &act_max);
  int mismatches = 0;
  for (int bb = 0; bb < c.n; ++bb) {
    std::vector<int> padded(static_cast<size_t>(ph) * pw * c.cin, zi);
    for (int y = 0; y < c.h; ++y)
      for (int xx = 0; xx < c.w; ++xx)
        for (int ch = 0; ch < c.cin; ++ch)
          padded[((y + pt) * pw + xx + pl) * c.cin + ch] =
              x[((bb * c.h + y) * c.w + xx) * c.cin + ch];
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox)
        for (int oc = 0; oc < c.cout; ++oc) {
          const int g = oc / (c.cout / c.groups);
          int64_t acc = bias[oc];
          for (int ky = 0; ky < c.kh; ++ky)
            for (int kx = 0; kx < c.kw; ++kx)
              for (int ic = 0; ic < fc; ++ic) {
                const int py = oy * c.sh + ky * c.dh, px = ox * c.sw + kx * c.dw;
                acc += w[((oc * c.kh + ky) * c.kw + kx) * fc + ic] *
                       (padded[(py * pw + px) * c.cin + g * fc + ic] - zi);
              }
          int32_t mult;
          int shift;
          qm::QuantizeMultiplier(double{si} * double{sw[c.per_channel ? oc : 0]} / double{so},
                                 &mult, &shift);
          const int32_t want = std::min(
              act_max, std::max(act_min, qm::MBQM(static_cast<int32_t>(acc), mult, shift) + zo));
          const int32_t g_val = got[((bb * oh + oy) * ow + ox) * c.cout + oc];
          if (want != g_val && ++mismatches <= 5) {
            ADD_FAILURE() << "b" << bb << " y" << oy << " x" << ox << " c" << oc << ": got "
                          << g_val << " want " << want;
          }
        }
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

const Case kCases[] = {
    {1, 5, 5, 3, 4, 1, 3, 3, 1, 1, 1, 1, true, true, ActivationFunctionType::NONE},
    {2, 7, 6, 4, 6, 2, 3, 2, 2, 2, 1, 1, true, true, ActivationFunctionType::RELU},
    {1, 9, 8, 2, 3, 1, 3, 3, 1, 2, 2, 3, true, false, ActivationFunctionType::RELU6},
    {1, 8, 9, 6, 6, 3, 2, 3, 3, 1, 2, 1, false, true, ActivationFunctionType::RELU_N1_TO_1},
    {1, 6, 6, 8, 4, 4, 1, 1, 2, 2, 1, 1, false, false, ActivationFunctionType::NONE},
    {1, 4, 4, 3, 2, 1, 5, 5, 1, 1, 1, 1, true, true, ActivationFunctionType::NONE},
};

TEST(Conv2D, Int8RandomizedAgainstPaddedReference) {
  uint32_t seed = 1000;
  for (const Case& c : kCases) {
    for (int rep = 0; rep < 3; ++rep) RunRandomInt8(c, seed++, false);
  }
}

TEST(Conv2D, Int4FiltersRandomizedAgainstPaddedReference) {
  uint32_t seed = 2000;
  for (const Case& c : kCases) RunRandomInt8(c, seed++, true);
}

Status LoadStatus(ModelBuilder& b) {
  LoadedModel m;
  return m.Load(b.Build());
}

TEST(Conv2D, RejectsBadModels) {
  auto expect_error = [](ModelBuilder& b, const char* needle) {
    Status s = LoadStatus(b);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("CONV_2D"), std::string::npos) << s.message();
    EXPECT_NE(std::string(s.message()).find(needle), std::string::npos) << s.message();
  };
  {  // Output spatial size inconsistent with VALID padding (should be 2x2).
    ModelBuilder b;
    int in = b.AddTensor(DataType::kFloat32, {1, 3, 3, 1});
    int w = b.AddConst<float>(DataType::kFloat32, {1, 2, 2, 1}, {1, 1, 1, 1});
    int out = b.AddTensor(DataType::kFloat32, {1, 3, 3, 1});
    b.AddOperator(op::kConv2D, {in, w}, {out}, ConvOptions(tflite::Padding::VALID, 1, 1));
    b.SetGraphIO({in}, {out});
    expect_error(b, "output h is 3");
  }
  {  // Missing options table: TFLM zero-initialises the params, so stride is 0.
    ModelBuilder b;
    int in = b.AddTensor(DataType::kFloat32, {1, 3, 3, 1});
    int w = b.AddConst<float>(DataType::kFloat32, {1, 2, 2, 1}, {1, 1, 1, 1});
    int out = b.AddTensor(DataType::kFloat32, {1, 2, 2, 1});
    b.AddOperator(op::kConv2D, {in, w}, {out});
    b.SetGraphIO({in}, {out});
    expect_error(b, "stride_h is 0");
  }
  {  // int8 input with an int16 output.
    ModelBuilder b;
    int in = b.AddTensor(DataType::kInt8, {1, 2, 2, 1}, QuantSpec::PerTensor(1.0f, 0));
    int w = b.AddConst<int8_t>(DataType::kInt8, {1, 1, 1, 1}, {1}, QuantSpec::PerTensor(1.0f, 0));
    int out = b.AddTensor(DataType::kInt16, {1, 2, 2, 1}, QuantSpec::PerTensor(1.0f, 0));
    b.AddOperator(op::kConv2D, {in, w}, {out}, ConvOptions(tflite::Padding::VALID, 1, 1));
    b.SetGraphIO({in}, {out});
    expect_error(b, "has type int16; expected int8");
  }
  {  // Input channels not a multiple of the filter's.
    ModelBuilder b;
    int in = b.AddTensor(DataType::kFloat32, {1, 2, 2, 3});
    int w = b.AddConst<float>(DataType::kFloat32, {1, 1, 1, 2}, {1, 1});
    int out = b.AddTensor(DataType::kFloat32, {1, 2, 2, 1});
    b.AddOperator(op::kConv2D, {in, w}, {out}, ConvOptions(tflite::Padding::VALID, 1, 1));
    b.SetGraphIO({in}, {out});
    expect_error(b, "not a multiple");
  }
  {  // Bias with the wrong element count.
    ModelBuilder b;
    int in = b.AddTensor(DataType::kInt8, {1, 2, 2, 1}, QuantSpec::PerTensor(1.0f, 0));
    int w = b.AddConst<int8_t>(DataType::kInt8, {1, 1, 1, 1}, {1}, QuantSpec::PerTensor(1.0f, 0));
    int bias = b.AddConst<int32_t>(DataType::kInt32, {2}, {1, 2});
    int out = b.AddTensor(DataType::kInt8, {1, 2, 2, 1}, QuantSpec::PerTensor(1.0f, 0));
    b.AddOperator(op::kConv2D, {in, w, bias}, {out}, ConvOptions(tflite::Padding::VALID, 1, 1));
    b.SetGraphIO({in}, {out});
    expect_error(b, "bias");
  }
}

}  // namespace
}  // namespace tv
