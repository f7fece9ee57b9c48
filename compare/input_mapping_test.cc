#include "compare/input_mapping.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

namespace tv {
namespace verify {
namespace {

TensorSpec Spec(DataType t, std::vector<int64_t> shape, float scale = 0, int32_t zp = 0) {
  TensorSpec s;
  s.name = "in";
  s.dtype = t;
  s.shape = std::move(shape);
  s.quantized = scale > 0;
  s.scale = scale;
  s.zero_point = zp;
  return s;
}

HostTensor Sample(std::vector<int64_t> shape) {
  HostTensor t;
  t.shape = std::move(shape);
  t.bytes.resize(static_cast<size_t>(t.NumElements()) * 4);
  for (int64_t i = 0; i < t.NumElements(); ++i) t.As<float>()[i] = static_cast<float>(i);
  return t;
}

TEST(Preprocess, ParsesFractionsAndChannels) {
  Preprocess p;
  ASSERT_TRUE(ParsePreprocess("scale=1/255,mean=0.5:0.25:1,std=2", &p).ok());
  EXPECT_TRUE(p.given);
  EXPECT_FLOAT_EQ(p.scale, 1.0f / 255);
  EXPECT_EQ(p.mean.size(), 3u);
  EXPECT_EQ(p.std, std::vector<float>{2.0f});
  EXPECT_FALSE(ParsePreprocess("scale=abc", &p).ok());
  EXPECT_FALSE(ParsePreprocess("offset=1", &p).ok());
  EXPECT_FALSE(ParsePreprocess("std=0", &p).ok());
  EXPECT_FALSE(ParsePreprocess("scale=1/0", &p).ok());
  EXPECT_FALSE(ParsePreprocess("scale", &p).ok());
  ASSERT_TRUE(ParsePreprocess("", &p).ok());
  EXPECT_FALSE(p.given);
}

TEST(InputMapper, HwcSampleIntoNchwModelTransposes) {
  InputMapper m;
  std::vector<std::string> d;
  ASSERT_TRUE(m.Plan({2, 2, 3}, Spec(DataType::kFloat32, {1, 3, 2, 2}), {}, true, "ref", &d).ok());
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d[0].find("HWC transposed to NCHW"), std::string::npos) << d[0];
  HostTensor out;
  int64_t clipped = 0;
  m.Map(Sample({2, 2, 3}), &out, &clipped);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{1, 3, 2, 2}));
  // out[c][h][w] = in[h][w][c] = (h*2+w)*3+c
  EXPECT_EQ(out.As<float>()[0], 0.0f);
  EXPECT_EQ(out.As<float>()[1], 3.0f);  // c0 h0 w1
  EXPECT_EQ(out.As<float>()[4], 1.0f);  // c1 h0 w0
}

TEST(InputMapper, ChwSampleIntoNhwcModelTransposes) {
  InputMapper m;
  std::vector<std::string> d;
  ASSERT_TRUE(m.Plan({3, 2, 2}, Spec(DataType::kFloat32, {1, 2, 2, 3}), {}, false, "t", &d).ok());
  HostTensor out;
  int64_t clipped = 0;
  m.Map(Sample({3, 2, 2}), &out, &clipped);
  // out[h][w][c] = in[c][h][w] = c*4 + h*2 + w
  EXPECT_EQ(out.As<float>()[1], 4.0f);
  EXPECT_EQ(out.As<float>()[3], 1.0f);
}

TEST(InputMapper, SingleChannelReshapesAndCountsMismatch) {
  std::vector<std::string> d;
  InputMapper m;
  ASSERT_TRUE(m.Plan({28, 28}, Spec(DataType::kFloat32, {1, 1, 28, 28}), {}, true, "r", &d).ok());
  EXPECT_NE(d.back().find("no transpose"), std::string::npos) << d.back();
  ASSERT_TRUE(m.Plan({28, 28}, Spec(DataType::kFloat32, {-1, 28, 28, 1}), {}, false, "t", &d).ok());
  Status s = m.Plan({27, 28}, Spec(DataType::kFloat32, {1, 28, 28, 1}), {}, false, "t", &d);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("do not fit"), std::string::npos) << s.message();
}

TEST(InputMapper, QuantizesWithRoundingAndClipCount) {
  InputMapper m;
  std::vector<std::string> d;
  Preprocess pre;
  ASSERT_TRUE(ParsePreprocess("scale=0.5,mean=1", &pre).ok());
  ASSERT_TRUE(m.Plan({4}, Spec(DataType::kInt8, {1, 4}, 0.25f, -2), pre, false, "t", &d).ok());
  HostTensor in;
  in.shape = {4};
  in.bytes.resize(16);
  const float x[4] = {2.25f, 1.75f, 200.0f, -300.0f};  // y = x/2 - 1 = 0.125, -0.125, 99, -151
  std::memcpy(in.bytes.data(), x, 16);
  HostTensor out;
  int64_t clipped = 0;
  m.Map(in, &out, &clipped);
  ASSERT_EQ(out.dtype, DataType::kInt8);
  EXPECT_EQ(out.As<int8_t>()[0], -1);   // 0.5 rounds away from zero to 1, + zp -2
  EXPECT_EQ(out.As<int8_t>()[1], -3);   // -0.5 -> -1
  EXPECT_EQ(out.As<int8_t>()[2], 127);  // clipped
  EXPECT_EQ(out.As<int8_t>()[3], -128);
  EXPECT_EQ(clipped, 2);
  EXPECT_NE(d.back().find("zero point -2"), std::string::npos) << d.back();
}

