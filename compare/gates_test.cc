#include "compare/gates.h"

#include <gtest/gtest.h>

#include <string>

#include "compare/analysis.h"
#include "compare/verify_result.h"

namespace tv {
namespace verify {
namespace {

VerifyResult TwoVariants() {
  VerifyResult r;
  r.task = TaskKind::kClassification;
  r.has_labels = true;
  r.n = 100;
  VariantResult a, b;
  a.name = "a";
  a.top1_drop_pp = 0.5;
  a.agreement = 0.99;
  b.name = "b";
  b.top1_drop_pp = 1.5;
  b.agreement = 0.97;
  r.variants = {a, b};
  return r;
}

TEST(Gates, EmptySpecPasses) {
  VerifyResult r = TwoVariants();
  ASSERT_TRUE(EvaluateGates("", &r).ok());
  EXPECT_TRUE(r.passed);
  EXPECT_TRUE(r.gates.empty());
}

TEST(Gates, FailsWhenAnyVariantFails) {
  VerifyResult r = TwoVariants();
  ASSERT_TRUE(EvaluateGates("top1_drop<=1.0, agreement >= 0.96", &r).ok());
  ASSERT_EQ(r.gates.size(), 2u);
  EXPECT_FALSE(r.gates[0].passed);
  EXPECT_TRUE(r.gates[0].variant_passed[0]);
  EXPECT_FALSE(r.gates[0].variant_passed[1]);
  EXPECT_DOUBLE_EQ(r.gates[0].values[1], 1.5);
  EXPECT_TRUE(r.gates[1].passed);
  EXPECT_EQ(r.gates[1].metric, "agreement");
  EXPECT_EQ(r.gates[1].op, ">=");
  EXPECT_FALSE(r.passed);
}

TEST(Gates, StrictOperators) {
  VerifyResult r = TwoVariants();
  ASSERT_TRUE(EvaluateGates("top1_drop<0.5", &r).ok());
  EXPECT_FALSE(r.passed);
  ASSERT_TRUE(EvaluateGates("top1_drop>0.4", &r).ok());
  EXPECT_TRUE(r.passed);
}

TEST(Gates, SyntaxErrorsNameTheGate) {
  const char* bad[] = {"top1_drop",      "top1_drop<=", "<=1",        "top1_drop<=abc",
                       "top1_drop<=1x",  "nosuch<=1",   "a<=1,,b<=2", "top1_drop<=1,",
                       "top1_drop<=inf", "top1_drop=1"};
  for (const char* spec : bad) {
    VerifyResult r = TwoVariants();
    const Status s = EvaluateGates(spec, &r);
    EXPECT_FALSE(s.ok()) << spec;
    EXPECT_NE(std::string(s.message()).find("gate"), std::string::npos) << s.message();
  }
  VerifyResult r = TwoVariants();
  const Status s = EvaluateGates("agreement>=0.9,bogus_metric<=1", &r);
  EXPECT_NE(std::string(s.message()).find("bogus_metric"), std::string::npos) << s.message();
}

TEST(Gates, MetricThatDoesNotApplyIsAnError) {
  VerifyResult r = TwoVariants();
  r.has_labels = false;
  EXPECT_FALSE(EvaluateGates("top1_drop<=1", &r).ok());
  EXPECT_TRUE(EvaluateGates("agreement>=0.9", &r).ok());
  EXPECT_FALSE(EvaluateGates("mae<=1", &r).ok());
}

TEST(Gates, EveryDocumentedMetricParses) {
  for (const GateMetric& m : GateMetrics()) {
    VerifyResult r = TwoVariants();
    double v = 0;
    const Status s = GateValue(r, 0, m.name, &v);
    // Either applies to this classification run or names why not; never "unknown".
    EXPECT_EQ(std::string(s.message()).find("unknown"), std::string::npos) << m.name;
  }
}

}  // namespace
}  // namespace verify
}  // namespace tv
