// DepthwiseConv2D must equal the plain per-element loop bit for bit (taps in (ky, kx) order,
// padding taps skipped, bias last) for any geometry and thread count; the vector paths cover
// strides 1 and 2, the rest falls back to scalar code.
#include "reference/ops/depthwise_conv.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "reference/thread_pool.h"

namespace tv {
namespace ref {
namespace {

ConvGeometry Geometry(int64_t ih, int64_t iw, int64_t kh, int64_t kw, int64_t s, int64_t d,
                      int64_t pad_begin, int64_t pad_end) {
  ConvGeometry g;
  g.in = {ih, iw};
  g.kernel = {kh, kw};
  g.strides = {s, s + (iw % 2)};  // different strides per axis on odd widths
  g.dilations = {d, d};
  g.pads = {pad_begin, pad_begin, pad_end, pad_end};
  for (int i = 0; i < 2; ++i) {
    const int64_t span = (g.kernel[i] - 1) * g.dilations[i] + 1;
    g.out.push_back(
        std::max<int64_t>(0, (g.in[i] + g.pads[i] + g.pads[i + 2] - span) / g.strides[i] + 1));
  }
  return g;
}

std::vector<float> Reference(const ConvGeometry& g, int64_t planes, const std::vector<float>& x,
                             const std::vector<float>& w, const std::vector<float>& bias) {
  const int64_t ih = g.in[0], iw = g.in[1], oh = g.out[0], ow = g.out[1];
  const int64_t kh = g.kernel[0], kw = g.kernel[1];
  std::vector<float> y(static_cast<size_t>(planes * oh * ow));
  const int64_t channels = static_cast<int64_t>(bias.size());
  for (int64_t p = 0; p < planes; ++p) {
    const int64_t c = p % channels;
    for (int64_t oy = 0; oy < oh; ++oy) {
      for (int64_t ox = 0; ox < ow; ++ox) {
        float acc = 0.0f;
        for (int64_t ky = 0; ky < kh; ++ky) {
          for (int64_t kx = 0; kx < kw; ++kx) {
            const int64_t iy = oy * g.strides[0] - g.pads[0] + ky * g.dilations[0];
            const int64_t ix = ox * g.strides[1] - g.pads[1] + kx * g.dilations[1];
            if (iy < 0 || iy >= ih || ix < 0 || ix >= iw) continue;
            acc = acc + x[(p * ih + iy) * iw + ix] * w[(c * kh + ky) * kw + kx];
          }
        }
        y[(p * oh + oy) * ow + ox] = acc + bias[c];
      }
    }
  }
  return y;
}

TEST(DepthwiseConvTest, MatchesPerElementLoopBitForBit) {
  const uint32_t seed = std::random_device{}();
  SCOPED_TRACE(testing::Message() << "seed=" << seed);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> dim(1, 40), kernel(1, 5), stride(1, 3), dil(1, 2),
      pad(0, 2);
  std::uniform_real_distribution<float> value(-2.0f, 2.0f);
  ThreadPool pool(3);
  for (int round = 0; round < 60; ++round) {
    // The first rounds are the ShuffleNet/MobileNet shapes (3x3, stride 1 and 2, pad 1).
    const int64_t fixed[][2] = {{28, 1}, {14, 1}, {7, 1}, {56, 2}, {13, 2}};
    const ConvGeometry g =
        round < 5 ? Geometry(fixed[round][0], fixed[round][0], 3, 3, fixed[round][1], 1, 1, 1)
                  : Geometry(dim(rng), dim(rng), kernel(rng), kernel(rng), stride(rng), dil(rng),
                             pad(rng), pad(rng));
    if (g.out[0] <= 0 || g.out[1] <= 0) continue;
    const int64_t batch = 2, channels = 3;
    std::vector<float> x(static_cast<size_t>(batch * channels * g.in[0] * g.in[1]));
    std::vector<float> w(static_cast<size_t>(channels * g.kernel[0] * g.kernel[1]));
    std::vector<float> bias(static_cast<size_t>(channels));
    for (float& v : x) v = value(rng);
    for (float& v : w) v = value(rng);
    for (float& v : bias) v = value(rng);
    if (round % 7 == 0) w[0] = std::numeric_limits<float>::infinity();  // padding must not add NaN
    const std::vector<float> want = Reference(g, batch * channels, x, w, bias);
    for (ThreadPool* p : {&pool}) {
      std::vector<float> got(want.size(), -1.0f);
      DepthwiseConv2D(g, batch, channels, x.data(), w.data(), bias.data(), got.data(), p);
      for (size_t i = 0; i < want.size(); ++i) {
        ASSERT_TRUE(std::memcmp(&got[i], &want[i], sizeof(float)) == 0)
            << "element " << i << " got " << got[i] << " want " << want[i] << " in " << g.in[0]
            << "x" << g.in[1] << " kernel " << g.kernel[0] << "x" << g.kernel[1] << " strides "
            << g.strides[0] << "," << g.strides[1] << " dilation " << g.dilations[0] << " pads "
            << g.pads[0] << "," << g.pads[2];
      }
    }
  }
}

TEST(DepthwiseConvTest, SingleThreadEqualsThreePoolThreads) {
  const ConvGeometry g = Geometry(28, 28, 3, 3, 1, 1, 1, 1);
  const int64_t channels = 5;
  std::vector<float> x(static_cast<size_t>(channels * 28 * 28)), w(channels * 9), bias(channels);
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  for (float& v : x) v = value(rng);
  for (float& v : w) v = value(rng);
  for (float& v : bias) v = value(rng);
  ThreadPool one(1), three(3);
  std::vector<float> a(static_cast<size_t>(channels * 28 * 28)), b(a.size());
  DepthwiseConv2D(g, 1, channels, x.data(), w.data(), bias.data(), a.data(), &one);
  DepthwiseConv2D(g, 1, channels, x.data(), w.data(), bias.data(), b.data(), &three);
  EXPECT_EQ(0, std::memcmp(a.data(), b.data(), a.size() * sizeof(float)));
}

TEST(DepthwiseConvTest, FusedPostOpsEqualTheEpilogueOnTheOutput) {
  const ConvGeometry g = Geometry(14, 14, 3, 3, 1, 1, 1, 1);
  const int64_t batch = 2, channels = 4, plane = 14 * 14;
  std::mt19937 rng(9);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  std::vector<float> x(static_cast<size_t>(batch * channels * plane)), w(channels * 9);
  std::vector<float> bias(channels), scale(channels), shift(channels);
  for (auto* v : {&x, &w, &bias, &scale, &shift})
    for (float& e : *v) e = value(rng);
  PostOp ops[2];
  ops[0].kind = PostOp::Kind::kAffine;
  ops[0].scale = scale.data();
  ops[0].shift = shift.data();
  ops[1].kind = PostOp::Kind::kRelu;
  GemmEpilogue post;
  post.ops = ops;
  post.num_ops = 2;
  ThreadPool pool(2);
  std::vector<float> fused(x.size()), plain(x.size());
  DepthwiseConv2D(g, batch, channels, x.data(), w.data(), bias.data(), fused.data(), &pool, &post);
  DepthwiseConv2D(g, batch, channels, x.data(), w.data(), bias.data(), plain.data(), &pool);
  for (int64_t i = 0; i < static_cast<int64_t>(plain.size()); ++i) {
    const float want = post.Finish(plain[i], (i / plane) % channels);
    ASSERT_EQ(0, std::memcmp(&fused[i], &want, sizeof(float))) << "element " << i;
  }
}

}  // namespace
}  // namespace ref
}  // namespace tv
