// Round trip on the bundled example: compress examples/fashion/fashion_cnn.onnx with training
// images, run the result in the emulator on a Fashion-MNIST test subset (1,000 samples, or
// TV_FASHION_LIMIT) and hold top-1 to the goal. The committed variants are measured too.
// Skips when the dataset package (dataset-fashion-mnist) or the example model is absent.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "compare/dataset.h"
#include "compare/file_io.h"
#include "compare/input_mapping.h"
#include "compare/verify_pipeline.h"
#include "compress/compress.h"
#include "compress/testing/onnx_builder.h"
#include "tests/support/shared_paths.h"

namespace tv {
namespace compress {
namespace {

const char kData[] = "/usr/share/datasets/fashion-mnist";

std::vector<HostTensor> TrainingSamples(int n) {
  std::unique_ptr<verify::Dataset> data;
  EXPECT_TRUE(verify::OpenDataset(std::string(kData) + "/train-images-idx3-ubyte.gz",
                                  verify::DatasetOptions(), &data)
                  .ok());
  std::vector<HostTensor> out;
  for (int i = 0; data && i < n; ++i) {
    verify::Sample s;
    bool done = false;
    if (!data->Next(&s, &done).ok() || done) break;
    HostTensor x{DataType::kFloat32, {1, 1, 28, 28}, std::vector<uint8_t>(784 * 4)};
    for (int64_t k = 0; k < 784; ++k) {  // IDX pixels arrive as stored (uint8)
      const float p = s.x.dtype == DataType::kUInt8 ? s.x.As<uint8_t>()[k] : s.x.As<float>()[k];
      x.As<float>()[k] = p / 255.0f;
    }
    out.push_back(std::move(x));
  }
  return out;
}

TEST(FashionRoundTripTest, Int8WithinHalfPointOfFloat) {
  const std::string dir = ::tv::testing::SourceDir() + "/examples/fashion";
  const std::string onnx_path = dir + "/fashion_cnn.onnx";
  if (!std::filesystem::exists(std::string(kData) + "/t10k-images-idx3-ubyte.gz") ||
      !std::filesystem::exists(onnx_path)) {
    GTEST_SKIP() << "dataset-fashion-mnist or " << onnx_path << " not present";
  }
  FileBytes onnx;
  ASSERT_TRUE(ReadFileBytes(onnx_path, &onnx).ok());
  std::string tflite;
  CompressReport report;
  const Status s = Compress(std::string(reinterpret_cast<const char*>(onnx.data()), onnx.size()),
                            TrainingSamples(200), CompressOptions(), &tflite, &report);
  ASSERT_TRUE(s.ok()) << s.message();
  const std::string fresh = testing::TempPath("fashion") + ".tflite";
  ASSERT_TRUE(WriteFileBytes(fresh, tflite.data(), tflite.size()).ok());

  verify::VerifyOptions options;
  options.ref_path = onnx_path;
  options.tiny_paths = {fresh};
  const char* variants[] = {"fashion_cnn_int8.tflite", "fashion_cnn_int8_per_tensor.tflite",
                            "fashion_cnn_int8_pruned50.tflite", "fashion_cnn_int8_cluster16.tflite",
                            "fashion_cnn_int8_hard.tflite"};
  for (const char* v : variants) {
    if (std::filesystem::exists(dir + "/" + v)) options.tiny_paths.push_back(dir + "/" + v);
  }
  options.data_path = std::string(kData) + "/t10k-images-idx3-ubyte.gz";
  const char* limit = std::getenv("TV_FASHION_LIMIT");
  options.limit = limit ? std::atoll(limit) : 1000;
  options.preprocess = "scale=1/255";
  options.threads = 2;
  std::vector<int64_t> correct(options.tiny_paths.size() + 1, 0);
  int64_t n = 0;
  auto argmax = [](const std::vector<float>& v) {
    size_t best = 0;
    for (size_t i = 1; i < v.size(); ++i) best = v[i] > v[best] ? i : best;
    return static_cast<int64_t>(best);
  };
  verify::SampleSink sink = [&](const verify::SampleOutputs& o) {
    ++n;
    correct[0] += argmax(o.ref) == o.label;
    for (size_t t = 0; t < o.tiny.size(); ++t) correct[t + 1] += argmax(o.tiny[t]) == o.label;
    return Status::Ok();
  };
  verify::VerifySetup setup;
  verify::PipelineInfo info;
  const Status run = verify::RunVerifyPipeline(options, sink, &setup, &info);
  std::remove(fresh.c_str());
  ASSERT_TRUE(run.ok()) << run.message();
  ASSERT_GT(n, 0);
  const double ref_top1 = 100.0 * static_cast<double>(correct[0]) / static_cast<double>(n);
  std::printf("samples %lld: float top-1 %.2f%%\n", static_cast<long long>(n), ref_top1);
  for (size_t t = 0; t < options.tiny_paths.size(); ++t) {
    std::printf("  %-45s top-1 %.2f%%\n",
                std::filesystem::path(options.tiny_paths[t]).filename().c_str(),
                100.0 * static_cast<double>(correct[t + 1]) / static_cast<double>(n));
  }
  const double fresh_top1 = 100.0 * static_cast<double>(correct[1]) / static_cast<double>(n);
  EXPECT_GE(ref_top1, 88.0);
  EXPECT_GE(fresh_top1, ref_top1 - 0.5) << "int8 per-channel lost more than 0.5 points";
}

}  // namespace
}  // namespace compress
}  // namespace tv
