// Runs the third-party ONNX models under ../shared/models (see its README.md): newer-opset node
// tests, PyTorch-converted tests, the "light" ImageNet architectures and the MNIST model-zoo
// model. Skips cleanly when ../shared is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "reference/tensor_proto.h"
#include "reference/tests/test_util.h"

namespace tv {
namespace ref {
namespace {

std::string ModelsDir() { return testing::SharedDir() + "/models"; }

void RunTestDirectories(const std::string& folder) {
  const std::string root = ModelsDir() + "/" + folder;
  const std::vector<std::string> tests = testing::ListDirs(root);
  if (tests.empty()) GTEST_SKIP() << root << " is not available";
  for (const std::string& name : tests) {
    std::vector<Tensor> inputs, expected;
    const Status loaded = testing::LoadTestData(root + "/" + name, &inputs, &expected);
    ASSERT_TRUE(loaded.ok()) << name << ": " << loaded.message();
    EXPECT_EQ(
        testing::RunAndCompare(root + "/" + name + "/model.onnx", inputs, expected, 1e-3, 1e-7), "")
        << folder << "/" << name;
  }
}

TEST(SharedModels, OnnxBackendNodeTests) { RunTestDirectories("onnx-backend"); }

TEST(SharedModels, PytorchConvertedTests) { RunTestDirectories("onnx-pytorch-converted"); }

class LightModelTest : public ::testing::TestWithParam<const char*> {};

// Full-size ImageNet graphs with synthetic weights; input = arange(N).reshape(shape) / N.
TEST_P(LightModelTest, MatchesStoredOutput) {
  const std::string base = ModelsDir() + "/onnx-light/light_" + GetParam();
  if (!testing::PathExists(base + ".onnx")) GTEST_SKIP() << base << ".onnx is not available";
  std::unique_ptr<OnnxModel> model;
  Status s = OnnxModel::Load(base + ".onnx", &model);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(model->inputs().size(), 1u);
  Tensor input;
  input.dtype = DataType::kFloat32;
  input.shape = model->inputs()[0].shape;
  for (int64_t& d : input.shape) d = d < 0 ? 1 : d;
  const int64_t n = input.NumElements();
  input.bytes.resize(static_cast<size_t>(n) * 4);
  for (int64_t i = 0; i < n; ++i) {
    input.mutable_data<float>()[i] =
        static_cast<float>(static_cast<double>(i) / static_cast<double>(n));
  }
  Tensor expected;
  s = ParseTensorFile(base + "_output_0.pb", &expected);
  ASSERT_TRUE(s.ok()) << s.message();
  std::vector<Tensor> outputs;
  const auto start = std::chrono::steady_clock::now();
  s = model->Run({input}, &outputs);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(s.ok()) << s.message();
  const double rtol = std::strcmp(GetParam(), "densenet121") == 0 ? 2e-3 : 1e-3;
  std::string why;
  EXPECT_TRUE(testing::AllClose(outputs[0], expected, rtol, 1e-7, &why)) << why;
  RecordProperty("run_ms", static_cast<int>(ms));
}

INSTANTIATE_TEST_SUITE_P(Light, LightModelTest,
                         ::testing::Values("bvlc_alexnet", "densenet121", "inception_v1",
                                           "inception_v2", "resnet50", "shufflenet", "squeezenet",
                                           "vgg19", "zfnet512"));

TEST(SharedModels, MnistModelZoo) {
  const std::string dir = ModelsDir() + "/onnx-zoo-mnist";
  if (!testing::PathExists(dir + "/model.onnx")) GTEST_SKIP() << dir << " is not available";
  std::unique_ptr<OnnxModel> model;
  Status s = OnnxModel::Load(dir + "/model.onnx", &model);
  ASSERT_TRUE(s.ok()) << s.message();
  const int64_t expected_class[3] = {5, 0, 4};
  for (int i = 0; i < 3; ++i) {
    const std::string npz = dir + "/test_data_" + std::to_string(i) + ".npz";
    std::vector<float> in, want;
    ASSERT_TRUE(testing::ReadNpzFloatArray(npz, "inputs", &in).ok());
    ASSERT_TRUE(testing::ReadNpzFloatArray(npz, "outputs", &want).ok());
    ASSERT_EQ(in.size(), 784u);
    ASSERT_EQ(want.size(), 10u);
    Tensor input{DataType::kFloat32, {1, 1, 28, 28}, {}};
    input.bytes.resize(in.size() * 4);
    std::memcpy(input.bytes.data(), in.data(), input.bytes.size());
    Tensor expected{DataType::kFloat32, {1, 10}, {}};
    expected.bytes.resize(40);
    std::memcpy(expected.bytes.data(), want.data(), 40);
    std::vector<Tensor> outputs;
    s = model->Run({input}, &outputs);
    ASSERT_TRUE(s.ok()) << s.message();
    std::string why;
    EXPECT_TRUE(testing::AllClose(outputs[0], expected, 1e-3, 1e-7, &why)) << npz << ": " << why;
    const float* logits = outputs[0].data<float>();
    EXPECT_EQ(std::max_element(logits, logits + 10) - logits, expected_class[i]);
  }
}

}  // namespace
}  // namespace ref
}  // namespace tv
