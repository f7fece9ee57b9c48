#include "compare/verify_request.h"

#include <gtest/gtest.h>

#include <string>

#include "compare/verify_result.h"

namespace tv {
namespace verify {
namespace {

TEST(VerifyRequest, PipelineOptionsCarryEveryRequestField) {
  VerifyRequest r;
  r.ref_path = "ref.onnx";
  r.tiny_paths = {"a.tflite", "b.tflite"};
  r.data_path = "x.npy";
  r.labels_path = "y.npy";
  r.preprocess = "scale=1/255";
  r.limit = 7;
  r.threads = 3;
  r.csv_label_column = 2;
  const VerifyOptions o = PipelineOptions(r, KernelFlavor::kOptimized);
  EXPECT_EQ(o.ref_path, "ref.onnx");
  EXPECT_EQ(o.tiny_paths, r.tiny_paths);
  EXPECT_EQ(o.data_path, "x.npy");
  EXPECT_EQ(o.dataset.labels_path, "y.npy");
  EXPECT_EQ(o.dataset.csv_label_column, 2);
  EXPECT_EQ(o.preprocess, "scale=1/255");
  EXPECT_EQ(o.limit, 7);
  EXPECT_EQ(o.threads, 3);
  EXPECT_EQ(o.kernels, KernelFlavor::kOptimized);
  EXPECT_EQ(o.data, nullptr);
}

TEST(VerifyRequest, AnalysisConfigKeepsInMemoryNamesWithoutFiles) {
  VerifyRequest r;
  r.worst_n = 5;
  AnalysisConfig config;
  config.class_names = {"cat", "dog"};
  ASSERT_TRUE(LoadAnalysisConfig(r, &config).ok());
  EXPECT_EQ(config.worst_n, 5);
  EXPECT_EQ(config.class_names.size(), 2u);
}

TEST(VerifyRequest, MissingClassNamesFileIsNamedInTheError) {
  VerifyRequest r;
  r.class_names_path = "/nonexistent/names.txt";
  AnalysisConfig config;
  const Status s = LoadAnalysisConfig(r, &config);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("/nonexistent/names.txt"), std::string::npos)
      << s.message();
}

TEST(LazyAnalyzer, StartsAtTheFirstSampleWithTheDatasetsClassNames) {
  PipelineInfo info;
  LazyAnalyzer analyzer(AnalysisConfig(), 1, &info);
  EXPECT_FALSE(analyzer.started());
  VerifySetup setup;
  VerifyResult result;
  EXPECT_FALSE(analyzer.Finish(setup, &result).ok());

  info.class_names = {"zero", "one"};  // known once the dataset is open
  SampleOutputs s;
  s.label = 1;
  s.ref = {0.1f, 0.9f};
  s.tiny = {{0.2f, 0.8f}};
  ASSERT_TRUE(analyzer.sink()(s).ok());
  EXPECT_TRUE(analyzer.started());
  ASSERT_TRUE(analyzer.Finish(setup, &result).ok());
  EXPECT_EQ(result.n, 1);
  ASSERT_EQ(result.class_names.size(), 2u);
  EXPECT_EQ(result.class_names[0], "zero");
}

}  // namespace
}  // namespace verify
}  // namespace tv
