// MaxPool / AveragePool 2-D must equal the plain per-element loop bit for bit on random
// geometries (the vector path computes interior outputs, scalar code the borders).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "reference/onnx_model.h"
#include "reference/tests/model_builder.h"

namespace tv {
namespace ref {
namespace {

struct PoolCase {
  bool is_max, include_pad;
  int64_t ih, iw, kh, kw, sh, sw, dil, pad_begin, pad_end;
  int64_t oh() const { return (ih + pad_begin + pad_end - (kh - 1) * dil - 1) / sh + 1; }
  int64_t ow() const { return (iw + pad_begin + pad_end - (kw - 1) * dil - 1) / sw + 1; }
};

// Max keeps the first tap unless a later one is greater; average sums in double.
std::vector<float> Reference(const PoolCase& c, int64_t planes, const std::vector<float>& x) {
  std::vector<float> y;
  for (int64_t p = 0; p < planes; ++p) {
    for (int64_t oy = 0; oy < c.oh(); ++oy) {
      for (int64_t ox = 0; ox < c.ow(); ++ox) {
        float best = std::numeric_limits<float>::lowest();  // when every tap is padding
        bool any = false;
        double sum = 0.0;
        int64_t valid = 0, padded = 0;
        for (int64_t ky = 0; ky < c.kh; ++ky) {
          for (int64_t kx = 0; kx < c.kw; ++kx) {
            const int64_t iy = oy * c.sh - c.pad_begin + ky * c.dil;
            const int64_t ix = ox * c.sw - c.pad_begin + kx * c.dil;
            if (iy >= c.ih + c.pad_end || ix >= c.iw + c.pad_end) continue;
            ++padded;
            if (iy < 0 || ix < 0 || iy >= c.ih || ix >= c.iw) continue;
            const float v = x[(p * c.ih + iy) * c.iw + ix];
            ++valid;
            if (!any || v > best) best = v;
            any = true;
            sum += static_cast<double>(v);
          }
        }
        const int64_t divisor = c.include_pad ? padded : valid;
        y.push_back(c.is_max ? best : static_cast<float>(divisor > 0 ? sum / divisor : 0.0));
      }
    }
  }
  return y;
}

TEST(PoolTest, MatchesPerElementLoopBitForBit) {
  const uint32_t seed = std::random_device{}();
  SCOPED_TRACE(::testing::Message() << "seed=" << seed);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> dim(1, 40), kernel(1, 4), stride(1, 3), dil(1, 2),
      pad(0, 1), coin(0, 1);
  std::uniform_real_distribution<float> value(-3.0f, 3.0f);
  for (int round = 0; round < 40; ++round) {
    PoolCase c;
    c.is_max = coin(rng) == 1;
    c.include_pad = coin(rng) == 1;
    c.ih = dim(rng), c.iw = dim(rng), c.kh = kernel(rng), c.kw = kernel(rng);
    c.sh = stride(rng), c.sw = stride(rng), c.dil = c.is_max ? dil(rng) : 1;
    c.pad_begin = std::min(pad(rng), c.kh - 1);
    c.pad_begin = std::min(c.pad_begin, c.kw - 1);  // ONNX: pads smaller than the kernel
    c.pad_end = c.pad_begin;
    const int64_t extent = 2 * c.pad_begin;
    if (c.ih + extent < (c.kh - 1) * c.dil + 1 || c.iw + extent < (c.kw - 1) * c.dil + 1) continue;
    const int64_t channels = 3;
    testing::ModelBuilder b(13);
    b.Input("x", {1, channels, c.ih, c.iw});
    auto* node = b.Node(c.is_max ? "MaxPool" : "AveragePool", {"x"}, {"y"}, "pool");
    testing::ModelBuilder::IntsAttr(node, "kernel_shape", {c.kh, c.kw});
    testing::ModelBuilder::IntsAttr(node, "strides", {c.sh, c.sw});
    testing::ModelBuilder::IntsAttr(node, "pads", {c.pad_begin, c.pad_begin, c.pad_end, c.pad_end});
    if (c.is_max) testing::ModelBuilder::IntsAttr(node, "dilations", {c.dil, c.dil});
    if (!c.is_max) testing::ModelBuilder::IntAttr(node, "count_include_pad", c.include_pad);
    b.Output("y");
    const std::string bytes = b.Serialize();
    std::unique_ptr<OnnxModel> model;
    const Status loaded = OnnxModel::LoadFromBytes(reinterpret_cast<const uint8_t*>(bytes.data()),
                                                   bytes.size(), "", &model);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    Tensor in;
    in.shape = {1, channels, c.ih, c.iw};
    in.bytes.resize(static_cast<size_t>(in.NumElements()) * 4);
    std::vector<float> x(static_cast<size_t>(in.NumElements()));
    for (float& v : x) v = value(rng);
    std::memcpy(in.bytes.data(), x.data(), in.bytes.size());
    std::vector<Tensor> out;
    const Status ran = model->Run({in}, &out, 2);
    ASSERT_TRUE(ran.ok()) << ran.message();
    const std::vector<float> want = Reference(c, channels, x);
    ASSERT_EQ(out[0].NumElements(), static_cast<int64_t>(want.size()));
    const std::string what = std::string(c.is_max ? "max" : "avg") + " in " + std::to_string(c.ih) +
                             "x" + std::to_string(c.iw) + " k " + std::to_string(c.kh) + "x" +
                             std::to_string(c.kw) + " s " + std::to_string(c.sh) + "," +
                             std::to_string(c.sw) + " d " + std::to_string(c.dil) + " pad " +
                             std::to_string(c.pad_begin);
    EXPECT_EQ(0, std::memcmp(out[0].bytes.data(), want.data(), want.size() * 4)) << what;
  }
}

}  // namespace
}  // namespace ref
}  // namespace tv
