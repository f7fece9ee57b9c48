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

tflite::BuiltinOptionsUnion DwOptions(tflite::Padding padding, int stride_h, int stride_w,
                                      int multiplier, int dil_h = 1, int dil_w = 1,
                                      ActivationFunctionType act = ActivationFunctionType::NONE) {
  tflite::DepthwiseConv2DOptionsT o;
  o.padding = padding;
  o.stride_h = stride_h;
  o.stride_w = stride_w;
  o.depth_multiplier = multiplier;
  o.dilation_h_factor = dil_h;
  o.dilation_w_factor = dil_w;
  o.fused_activation_function = act;
  tflite::BuiltinOptionsUnion u;
  u.Set(o);
  return u;
}

TEST(DepthwiseConv2D, Int8DepthMultiplierReluHandChecked) {
  // x = [[3,5],[7,-9]] (1 channel, zI 0, sI 1), multiplier 2, VALID 2x2:
  // oc0 w = [1,1,1,1]: 3+5+7-9 = 6, + bias 1 = 7; oc1 w = [1,-1,0,2]: 3-5+0-18 = -20, + 2 = -18.
  // sW 1, sO 2 -> eff 0.5 (M = 2^30, shift 0): SRDHM(7) = floor(8/2) = 4, SRDHM(-18) =
  // floor(-17/2) = -9; + zO 10 -> [14, 1]; RELU clamps at zO = 10 -> [14, 10].
  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt8, {1, 2, 2, 1}, QuantSpec::PerTensor(1.0f, 0));
  int w = b.AddConst<int8_t>(DataType::kInt8, {1, 2, 2, 2}, {1, 1, 1, -1, 1, 0, 1, 2},
                             QuantSpec::PerTensor(1.0f, 0));
  int bias = b.AddConst<int32_t>(DataType::kInt32, {2}, {1, 2});
  int out = b.AddTensor(DataType::kInt8, {1, 1, 1, 2}, QuantSpec::PerTensor(2.0f, 10));
  b.AddOperator(op::kDepthwiseConv2D, {in, w, bias}, {out},
                DwOptions(tflite::Padding::VALID, 1, 1, 2, 1, 1, ActivationFunctionType::RELU));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  m.SetInput<int8_t>(0, {3, 5, 7, -9});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{14, 10}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
  EXPECT_EQ(m.interpreter().nodes()[0].macs, 2 * 4);
}

