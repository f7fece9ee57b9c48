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

tflite::BuiltinOptionsUnion TcOptions(tflite::Padding padding, int stride_h, int stride_w,
                                      ActivationFunctionType act = ActivationFunctionType::NONE) {
  tflite::TransposeConvOptionsT o;
  o.padding = padding;
  o.stride_h = stride_h;
  o.stride_w = stride_w;
  o.fused_activation_function = act;
  tflite::BuiltinOptionsUnion u;
  u.Set(o);
  return u;
}

TEST(TransposeConv, Int8StrideTwoHandChecked) {
  // x - zI = [2, -3] along H (zI = 1), w = [5, -7] (KH 2), stride 2 VALID -> output H 4, pad 0.
  // Scatter: [2*5, 2*-7, -3*5, -3*-7] = [10, -14, -15, 21]; + bias 1 -> [11, -13, -14, 22].
  // eff = 0.5 * 1 / 1 = 0.5 -> SRDHM(a, 2^30) = floor((a + 1) / 2) = [6, -6, -7, 11]; + zO 2.
  ModelBuilder b;
  int shape = b.AddConst<int32_t>(DataType::kInt32, {4}, {1, 4, 1, 1});
  int w = b.AddConst<int8_t>(DataType::kInt8, {1, 2, 1, 1}, {5, -7}, QuantSpec::PerTensor(1.0f, 0));
  int in = b.AddTensor(DataType::kInt8, {1, 2, 1, 1}, QuantSpec::PerTensor(0.5f, 1));
  int bias = b.AddConst<int32_t>(DataType::kInt32, {1}, {1});
  int out = b.AddTensor(DataType::kInt8, {1, 4, 1, 1}, QuantSpec::PerTensor(1.0f, 2));
  b.AddOperator(op::kTransposeConv, {shape, w, in, bias}, {out},
                TcOptions(tflite::Padding::VALID, 2, 1));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_TRUE(s.ok()) << s.message();
  m.SetInput<int8_t>(0, {3, -2});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{8, -4, -5, 13}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
  EXPECT_EQ(m.interpreter().nodes()[0].macs, 4);
}

TEST(TransposeConv, FloatSamePaddingOverlapHandChecked) {
  // x = [1, 2] along W, w = [1, 10, 100], stride 1 SAME, output W 2: the implied forward size is
  // 2, total padding (2-1)*1 + 3 - 2 = 2 -> pad 1. ix 0 -> ox {-1 (dropped), 0, 1} += 1*w;
  // ix 1 -> ox {0, 1, 2 (dropped)} += 2*w: [10 + 2, 100 + 20] = [12, 120]; bias 0.5.
  ModelBuilder b;
  int shape = b.AddConst<int32_t>(DataType::kInt32, {4}, {1, 1, 2, 1});
  int w = b.AddConst<float>(DataType::kFloat32, {1, 1, 3, 1}, {1.0f, 10.0f, 100.0f});
  int in = b.AddTensor(DataType::kFloat32, {1, 1, 2, 1});
  int bias = b.AddConst<float>(DataType::kFloat32, {1}, {0.5f});
  int out = b.AddTensor(DataType::kFloat32, {1, 1, 2, 1});
  b.AddOperator(op::kTransposeConv, {shape, w, in, bias}, {out},
                TcOptions(tflite::Padding::SAME, 1, 1));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_TRUE(s.ok()) << s.message();
  m.SetInput<float>(0, {1.0f, 2.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{12.5f, 120.5f}));
}

