#include "tests/support/verify_models.h"

#include <algorithm>
#include <cmath>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace testing {

namespace {

constexpr int kFilters = 8, kOut = 10, kConvHW = 13, kFcIn = kConvHW * kConvHW * kFilters;

// Deterministic weights in [-amp, amp] (a fixed LCG, so both models share them).
std::vector<float> Weights(size_t n, float amp, uint32_t seed) {
  std::vector<float> w(n);
  for (float& v : w) {
    seed = seed * 1664525u + 1013904223u;
    v = amp * (static_cast<float>(seed >> 8) / static_cast<float>(1u << 24) * 2.0f - 1.0f);
  }
  return w;
}

std::vector<int8_t> QuantizeWeights(const std::vector<float>& w, float scale) {
  std::vector<int8_t> q(w.size());
  for (size_t i = 0; i < w.size(); ++i)
    q[i] = static_cast<int8_t>(std::clamp(std::round(w[i] / scale), -127.0f, 127.0f));
  return q;
}

}  // namespace

std::vector<uint8_t> BuildCnn28(bool int8) {
  const std::vector<float> conv_w = Weights(kFilters * 9, 0.5f, 1),
                           conv_b = Weights(kFilters, 0.1f, 2);
  const std::vector<float> fc_w = Weights(kOut * kFcIn, 0.08f, 3), fc_b = Weights(kOut, 0.2f, 4);
  tflite::Conv2DOptionsT conv;
  conv.padding = tflite::Padding::VALID;
  conv.stride_h = conv.stride_w = 2;
  conv.fused_activation_function = tflite::ActivationFunctionType::RELU;
  tflite::BuiltinOptionsUnion conv_options;
  conv_options.Set(conv);
  tflite::FullyConnectedOptionsT fc;
  tflite::BuiltinOptionsUnion fc_options;
  fc_options.Set(fc);
  ModelBuilder b;
  if (!int8) {
    const int in = b.AddTensor(DataType::kFloat32, {1, 28, 28, 1}, {}, "image");
    const int w = b.AddConst<float>(DataType::kFloat32, {kFilters, 3, 3, 1}, conv_w);
    const int bias = b.AddConst<float>(DataType::kFloat32, {kFilters}, conv_b);
    const int act = b.AddTensor(DataType::kFloat32, {1, kConvHW, kConvHW, kFilters}, {}, "conv");
    const int fw = b.AddConst<float>(DataType::kFloat32, {kOut, kFcIn}, fc_w);
    const int fb = b.AddConst<float>(DataType::kFloat32, {kOut}, fc_b);
    const int out = b.AddTensor(DataType::kFloat32, {1, kOut}, {}, "logits");
    b.AddOperator(op::kConv2D, {in, w, bias}, {act}, conv_options);
    b.AddOperator(op::kFullyConnected, {act, fw, fb}, {out}, fc_options);
    b.SetGraphIO({in}, {out});
    return b.Build();
  }
  const float in_scale = 1.0f / 255.0f, act_scale = 2.0f / 255.0f, out_scale = 12.0f / 255.0f;
  std::vector<float> w_scales(kFilters, 0.0f), b_scales(kFilters);
  for (int f = 0; f < kFilters; ++f) {
    for (int k = 0; k < 9; ++k) w_scales[f] = std::max(w_scales[f], std::fabs(conv_w[f * 9 + k]));
    w_scales[f] /= 127.0f;
    b_scales[f] = in_scale * w_scales[f];
  }
  std::vector<int8_t> conv_q(conv_w.size());
  for (int f = 0; f < kFilters; ++f)
    for (int k = 0; k < 9; ++k)
      conv_q[f * 9 + k] = QuantizeWeights({conv_w[f * 9 + k]}, w_scales[f])[0];
  std::vector<int32_t> conv_bq(kFilters);
  for (int f = 0; f < kFilters; ++f)
    conv_bq[f] = static_cast<int32_t>(std::round(conv_b[f] / b_scales[f]));
  const float fc_scale = 0.08f / 127.0f;
  std::vector<int32_t> fc_bq(kOut);
  for (int o = 0; o < kOut; ++o)
    fc_bq[o] = static_cast<int32_t>(std::round(fc_b[o] / (act_scale * fc_scale)));
  QuantSpec per_channel{w_scales, std::vector<int64_t>(kFilters, 0), 0};
  QuantSpec bias_channel{b_scales, std::vector<int64_t>(kFilters, 0), 0};
  const int in =
      b.AddTensor(DataType::kInt8, {1, 28, 28, 1}, QuantSpec::PerTensor(in_scale, -128), "image");
  const int w = b.AddConst<int8_t>(DataType::kInt8, {kFilters, 3, 3, 1}, conv_q, per_channel);
  const int bias = b.AddConst<int32_t>(DataType::kInt32, {kFilters}, conv_bq, bias_channel);
  const int act = b.AddTensor(DataType::kInt8, {1, kConvHW, kConvHW, kFilters},
                              QuantSpec::PerTensor(act_scale, -128), "conv");
  const int fw = b.AddConst<int8_t>(DataType::kInt8, {kOut, kFcIn}, QuantizeWeights(fc_w, fc_scale),
                                    QuantSpec::PerTensor(fc_scale, 0));
  const int fb = b.AddConst<int32_t>(DataType::kInt32, {kOut}, fc_bq,
                                     QuantSpec::PerTensor(act_scale * fc_scale, 0));
  const int out =
      b.AddTensor(DataType::kInt8, {1, kOut}, QuantSpec::PerTensor(out_scale, 0), "logits");
  b.AddOperator(op::kConv2D, {in, w, bias}, {act}, conv_options, 3);
  b.AddOperator(op::kFullyConnected, {act, fw, fb}, {out}, fc_options, 4);
  b.SetGraphIO({in}, {out});
  return b.Build();
}

