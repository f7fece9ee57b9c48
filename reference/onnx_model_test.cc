// OnnxModel API behaviour on hand-built models: symbolic batch, thread-count invariance,
// external data, Inspect, and clear errors for bad inputs.
#include "reference/onnx_model.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "reference/tests/model_builder.h"

namespace tv {
namespace ref {
namespace {

using testing::ModelBuilder;

Status LoadBuilt(const ModelBuilder& b, std::unique_ptr<OnnxModel>* model,
                 const std::string& dir = "") {
  const std::string bytes = b.Serialize();
  return OnnxModel::LoadFromBytes(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), dir,
                                  model);
}

Tensor FloatTensor(std::vector<int64_t> shape, float start = 0.0f, float step = 1.0f) {
  Tensor t;
  t.shape = std::move(shape);
  t.bytes.resize(static_cast<size_t>(t.NumElements()) * 4);
  for (int64_t i = 0; i < t.NumElements(); ++i)
    t.mutable_data<float>()[i] = start + step * static_cast<float>(i);
  return t;
}

std::vector<float> Range(int n, float scale) {
  std::vector<float> v(n);
  for (int i = 0; i < n; ++i) v[i] = std::sin(static_cast<float>(i)) * scale;
  return v;
}

// Conv + Relu + Gemm with a symbolic batch dimension.
ModelBuilder SmallConvNet() {
  ModelBuilder b(13);
  b.Input("x", {-1, 3, 8, 8});
  b.FloatInitializer("w", {4, 3, 3, 3}, Range(108, 0.3f));
  b.FloatInitializer("bias", {4}, {0.1f, -0.2f, 0.3f, 0.0f});
  b.FloatInitializer("fc", {256, 5}, Range(1280, 0.05f));
  auto* conv = b.Node("Conv", {"x", "w", "bias"}, {"c"}, "conv1");
  ModelBuilder::IntsAttr(conv, "pads", {1, 1, 1, 1});
  b.Node("Relu", {"c"}, {"r"}, "relu1");
  b.Node("Flatten", {"r"}, {"f"}, "flatten");
  b.Node("MatMul", {"f", "fc"}, {"y"}, "fc1");
  b.Output("y");
  return b;
}

TEST(OnnxModelTest, BindsSymbolicBatchAtRunTime) {
  std::unique_ptr<OnnxModel> model;
  ASSERT_TRUE(LoadBuilt(SmallConvNet(), &model).ok());
  ASSERT_EQ(model->inputs().size(), 1u);
  EXPECT_EQ(model->inputs()[0].shape, (std::vector<int64_t>{-1, 3, 8, 8}));
  for (int64_t batch : {1, 3, 2}) {
    std::vector<Tensor> out;
    Status s = model->Run({FloatTensor({batch, 3, 8, 8}, 0.0f, 0.01f)}, &out);
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(out[0].shape, (std::vector<int64_t>{batch, 5}));
  }
}

TEST(OnnxModelTest, ResultsAreIdenticalForAnyThreadCount) {
  std::unique_ptr<OnnxModel> model;
  ASSERT_TRUE(LoadBuilt(SmallConvNet(), &model).ok());
  const Tensor input = FloatTensor({4, 3, 8, 8}, -1.0f, 0.003f);
  std::vector<Tensor> one, three;
  ASSERT_TRUE(model->Run({input}, &one, 1).ok());
  ASSERT_TRUE(model->Run({input}, &three, 3).ok());
  EXPECT_EQ(one[0].bytes, three[0].bytes);
}

TEST(OnnxModelTest, InspectCountsParametersAndFlops) {
  std::unique_ptr<OnnxModel> model;
  ASSERT_TRUE(LoadBuilt(SmallConvNet(), &model).ok());
  ModelSummary summary;
  ASSERT_TRUE(model->Inspect(&summary).ok());
  EXPECT_EQ(summary.parameter_count, 108 + 4 + 1280);
  EXPECT_EQ(summary.parameter_bytes, 4 * (108 + 4 + 1280));
  ASSERT_EQ(summary.nodes.size(), 4u);
  EXPECT_EQ(summary.nodes[0].name, "conv1");
  EXPECT_EQ(summary.nodes[0].flops, 2 * 4 * 64 * 27);
  EXPECT_EQ(summary.nodes[3].flops, 2 * 256 * 5);
  EXPECT_EQ(summary.opsets[0].first, "ai.onnx");
}

TEST(OnnxModelTest, UnknownOperatorIsNamed) {
  ModelBuilder b(13);
  b.Input("x", {2});
  b.Node("Foo", {"x"}, {"y"}, "mystery");
  b.Output("y");
  std::unique_ptr<OnnxModel> model;
  Status s = LoadBuilt(b, &model);
  EXPECT_STREQ(s.message(), "node 'mystery' (op Foo, domain ai.onnx, opset 13) is not supported");
}

TEST(OnnxModelTest, CustomDomainOperatorIsNamed) {
  ModelBuilder b(13);
  auto* op = b.proto().add_opset_import();
  op->set_domain("com.example");
  op->set_version(2);
  b.Input("x", {2});
  b.Node("Relu", {"x"}, {"y"}, "custom")->set_domain("com.example");
  b.Output("y");
  std::unique_ptr<OnnxModel> model;
  EXPECT_STREQ(LoadBuilt(b, &model).message(),
               "node 'custom' (op Relu, domain com.example, opset 2) is not supported");
}

TEST(OnnxModelTest, CorruptProtobufIsRejected) {
  const uint8_t junk[] = {0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02};
  std::unique_ptr<OnnxModel> model;
  Status s = OnnxModel::LoadFromBytes(junk, sizeof(junk), "", &model);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(std::strstr(s.message(), "protobuf parsing failed"), nullptr) << s.message();
}

TEST(OnnxModelTest, MissingFileIsReported) {
  std::unique_ptr<OnnxModel> model;
  EXPECT_FALSE(OnnxModel::Load("/nonexistent/model.onnx", &model).ok());
}

TEST(OnnxModelTest, ShapeContradictionNamesNode) {
  ModelBuilder b(13);
  b.Input("a", {2, 3});
  b.Input("b", {4});
  b.Node("Add", {"a", "b"}, {"y"}, "bad_add");
  b.Output("y");
  std::unique_ptr<OnnxModel> model;
  Status s = LoadBuilt(b, &model);
  EXPECT_NE(std::strstr(s.message(), "node 'bad_add' (op Add)"), nullptr) << s.message();
  EXPECT_NE(std::strstr(s.message(), "cannot be broadcast"), nullptr) << s.message();
}

TEST(OnnxModelTest, DeclaredOutputShapeContradictionIsReported) {
  ModelBuilder b(13);
  b.Input("x", {2, 3});
  b.Node("Relu", {"x"}, {"y"}, "relu");
  b.Output("y", {3, 2}, true);
  std::unique_ptr<OnnxModel> model;
  Status s = LoadBuilt(b, &model);
  EXPECT_NE(std::strstr(s.message(), "contradicts the declared shape"), nullptr) << s.message();
}

TEST(OnnxModelTest, CycleIsReported) {
  ModelBuilder b(13);
  b.Input("x", {2});
  b.Node("Add", {"x", "q"}, {"p"}, "first");
  b.Node("Relu", {"p"}, {"q"}, "second");
  b.Output("q");
  std::unique_ptr<OnnxModel> model;
  Status s = LoadBuilt(b, &model);
  EXPECT_NE(std::strstr(s.message(), "cycle"), nullptr) << s.message();
}

TEST(OnnxModelTest, DanglingInputIsNamed) {
  ModelBuilder b(13);
  b.Input("x", {2});
  b.Node("Add", {"x", "ghost"}, {"y"}, "adder");
  b.Output("y");
  std::unique_ptr<OnnxModel> model;
  EXPECT_STREQ(LoadBuilt(b, &model).message(),
               "node 'adder' (op Add) input 'ghost' is not produced by any node, initializer or "
               "graph input");
}

TEST(OnnxModelTest, DoubleDefinitionIsRejected) {
  ModelBuilder b(13);
  b.Input("x", {2});
  b.Node("Relu", {"x"}, {"y"}, "one");
  b.Node("Relu", {"x"}, {"y"}, "two");
  b.Output("y");
  std::unique_ptr<OnnxModel> model;
  EXPECT_NE(std::strstr(LoadBuilt(b, &model).message(), "already defined"), nullptr);
}

TEST(OnnxModelTest, WrongInputsAreRejectedAtRun) {
  std::unique_ptr<OnnxModel> model;
  ASSERT_TRUE(LoadBuilt(SmallConvNet(), &model).ok());
  std::vector<Tensor> out;
  EXPECT_NE(std::strstr(model->Run({FloatTensor({1, 4, 8, 8})}, &out).message(),
                        "input 'x' must have shape"),
            nullptr);
  EXPECT_FALSE(model->Run({}, &out).ok());
  Tensor wrong_type = FloatTensor({1, 3, 8, 8});
  wrong_type.dtype = DataType::kInt32;
  EXPECT_FALSE(model->Run({wrong_type}, &out).ok());
}

class ExternalDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/tv_ref_extXXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::remove((dir_ + "/weights.bin").c_str());
    std::remove((dir_ + "/model.onnx").c_str());
    rmdir(dir_.c_str());
  }
  // y = x * w with w stored at `offset` in weights.bin.
  ModelBuilder Build(const std::string& location, int64_t offset) {
    ModelBuilder b(13);
    b.Input("x", {3});
    auto* w = b.proto().mutable_graph()->add_initializer();
    w->set_name("w");
    w->set_data_type(onnx::TensorProto::FLOAT);
    w->add_dims(3);
    w->set_data_location(onnx::TensorProto::EXTERNAL);
    auto add = [&](const char* k, const std::string& v) {
      auto* e = w->add_external_data();
      e->set_key(k);
      e->set_value(v);
    };
    add("location", location);
    add("offset", std::to_string(offset));
    add("length", "12");
    b.Node("Mul", {"x", "w"}, {"y"}, "scale");
    b.Output("y");
    return b;
  }
  std::string dir_;
};