TEST(DepthwiseConv2D, Int16UsesWideAccumulatorHandChecked) {
  // eff = 0.5 * 0.5 / 1 = 0.25 -> MBQM64: floor((x + 2) / 4): -2 -> 0, -6 -> -1 (the 32-bit
  // double-rounding MBQM would give -1 and -2).
  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt16, {1, 1, 1, 2}, QuantSpec::PerTensor(0.5f, 0));
  int w = b.AddConst<int8_t>(DataType::kInt8, {1, 1, 1, 2}, {1, 1}, QuantSpec::PerTensor(0.5f, 0));
  int bias = b.AddConst<int64_t>(DataType::kInt64, {2}, {0, 0});
  int out = b.AddTensor(DataType::kInt16, {1, 1, 1, 2}, QuantSpec::PerTensor(1.0f, 0));
  b.AddOperator(op::kDepthwiseConv2D, {in, w, bias}, {out},
                DwOptions(tflite::Padding::SAME, 1, 1, 1));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_TRUE(s.ok()) << s.message();
  m.SetInput<int16_t>(0, {-2, -6});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int16_t>(0), (std::vector<int16_t>{0, -1}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(DepthwiseConv2D, FloatSamePaddingHandChecked) {
  // 2 channels, 1x2 filter, SAME stride 1 on a 1x2 image: pad_before 0 (total 1).
  // c0: x = [1, 2], w = [2, 3] -> [1*2 + 2*3, 2*2] = [8, 4]; c1: x = [-1, 4], w = [0.5, 1]
  // -> [-0.5 + 4, 4 * 0.5] = [3.5, 2]; bias [1, -1] -> [9, 2.5, 5, 1] in NHWC order.
  ModelBuilder b;
  int in = b.AddTensor(DataType::kFloat32, {1, 1, 2, 2});
  int w = b.AddConst<float>(DataType::kFloat32, {1, 1, 2, 2}, {2.0f, 0.5f, 3.0f, 1.0f});
  int bias = b.AddConst<float>(DataType::kFloat32, {2}, {1.0f, -1.0f});
  int out = b.AddTensor(DataType::kFloat32, {1, 1, 2, 2});
  b.AddOperator(op::kDepthwiseConv2D, {in, w, bias}, {out},
                DwOptions(tflite::Padding::SAME, 1, 1, 1));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  m.SetInput<float>(0, {1.0f, -1.0f, 2.0f, 4.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{9.0f, 2.5f, 5.0f, 1.0f}));
}

struct Case {
  int n, h, w, cin, mult, kh, kw, sh, sw, dh, dw;
  bool same, per_channel;
  ActivationFunctionType act;
};

int OutSize(bool same, int in, int k, int s, int d) {
  return same ? (in + s - 1) / s : (in + s - ((k - 1) * d + 1)) / s;
}

// Independent reference: explicit zero-point padding, int64 sums, doc §6.2 formulas.
void RunRandomInt8(const Case& c, uint32_t seed, bool int4) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const int cout = c.cin * c.mult;
  const int oh = OutSize(c.same, c.h, c.kh, c.sh, c.dh),
            ow = OutSize(c.same, c.w, c.kw, c.sw, c.dw);
  const float si = 0.02f + uni(0, 100) * 0.001f, so = 0.05f + uni(0, 100) * 0.002f;
  const int zi = uni(-128, 127), zo = uni(-20, 20);
  std::vector<float> sw(c.per_channel ? cout : 1);
  for (float& s : sw) s = 0.001f + uni(1, 1000) * 0.00005f;
  std::vector<int8_t> x(static_cast<size_t>(c.n) * c.h * c.w * c.cin);
  std::vector<int8_t> w(static_cast<size_t>(c.kh) * c.kw * cout);
  for (auto& v : x) v = static_cast<int8_t>(uni(-128, 127));
  for (auto& v : w) v = static_cast<int8_t>(int4 ? uni(-8, 7) : uni(-127, 127));
  std::vector<int32_t> bias(cout);
  for (auto& v : bias) v = uni(-3000, 3000);

  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt8, {c.n, c.h, c.w, c.cin}, QuantSpec::PerTensor(si, zi));
  const QuantSpec wq{sw, std::vector<int64_t>(sw.size(), 0), 3};
  int wt;
  if (int4) {
    std::vector<uint8_t> packed((w.size() + 1) / 2, 0);
    for (size_t i = 0; i < w.size(); ++i) packed[i / 2] |= (w[i] & 0x0F) << (i % 2 ? 4 : 0);
    wt = b.AddConstTensor(DataType::kInt4, {1, c.kh, c.kw, cout}, packed.data(), packed.size(), wq);
  } else {
    wt = b.AddConst<int8_t>(DataType::kInt8, {1, c.kh, c.kw, cout}, w, wq);
  }
  int bt = b.AddConst<int32_t>(DataType::kInt32, {cout}, bias);
  int out = b.AddTensor(DataType::kInt8, {c.n, oh, ow, cout}, QuantSpec::PerTensor(so, zo));
  b.AddOperator(op::kDepthwiseConv2D, {in, wt, bt}, {out},
                DwOptions(c.same ? tflite::Padding::SAME : tflite::Padding::VALID, c.sh, c.sw,
                          c.mult, c.dh, c.dw, c.act));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_TRUE(s.ok()) << s.message();
  m.SetInput<int8_t>(0, x);
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  const std::vector<int8_t> got = m.Output<int8_t>(0);

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
        for (int oc = 0; oc < cout; ++oc) {
          const int ic = oc / c.mult;
          int64_t acc = bias[oc];
          for (int ky = 0; ky < c.kh; ++ky)
            for (int kx = 0; kx < c.kw; ++kx) {
              const int py = oy * c.sh + ky * c.dh, px = ox * c.sw + kx * c.dw;
              acc += w[(ky * c.kw + kx) * cout + oc] * (padded[(py * pw + px) * c.cin + ic] - zi);
            }
          int32_t mult;
          int shift;
          qm::QuantizeMultiplier(double{si} * double{sw[c.per_channel ? oc : 0]} / double{so},
                                 &mult, &shift);
          const int32_t want = std::min(
              act_max, std::max(act_min, qm::MBQM(static_cast<int32_t>(acc), mult, shift) + zo));
          const int32_t have = got[((bb * oh + oy) * ow + ox) * cout + oc];
          if (want != have && ++mismatches <= 5) {
            ADD_FAILURE() << "b" << bb << " y" << oy << " x" << ox << " c" << oc << ": got " << have
                          << " want " << want;
          }
        }
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

