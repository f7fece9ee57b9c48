// Checks the Analyzer against tests/analysis/oracle.py (numpy, textbook formulas). ctest runs
// the script first and passes its output directory in TV_ANALYSIS_ORACLE_DIR; without it the
// test skips.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "compare/analysis.h"
#include "compare/npy.h"
#include "compare/verify_result.h"

namespace tv {
namespace verify {
namespace {

class Oracle : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* dir = std::getenv("TV_ANALYSIS_ORACLE_DIR");
    if (!dir) GTEST_SKIP() << "TV_ANALYSIS_ORACLE_DIR not set (run via ctest)";
    dir_ = dir;
    std::ifstream in(dir_ + "/expected.txt");
    ASSERT_TRUE(in) << dir_;
    std::string key;
    double value;
    while (in >> key >> value) expected_[key] = value;
    std::printf("oracle seed %.0f\n", expected_["seed"]);
  }

  HostTensor Load(const std::string& name) {
    HostTensor t;
    const Status s = ReadNpy(dir_ + "/" + name, &t);
    EXPECT_TRUE(s.ok()) << s.message();
    return t;
  }

  double Expected(const std::string& key) {
    auto it = expected_.find(key);
    EXPECT_NE(it, expected_.end()) << key;
    return it == expected_.end() ? NAN : it->second;
  }

  void Check(const std::string& key, double actual) {
    const double e = Expected(key);
    EXPECT_NEAR(actual, e, 1e-9 * std::max(1.0, std::fabs(e))) << key;
  }

  // Feeds [n,k] ref, [v,n,k] tiny, n labels (and optional [n,k] targets).
  VerifyResult Run(const std::string& prefix, bool regression, bool with_slices) {
    const HostTensor ref = Load(prefix + "_ref.npy"), tiny = Load(prefix + "_tiny.npy"),
                     labels = Load(prefix + "_labels.npy");
    HostTensor target;
    if (regression) target = Load(prefix + "_target.npy");
    const int64_t n = ref.shape[0], k = ref.shape[1], variants = tiny.shape[0];
    AnalysisConfig config;
    if (with_slices) {
      for (int64_t i = 0; i < n; i += 3) config.slices["s" + std::to_string(i)] = {"third"};
    }
    Analyzer analyzer(config, static_cast<int32_t>(variants));
    for (int64_t i = 0; i < n; ++i) {
      SampleOutputs s;
      s.index = i;
      s.id = "s" + std::to_string(i);
      s.label = labels.As<int64_t>()[i];
      s.ref.assign(ref.As<float>() + i * k, ref.As<float>() + (i + 1) * k);
      if (regression) s.target.assign(target.As<float>() + i * k, target.As<float>() + (i + 1) * k);
      for (int64_t v = 0; v < variants; ++v) {
        const float* base = tiny.As<float>() + (v * n + i) * k;
        s.tiny.emplace_back(base, base + k);
      }
      const Status st = analyzer.Add(s);
      EXPECT_TRUE(st.ok()) << st.message();
    }
    VerifyResult r;
    const Status st = analyzer.Finish(VerifySetup(), &r);
    EXPECT_TRUE(st.ok()) << st.message();
    return r;
  }