TEST_F(ExternalDataTest, ReadsRelativeLocationWithOffset) {
  const float w[4] = {99.0f, 2.0f, 3.0f, 4.0f};
  std::ofstream(dir_ + "/weights.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(w), sizeof(w));
  const std::string bytes = Build("weights.bin", 4).Serialize();
  std::ofstream(dir_ + "/model.onnx", std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  std::unique_ptr<OnnxModel> model;
  Status s = OnnxModel::Load(dir_ + "/model.onnx", &model);
  ASSERT_TRUE(s.ok()) << s.message();
  std::vector<Tensor> out;
  ASSERT_TRUE(model->Run({FloatTensor({3}, 1.0f, 1.0f)}, &out).ok());
  EXPECT_EQ(out[0].data<float>()[0], 2.0f);
  EXPECT_EQ(out[0].data<float>()[2], 12.0f);
}

TEST_F(ExternalDataTest, MissingFileNamesTensorAndFile) {
  std::unique_ptr<OnnxModel> model;
  Status s = LoadBuilt(Build("absent.bin", 0), &model, dir_);
  EXPECT_NE(std::strstr(s.message(), "tensor 'w'"), nullptr) << s.message();
  EXPECT_NE(std::strstr(s.message(), "absent.bin"), nullptr) << s.message();
}

TEST_F(ExternalDataTest, EscapingLocationIsRejected) {
  std::unique_ptr<OnnxModel> model;
  Status s = LoadBuilt(Build("../etc/passwd", 0), &model, dir_);
  EXPECT_NE(std::strstr(s.message(), "relative path"), nullptr) << s.message();
}

TEST_F(ExternalDataTest, ShortFileIsReported) {
  const float w[2] = {1.0f, 2.0f};
  std::ofstream(dir_ + "/weights.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(w), sizeof(w));
  std::unique_ptr<OnnxModel> model;
  Status s = LoadBuilt(Build("weights.bin", 0), &model, dir_);
  EXPECT_NE(std::strstr(s.message(), "has 8 bytes"), nullptr) << s.message();
}

}  // namespace
}  // namespace ref
}  // namespace tv
