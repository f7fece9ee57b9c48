#include "compare/verify_pipeline.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "compare/file_io.h"
#include "compare/npy.h"
#include "compare/parallel_run.h"
#include "tests/support/shared_paths.h"
#include "tests/support/verify_models.h"

namespace tv {
namespace verify {
namespace {

namespace fs = std::filesystem;

class PipelineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("tv_pipeline_" + std::to_string(::getpid())));
    fs::create_directories(*dir_);
    const std::vector<uint8_t> ref = tv::testing::BuildCnn28(false);
    const std::vector<uint8_t> tiny = tv::testing::BuildCnn28(true);
    ASSERT_TRUE(WriteFileBytes(Path("ref.tflite"), ref.data(), ref.size()).ok());
    ASSERT_TRUE(WriteFileBytes(Path("tiny.tflite"), tiny.data(), tiny.size()).ok());
    // 53 IDX images (not a multiple of any chunk size) with a labels file beside them.
    const uint32_t seed = 1234;
    std::printf("seed %u\n", seed);
    std::mt19937 rng(seed);
    const int n = 53;
    std::string images{0, 0, 8, 3, 0, 0, 0, char(n), 0, 0, 0, 28, 0, 0, 0, 28};
    std::string labels{0, 0, 8, 1, 0, 0, 0, char(n)};
    for (int i = 0; i < n * 784; ++i) images += char(rng() % 256);
    for (int i = 0; i < n; ++i) labels += char(rng() % 10);
    std::ofstream(Path("d-images-idx3-ubyte"), std::ios::binary) << images;
    std::ofstream(Path("d-labels-idx1-ubyte"), std::ios::binary) << labels;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static std::string Path(const std::string& name) { return (*dir_ / name).string(); }

  VerifyOptions Options(int threads) const {
    VerifyOptions o;
    o.ref_path = Path("ref.tflite");
    o.tiny_paths = {Path("tiny.tflite"), Path("tiny.tflite")};
    o.data_path = Path("d-images-idx3-ubyte");
    o.threads = threads;
    o.chunk_per_thread = 4;
    return o;
  }

  static Status Run(const VerifyOptions& o, std::vector<SampleOutputs>* out, VerifySetup* setup) {
    PipelineInfo info;
    return RunVerifyPipeline(
        o,
        [out](const SampleOutputs& s) {
          // The image pointer is valid during the call only: keep a thumbnail instead.
          out->push_back(s);
          out->back().image = nullptr;
          if (s.image != nullptr) MakeThumbnail(*s.image, kThumbnailSide, &out->back().thumbnail);
          return Status::Ok();
        },
        setup, &info);
  }

  static fs::path* dir_;
};

fs::path* PipelineTest::dir_ = nullptr;

TEST_F(PipelineTest, OrderedIdenticalForAnyThreadCount) {
  std::vector<SampleOutputs> one, three;
  VerifySetup s1, s3;
  Status st = Run(Options(1), &one, &s1);
  ASSERT_TRUE(st.ok()) << st.message();
  st = Run(Options(3), &three, &s3);
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_EQ(one.size(), 53u);
  ASSERT_EQ(three.size(), 53u);
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].index, static_cast<int64_t>(i));
    EXPECT_EQ(three[i].index, static_cast<int64_t>(i));
    EXPECT_EQ(one[i].id, three[i].id);
    EXPECT_EQ(one[i].label, three[i].label);
    EXPECT_EQ(one[i].ref, three[i].ref);
    EXPECT_EQ(one[i].tiny, three[i].tiny);
    EXPECT_EQ(one[i].thumbnail.pixels, three[i].thumbnail.pixels);
  }
  EXPECT_EQ(s1.decisions, s3.decisions);
  ASSERT_EQ(s1.tiny.size(), 2u);
  ASSERT_EQ(s3.tiny.size(), 2u);
  EXPECT_EQ(s1.tiny[0].input_clipped, s3.tiny[0].input_clipped);
  ASSERT_EQ(s1.tiny[0].saturation.size(), 2u);
  for (size_t k = 0; k < 2; ++k) {
    EXPECT_EQ(s1.tiny[0].saturation[k].values, s3.tiny[0].saturation[k].values);
    EXPECT_EQ(s1.tiny[0].saturation[k].at_min, s3.tiny[0].saturation[k].at_min);
    EXPECT_EQ(s1.tiny[0].saturation[k].at_max, s3.tiny[0].saturation[k].at_max);
  }
  EXPECT_EQ(s1.tiny[0].saturation[0].op, "CONV_2D");
  EXPECT_EQ(s1.tiny[0].saturation[0].values, 53 * 13 * 13 * 8);
  // The fused-ReLU conv output has zero point -128: its many -128s are real zeros, not
  // saturation, so they are not counted as pinned at the minimum.
  EXPECT_EQ(s1.tiny[0].saturation[0].at_min, 0);
  EXPECT_EQ(s3.threads, 3);
}