// The vectorizable Map loop agrees with the scalar QuantizeValue, ties and clipping included.
TEST(InputMapper, MapMatchesQuantizeValue) {
  const uint32_t seed = 2024;
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  const int n = 4096;
  InputMapper m;
  std::vector<std::string> d;
  ASSERT_TRUE(m.Plan({n}, Spec(DataType::kInt8, {1, n}, 0.25f, 3), {}, false, "t", &d).ok());
  HostTensor in;
  in.shape = {n};
  in.bytes.resize(n * 4);
  for (int i = 0; i < n; ++i)  // many exact ties (k/8) plus arbitrary values and NaN
    in.As<float>()[i] = i % 3 == 0 ? static_cast<float>(static_cast<int>(rng() % 800) - 400) / 8
                        : i == 5   ? std::nanf("")
                                   : std::uniform_real_distribution<float>(-40, 40)(rng);
  HostTensor out;
  int64_t clipped = 0, expect_clipped = 0;
  m.Map(in, &out, &clipped);
  for (int i = 0; i < n; ++i) {
    bool c = false;
    const int32_t q = QuantizeValue(in.As<float>()[i], 0.25f, 3, -128, 127, &c);
    expect_clipped += c;
    ASSERT_EQ(out.As<int8_t>()[i], q) << i << " " << in.As<float>()[i];
  }
  EXPECT_EQ(clipped, expect_clipped);
  EXPECT_GT(clipped, 0);
}

TEST(InputMapper, PerChannelNormalisationFollowsSampleChannels) {
  InputMapper m;
  std::vector<std::string> d;
  Preprocess pre;
  ASSERT_TRUE(ParsePreprocess("mean=0:1:2,std=1:1:2", &pre).ok());
  ASSERT_TRUE(m.Plan({1, 2, 3}, Spec(DataType::kFloat32, {1, 3, 1, 2}), pre, true, "r", &d).ok());
  HostTensor out;
  int64_t clipped = 0;
  m.Map(Sample({1, 2, 3}), &out, &clipped);
  // NCHW element (c=2, w=1) comes from HWC index 5 (value 5): (5 - 2) / 2.
  EXPECT_FLOAT_EQ(out.As<float>()[5], 1.5f);
  EXPECT_FLOAT_EQ(out.As<float>()[2], 1.0f - 1.0f);  // c=1, w=0 <- value 1
}

// Image datasets keep uint8 pixels (Sample::x); mapping them must give the same bytes as
// mapping the same values as float, for float and int8 models, with and without a transpose.
TEST(InputMapper, Uint8SamplesMapLikeTheirFloatValues) {
  const uint32_t seed = 4242;
  std::mt19937 rng(seed);
  HostTensor u8{DataType::kUInt8, {6, 5, 3}, std::vector<uint8_t>(90)};
  HostTensor f32{DataType::kFloat32, {6, 5, 3}, std::vector<uint8_t>(90 * 4)};
  for (int i = 0; i < 90; ++i) {
    u8.bytes[static_cast<size_t>(i)] = static_cast<uint8_t>(rng() % 256);
    f32.As<float>()[i] = u8.bytes[static_cast<size_t>(i)];
  }
  Preprocess pre;
  ASSERT_TRUE(ParsePreprocess("scale=1/255,mean=0.5:0.4:0.3,std=0.2", &pre).ok());
  const TensorSpec specs[] = {Spec(DataType::kFloat32, {1, 3, 6, 5}),
                              Spec(DataType::kInt8, {1, 6, 5, 3}, 0.03f, -7),
                              Spec(DataType::kInt8, {1, 3, 6, 5}, 0.01f, 0)};
  for (const TensorSpec& spec : specs) {
    InputMapper m;
    std::vector<std::string> d;
    ASSERT_TRUE(m.Plan({6, 5, 3}, spec, pre, spec.shape[1] == 3, "t", &d).ok());
    HostTensor a, b;
    int64_t clipped_a = 0, clipped_b = 0;
    m.Map(u8, &a, &clipped_a);
    m.Map(f32, &b, &clipped_b);
    EXPECT_EQ(a.bytes, b.bytes) << "seed " << seed << " " << DataTypeName(spec.dtype);
    EXPECT_EQ(clipped_a, clipped_b);
  }
}

TEST(Outputs, DequantizeAndSoftmaxDecision) {
  HostTensor t;
  t.dtype = DataType::kInt8;
  t.shape = {1, 3};
  t.bytes = {0x80, 0x00, 0x7F};
  std::vector<float> v;
  ASSERT_TRUE(OutputToFloat(t, Spec(DataType::kInt8, {1, 3}, 0.5f, -128), &v).ok());
  EXPECT_EQ(v, (std::vector<float>{0.0f, 64.0f, 127.5f}));
  EXPECT_TRUE(LooksLikeLogits(v));
  EXPECT_FALSE(LooksLikeLogits({0.2f, 0.8f}));
  EXPECT_TRUE(LooksLikeLogits({-0.2f, 1.2f}));
  std::vector<float> logits{1.0f, 2.0f, 3.0f};
  Softmax(&logits);
  EXPECT_NEAR(logits[2], 0.66524f, 1e-5);
  EXPECT_FALSE(LooksLikeLogits(logits));
}

}  // namespace
}  // namespace verify
}  // namespace tv
