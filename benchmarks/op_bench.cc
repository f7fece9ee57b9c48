// Per-op latency of the weighted kernels on typical TinyML shapes, reference vs optimized
// flavour, one invocation per iteration, single thread. Each benchmark is a one-operator
// model built in memory (tests/support/model_builder.h), so it runs the production path.
//   build/benchmarks/op_bench --benchmark_filter=conv
#include <benchmark/benchmark.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/optimized/optimized_kernels.h"
#include "tests/support/model_builder.h"

namespace {

using tv::DataType;
using tv::testing::ModelBuilder;
using tv::testing::QuantSpec;

enum class Kind { kConv, kDepthwise, kFullyConnected };

struct OpShape {
  const char* id;
  Kind kind;
  bool int8;
  int in_h, in_w, in_c;  // FULLY_CONNECTED: in_c = depth
  int out_c;             // depthwise: = in_c
  int filter, stride;
};

const OpShape kShapes[] = {
    {"conv3x3_32x32x16_to16", Kind::kConv, true, 32, 32, 16, 16, 3, 1},
    {"conv3x3_s2_96x96x3_to8", Kind::kConv, true, 96, 96, 3, 8, 3, 2},
    {"conv1x1_24x24x64_to128", Kind::kConv, true, 24, 24, 64, 128, 1, 1},
    {"conv3x3_8x8x64_to64", Kind::kConv, true, 8, 8, 64, 64, 3, 1},
    {"dw3x3_48x48x32", Kind::kDepthwise, true, 48, 48, 32, 32, 3, 1},
    {"dw3x3_s2_24x24x128", Kind::kDepthwise, true, 24, 24, 128, 128, 3, 2},
    {"fc_640_to128", Kind::kFullyConnected, true, 1, 1, 640, 128, 1, 1},
    {"fc_1960_to4", Kind::kFullyConnected, true, 1, 1, 1960, 4, 1, 1},
    {"conv3x3_32x32x16_to16_float", Kind::kConv, false, 32, 32, 16, 16, 3, 1},
    {"conv1x1_24x24x64_to128_float", Kind::kConv, false, 24, 24, 64, 128, 1, 1},
    {"dw3x3_48x48x32_float", Kind::kDepthwise, false, 48, 48, 32, 32, 3, 1},
    {"fc_640_to128_float", Kind::kFullyConnected, false, 1, 1, 640, 128, 1, 1},
};

std::vector<uint8_t> BuildModel(const OpShape& s) {
  std::mt19937 rng(1);
  ModelBuilder b;
  const DataType t = s.int8 ? DataType::kInt8 : DataType::kFloat32;
  const QuantSpec aq = s.int8 ? QuantSpec::PerTensor(0.05f, -3) : QuantSpec{};
  const int out_h = (s.in_h + s.stride - 1) / s.stride, out_w = (s.in_w + s.stride - 1) / s.stride;
  std::vector<int32_t> in_shape = {1, s.in_h, s.in_w, s.in_c};
  std::vector<int32_t> w_shape = {s.out_c, s.filter, s.filter, s.in_c};
  std::vector<int32_t> out_shape = {1, out_h, out_w, s.out_c};
  if (s.kind == Kind::kDepthwise) w_shape = {1, s.filter, s.filter, s.out_c};
  if (s.kind == Kind::kFullyConnected) {
    in_shape = {1, s.in_c};
    w_shape = {s.out_c, s.in_c};
    out_shape = {1, s.out_c};
  }
  size_t n = 1;
  for (int32_t d : w_shape) n *= static_cast<size_t>(d);
  const int in = b.AddTensor(t, in_shape, aq);
  int w, bias;
  if (s.int8) {
    QuantSpec wq, bq;
    wq.axis = s.kind == Kind::kDepthwise ? 3 : 0;
    for (int c = 0; c < s.out_c; ++c) {
      wq.scales.push_back(0.002f + 0.0001f * static_cast<float>(c % 7));
      wq.zero_points.push_back(0);
      bq.scales.push_back(wq.scales.back() * 0.05f);
      bq.zero_points.push_back(0);
    }
    std::vector<int8_t> wv(n);
    for (auto& v : wv) v = static_cast<int8_t>(rng() % 255 - 127);
    w = b.AddConst<int8_t>(DataType::kInt8, w_shape, wv, wq);
    bias = b.AddConst<int32_t>(DataType::kInt32, {s.out_c}, std::vector<int32_t>(s.out_c, 100), bq);
  } else {
    std::vector<float> wv(n);
    for (auto& v : wv) v = static_cast<float>(rng() % 2001) / 1000.0f - 1.0f;
    w = b.AddConst<float>(DataType::kFloat32, w_shape, wv);
    bias = b.AddConst<float>(DataType::kFloat32, {s.out_c}, std::vector<float>(s.out_c, 0.1f));
  }
  const int out = b.AddTensor(t, out_shape, s.int8 ? QuantSpec::PerTensor(0.1f, 2) : QuantSpec{});
  tflite::BuiltinOptionsUnion u;
  int32_t code = tv::op::kConv2D;
  if (s.kind == Kind::kConv) {
    tflite::Conv2DOptionsT o;
    o.padding = tflite::Padding::SAME;
    o.stride_h = o.stride_w = s.stride;
    o.fused_activation_function = tflite::ActivationFunctionType::RELU;
    u.Set(o);
  } else if (s.kind == Kind::kDepthwise) {
    tflite::DepthwiseConv2DOptionsT o;
    o.padding = tflite::Padding::SAME;
    o.stride_h = o.stride_w = s.stride;
    o.depth_multiplier = 1;
    o.fused_activation_function = tflite::ActivationFunctionType::RELU6;
    u.Set(o);
    code = tv::op::kDepthwiseConv2D;
  } else {
    tflite::FullyConnectedOptionsT o;
    u.Set(o);
    code = tv::op::kFullyConnected;
  }
  b.AddOperator(code, {in, w, bias}, {out}, u);
  b.SetGraphIO({in}, {out});
  return b.Build();
}

void RunOp(benchmark::State& state, const OpShape& s, tv::KernelFlavor flavor) {
  tv::testing::LoadedModel m;
  if (!m.Load(BuildModel(s), flavor, tv::optimized::FindOptimizedKernel).ok()) {
    state.SkipWithError("model rejected");
    return;
  }
  tv::Tensor* in = m.interpreter().input(0);
  for (size_t i = 0; i < in->bytes; ++i) in->data[i] = static_cast<uint8_t>(i * 37 % 251);
  if (!s.int8) {
    float* f = in->As<float>();
    for (size_t i = 0; i < in->bytes / sizeof(float); ++i)
      f[i] = static_cast<float>(i % 17) / 17.0f;
  }
  for (auto _ : state) {
    if (!m.interpreter().Invoke().ok()) {
      state.SkipWithError("invoke failed");
      return;
    }
    benchmark::ClobberMemory();
  }
  state.counters["MACs"] = static_cast<double>(m.interpreter().nodes()[0].macs);
  state.SetLabel(flavor == tv::KernelFlavor::kOptimized ? tv::optimized::SelectedTargetName()
                                                        : "scalar");
}

const int kRegistered = [] {
  for (const OpShape& s : kShapes) {
    benchmark::RegisterBenchmark(
        (std::string("op/") + s.id + "/reference").c_str(),
        [s](benchmark::State& st) { RunOp(st, s, tv::KernelFlavor::kReference); })
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(
        (std::string("op/") + s.id + "/optimized").c_str(),
        [s](benchmark::State& st) { RunOp(st, s, tv::KernelFlavor::kOptimized); })
        ->Unit(benchmark::kMicrosecond);
  }
  return 0;
}();

}  // namespace

BENCHMARK_MAIN();