TEST_F(PipelineTest, MapsQuantizesAndSoftmaxes) {
  std::vector<SampleOutputs> out;
  VerifySetup setup;
  VerifyOptions o = Options(2);
  o.limit = 10;
  Status st = Run(o, &out, &setup);
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_EQ(out.size(), 10u);
  EXPECT_EQ(setup.data_format, "idx");
  std::string all;
  for (const std::string& d : setup.decisions) all += d + "\n";
  EXPECT_NE(all.find("preprocess: scale=1/255"), std::string::npos) << all;
  EXPECT_NE(all.find("softmax applied"), std::string::npos) << all;
  EXPECT_NE(all.find("zero point -128"), std::string::npos) << all;
  // Softmaxed rows; the int8 model tracks the float one.
  for (const SampleOutputs& s : out) {
    ASSERT_EQ(s.ref.size(), 10u);
    double sum = 0, diff = 0;
    for (size_t k = 0; k < 10; ++k) {
      sum += s.ref[k];
      diff = std::max(diff, double(std::fabs(s.ref[k] - s.tiny[0][k])));
    }
    EXPECT_NEAR(sum, 1.0, 1e-5);
    EXPECT_LT(diff, 0.2);
    EXPECT_EQ(s.thumbnail.height, 28);
  }
  EXPECT_EQ(setup.tiny[0].input_values, 10 * 784);
  EXPECT_EQ(setup.tiny[0].input_clipped, 0);
  EXPECT_EQ(setup.tiny[0].name, "tiny");
  EXPECT_EQ(setup.tiny[0].info.format, "tflite");
  // Feeding 0..255 into a 0..1 int8 input clips nearly everything, and says so.
  o.preprocess = "scale=1";
  out.clear();
  ASSERT_TRUE(Run(o, &out, &setup).ok());
  EXPECT_GT(setup.tiny[0].input_clipped, setup.tiny[0].input_values / 2);
}

TEST_F(PipelineTest, ErrorsNameTheFile) {
  std::vector<SampleOutputs> out;
  VerifySetup setup;
  VerifyOptions o = Options(2);
  ASSERT_TRUE(
      WriteNpy(Path("wrong.npy"), HostTensor{DataType::kFloat32, {2, 5}, std::vector<uint8_t>(40)})
          .ok());
  o.data_path = Path("wrong.npy");
  Status st = Run(o, &out, &setup);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(std::string(st.message()).find("ref.tflite"), std::string::npos) << st.message();
  EXPECT_NE(std::string(st.message()).find("do not fit"), std::string::npos) << st.message();
  o = Options(2);
  o.tiny_paths = {Path("missing.tflite")};
  st = Run(o, &out, &setup);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(std::string(st.message()).find("missing.tflite"), std::string::npos) << st.message();
}

// A set cut short mid-stream: the samples before the cut still reach the sink in order, and
// the error names the file and the first missing sample, for any thread count.
TEST_F(PipelineTest, TruncatedDataReportsTheFirstMissingSample) {
  std::string images;
  {
    std::ifstream in(Path("d-images-idx3-ubyte"), std::ios::binary);
    images.assign(std::istreambuf_iterator<char>(in), {});
  }
  images.resize(16 + 40 * 784 + 100);  // header says 53 images; 40 and a bit are there
  std::ofstream(Path("cut-images-idx3-ubyte"), std::ios::binary) << images;
  fs::copy_file(Path("d-labels-idx1-ubyte"), Path("cut-labels-idx1-ubyte"),
                fs::copy_options::overwrite_existing);
  for (int threads : {1, 3}) {
    std::vector<SampleOutputs> out;
    VerifySetup setup;
    VerifyOptions o = Options(threads);
    o.data_path = Path("cut-images-idx3-ubyte");
    const Status st = Run(o, &out, &setup);
    ASSERT_FALSE(st.ok()) << "threads " << threads;
    EXPECT_NE(std::string(st.message()).find("cut-images-idx3-ubyte"), std::string::npos)
        << st.message();
    EXPECT_NE(std::string(st.message()).find("sample 40"), std::string::npos) << st.message();
    for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].index, static_cast<int64_t>(i));
    EXPECT_LE(out.size(), 40u);
  }
}