std::vector<uint8_t> BuildAutoencoder16(bool int8) {
  constexpr int kN = 16;
  std::vector<float> w = Weights(kN * kN, 0.05f, 5);
  for (int i = 0; i < kN; ++i) w[i * kN + i] += 0.9f;
  const std::vector<float> bias = Weights(kN, 0.1f, 6);
  tflite::FullyConnectedOptionsT fc;
  tflite::BuiltinOptionsUnion fc_options;
  fc_options.Set(fc);
  ModelBuilder b;
  if (!int8) {
    const int in = b.AddTensor(DataType::kFloat32, {1, kN}, {}, "features");
    const int fw = b.AddConst<float>(DataType::kFloat32, {kN, kN}, w);
    const int fb = b.AddConst<float>(DataType::kFloat32, {kN}, bias);
    const int out = b.AddTensor(DataType::kFloat32, {1, kN}, {}, "reconstruction");
    b.AddOperator(op::kFullyConnected, {in, fw, fb}, {out}, fc_options);
    b.SetGraphIO({in}, {out});
    return b.Build();
  }
  const float io_scale = 1.0f / 16.0f, w_scale = 0.95f / 127.0f;
  std::vector<int32_t> bq(kN);
  for (int o = 0; o < kN; ++o)
    bq[o] = static_cast<int32_t>(std::round(bias[o] / (io_scale * w_scale)));
  const int in =
      b.AddTensor(DataType::kInt8, {1, kN}, QuantSpec::PerTensor(io_scale, 0), "features");
  const int fw = b.AddConst<int8_t>(DataType::kInt8, {kN, kN}, QuantizeWeights(w, w_scale),
                                    QuantSpec::PerTensor(w_scale, 0));
  const int fb =
      b.AddConst<int32_t>(DataType::kInt32, {kN}, bq, QuantSpec::PerTensor(io_scale * w_scale, 0));
  const int out =
      b.AddTensor(DataType::kInt8, {1, kN}, QuantSpec::PerTensor(io_scale, 0), "reconstruction");
  b.AddOperator(op::kFullyConnected, {in, fw, fb}, {out}, fc_options, 4);
  b.SetGraphIO({in}, {out});
  return b.Build();
}

}  // namespace testing
}  // namespace tv
