// Per-op quantization accuracy: a one-op ONNX model is compressed and the int8 emulator output
// must match the float op (run on the dequantized int8 input) within one output LSB (plus the
// stated input-side slack). Weights are chosen exactly representable in int8.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "compress/compress.h"
#include "compress/testing/onnx_builder.h"

namespace tv {
namespace compress {
namespace {

using testing::OnnxBuilder;

std::vector<int64_t> ToNhwcShape(const std::vector<int64_t>& s) {
  return s.size() == 4 ? std::vector<int64_t>{s[0], s[2], s[3], s[1]} : s;
}

// NCHW <-> NHWC element order for rank 4 (identity otherwise).
std::vector<float> Relayout(const std::vector<float>& v, const std::vector<int64_t>& nchw,
                            bool to_nhwc) {
  if (nchw.size() != 4) return v;
  std::vector<float> out(v.size());
  const int64_t n = nchw[0], c = nchw[1], h = nchw[2], w = nchw[3];
  for (int64_t a = 0; a < n; ++a)
    for (int64_t k = 0; k < c; ++k)
      for (int64_t y = 0; y < h; ++y)
        for (int64_t x = 0; x < w; ++x) {
          const size_t i_nchw = static_cast<size_t>(((a * c + k) * h + y) * w + x);
          const size_t i_nhwc = static_cast<size_t>(((a * h + y) * w + x) * c + k);
          if (to_nhwc)
            out[i_nhwc] = v[i_nchw];
          else
            out[i_nchw] = v[i_nhwc];
        }
  return out;
}

// Compresses `onnx`, then for a few samples compares int8 vs float; `slack_lsb` adds to the
// one-LSB tolerance for inputs that pass through an intermediate requantization.
void CheckOp(const std::string& onnx, const std::vector<int64_t>& in_shape, float lo, float hi,
             double slack_lsb = 0.0, CompressOptions options = CompressOptions()) {
  const unsigned seed = 1234;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::vector<HostTensor> calib;
  for (int i = 0; i < 32; ++i) calib.push_back(testing::RandomTensor(in_shape, lo, hi, &rng));
  std::string tflite;
  CompressReport report;
  const Status s = Compress(onnx, calib, options, &tflite, &report);
  ASSERT_TRUE(s.ok()) << s.message();
  const std::string path = testing::TempPath("op") + ".tflite";
  ASSERT_TRUE(WriteFileBytes(path, tflite.data(), tflite.size()).ok());
  std::unique_ptr<Executor> tiny;
  const Status open = OpenExecutor(path, ExecutorOptions(), &tiny);
  ASSERT_TRUE(open.ok()) << open.message();
  std::remove(path.c_str());
  std::unique_ptr<ref::OnnxModel> big;
  ASSERT_TRUE(ref::OnnxModel::LoadFromBytes(reinterpret_cast<const uint8_t*>(onnx.data()),
                                            onnx.size(), "", &big)
                  .ok());
  const TensorSpec& is = tiny->inputs()[0];
  const TensorSpec& os = tiny->outputs()[0];
  ASSERT_EQ(is.dtype, DataType::kInt8);
  ASSERT_EQ(os.dtype, DataType::kInt8);
  for (int i = 0; i < 4; ++i) {
    const HostTensor& x = calib[static_cast<size_t>(i)];
    // Quantize the input; the float side sees exactly the dequantized values.
    std::vector<float> deq(static_cast<size_t>(x.NumElements()));
    HostTensor q;
    q.dtype = DataType::kInt8;
    q.shape = ToNhwcShape(in_shape);
    q.bytes.resize(deq.size());
    for (size_t k = 0; k < deq.size(); ++k) {
      const float v =
          std::clamp(std::round(x.As<float>()[k] / is.scale) + is.zero_point, -128.0f, 127.0f);
      deq[k] = (v - static_cast<float>(is.zero_point)) * is.scale;
    }
    const std::vector<float> deq_nhwc = Relayout(deq, in_shape, true);
    for (size_t k = 0; k < deq.size(); ++k) {
      q.As<int8_t>()[k] = static_cast<int8_t>(std::lround(deq_nhwc[k] / is.scale) + is.zero_point);
    }
    std::vector<HostTensor> tiny_out;
    const Status run = tiny->Invoke({&q}, &tiny_out);
    ASSERT_TRUE(run.ok()) << run.message();
    ref::Tensor fx;
    fx.shape = in_shape;
    fx.bytes.resize(deq.size() * 4);
    std::memcpy(fx.bytes.data(), deq.data(), fx.bytes.size());
    std::vector<ref::Tensor> big_out;
    ASSERT_TRUE(big->Run({fx}, &big_out).ok());
    const ref::Tensor& f = big_out[0];
    std::vector<float> got(static_cast<size_t>(f.NumElements()));
    ASSERT_EQ(static_cast<int64_t>(got.size()), tiny_out[0].NumElements());
    for (size_t k = 0; k < got.size(); ++k) {
      got[k] = (static_cast<float>(tiny_out[0].As<int8_t>()[k]) - os.zero_point) * os.scale;
    }
    got = Relayout(got, f.shape, false);
    const float qmin = (-128 - os.zero_point) * os.scale, qmax = (127 - os.zero_point) * os.scale;
    double worst = 0;
    for (size_t k = 0; k < got.size(); ++k) {
      const float want = std::clamp(f.data<float>()[k], qmin, qmax);
      worst = std::max(worst, std::fabs(static_cast<double>(got[k]) - want) / os.scale);
    }
    EXPECT_LE(worst, 1.0 + slack_lsb + 1e-3) << "sample " << i << ": error in output LSBs";
  }
}

// Conv of "x" into `out`: exactly representable weights "w" drawn from `seed`, bias "b" when
// `bias` is not empty, and `pads`. Returns the node for further attributes.
onnx::NodeProto* AddConv(OnnxBuilder& b, const std::vector<int64_t>& w_shape, unsigned seed,
                         const std::vector<float>& bias, const std::vector<int64_t>& pads,
                         const std::string& out) {
  std::mt19937 rng(seed);
  b.Init("w", w_shape, testing::ExactWeights(w_shape, 0, &rng));
  std::vector<std::string> inputs = {"x", "w"};
  if (!bias.empty()) {
    b.Init("b", {static_cast<int64_t>(bias.size())}, bias);
    inputs.push_back("b");
  }
  onnx::NodeProto* c = b.Node("Conv", inputs, {out});
  OnnxBuilder::Ints(c, "pads", pads);
  return c;
}

TEST(OpQuantizationTest, ConvSameRelu) {
  OnnxBuilder b;
  b.Input("x", {1, 3, 8, 8});
  AddConv(b, {4, 3, 3, 3}, 1, {0.1f, -0.2f, 0.3f, 0.0f}, {1, 1, 1, 1}, "c");
  b.Node("Relu", {"c"}, {"y"});
  b.Output("y");
  CheckOp(b.Bytes(), {1, 3, 8, 8}, -1.0f, 1.0f);
}

TEST(OpQuantizationTest, ConvStridedAsymmetricPadsUsesPad) {
  OnnxBuilder b;
  b.Input("x", {1, 2, 7, 7});
  auto* c = AddConv(b, {3, 2, 3, 3}, 2, {}, {2, 0, 1, 1}, "y");
  OnnxBuilder::Ints(c, "strides", {2, 2});
  b.Output("y");
  CheckOp(b.Bytes(), {1, 2, 7, 7}, -1.0f, 2.0f);
}

TEST(OpQuantizationTest, DepthwiseConvRelu6) {
  OnnxBuilder b;
  b.Input("x", {1, 4, 6, 6});
  auto* c = AddConv(b, {8, 1, 3, 3}, 3, {}, {1, 1, 1, 1}, "c");
  OnnxBuilder::Int(c, "group", 4);
  b.Init("lo", {}, {0.0f});
  b.Init("hi", {}, {6.0f});
  b.Node("Clip", {"c", "lo", "hi"}, {"y"});
  b.Output("y");
  CheckOp(b.Bytes(), {1, 4, 6, 6}, -1.0f, 1.0f);
}

TEST(OpQuantizationTest, FlattenGemmKeepsOnnxElementOrder) {
  std::mt19937 rng(4);
  OnnxBuilder b;
  b.Input("x", {1, 3, 4, 4});
  b.Node("Flatten", {"x"}, {"f"});
  b.Init("w", {5, 48}, testing::ExactWeights({5, 48}, 0, &rng));
  b.Init("b", {5}, {0.5f, -0.5f, 0.f, 1.f, 2.f});
  auto* g = b.Node("Gemm", {"f", "w", "b"}, {"y"});
  OnnxBuilder::Int(g, "transB", 1);
  b.Output("y");
  CheckOp(b.Bytes(), {1, 3, 4, 4}, -1.0f, 1.0f);
}

TEST(OpQuantizationTest, MatMulAddRelu) {
  std::mt19937 rng(5);
  OnnxBuilder b;
  b.Input("x", {1, 6});
  b.Init("w", {6, 4}, testing::ExactWeights({6, 4}, 1, &rng));
  b.Init("b", {4}, {0.1f, 0.2f, 0.3f, 0.4f});
  b.Node("MatMul", {"x", "w"}, {"m"});
  b.Node("Add", {"m", "b"}, {"a"});
  b.Node("Relu", {"a"}, {"y"});
  b.Output("y");
  CheckOp(b.Bytes(), {1, 6}, -1.0f, 1.0f);
}

TEST(OpQuantizationTest, Pools) {
  for (const std::string op : {"MaxPool", "AveragePool", "GlobalAveragePool"}) {
    SCOPED_TRACE(op);
    OnnxBuilder b;
    b.Input("x", {1, 3, 6, 6});
    auto* p = b.Node(op, {"x"}, {"y"});
    if (op != "GlobalAveragePool") {
      OnnxBuilder::Ints(p, "kernel_shape", {2, 2});
      OnnxBuilder::Ints(p, "strides", {2, 2});
    }
    b.Output("y");
    CheckOp(b.Bytes(), {1, 3, 6, 6}, -2.0f, 1.0f, 0.5);  // pools keep the input scale
  }
}

TEST(OpQuantizationTest, AddOfTwoActivations) {
  OnnxBuilder b;
  b.Input("x", {1, 2, 4, 4});
  b.Node("Relu", {"x"}, {"r"});
  b.Node("Add", {"r", "x"}, {"y"});
  b.Output("y");
  CheckOp(b.Bytes(), {1, 2, 4, 4}, -1.0f, 1.0f, 1.0);  // r carries its own rounding
}

TEST(OpQuantizationTest, MulByChannelConstant) {
  OnnxBuilder b;
  b.Input("x", {1, 3, 2, 2});
  b.Init("k", {3, 1, 1}, {0.5f, -1.0f, 2.0f});
  b.Node("Mul", {"x", "k"}, {"y"});
  b.Output("y");
  CheckOp(b.Bytes(), {1, 3, 2, 2}, -1.0f, 1.0f, 1.0);  // constant operand is int8 too
}

TEST(OpQuantizationTest, SigmoidAndSoftmax) {
  for (const std::string op : {"Sigmoid", "Softmax"}) {
    SCOPED_TRACE(op);
    OnnxBuilder b;
    b.Input("x", {1, 10});
    b.Node(op, {"x"}, {"y"});
    b.Output("y");
    CheckOp(b.Bytes(), {1, 10}, -4.0f, 4.0f);
  }
}

TEST(OpQuantizationTest, ConcatChannelsAndPad) {
  OnnxBuilder b;
  b.Input("x", {1, 2, 3, 3});
  b.Node("Relu", {"x"}, {"r"});
  auto* c = b.Node("Concat", {"x", "r"}, {"c"});
  OnnxBuilder::Int(c, "axis", 1);
  b.InitInts("pads", {0, 0, 1, 0, 0, 0, 0, 2});
  b.Node("Pad", {"c", "pads"}, {"y"});
  b.Output("y");
  CheckOp(b.Bytes(), {1, 2, 3, 3}, -1.0f, 1.0f, 0.5);
}

TEST(OpQuantizationTest, ConvBatchNormFolded) {
  OnnxBuilder b;
  b.Input("x", {1, 2, 5, 5});
  AddConv(b, {3, 2, 3, 3}, 6, {}, {1, 1, 1, 1}, "c");
  b.Init("g", {3}, {1.5f, 0.5f, -1.0f});
  b.Init("beta", {3}, {0.1f, 0.0f, -0.3f});
  b.Init("mean", {3}, {0.2f, -0.1f, 0.0f});
  b.Init("var", {3}, {1.0f, 4.0f, 0.25f});
  b.Node("BatchNormalization", {"c", "g", "beta", "mean", "var"}, {"bn"});
  b.Node("Relu", {"bn"}, {"y"});
  b.Output("y");
  // Folded weights are no longer exactly representable: allow their rounding too.
  CheckOp(b.Bytes(), {1, 2, 5, 5}, -1.0f, 1.0f, 1.0);
}

}  // namespace
}  // namespace compress
}  // namespace tv