TEST_F(PipelineTest, RecordedOutputs) {
  HostTensor ref{DataType::kFloat32, {3, 2}, std::vector<uint8_t>(24)};
  const float r[6] = {2, -1, 0, 1, 3, 3};
  std::memcpy(ref.bytes.data(), r, 24);
  HostTensor tiny{DataType::kInt8, {3, 2}, {5, 1, 0, 9, 4, 4}};
  ASSERT_TRUE(WriteNpy(Path("r.npy"), ref).ok());
  ASSERT_TRUE(WriteNpy(Path("t.npy"), tiny).ok());
  std::ofstream(Path("y.txt")) << "0\n1\n1\n";
  std::vector<SampleOutputs> out;
  VerifySetup setup;
  PipelineInfo info;
  Status st = RunRecordedOutputs(
      Path("r.npy"), {Path("t.npy")}, Path("y.txt"), -1,
      [&](const SampleOutputs& s) {
        out.push_back(s);
        return Status::Ok();
      },
      &setup, &info);
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[2].label, 1);
  EXPECT_NEAR(out[2].ref[0], 0.5f, 1e-6);
  EXPECT_NEAR(out[1].tiny[0][1], 1.0f / (1.0f + std::exp(-9.0f)), 1e-6);
  // Mismatched shapes name the offending file.
  ASSERT_TRUE(WriteNpy(Path("t2.npy"), HostTensor{DataType::kInt8, {2, 2}, {1, 2, 3, 4}}).ok());
  st = RunRecordedOutputs(
      Path("r.npy"), {Path("t2.npy")}, "", -1, [](const SampleOutputs&) { return Status::Ok(); },
      &setup, &info);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(std::string(st.message()).find("t2.npy"), std::string::npos) << st.message();
}

TEST_F(PipelineTest, RunBatchedParallelMatchesSerial) {
  for (const char* model : {"ref.tflite", "tiny.tflite"}) {
    std::unique_ptr<Executor> exec;
    ASSERT_TRUE(OpenExecutor(Path(model), {}, &exec).ok());
    const TensorSpec& spec = exec->inputs()[0];
    HostTensor batch{spec.dtype, {7, 1, 28, 28, 1}, {}};
    batch.bytes.resize(7 * 784 * DataTypeSize(spec.dtype));
    for (size_t i = 0; i < batch.bytes.size(); ++i)
      batch.bytes[i] = spec.dtype == DataType::kFloat32 ? (i % 4 == 3 ? 0x3f : 0) : uint8_t(i * 7);
    std::vector<HostTensor> serial, parallel;
    ASSERT_TRUE(RunBatched(*exec, {batch}, false, &serial).ok());
    for (int threads : {2, 3, 16}) {
      Status s = RunBatchedParallel(*exec, Path(model), {}, {batch}, false, threads, &parallel);
      ASSERT_TRUE(s.ok()) << s.message();
      ASSERT_EQ(parallel.size(), serial.size());
      EXPECT_EQ(parallel[0].shape, serial[0].shape) << threads;
      EXPECT_EQ(parallel[0].bytes, serial[0].bytes) << model << " " << threads;
    }
  }
}

TEST_F(PipelineTest, OnnxReferenceNchwAgainstNhwcTiny) {
  const std::string shared = tv::testing::SharedDir();
  const std::string onnx = shared + "/models/onnx-zoo-mnist/model.onnx";
  if (shared.empty() || !fs::exists(onnx)) GTEST_SKIP() << "no shared ONNX MNIST model";
  std::vector<SampleOutputs> out;
  VerifySetup setup;
  VerifyOptions o = Options(2);
  o.ref_path = onnx;
  o.tiny_paths = {Path("tiny.tflite")};
  o.limit = 6;
  Status st = Run(o, &out, &setup);
  if (!st.ok() && std::string(st.message()).find("no ONNX support") != std::string::npos)
    GTEST_SKIP() << st.message();
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_EQ(out.size(), 6u);
  std::string all;
  for (const std::string& d : setup.decisions) all += d + "\n";
  EXPECT_NE(all.find("HW -> NCHW"), std::string::npos) << all;
  EXPECT_NE(all.find("HW -> NHWC"), std::string::npos) << all;
}

}  // namespace
}  // namespace verify
}  // namespace tv
