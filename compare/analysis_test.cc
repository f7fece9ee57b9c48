#include "compare/analysis.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "compare/analysis_metrics.h"
#include "compare/verify_result.h"

namespace tv {
namespace verify {
namespace {

SampleOutputs Sample(int64_t index, int64_t label, std::vector<float> ref,
                     std::vector<std::vector<float>> tiny) {
  SampleOutputs s;
  s.index = index;
  s.id = "id" + std::to_string(index);
  s.label = label;
  s.ref = std::move(ref);
  s.tiny = std::move(tiny);
  return s;
}

TEST(Analyzer, RejectsMalformedSamplesWithTheSampleId) {
  Analyzer a(AnalysisConfig(), 1);
  ASSERT_TRUE(a.Add(Sample(0, 1, {0.2f, 0.8f}, {{0.3f, 0.7f}})).ok());
  const Status out_of_order = a.Add(Sample(0, 1, {0.2f, 0.8f}, {{0.3f, 0.7f}}));
  EXPECT_FALSE(out_of_order.ok());
  EXPECT_NE(std::string(out_of_order.message()).find("id0"), std::string::npos);
  EXPECT_FALSE(a.Add(Sample(1, 1, {0.2f, 0.8f, 0.0f}, {{0.3f, 0.7f, 0.0f}})).ok());
  EXPECT_FALSE(a.Add(Sample(2, 1, {0.2f, 0.8f}, {{0.3f}})).ok());
  EXPECT_FALSE(a.Add(Sample(3, 1, {0.2f, 0.8f}, {})).ok());
  EXPECT_FALSE(a.Add(Sample(4, 7, {0.2f, 0.8f}, {{0.3f, 0.7f}})).ok());
  EXPECT_FALSE(a.Add(Sample(5, 1, {0.2f, NAN}, {{0.3f, 0.7f}})).ok());
  EXPECT_FALSE(a.Add(Sample(6, 1, {0.2f, 0.8f}, {{INFINITY, 0.7f}})).ok());
  EXPECT_TRUE(a.Add(Sample(7, -1, {0.2f, 0.8f}, {{0.3f, 0.7f}})).ok());  // unlabeled is fine
}

TEST(Analyzer, EmptyRunIsAnError) {
  Analyzer a(AnalysisConfig(), 1);
  VerifyResult r;
  EXPECT_FALSE(a.Finish(VerifySetup(), &r).ok());
}

TEST(Analyzer, NumClassesMustMatchOutput) {
  AnalysisConfig c;
  c.num_classes = 3;
  Analyzer a(c, 1);
  EXPECT_FALSE(a.Add(Sample(0, 1, {0.2f, 0.8f}, {{0.3f, 0.7f}})).ok());
}

TEST(Analyzer, IdenticalModelsAgreeCompletely) {
  Analyzer a(AnalysisConfig(), 1);
  const std::vector<std::vector<float>> outs = {
      {0.7f, 0.2f, 0.1f}, {0.1f, 0.8f, 0.1f}, {0.3f, 0.3f, 0.4f}, {0.5f, 0.4f, 0.1f}};
  const int64_t labels[] = {0, 1, 2, 1};
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(a.Add(Sample(i, labels[i], outs[i], {outs[i]})).ok());
  VerifyResult r;
  ASSERT_TRUE(a.Finish(VerifySetup(), &r).ok());
  const VariantResult& v = r.variants[0];
  EXPECT_DOUBLE_EQ(r.ref.top1, 0.75);
  EXPECT_DOUBLE_EQ(v.tiny.top1, 0.75);
  EXPECT_DOUBLE_EQ(v.top1_drop_pp, 0.0);
  EXPECT_DOUBLE_EQ(v.agreement, 1.0);
  EXPECT_DOUBLE_EQ(v.kappa, 1.0);
  EXPECT_DOUBLE_EQ(v.mcnemar_p, 1.0);
  EXPECT_DOUBLE_EQ(v.divergence.max_abs_diff, 0.0);
  EXPECT_TRUE(std::isinf(v.divergence.snr_db));
  EXPECT_EQ(v.name, "tiny");
}

TEST(Analyzer, WorstListKeepsFlipsFirstAndIsBounded) {
  AnalysisConfig c;
  c.worst_n = 2;
  Analyzer a(c, 1);
  // Sample 3 is a flip (ref right, tiny wrong); the others only differ slightly.
  for (int i = 0; i < 6; ++i) {
    std::vector<float> ref = {0.9f, 0.1f};
    std::vector<float> tiny = i == 3 ? std::vector<float>{0.2f, 0.8f}
                                     : std::vector<float>{0.9f - 0.01f * i, 0.1f + 0.01f * i};
    ASSERT_TRUE(a.Add(Sample(i, 0, ref, {tiny})).ok());
  }
  VerifyResult r;
  ASSERT_TRUE(a.Finish(VerifySetup(), &r).ok());
  ASSERT_EQ(r.variants[0].worst.size(), 2u);
  EXPECT_EQ(r.variants[0].worst[0].id, "id3");
  EXPECT_EQ(r.variants[0].worst[1].id, "id5");
  EXPECT_EQ(r.variants[0].ref_right_tiny_wrong_ids, std::vector<std::string>{"id3"});
}

TEST(AnalysisMetrics, TopKAndMargin) {
  const std::vector<float> v = {0.1f, 0.5f, 0.5f, 0.3f};
  EXPECT_EQ(metrics::ArgMax(v), 1);
  EXPECT_TRUE(metrics::InTopK(v, 2, 2));
  EXPECT_FALSE(metrics::InTopK(v, 2, 1));  // tie: the earlier index ranks first
  EXPECT_FALSE(metrics::InTopK(v, 9, 5));
  EXPECT_NEAR(metrics::TopMargin(v), 0.0, 1e-12);
  EXPECT_NEAR(metrics::TopMargin({0.7f, 0.2f}), 0.5, 1e-6);
}

TEST(AnalysisMetrics, RocAucWorkedExample) {
  EXPECT_DOUBLE_EQ(metrics::RocAuc({0.1f, 0.4f, 0.35f, 0.8f}, {0, 1, 0, 1}), 1.0);
  // Positives 0.4, 0.3 vs negatives 0.1, 0.35: 3 of 4 pairs ordered -> 0.75.
  EXPECT_DOUBLE_EQ(metrics::RocAuc({0.1f, 0.4f, 0.35f, 0.3f}, {0, 1, 0, 1}), 0.75);
  EXPECT_DOUBLE_EQ(metrics::RocAuc({0.5f, 0.5f}, {0, 1}), 0.5);  // a tie counts one half
  EXPECT_DOUBLE_EQ(metrics::RocAuc({0.5f, 0.7f}, {1, 1}), 0.5);  // one class absent
}

}  // namespace
}  // namespace verify
}  // namespace tv
