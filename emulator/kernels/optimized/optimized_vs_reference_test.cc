// Randomized differential test: every optimized kernel against its reference twin on random
// single-op models (odd channel counts, strides, dilations, SAME/VALID padding, depth
// multipliers, per-channel and per-tensor quantization, extreme multipliers and zero points,
// fused activations, float and int8). Outputs must be byte-identical and the arena guards
// intact. The seed is printed on failure; TV_TEST_SEED=<n> replays one.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/optimized/optimized_kernels.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

constexpr int kCasesPerKernel = 120;

class Random {
 public:
  explicit Random(uint32_t seed) : rng_(seed) {}
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  float Uniform(float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng_); }
  // 10^U(lo, hi): scales spread over orders of magnitude (extreme multipliers).
  float LogUniform(float lo, float hi) { return std::pow(10.0f, Uniform(lo, hi)); }
  bool Chance(int percent) { return Int(0, 99) < percent; }
  template <typename T>
  std::vector<T> Ints(size_t n, int lo, int hi) {
    std::vector<T> v(n);
    for (auto& x : v) x = static_cast<T>(Int(lo, hi));
    return v;
  }
  std::vector<float> Floats(size_t n) {
    std::vector<float> v(n);
    for (auto& x : v) x = Uniform(-1.0f, 1.0f);
    return v;
  }

 private:
  std::mt19937 rng_;
};

// One random operator: its model, and random input bytes.
struct Case {
  std::vector<uint8_t> model;
  std::vector<uint8_t> input;
  std::string what;
};

QuantSpec ActivationQuant(Random& r) {
  return QuantSpec::PerTensor(r.LogUniform(-3.0f, 0.0f), r.Int(-128, 127));
}

// Filter scales: per tensor or per channel along `axis`, spanning orders of magnitude.
QuantSpec FilterQuant(Random& r, int channels, int axis, bool per_channel) {
  QuantSpec q;
  q.axis = axis;
  const int n = per_channel ? channels : 1;
  for (int c = 0; c < n; ++c) {
    q.scales.push_back(r.LogUniform(-4.0f, -1.0f));
    q.zero_points.push_back(0);
  }
  return q;
}

tflite::ActivationFunctionType RandomActivation(Random& r) {
  static const tflite::ActivationFunctionType kActs[] = {
      tflite::ActivationFunctionType::NONE, tflite::ActivationFunctionType::RELU,
      tflite::ActivationFunctionType::RELU6, tflite::ActivationFunctionType::RELU_N1_TO_1};
  return kActs[r.Int(0, 3)];
}

int OutSize(bool same, int in, int filter, int stride, int dilation) {
  const int effective = (filter - 1) * dilation + 1;
  return same ? (in + stride - 1) / stride : (in + stride - effective) / stride;
}

// Adds weights, bias and output of a quantized or float weighted op and returns their ids.
struct Operands {
  int weights = -1, bias = -1, output = -1;
};

Operands AddOperands(ModelBuilder& b, Random& r, bool int8, const std::vector<int32_t>& w_shape,
                     int out_c, int quant_axis, const std::vector<int32_t>& out_shape,
                     float input_scale) {
  Operands o;
  size_t n = 1;
  for (int32_t d : w_shape) n *= static_cast<size_t>(d);
  const bool with_bias = r.Chance(80);
  if (!int8) {
    o.weights = b.AddConst<float>(DataType::kFloat32, w_shape, r.Floats(n));
    if (with_bias) o.bias = b.AddConst<float>(DataType::kFloat32, {out_c}, r.Floats(out_c));
    o.output = b.AddTensor(DataType::kFloat32, out_shape);
    return o;
  }
  const QuantSpec wq = FilterQuant(r, out_c, quant_axis, r.Chance(70));
  // Mostly realistic weights; sometimes the extremes of the int8 range.
  const int lo = r.Chance(20) ? -128 : -40, hi = r.Chance(20) ? 127 : 40;
  o.weights = b.AddConst<int8_t>(DataType::kInt8, w_shape, r.Ints<int8_t>(n, lo, hi), wq);
  if (with_bias) {
    QuantSpec bq;
    for (float s : wq.scales) {
      bq.scales.push_back(s * input_scale);
      bq.zero_points.push_back(0);
    }
    const int range = r.Chance(20) ? 1 << 30 : 5000;
    o.bias =
        b.AddConst<int32_t>(DataType::kInt32, {out_c}, r.Ints<int32_t>(out_c, -range, range), bq);
  }
  o.output = b.AddTensor(DataType::kInt8, out_shape, ActivationQuant(r));
  return o;
}

