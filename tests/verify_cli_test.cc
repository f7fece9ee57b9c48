// End-to-end `tinyverify verify`: exit codes (0 gates pass, 1 a gate fails, 2 errors), error
// messages naming the file, and byte-identical reports for any thread count.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "compare/file_io.h"
#include "compare/npy.h"
#include "tests/support/shared_paths.h"
#include "tests/support/verify_models.h"

namespace tv {
namespace {

namespace fs = std::filesystem;

class VerifyCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("tv_verify_cli_" + std::to_string(getpid())));
    fs::create_directories(*dir_);
    const std::vector<uint8_t> ref = testing::BuildCnn28(false), tiny = testing::BuildCnn28(true);
    ASSERT_TRUE(WriteFileBytes(P("ref.tflite"), ref.data(), ref.size()).ok());
    ASSERT_TRUE(WriteFileBytes(P("tiny.tflite"), tiny.data(), tiny.size()).ok());
    const uint32_t seed = 99;
    std::printf("seed %u\n", seed);
    std::mt19937 rng(seed);
    HostTensor x{DataType::kFloat32, {40, 28, 28}, std::vector<uint8_t>(40 * 784 * 4)};
    for (int64_t i = 0; i < x.NumElements(); ++i)
      x.As<float>()[i] = static_cast<float>(rng() % 1000) / 1000.0f;
    HostTensor y{DataType::kInt64, {40}, std::vector<uint8_t>(40 * 8)};
    for (int64_t i = 0; i < 40; ++i) y.As<int64_t>()[i] = static_cast<int64_t>(rng() % 10);
    ASSERT_TRUE(WriteNpy(P("x.npy"), x).ok());
    ASSERT_TRUE(WriteNpy(P("y.npy"), y).ok());
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static std::string P(const std::string& name) { return (*dir_ / name).string(); }

