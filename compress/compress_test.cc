// Converter behaviour beyond per-op accuracy: refusals with clear messages, pruning and
// clustering guarantees, flatbuffer conventions (buffer 0 empty, 16-byte aligned weights).
#include "compress/compress.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <string>

#include "compare/file_io.h"
#include "compress/testing/onnx_builder.h"
#include "compress/weight_sharing.h"
#include "emulator/schema/tflite_subset_generated.h"

namespace tv {
namespace compress {
namespace {

using testing::OnnxBuilder;

std::string SmallCnn() {
  std::mt19937 rng(7);
  OnnxBuilder b;
  b.Input("x", {1, 1, 6, 6});
  b.Init("w", {4, 1, 3, 3}, testing::ExactWeights({4, 1, 3, 3}, 0, &rng));
  b.Node("Conv", {"x", "w"}, {"c"});
  b.Node("Relu", {"c"}, {"r"});
  b.Node("Flatten", {"r"}, {"f"});
  std::normal_distribution<float> normal(0.0f, 0.1f);
  std::vector<float> fc(5 * 64);
  for (float& v : fc) v = normal(rng);
  b.Init("fc", {5, 64}, fc);
  auto* g = b.Node("Gemm", {"f", "fc"}, {"logits"});
  OnnxBuilder::Int(g, "transB", 1);
  b.Node("Softmax", {"logits"}, {"y"});
  b.Output("y");
  return b.Bytes();
}

std::vector<HostTensor> Samples(const std::vector<int64_t>& shape, int n) {
  std::mt19937 rng(11);
  std::vector<HostTensor> v;
  for (int i = 0; i < n; ++i) v.push_back(testing::RandomTensor(shape, 0.0f, 1.0f, &rng));
  return v;
}

Status RunCompress(const std::string& onnx, const std::vector<HostTensor>& calib,
                   CompressOptions options = CompressOptions(), std::string* tflite = nullptr,
                   CompressReport* report = nullptr) {
  std::string out;
  CompressReport r;
  return Compress(onnx, calib, options, tflite ? tflite : &out, report ? report : &r);
}

// Exporters build weights from constants (ONNX Model Zoo MNIST reshapes its dense weights,
// backend "light" models fill weights with ConstantOfShape) and old opsets add a per-channel
// bias with broadcast=1, axis=1: all fold or lower instead of being refused.
TEST(CompressTest, FoldsConstantWeightsAndLegacyChannelBroadcast) {
  std::mt19937 rng(5);
  OnnxBuilder b(13);
  b.Input("x", {1, 1, 6, 6});
  b.InitInts("w_shape", {2, 1, 3, 3});
  auto* fill = b.Node("ConstantOfShape", {"w_shape"}, {"w"});
  auto* attr = fill->add_attribute();
  attr->set_name("value");
  attr->set_type(onnx::AttributeProto::TENSOR);
  attr->mutable_t()->set_data_type(onnx::TensorProto::FLOAT);
  attr->mutable_t()->add_dims(1);
  attr->mutable_t()->add_float_data(0.25f);
  b.Node("Conv", {"x", "w"}, {"c"});
  b.Node("Flatten", {"c"}, {"f"});
  std::normal_distribution<float> normal(0.0f, 0.1f);
  std::vector<float> fc(32 * 3);
  for (float& v : fc) v = normal(rng);
  b.Init("fc_flat", {96}, fc);
  b.InitInts("fc_shape", {32, 3});
  b.Node("Reshape", {"fc_flat", "fc_shape"}, {"fc"});
  b.Node("MatMul", {"f", "fc"}, {"y"});
  b.Output("y");
  Status s = RunCompress(b.Bytes(), Samples({1, 1, 6, 6}, 8));
  EXPECT_TRUE(s.ok()) << s.message();

  OnnxBuilder old(6);
  old.Input("x", {1, 1, 6, 6});
  old.Init("w", {2, 1, 3, 3}, testing::ExactWeights({2, 1, 3, 3}, 0, &rng));
  old.Node("Conv", {"x", "w"}, {"c"});
  old.Init("bias", {2}, {0.5f, -0.5f});
  auto* add = old.Node("Add", {"c", "bias"}, {"y"});
  OnnxBuilder::Int(add, "broadcast", 1);
  OnnxBuilder::Int(add, "axis", 1);
  old.Output("y");
  s = RunCompress(old.Bytes(), Samples({1, 1, 6, 6}, 8));
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(CompressTest, RefusesGarbageOnnx) {
  const Status s = RunCompress("definitely not protobuf \xff\xff", Samples({1, 1, 6, 6}, 2));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("not a valid ONNX model"), std::string::npos)
      << s.message();
}

TEST(CompressTest, RefusesUnsupportedOpNamingTheNode) {
  OnnxBuilder b;
  b.Input("x", {1, 4});
  b.Node("Tanh", {"x"}, {"y"});
  b.Output("y");
  const Status s = RunCompress(b.Bytes(), Samples({1, 4}, 2));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("Tanh_1"), std::string::npos) << s.message();
  EXPECT_NE(std::string(s.message()).find("not supported"), std::string::npos) << s.message();
}

TEST(CompressTest, RefusesBadCalibrationData) {
  const std::string onnx = SmallCnn();
  Status s = RunCompress(onnx, {});
  EXPECT_FALSE(s.ok());
  s = RunCompress(onnx, Samples({1, 1, 5, 5}, 2));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("does not fit"), std::string::npos) << s.message();
  std::vector<HostTensor> nan = Samples({1, 1, 6, 6}, 2);
  nan[1].As<float>()[3] = NAN;
  s = RunCompress(onnx, nan);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("NaN"), std::string::npos) << s.message();
}