Case RandomWindowOp(Random& r, bool depthwise) {
  const bool int8 = r.Chance(70);
  const int batches = r.Int(1, 2), in_h = r.Int(1, 11), in_w = r.Int(1, 11);
  const int f_h = r.Int(1, 4), f_w = r.Int(1, 4);
  const int stride_h = r.Int(1, 3), stride_w = r.Int(1, 3);
  const int dil_h = r.Chance(25) ? r.Int(2, 3) : 1, dil_w = r.Chance(25) ? r.Int(2, 3) : 1;
  bool same = r.Chance(50);
  if (OutSize(same, in_h, f_h, stride_h, dil_h) < 1 ||
      OutSize(same, in_w, f_w, stride_w, dil_w) < 1)
    same = true;
  const int out_h = OutSize(same, in_h, f_h, stride_h, dil_h);
  const int out_w = OutSize(same, in_w, f_w, stride_w, dil_w);
  int in_c = r.Int(1, 40), out_c = 0, groups = 1, multiplier = 1;
  if (depthwise) {
    multiplier = r.Chance(70) ? 1 : r.Int(2, 4);
    out_c = in_c * multiplier;
  } else {
    out_c = r.Int(1, 40);
    if (r.Chance(10)) {  // grouped convolution (runs the reference Eval)
      groups = r.Int(2, 3);
      in_c = groups * r.Int(1, 8);
      out_c = groups * r.Int(1, 8);
    }
  }
  ModelBuilder b;
  const QuantSpec iq = ActivationQuant(r);
  const int in = int8 ? b.AddTensor(DataType::kInt8, {batches, in_h, in_w, in_c}, iq)
                      : b.AddTensor(DataType::kFloat32, {batches, in_h, in_w, in_c});
  const std::vector<int32_t> w_shape = depthwise
                                           ? std::vector<int32_t>{1, f_h, f_w, out_c}
                                           : std::vector<int32_t>{out_c, f_h, f_w, in_c / groups};
  const Operands o = AddOperands(b, r, int8, w_shape, out_c, depthwise ? 3 : 0,
                                 {batches, out_h, out_w, out_c}, iq.scales[0]);
  std::vector<int32_t> inputs = {in, o.weights};
  if (o.bias >= 0) inputs.push_back(o.bias);
  const auto padding = same ? tflite::Padding::SAME : tflite::Padding::VALID;
  tflite::BuiltinOptionsUnion u;
  if (depthwise) {
    tflite::DepthwiseConv2DOptionsT opts;
    opts.padding = padding;
    opts.stride_h = stride_h;
    opts.stride_w = stride_w;
    opts.dilation_h_factor = dil_h;
    opts.dilation_w_factor = dil_w;
    opts.depth_multiplier = multiplier;
    opts.fused_activation_function = RandomActivation(r);
    u.Set(opts);
    b.AddOperator(op::kDepthwiseConv2D, inputs, {o.output}, u);
  } else {
    tflite::Conv2DOptionsT opts;
    opts.padding = padding;
    opts.stride_h = stride_h;
    opts.stride_w = stride_w;
    opts.dilation_h_factor = dil_h;
    opts.dilation_w_factor = dil_w;
    opts.fused_activation_function = RandomActivation(r);
    u.Set(opts);
    b.AddOperator(op::kConv2D, inputs, {o.output}, u);
  }
  b.SetGraphIO({in}, {o.output});
  Case c;
  c.model = b.Build();
  const size_t elems = static_cast<size_t>(batches) * in_h * in_w * in_c;
  if (int8) {
    auto v = r.Ints<int8_t>(elems, -128, 127);
    c.input.assign(reinterpret_cast<uint8_t*>(v.data()),
                   reinterpret_cast<uint8_t*>(v.data()) + elems);
  } else {
    auto v = r.Floats(elems);
    c.input.resize(elems * sizeof(float));
    std::memcpy(c.input.data(), v.data(), c.input.size());
  }
  c.what = std::string(depthwise ? "DEPTHWISE_CONV_2D" : "CONV_2D") + (int8 ? " int8" : " float") +
           " in " + std::to_string(batches) + "x" + std::to_string(in_h) + "x" +
           std::to_string(in_w) + "x" + std::to_string(in_c) + " filter " + std::to_string(f_h) +
           "x" + std::to_string(f_w) + " out_c " + std::to_string(out_c) + " stride " +
           std::to_string(stride_h) + "," + std::to_string(stride_w) + " dilation " +
           std::to_string(dil_h) + "," + std::to_string(dil_w) + (same ? " SAME" : " VALID");
  return c;
}