  // Runs tinyverify with `args`; returns the exit code, stderr in *err.
  static int Run(const std::string& args, std::string* err = nullptr) {
    const std::string err_path = P("stderr.txt");
    const std::string cmd =
        std::string(TV_CLI_PATH) + " verify " + args + " >" + P("stdout.txt") + " 2>" + err_path;
    const int status = std::system(cmd.c_str());
    if (err) *err = testing::ReadText(err_path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  static std::string Models() {
    return "--ref " + P("ref.tflite") + " --tiny " + P("tiny.tflite") + " ";
  }
  static std::string Data() { return "--data " + P("x.npy") + " --labels " + P("y.npy") + " "; }

  static fs::path* dir_;
};

fs::path* VerifyCli::dir_ = nullptr;

// report.json without its "run" block (threads and timings legitimately differ).
std::string ReportWithoutRun(const std::string& path) {
  std::string s = testing::ReadText(path);
  const size_t run = s.find("\"run\"");
  if (run == std::string::npos) return s;
  const size_t end = s.find('}', run);
  return s.erase(run, end - run + 1);
}

TEST_F(VerifyCli, GatesDecideTheExitCode) {
  std::string err;
  EXPECT_EQ(
      Run(Models() + Data() + "--gate 'agreement>=0.5,max_abs_diff<=1' --report-dir " + P("pass"),
          &err),
      0)
      << err;
  EXPECT_TRUE(fs::exists(P("pass/report.json")));
  EXPECT_NE(err.find("decision: "), std::string::npos) << err;
  EXPECT_NE(testing::ReadText(P("stdout.txt")), "");
  EXPECT_EQ(Run(Models() + Data() + "--gate 'agreement>=1.01'", &err), 1) << err;
  EXPECT_EQ(Run(Models() + Data() + "--gate 'nonsense<=1'", &err), 2) << err;
  EXPECT_NE(err.find("nonsense"), std::string::npos) << err;
}

TEST_F(VerifyCli, ReportIdenticalForOneAndTwoThreads) {
  std::string err;
  ASSERT_EQ(Run(Models() + Data() + "--threads 1 --report-dir " + P("t1"), &err), 0) << err;
  ASSERT_EQ(Run(Models() + Data() + "--threads 2 --report-dir " + P("t2"), &err), 0) << err;
  const std::string a = ReportWithoutRun(P("t1/report.json"));
  EXPECT_GT(a.size(), 100u);
  EXPECT_EQ(a, ReportWithoutRun(P("t2/report.json")));
  EXPECT_EQ(testing::ReadText(P("t1/samples.csv")), testing::ReadText(P("t2/samples.csv")));
}

TEST_F(VerifyCli, SeveralTinyVariantsAndRecordedOutputs) {
  std::string err;
  std::ofstream(P("names.txt")) << "zero\none\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n";
  std::ofstream(P("slices.csv")) << "sample_id,tag\n0,first\n1,first\n2,second\n";
  EXPECT_EQ(Run(Models() + Data() + "--class-names " + P("names.txt") + " --slices " +
                    P("slices.csv") + " --report-dir " + P("named"),
                &err),
            0)
      << err;
  const std::string json = testing::ReadText(P("named/report.json"));
  EXPECT_NE(json.find("seven"), std::string::npos);
  EXPECT_NE(json.find("second"), std::string::npos);
  EXPECT_EQ(Run(Models() + "--tiny " + P("tiny.tflite") + " " + Data() + "--limit 5", &err), 0)
      << err;
  HostTensor r{DataType::kFloat32, {2, 3}, std::vector<uint8_t>(24)};
  HostTensor t{DataType::kInt8, {2, 3}, {1, 2, 3, 3, 2, 1}};
  ASSERT_TRUE(WriteNpy(P("r.npy"), r).ok());
  ASSERT_TRUE(WriteNpy(P("t.npy"), t).ok());
  EXPECT_EQ(Run("--ref-outputs " + P("r.npy") + " --tiny-outputs " + P("t.npy"), &err), 0) << err;
  // int8 rows logged from a TFLM softmax (scale 1/256, zero point -128) are probabilities, not
  // logits to softmax again: [-64, 64] is [0.25, 0.75].
  HostTensor pr{DataType::kFloat32, {2, 2}, std::vector<uint8_t>(16)};
  const float probs[4] = {0.25f, 0.75f, 0.5f, 0.5f};
  std::memcpy(pr.bytes.data(), probs, 16);
  HostTensor pt{DataType::kInt8, {2, 2}, {0xC0, 0x40, 0x00, 0x00}};
  HostTensor nan{DataType::kFloat32, {2, 2}, std::vector<uint8_t>(16, 0xFF)};
  ASSERT_TRUE(WriteNpy(P("pr.npy"), pr).ok());
  ASSERT_TRUE(WriteNpy(P("pt.npy"), pt).ok());
  ASSERT_TRUE(WriteNpy(P("nan.npy"), nan).ok());
  EXPECT_EQ(Run("--ref-outputs " + P("pr.npy") + " --tiny-outputs " + P("pt.npy") +
                    " --gate 'max_abs_diff<=0.001'",
                &err),
            0)
      << err;
  EXPECT_NE(err.find("quantized softmax"), std::string::npos) << err;
  EXPECT_EQ(Run("--ref-outputs " + P("pr.npy") + " --tiny-outputs " + P("nan.npy"), &err), 2);
  EXPECT_NE(err.find("nan.npy: sample 0: value 0 is not finite"), std::string::npos) << err;
}

// An autoencoder's output is a reconstruction, not 16 class scores: the run is a regression,
// and with 0/1 labels each side's anomaly score is its reconstruction error (ROC AUC).
TEST_F(VerifyCli, AutoencoderIsRegressionWithReconstructionAuc) {
  const std::vector<uint8_t> ref = testing::BuildAutoencoder16(false);
  const std::vector<uint8_t> tiny = testing::BuildAutoencoder16(true);
  ASSERT_TRUE(WriteFileBytes(P("ae_ref.tflite"), ref.data(), ref.size()).ok());
  ASSERT_TRUE(WriteFileBytes(P("ae_tiny.tflite"), tiny.data(), tiny.size()).ok());
  const uint32_t seed = 7;
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  HostTensor x{DataType::kFloat32, {30, 16}, std::vector<uint8_t>(30 * 16 * 4)};
  HostTensor y{DataType::kInt64, {30}, std::vector<uint8_t>(30 * 8)};
  for (int64_t i = 0; i < 30; ++i) {
    y.As<int64_t>()[i] = i % 3 == 0;  // anomalies: 4x larger features, larger errors
    for (int j = 0; j < 16; ++j) x.As<float>()[i * 16 + j] = normal(rng) * (i % 3 == 0 ? 4 : 1);
  }
  ASSERT_TRUE(WriteNpy(P("ae_x.npy"), x).ok());
  ASSERT_TRUE(WriteNpy(P("ae_y.npy"), y).ok());
  std::string err;
  ASSERT_EQ(Run("--ref " + P("ae_ref.tflite") + " --tiny " + P("ae_tiny.tflite") + " --data " +
                    P("ae_x.npy") + " --labels " + P("ae_y.npy") + " --gate 'auc_drop<=5' " +
                    "--report-dir " + P("ae"),
                &err),
            0)
      << err;
  EXPECT_NE(err.find("reconstruction model"), std::string::npos) << err;
  const std::string json = testing::ReadText(P("ae/report.json"));
  EXPECT_NE(json.find("\"task\": \"regression\""), std::string::npos) << json.substr(0, 400);
  EXPECT_EQ(json.find("\"ref_auc\": null"), std::string::npos);
  EXPECT_EQ(json.find("\"ref_auc\": 0.5"), std::string::npos);
}

TEST_F(VerifyCli, ErrorsExitTwoAndNameTheFile) {
  const std::string npy = testing::ReadText(P("x.npy"));
  std::ofstream(P("trunc.npy"), std::ios::binary) << npy.substr(0, npy.size() / 2);
  std::ofstream(P("bad-images-idx3-ubyte"), std::ios::binary) << "\x01\x02";
  std::string row;
  for (int i = 0; i <= 784; ++i) row += (i ? ",1" : "1");
  std::ofstream(P("bad.csv")) << row << "\n" << row << "\n3,4\n";
  std::ofstream(P("bad.npz"), std::ios::binary) << "PK\x03\x04garbage";
  std::ofstream(P("three.txt")) << "a\nb\nc\n";
  fs::create_directories(P("imgs/a"));
  std::ofstream(P("imgs/a/broken.png"), std::ios::binary) << "\x89PNG\r\n\x1a\nnope";
  const std::pair<std::string, std::string> cases[] = {
      {"--data " + P("trunc.npy"), "trunc.npy"},
      {"--data " + P("bad-images-idx3-ubyte"), "bad-images-idx3-ubyte"},
      {"--data " + P("bad.csv"), "bad.csv"},
      {"--data " + P("bad.npz"), "bad.npz"},
      {"--data " + P("imgs"), "broken.png"},
      {"--data " + P("x.npy") + " --labels " + P("bad.csv"), "bad.csv"},
      {"--data " + P("x.npy") + " --preprocess scale=x", "--preprocess"},
      {"--data " + P("x.npy") + " --labels " + P("y.npy") + " --class-names " + P("three.txt"),
       "three.txt: 3 class names, but the model has 10 classes"},
  };
  for (const auto& [args, name] : cases) {
    std::string err;
    EXPECT_EQ(Run(Models() + args, &err), 2) << args << "\n" << err;
    EXPECT_NE(err.find("error: "), std::string::npos) << err;
    EXPECT_NE(err.find(name), std::string::npos) << args << "\n" << err;
  }
  std::string err;
  EXPECT_EQ(Run("--ref " + P("x.npy") + " --tiny " + P("tiny.tflite") + " " + Data(), &err), 2);
  EXPECT_NE(err.find("x.npy"), std::string::npos) << err;
}

TEST_F(VerifyCli, FashionMnistEndToEnd) {
  const std::string shared = testing::SharedDir();
  const std::string data = shared + "/data/fashion-mnist/t10k-images-idx3-ubyte.gz";
  if (shared.empty() || !fs::exists(data)) GTEST_SKIP() << "no shared Fashion-MNIST";
  std::string err;
  EXPECT_EQ(Run(Models() + "--data " + data + " --limit 500 --threads 2", &err), 0) << err;
  EXPECT_NE(err.find("scale=1/255"), std::string::npos) << err;
}

}  // namespace
}  // namespace tv