const Case kCases[] = {
    {1, 5, 5, 3, 1, 3, 3, 1, 1, 1, 1, true, true, ActivationFunctionType::NONE},
    {2, 7, 6, 4, 2, 3, 2, 2, 2, 1, 1, true, true, ActivationFunctionType::RELU6},
    {1, 9, 8, 2, 3, 3, 3, 1, 2, 2, 3, true, false, ActivationFunctionType::RELU},
    {1, 8, 9, 5, 1, 2, 3, 3, 1, 2, 1, false, true, ActivationFunctionType::RELU_N1_TO_1},
    {1, 10, 10, 8, 1, 3, 3, 2, 2, 1, 1, false, true, ActivationFunctionType::NONE},
    {1, 3, 4, 2, 2, 5, 5, 1, 1, 1, 1, true, true, ActivationFunctionType::NONE},
};

TEST(DepthwiseConv2D, Int8RandomizedAgainstPaddedReference) {
  uint32_t seed = 3000;
  for (const Case& c : kCases) {
    for (int rep = 0; rep < 3; ++rep) RunRandomInt8(c, seed++, false);
  }
}

TEST(DepthwiseConv2D, Int4FiltersRandomizedAgainstPaddedReference) {
  uint32_t seed = 4000;
  for (const Case& c : kCases) RunRandomInt8(c, seed++, true);
}

TEST(DepthwiseConv2D, RejectsBadModels) {
  auto expect_error = [](ModelBuilder& b, const char* needle) {
    LoadedModel m;
    Status s = m.Load(b.Build());
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("DEPTHWISE_CONV_2D"), std::string::npos) << s.message();
    EXPECT_NE(std::string(s.message()).find(needle), std::string::npos) << s.message();
  };
  {  // depth_multiplier inconsistent with the channel counts.
    ModelBuilder b;
    int in = b.AddTensor(DataType::kFloat32, {1, 2, 2, 2});
    int w = b.AddConst<float>(DataType::kFloat32, {1, 1, 1, 4}, {1, 1, 1, 1});
    int out = b.AddTensor(DataType::kFloat32, {1, 2, 2, 4});
    b.AddOperator(op::kDepthwiseConv2D, {in, w}, {out}, DwOptions(tflite::Padding::VALID, 1, 1, 1));
    b.SetGraphIO({in}, {out});
    expect_error(b, "depth_multiplier 1");
  }
  {  // int16 input with an int32 bias (TFLM reads the bias as int64).
    ModelBuilder b;
    int in = b.AddTensor(DataType::kInt16, {1, 1, 1, 1}, QuantSpec::PerTensor(1.0f, 0));
    int w = b.AddConst<int8_t>(DataType::kInt8, {1, 1, 1, 1}, {1}, QuantSpec::PerTensor(1.0f, 0));
    int bias = b.AddConst<int32_t>(DataType::kInt32, {1}, {0});
    int out = b.AddTensor(DataType::kInt16, {1, 1, 1, 1}, QuantSpec::PerTensor(1.0f, 0));
    b.AddOperator(op::kDepthwiseConv2D, {in, w, bias}, {out},
                  DwOptions(tflite::Padding::VALID, 1, 1, 1));
    b.SetGraphIO({in}, {out});
    expect_error(b, "expected int64");
  }
  {  // Per-channel scales along the wrong filter axis.
    ModelBuilder b;
    int in = b.AddTensor(DataType::kInt8, {1, 2, 2, 2}, QuantSpec::PerTensor(1.0f, 0));
    int w = b.AddConst<int8_t>(DataType::kInt8, {1, 2, 1, 2}, {1, 1, 1, 1},
                               QuantSpec{{1.0f, 2.0f}, {0, 0}, 1});
    int out = b.AddTensor(DataType::kInt8, {1, 1, 2, 2}, QuantSpec::PerTensor(1.0f, 0));
    b.AddOperator(op::kDepthwiseConv2D, {in, w}, {out}, DwOptions(tflite::Padding::VALID, 1, 1, 1));
    b.SetGraphIO({in}, {out});
    expect_error(b, "per channel along dimension 1");
  }
}

}  // namespace
}  // namespace tv
