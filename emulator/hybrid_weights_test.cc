// InterpreterOptions::dequantize_hybrid_weights: a hybrid model (float activations, int8
// weights) run as a float reference must give exactly what the same model with float weights
// (q - zero_point) * scale gives; without the option it is refused.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "emulator/builtin_ops.h"
#include "emulator/interpreter.h"
#include "emulator/model.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::ModelBuilder;
using testing::QuantSpec;

constexpr int kFilters = 3, kK = 3, kC = 2, kH = 6, kOut = 4;
constexpr int kConvOut = (kH - kK + 1);  // VALID, stride 1
constexpr int kFcIn = kConvOut * kConvOut * kFilters;

struct Weights {
  std::vector<int8_t> conv_q, fc_q;
  std::vector<float> conv_scales{0.02f, 0.05f, 0.11f};  // per output channel (axis 0)
  float fc_scale = 0.03f;
  int64_t fc_zero = 3;  // asymmetric on purpose: exercises the zero point
};

Weights MakeWeights(uint32_t seed) {
  std::mt19937 rng(seed);
  Weights w;
  for (int i = 0; i < kFilters * kK * kK * kC; ++i) w.conv_q.push_back(int8_t(rng() % 255 - 127));
  for (int i = 0; i < kOut * kFcIn; ++i) w.fc_q.push_back(int8_t(rng() % 255 - 127));
  return w;
}

// hybrid: int8 weights with scales; else the float weights they stand for.
std::vector<uint8_t> BuildModel(const Weights& w, bool hybrid) {
  ModelBuilder b;
  const int in = b.AddTensor(DataType::kFloat32, {1, kH, kH, kC});
  int conv_w = 0, fc_w = 0;
  if (hybrid) {
    QuantSpec per_channel{w.conv_scales, {0, 0, 0}, 0};
    conv_w = b.AddConst<int8_t>(DataType::kInt8, {kFilters, kK, kK, kC}, w.conv_q, per_channel);
    fc_w = b.AddConst<int8_t>(DataType::kInt8, {kOut, kFcIn}, w.fc_q,
                              QuantSpec::PerTensor(w.fc_scale, w.fc_zero));
  } else {
    std::vector<float> cf, ff;
    const int per_filter = kK * kK * kC;
    for (size_t i = 0; i < w.conv_q.size(); ++i)
      cf.push_back(static_cast<float>(w.conv_q[i]) * w.conv_scales[i / per_filter]);
    for (int8_t q : w.fc_q) ff.push_back(static_cast<float>(q - w.fc_zero) * w.fc_scale);
    conv_w = b.AddConst<float>(DataType::kFloat32, {kFilters, kK, kK, kC}, cf);
    fc_w = b.AddConst<float>(DataType::kFloat32, {kOut, kFcIn}, ff);
  }
  const int conv_b = b.AddConst<float>(DataType::kFloat32, {kFilters}, {0.1f, -0.2f, 0.3f});
  const int conv_out = b.AddTensor(DataType::kFloat32, {1, kConvOut, kConvOut, kFilters});
  const int flat = b.AddTensor(DataType::kFloat32, {1, kFcIn});
  const int shape = b.AddConst<int32_t>(DataType::kInt32, {2}, {1, kFcIn});
  const int out = b.AddTensor(DataType::kFloat32, {1, kOut});
  tflite::Conv2DOptionsT conv;
  conv.padding = tflite::Padding::VALID;
  conv.stride_h = conv.stride_w = 1;
  tflite::BuiltinOptionsUnion conv_options;
  conv_options.Set(conv);
  tflite::FullyConnectedOptionsT fc;
  tflite::BuiltinOptionsUnion fc_options;
  fc_options.Set(fc);
  b.AddOperator(op::kConv2D, {in, conv_w, conv_b}, {conv_out}, conv_options);
  b.AddOperator(op::kReshape, {conv_out, shape}, {flat});
  b.AddOperator(op::kFullyConnected, {flat, fc_w, -1}, {out}, fc_options);
  b.SetGraphIO({in}, {out});
  return b.Build();
}

class Loaded {
 public:
  Status Load(const std::vector<uint8_t>& bytes, bool dequantize) {
    bytes_.assign(bytes.size() + 16, 0);
    uint8_t* p = bytes_.data() + (16 - reinterpret_cast<uintptr_t>(bytes_.data()) % 16) % 16;
    std::memcpy(p, bytes.data(), bytes.size());
    TV_RETURN_IF_ERROR(model_.Load(p, bytes.size()));
    InterpreterOptions o;
    o.dequantize_hybrid_weights = dequantize;
    return interp_.Init(model_, o);
  }
  std::vector<float> Run(const std::vector<float>& x) {
    std::memcpy(interp_.input(0)->data, x.data(), x.size() * sizeof(float));
    EXPECT_TRUE(interp_.Invoke().ok());
    const Tensor* t = interp_.output(0);
    return std::vector<float>(t->As<float>(), t->As<float>() + t->bytes / sizeof(float));
  }
  Interpreter& interp() { return interp_; }

 private:
  std::vector<uint8_t> bytes_;
  Model model_;
  Interpreter interp_;
};

TEST(HybridWeights, DequantizedRunEqualsTheFloatModel) {
  const uint32_t seed = 77;
  const Weights w = MakeWeights(seed);
  Loaded hybrid, plain;
  const Status s = hybrid.Load(BuildModel(w, true), true);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_TRUE(plain.Load(BuildModel(w, false), false).ok());
  EXPECT_EQ(hybrid.interp().dequantized_weights(), 2);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-2.0f, 2.0f);
  for (int trial = 0; trial < 5; ++trial) {
    std::vector<float> x(kH * kH * kC);
    for (float& v : x) v = u(rng);
    EXPECT_EQ(hybrid.Run(x), plain.Run(x)) << "seed " << seed << " trial " << trial;
  }
}

TEST(HybridWeights, RefusedUnlessAskedFor) {
  Loaded hybrid;
  const Status s = hybrid.Load(BuildModel(MakeWeights(1), true), false);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("hybrid"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace tv
