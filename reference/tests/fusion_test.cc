// Operator fusion (Conv + BatchNormalization / Relu / Clip in the GEMM epilogue) must not change
// a single bit: every model here runs fused and unfused and the outputs are compared bytewise.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "reference/onnx_model.h"
#include "reference/tests/model_builder.h"

namespace tv {
namespace ref {
namespace {

using testing::ModelBuilder;

std::vector<float> Wave(int n, float scale, float phase) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[i] = std::sin(static_cast<float>(i) * 0.7f + phase) * scale;
  return v;
}

Tensor Input(std::vector<int64_t> shape) {
  Tensor t;
  t.shape = std::move(shape);
  t.bytes.resize(static_cast<size_t>(t.NumElements()) * 4);
  for (int64_t i = 0; i < t.NumElements(); ++i)
    t.mutable_data<float>()[i] = std::cos(static_cast<float>(i) * 0.37f) * 2.0f;
  return t;
}

// BN statistics with positive variance.
void AddBatchNorm(ModelBuilder* b, const std::string& prefix, int channels) {
  b->FloatInitializer(prefix + "_g", {channels}, Wave(channels, 1.5f, 0.1f));
  b->FloatInitializer(prefix + "_b", {channels}, Wave(channels, 0.5f, 0.2f));
  b->FloatInitializer(prefix + "_m", {channels}, Wave(channels, 0.3f, 0.3f));
  std::vector<float> var = Wave(channels, 0.4f, 0.4f);
  for (float& v : var) v = v * v + 0.05f;
  b->FloatInitializer(prefix + "_v", {channels}, var);
}

// conv(3x3, pad 1, groups 2) -> BN -> Relu -> conv(1x1) -> Clip(0, 6) -> conv(5x5 stride 2,
// dilated) whose output also feeds an Add (two readers: must not fuse) -> Relu.
ModelBuilder ChainNet() {
  ModelBuilder b(13);
  b.Input("x", {2, 6, 13, 11});
  b.FloatInitializer("w1", {14, 3, 3, 3}, Wave(14 * 27, 0.4f, 0.0f));
  b.FloatInitializer("b1", {14}, Wave(14, 0.2f, 1.0f));
  auto* c1 = b.Node("Conv", {"x", "w1", "b1"}, {"c1"}, "conv1");
  ModelBuilder::IntsAttr(c1, "pads", {1, 1, 1, 1});
  ModelBuilder::IntAttr(c1, "group", 2);
  AddBatchNorm(&b, "bn1", 14);
  b.Node("BatchNormalization", {"c1", "bn1_g", "bn1_b", "bn1_m", "bn1_v"}, {"n1"}, "bn1");
  b.Node("Relu", {"n1"}, {"r1"}, "relu1");
  b.FloatInitializer("w2", {20, 14, 1, 1}, Wave(20 * 14, 0.5f, 2.0f));
  b.Node("Conv", {"r1", "w2"}, {"c2"}, "conv2");
  b.FloatInitializer("lo", {}, {0.0f});
  b.FloatInitializer("hi", {}, {6.0f});
  b.Node("Clip", {"c2", "lo", "hi"}, {"k2"}, "clip2");
  b.FloatInitializer("w3", {9, 20, 5, 5}, Wave(9 * 500, 0.1f, 3.0f));
  b.FloatInitializer("b3", {9}, Wave(9, 0.2f, 4.0f));
  auto* c3 = b.Node("Conv", {"k2", "w3", "b3"}, {"c3"}, "conv3");
  ModelBuilder::IntsAttr(c3, "strides", {2, 2});
  ModelBuilder::IntsAttr(c3, "dilations", {1, 2});
  ModelBuilder::IntsAttr(c3, "pads", {2, 1, 0, 3});
  b.Node("Relu", {"c3"}, {"r3"}, "relu3");
  b.Node("Add", {"c3", "r3"}, {"y"}, "add");
  b.Output("y");
  return b;
}

// Pre-activation block: Concat -> BN -> Mul -> Add -> Relu (fused into the batch norm) -> Conv
// -> BN -> Mul(scalar) -> Add(per channel) -> Relu (fused into the conv) -> Sub (not fusable).
ModelBuilder PreActivationNet() {
  ModelBuilder b(13);
  b.Input("x", {2, 6, 13, 11});
  auto* cat = b.Node("Concat", {"x", "x"}, {"cat"}, "concat");
  ModelBuilder::IntAttr(cat, "axis", 1);
  AddBatchNorm(&b, "bn1", 12);
  b.Node("BatchNormalization", {"cat", "bn1_g", "bn1_b", "bn1_m", "bn1_v"}, {"n1"}, "bn1");
  b.FloatInitializer("s1", {12, 1, 1}, Wave(12, 1.2f, 0.5f));
  b.Node("Mul", {"n1", "s1"}, {"m1"}, "mul1");
  b.FloatInitializer("t1", {1, 12, 1, 1}, Wave(12, 0.3f, 0.6f));
  b.Node("Add", {"m1", "t1"}, {"a1"}, "add1");
  b.Node("Relu", {"a1"}, {"r1"}, "relu1");
  b.FloatInitializer("w", {8, 12, 3, 3}, Wave(8 * 108, 0.2f, 0.7f));
  auto* conv = b.Node("Conv", {"r1", "w"}, {"c"}, "conv");
  ModelBuilder::IntsAttr(conv, "pads", {1, 1, 1, 1});
  AddBatchNorm(&b, "bn2", 8);
  b.Node("BatchNormalization", {"c", "bn2_g", "bn2_b", "bn2_m", "bn2_v"}, {"n2"}, "bn2");
  b.FloatInitializer("s2", {1}, {0.7f});
  b.Node("Mul", {"n2", "s2"}, {"m2"}, "mul2");
  b.FloatInitializer("t2", {8, 1, 1}, Wave(8, 0.3f, 0.8f));
  b.Node("Add", {"m2", "t2"}, {"a2"}, "add2");
  b.Node("Relu", {"a2"}, {"r2"}, "relu2");
  b.FloatInitializer("u", {1, 1, 1, 11}, Wave(11, 0.3f, 0.9f));  // varies along width
  b.Node("Sub", {"r2", "u"}, {"y"}, "sub");
  b.Output("y");
  return b;
}

std::vector<uint8_t> RunModel(const ModelBuilder& b, bool fuse, int threads) {
  const std::string bytes = b.Serialize();
  LoadOptions options;
  options.fuse_operators = fuse;
  std::unique_ptr<OnnxModel> model;
  Status s = OnnxModel::LoadFromBytes(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
                                      "", &model, options);
  EXPECT_TRUE(s.ok()) << s.message();
  if (!s.ok()) return {};
  std::vector<Tensor> out;
  s = model->Run({Input({2, 6, 13, 11})}, &out, threads);
  EXPECT_TRUE(s.ok()) << s.message();
  return s.ok() ? out[0].bytes : std::vector<uint8_t>();
}

TEST(FusionTest, FusedAndUnfusedOutputsAreBitIdentical) {
  const ModelBuilder b = ChainNet();
  const std::vector<uint8_t> unfused = RunModel(b, false, 1);
  ASSERT_FALSE(unfused.empty());
  EXPECT_EQ(RunModel(b, true, 1), unfused);
  EXPECT_EQ(RunModel(b, true, 3), unfused);
}

TEST(FusionTest, BatchNormScaleBiasChainsAreBitIdentical) {
  const ModelBuilder b = PreActivationNet();
  const std::vector<uint8_t> unfused = RunModel(b, false, 1);
  ASSERT_FALSE(unfused.empty());
  EXPECT_EQ(RunModel(b, true, 1), unfused);
  EXPECT_EQ(RunModel(b, true, 2), unfused);
}

TEST(FusionTest, NanAndSignedZeroFollowTheUnfusedOperators) {
  // A conv whose output is NaN/-0 in places: Relu maps NaN to 0, Clip keeps NaN.
  for (const char* act : {"Relu", "Clip"}) {
    ModelBuilder b(13);
    b.Input("x", {2, 6, 13, 11});
    std::vector<float> w = Wave(4 * 6, 1.0f, 0.0f);
    w[0] = NAN;
    w[7] = -0.0f;
    b.FloatInitializer("w", {4, 6, 1, 1}, w);
    b.Node("Conv", {"x", "w"}, {"c"}, "conv");
    b.Node(act, {"c"}, {"y"}, "act");
    b.Output("y");
    const std::vector<uint8_t> unfused = RunModel(b, false, 1);
    ASSERT_FALSE(unfused.empty());
    EXPECT_EQ(RunModel(b, true, 2), unfused) << act;
  }
}

}  // namespace
}  // namespace ref
}  // namespace tv