Case RandomFullyConnected(Random& r) {
  const bool int8 = r.Chance(70);
  const int batches = r.Int(1, 6), depth = r.Int(1, 300), out_c = r.Int(1, 70);
  ModelBuilder b;
  const QuantSpec iq = ActivationQuant(r);
  const int in = int8 ? b.AddTensor(DataType::kInt8, {batches, depth}, iq)
                      : b.AddTensor(DataType::kFloat32, {batches, depth});
  const Operands o =
      AddOperands(b, r, int8, {out_c, depth}, out_c, 0, {batches, out_c}, iq.scales[0]);
  std::vector<int32_t> inputs = {in, o.weights};
  if (o.bias >= 0) inputs.push_back(o.bias);
  tflite::FullyConnectedOptionsT opts;
  opts.fused_activation_function = RandomActivation(r);
  tflite::BuiltinOptionsUnion u;
  u.Set(opts);
  b.AddOperator(op::kFullyConnected, inputs, {o.output}, u);
  b.SetGraphIO({in}, {o.output});
  Case c;
  c.model = b.Build();
  const size_t elems = static_cast<size_t>(batches) * depth;
  if (int8) {
    auto v = r.Ints<int8_t>(elems, -128, 127);
    c.input.assign(reinterpret_cast<uint8_t*>(v.data()),
                   reinterpret_cast<uint8_t*>(v.data()) + elems);
  } else {
    auto v = r.Floats(elems);
    c.input.resize(elems * sizeof(float));
    std::memcpy(c.input.data(), v.data(), c.input.size());
  }
  c.what = std::string("FULLY_CONNECTED") + (int8 ? " int8" : " float") + " batches " +
           std::to_string(batches) + " depth " + std::to_string(depth) + " out_c " +
           std::to_string(out_c);
  return c;
}

// Runs `c` with one flavour; returns the output bytes (empty when the model was rejected).
std::vector<uint8_t> RunCase(const Case& c, KernelFlavor flavor, bool* guards_ok) {
  LoadedModel m;
  const Status s = m.Load(c.model, flavor, optimized::FindOptimizedKernel);
  if (!s.ok()) return {};
  Tensor* in = m.interpreter().input(0);
  EXPECT_EQ(in->bytes, c.input.size());
  std::memcpy(in->data, c.input.data(), c.input.size());
  EXPECT_TRUE(m.interpreter().Invoke().ok());
  *guards_ok = m.interpreter().GuardsIntact();
  return m.Output<uint8_t>(0);
}

uint32_t Seed() {
  const char* env = std::getenv("TV_TEST_SEED");
  return env ? static_cast<uint32_t>(std::strtoul(env, nullptr, 10)) : std::random_device{}();
}

TEST(OptimizedVsReference, EveryOptimizedKernelMatchesItsReferenceTwin) {
  int32_t count = 0;
  const OptimizedKernel* kernels = optimized::AllOptimizedKernels(&count);
  ASSERT_GT(count, 0);
  const uint32_t seed = Seed();
  SCOPED_TRACE("seed " + std::to_string(seed) +
               " (replay with TV_TEST_SEED=" + std::to_string(seed) + ")");
  Random r(seed);
  for (int32_t k = 0; k < count; ++k) {
    const int32_t code = kernels[k].op_code;
    ASSERT_TRUE(code == op::kConv2D || code == op::kDepthwiseConv2D || code == op::kFullyConnected)
        << "no random model generator for op " << code << "; add one here";
    int compared = 0;
    for (int i = 0; i < kCasesPerKernel; ++i) {
      const Case c = code == op::kFullyConnected ? RandomFullyConnected(r)
                                                 : RandomWindowOp(r, code == op::kDepthwiseConv2D);
      SCOPED_TRACE("case " + std::to_string(i) + ": " + c.what);
      bool ref_guards = false, opt_guards = false;
      const std::vector<uint8_t> ref = RunCase(c, KernelFlavor::kReference, &ref_guards);
      const std::vector<uint8_t> opt = RunCase(c, KernelFlavor::kOptimized, &opt_guards);
      ASSERT_EQ(ref.empty(), opt.empty()) << "one flavour rejected the model";
      if (ref.empty()) continue;  // e.g. an effective scale out of range: both reject it
      ++compared;
      EXPECT_TRUE(opt_guards) << "optimized kernel wrote outside its arena";
      ASSERT_EQ(ref.size(), opt.size());
      size_t first = 0;
      while (first < ref.size() && ref[first] == opt[first]) ++first;
      ASSERT_EQ(first, ref.size()) << "optimized output differs from reference at byte " << first
                                   << ": " << int{opt[first]} << " vs " << int{ref[first]};
    }
    EXPECT_GT(compared, kCasesPerKernel / 2) << "too many random models were rejected";
  }
}

}  // namespace
}  // namespace tv