// 16x8 rounding by accumulator width (§4): eff = 0.25; 64-bit: floor((x + 2) / 4) gives
// -2 -> 0, -6 -> -1; 32-bit double rounding gives -1, -2.
std::vector<int16_t> Run16x8(DataType bias_type) {
  ModelBuilder b;
  int shape = b.AddConst<int32_t>(DataType::kInt32, {4}, {1, 1, 2, 1});
  int w = b.AddConst<int8_t>(DataType::kInt8, {1, 1, 1, 1}, {1}, QuantSpec::PerTensor(0.5f, 0));
  int in = b.AddTensor(DataType::kInt16, {1, 1, 2, 1}, QuantSpec::PerTensor(0.5f, 0));
  int bias = -1;
  if (bias_type == DataType::kInt16) bias = b.AddConst<int16_t>(bias_type, {1}, {0});
  if (bias_type == DataType::kInt32) bias = b.AddConst<int32_t>(bias_type, {1}, {0});
  if (bias_type == DataType::kInt64) bias = b.AddConst<int64_t>(bias_type, {1}, {0});
  int out = b.AddTensor(DataType::kInt16, {1, 1, 2, 1}, QuantSpec::PerTensor(1.0f, 0));
  b.AddOperator(op::kTransposeConv, {shape, w, in, bias}, {out},
                TcOptions(tflite::Padding::VALID, 1, 1));
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

TEST(TransposeConv, Int16AccumulatorWidth) {
  EXPECT_EQ(Run16x8(DataType::kInt64), (std::vector<int16_t>{0, -1}));
  EXPECT_EQ(Run16x8(DataType::kInt16), (std::vector<int16_t>{0, -1}));
  EXPECT_EQ(Run16x8(DataType::kFloat32), (std::vector<int16_t>{0, -1}));  // no bias
  EXPECT_EQ(Run16x8(DataType::kInt32), (std::vector<int16_t>{-1, -2}));
}

// Randomized int8 against a gather-form reference: out[oy][ox][oc] sums every (iy, ix, ky, kx)
// with iy*S - pad + ky == oy (and likewise for x).
void RunRandomInt8(bool same, int h, int w, int cin, int cout, int kh, int kw, int sh, int sw,
                   ActivationFunctionType act, uint32_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const int oh = same ? h * sh : (h - 1) * sh + kh, ow = same ? w * sw : (w - 1) * sw + kw;
  const float si = 0.02f + uni(0, 100) * 0.001f, so = 0.5f + uni(0, 100) * 0.01f;
  const int zi = uni(-128, 127), zo = uni(-20, 20);
  std::vector<float> scales(cout);
  for (float& s : scales) s = 0.001f + uni(1, 1000) * 0.00005f;
  std::vector<int8_t> x(static_cast<size_t>(h) * w * cin),
      f(static_cast<size_t>(cout) * kh * kw * cin);
  for (auto& v : x) v = static_cast<int8_t>(uni(-128, 127));
  for (auto& v : f) v = static_cast<int8_t>(uni(-127, 127));
  std::vector<int32_t> bias(cout);
  for (auto& v : bias) v = uni(-3000, 3000);
  ModelBuilder b;
  int shape = b.AddConst<int32_t>(DataType::kInt32, {4}, {1, oh, ow, cout});
  int ft = b.AddConst<int8_t>(DataType::kInt8, {cout, kh, kw, cin}, f,
                              QuantSpec{scales, std::vector<int64_t>(cout, 0), 0});
  int in = b.AddTensor(DataType::kInt8, {1, h, w, cin}, QuantSpec::PerTensor(si, zi));
  int bt = b.AddConst<int32_t>(DataType::kInt32, {cout}, bias);
  int out = b.AddTensor(DataType::kInt8, {1, oh, ow, cout}, QuantSpec::PerTensor(so, zo));
  b.AddOperator(op::kTransposeConv, {shape, ft, in, bt}, {out},
                TcOptions(same ? tflite::Padding::SAME : tflite::Padding::VALID, sh, sw, act));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_TRUE(s.ok()) << s.message();
  m.SetInput<int8_t>(0, x);
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  const std::vector<int8_t> got = m.Output<int8_t>(0);
  auto pad = [&](int out_size, int k, int st) {
    const int implied = same ? (out_size + st - 1) / st : (out_size + st - k) / st;
    return std::max(0, ((implied - 1) * st + k - out_size) / 2);
  };
  const int ph = pad(oh, kh, sh), pw = pad(ow, kw, sw);
  int32_t act_min, act_max;
  qm::ActivationRangeQuantized(static_cast<int>(act), DataType::kInt8, so, zo, &act_min, &act_max);
  int mismatches = 0;
  for (int oy = 0; oy < oh; ++oy)
    for (int ox = 0; ox < ow; ++ox)
      for (int oc = 0; oc < cout; ++oc) {
        int64_t acc = bias[oc];
        for (int iy = 0; iy < h; ++iy)
          for (int ky = 0; ky < kh; ++ky) {
            if (iy * sh - ph + ky != oy) continue;
            for (int ix = 0; ix < w; ++ix)
              for (int kx = 0; kx < kw; ++kx) {
                if (ix * sw - pw + kx != ox) continue;
                for (int ic = 0; ic < cin; ++ic)
                  acc +=
                      (x[(iy * w + ix) * cin + ic] - zi) * f[((oc * kh + ky) * kw + kx) * cin + ic];
              }
          }
        int32_t mult;
        int shift;
        qm::QuantizeMultiplier(double{si} * double{scales[oc]} / double{so}, &mult, &shift);
        const int32_t want = std::min(
            act_max, std::max(act_min, qm::MBQM(static_cast<int32_t>(acc), mult, shift) + zo));
        const int32_t have = got[(oy * ow + ox) * cout + oc];
        if (want != have && ++mismatches <= 5) {
          ADD_FAILURE() << "y" << oy << " x" << ox << " c" << oc << ": got " << have << " want "
                        << want;
        }
      }
  EXPECT_EQ(mismatches, 0);
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(TransposeConv, Int8RandomizedAgainstGatherReference) {
  uint32_t seed = 5000;
  for (int rep = 0; rep < 3; ++rep) {
    RunRandomInt8(true, 3, 4, 3, 2, 3, 3, 2, 2, ActivationFunctionType::NONE, seed++);
    RunRandomInt8(false, 2, 3, 2, 3, 3, 2, 2, 1, ActivationFunctionType::RELU, seed++);
    RunRandomInt8(true, 4, 2, 4, 4, 4, 4, 2, 3, ActivationFunctionType::RELU6, seed++);
    RunRandomInt8(false, 3, 3, 1, 2, 2, 2, 1, 1, ActivationFunctionType::RELU_N1_TO_1, seed++);
  }
}

TEST(TransposeConv, ChecksOutputShapeTensor) {
  // A non-constant output_shape is checked at Invoke; a constant one at load.
  for (bool constant : {false, true}) {
    ModelBuilder b;
    int shape = constant ? b.AddConst<int32_t>(DataType::kInt32, {4}, {1, 2, 1, 1})
                         : b.AddTensor(DataType::kInt32, {4});
    int w = b.AddConst<float>(DataType::kFloat32, {1, 1, 1, 1}, {1.0f});
    int in = b.AddTensor(DataType::kFloat32, {1, 1, 1, 1});
    int out = b.AddTensor(DataType::kFloat32, {1, 1, 1, 1});
    b.AddOperator(op::kTransposeConv, {shape, w, in}, {out},
                  TcOptions(tflite::Padding::SAME, 1, 1));
    if (constant) {
      b.SetGraphIO({in}, {out});
    } else {
      b.SetGraphIO({shape, in}, {out});
    }
    LoadedModel m;
    Status s = m.Load(b.Build());
    if (constant) {
      ASSERT_FALSE(s.ok());
      EXPECT_NE(std::string(s.message()).find("TRANSPOSE_CONV"), std::string::npos) << s.message();
      EXPECT_NE(std::string(s.message()).find("output_shape"), std::string::npos) << s.message();
      continue;
    }
    ASSERT_TRUE(s.ok()) << s.message();
    m.SetInput<int32_t>(0, {1, 1, 1, 1});
    m.SetInput<float>(1, {3.0f});
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    EXPECT_EQ(m.Output<float>(0), (std::vector<float>{3.0f}));
    m.SetInput<int32_t>(0, {1, 2, 1, 1});
    Status bad = m.interpreter().Invoke();
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(std::string(bad.message()).find("output_shape"), std::string::npos) << bad.message();
  }
}

TEST(TransposeConv, RejectsBadModels) {
  ModelBuilder b;  // filter input channels (2) differ from the input's (1)
  int shape = b.AddConst<int32_t>(DataType::kInt32, {4}, {1, 2, 2, 1});
  int w = b.AddConst<float>(DataType::kFloat32, {1, 1, 1, 2}, {1.0f, 1.0f});
  int in = b.AddTensor(DataType::kFloat32, {1, 2, 2, 1});
  int out = b.AddTensor(DataType::kFloat32, {1, 2, 2, 1});
  b.AddOperator(op::kTransposeConv, {shape, w, in}, {out}, TcOptions(tflite::Padding::SAME, 1, 1));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("TRANSPOSE_CONV"), std::string::npos) << s.message();
  EXPECT_NE(std::string(s.message()).find("input channels"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace tv