  std::string dir_;
  std::map<std::string, double> expected_;
};

const SliceStats* FindSlice(const VariantResult& v, const std::string& name) {
  for (const SliceStats& s : v.slices) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

TEST_F(Oracle, Classification) {
  const VerifyResult r = Run("cls", /*regression=*/false, /*with_slices=*/true);
  ASSERT_EQ(r.task, TaskKind::kClassification);
  Check("ref.top1", r.ref.top1);
  Check("ref.top5", r.ref.top5);
  Check("ref.ece", r.ref.ece);
  ASSERT_EQ(r.variants.size(), 2u);
  for (size_t v = 0; v < r.variants.size(); ++v) {
    const VariantResult& x = r.variants[v];
    const std::string p = "v" + std::to_string(v) + ".";
    Check(p + "top1", x.tiny.top1);
    Check(p + "top5", x.tiny.top5);
    Check(p + "top1_drop_pp", x.top1_drop_pp);
    Check(p + "top1_drop_ci_lo", x.top1_drop_ci95_pp.lo);
    Check(p + "top1_drop_ci_hi", x.top1_drop_ci95_pp.hi);
    Check(p + "agreement", x.agreement);
    Check(p + "agreement_ci_lo", x.agreement_ci95.lo);
    Check(p + "agreement_ci_hi", x.agreement_ci95.hi);
    Check(p + "mcnemar_p", x.mcnemar_p);
    Check(p + "kappa", x.kappa);
    Check(p + "ref_right_tiny_wrong", static_cast<double>(x.ref_right_tiny_wrong));
    Check(p + "ref_wrong_tiny_right", static_cast<double>(x.ref_wrong_tiny_right));
    EXPECT_EQ(x.ref_right_tiny_wrong_ids.size(), static_cast<size_t>(x.ref_right_tiny_wrong));
    Check(p + "high_conf_flips", static_cast<double>(x.high_conf_flips));
    EXPECT_EQ(x.high_conf_flip_ids.size(), static_cast<size_t>(x.high_conf_flips));
    Check(p + "ece", x.tiny.ece);
    Check(p + "class_drop_max_pp", x.class_drop_max_pp);
    for (const ClassStats& c : x.per_class) {
      const std::string cp = p + "class" + std::to_string(c.cls) + ".";
      Check(cp + "ref_recall", c.ref_recall);
      Check(cp + "tiny_recall", c.tiny_recall);
      Check(cp + "tiny_precision", c.tiny_precision);
      EXPECT_EQ(c.rare, c.cls == 0) << cp;
    }
    const SliceStats* rare = FindSlice(x, "rare_classes");
    ASSERT_NE(rare, nullptr);
    Check(p + "rare.count", static_cast<double>(rare->count));
    Check(p + "rare.tiny_top1", rare->tiny_top1);
    const SliceStats* third = FindSlice(x, "third");
    ASSERT_NE(third, nullptr);
    Check(p + "slice.count", static_cast<double>(third->count));
    Check(p + "slice.top1_drop_pp", third->top1_drop_pp);
    Check(p + "slice.agreement", third->agreement);
    Check(p + "max_abs_diff", x.divergence.max_abs_diff);
    Check(p + "mean_max_abs_diff", x.divergence.mean_max_abs_diff);
    Check(p + "mean_cosine", x.divergence.mean_cosine);
    Check(p + "min_cosine", x.divergence.min_cosine);
    Check(p + "mean_kl", x.divergence.mean_kl);
    Check(p + "max_kl", x.divergence.max_kl);
    Check(p + "snr_db", x.divergence.snr_db);
    ASSERT_EQ(x.margin_buckets.size(), 7u);
    Check(p + "margin0.count", static_cast<double>(x.margin_buckets[0].count));
    Check(p + "margin0.disagree", static_cast<double>(x.margin_buckets[0].disagree));
    Check(p + "margin6.count", static_cast<double>(x.margin_buckets[6].count));
  }
  EXPECT_EQ(r.samples.size(), static_cast<size_t>(r.n));
}

TEST_F(Oracle, RegressionWithTargetsAndAuc) {
  const VerifyResult r = Run("reg", /*regression=*/true, /*with_slices=*/false);
  ASSERT_EQ(r.task, TaskKind::kRegression);
  ASSERT_EQ(r.variants.size(), 2u);
  for (size_t v = 0; v < r.variants.size(); ++v) {
    const RegressionStats& g = r.variants[v].regression;
    const std::string p = "reg.v" + std::to_string(v) + ".";
    Check(p + "mae", g.mae);
    Check(p + "rmse", g.rmse);
    Check(p + "max_error", g.max_error);
    Check(p + "cosine", g.cosine);
    ASSERT_TRUE(g.has_target);
    Check(p + "ref_mae_target", g.ref_mae_target);
    Check(p + "tiny_mae_target", g.tiny_mae_target);
    Check(p + "tiny_rmse_target", g.tiny_rmse_target);
    ASSERT_TRUE(g.has_auc);
    Check("reg.ref_auc", g.ref_auc);
    Check(p + "tiny_auc", g.tiny_auc);
  }
}

}  // namespace
}  // namespace verify
}  // namespace tv