TEST(CompressTest, FlatbufferConventions) {
  std::string tflite;
  CompressReport report;
  ASSERT_TRUE(
      RunCompress(SmallCnn(), Samples({1, 6, 6}, 8), CompressOptions(), &tflite, &report).ok());
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(tflite.data()), tflite.size());
  ASSERT_TRUE(tflite::VerifyModelBuffer(verifier));
  const tflite::Model* model = tflite::GetModel(tflite.data());
  ASSERT_GT(model->buffers()->size(), 1u);
  EXPECT_TRUE(model->buffers()->Get(0)->data() == nullptr ||
              model->buffers()->Get(0)->data()->size() == 0);
  for (const auto* buffer : *model->buffers()) {
    if (buffer->data() && buffer->data()->size() > 0) {
      EXPECT_EQ(reinterpret_cast<uintptr_t>(buffer->data()->data()) % 16, 0u);
    }
  }
  for (const auto* code : *model->operator_codes()) {
    EXPECT_EQ(code->builtin_code(), code->deprecated_builtin_code());
  }
  const auto* sub = model->subgraphs()->Get(0);
  const auto* out = sub->tensors()->Get(sub->outputs()->Get(0));
  EXPECT_EQ(out->type(), tflite::TensorType::INT8);
  EXPECT_FLOAT_EQ(out->quantization()->scale()->Get(0), 1.0f / 256.0f);  // softmax convention
  EXPECT_EQ(out->quantization()->zero_point()->Get(0), -128);
}

TEST(CompressTest, ResolvesExternalDataAgainstBaseDir) {
  const std::string dir = testing::TempPath("extdata");
  std::filesystem::create_directories(dir);
  const std::vector<float> w = {0.5f, -1.0f, 0.25f, 2.0f, 1.0f, 0.0f};
  ASSERT_TRUE(WriteFileBytes(dir + "/w.bin", w.data(), w.size() * 4).ok());
  OnnxBuilder b;
  b.Input("x", {1, 3});
  b.Node("MatMul", {"x", "w"}, {"y"});
  b.Output("y");
  onnx::ModelProto m;
  ASSERT_TRUE(m.ParseFromString(b.Bytes()));
  auto* init = m.mutable_graph()->add_initializer();
  init->set_name("w");
  init->set_data_type(onnx::TensorProto::FLOAT);
  init->add_dims(3);
  init->add_dims(2);
  init->set_data_location(onnx::TensorProto::EXTERNAL);
  auto* loc = init->add_external_data();
  loc->set_key("location");
  loc->set_value("w.bin");
  CompressOptions options;
  EXPECT_FALSE(RunCompress(m.SerializeAsString(), Samples({1, 3}, 4), options).ok());
  options.base_dir = dir;
  const Status s = RunCompress(m.SerializeAsString(), Samples({1, 3}, 4), options);
  EXPECT_TRUE(s.ok()) << s.message();
  std::filesystem::remove_all(dir);
}

TEST(CompressTest, PruneAndClusterLimitWeights) {
  CompressOptions options;
  options.prune_sparsity = 0.5;
  options.cluster_k = 4;
  CompressReport report;
  const Status s = RunCompress(SmallCnn(), Samples({1, 1, 6, 6}, 8), options, nullptr, &report);
  ASSERT_TRUE(s.ok()) << s.message();
  int64_t zeros = 0, total = 0;
  for (const auto& w : report.weights) {
    EXPECT_LE(w.unique_values, 4) << w.tensor;
    EXPECT_GT(w.huffman_bits, 0u);
    EXPECT_LE(static_cast<double>(w.huffman_bits), 2.0 * w.elements + 1e-9) << w.tensor;
    zeros += static_cast<int64_t>(std::lround(w.sparsity * static_cast<double>(w.elements)));
    total += w.elements;
  }
  EXPECT_GE(zeros * 2, total);
}

TEST(WeightSharingTest, GlobalPruneZeroesSmallestMagnitudes) {
  std::vector<float> a = {0.1f, -5.0f, 0.2f}, b = {-0.05f, 3.0f, 0.3f};
  EXPECT_EQ(PruneGlobalMagnitude({&a, &b}, 0.5), 3);
  EXPECT_EQ(a, (std::vector<float>{0.0f, -5.0f, 0.0f}));
  EXPECT_EQ(b, (std::vector<float>{0.0f, 3.0f, 0.3f}));
}

TEST(WeightSharingTest, ClusterKeepsZerosAndAtMostKValues) {
  std::vector<float> v = {0.0f, -100.0f, -98.0f, 3.0f, 4.0f, 120.0f, 0.0f, 119.0f};
  const std::vector<int8_t> q = ClusterToInt8(v, 4);
  EXPECT_EQ(q[0], 0);
  EXPECT_EQ(q[6], 0);
  EXPECT_EQ(q[1], q[2]);
  EXPECT_EQ(q[5], q[7]);
  EXPECT_NE(q[3], 0);
}

TEST(RangeMethodTest, Parses) {
  CompressOptions o;
  EXPECT_TRUE(ParseRangeMethod("percentile:99.9", &o).ok());
  EXPECT_EQ(o.activations, RangeMethod::kPercentile);
  EXPECT_DOUBLE_EQ(o.percentile, 99.9);
  EXPECT_TRUE(ParseRangeMethod("mse", &o).ok());
  EXPECT_FALSE(ParseRangeMethod("percentile:abc", &o).ok());
  EXPECT_FALSE(ParseRangeMethod("kl", &o).ok());
}

}  // namespace
}  // namespace compress
}  // namespace tv
