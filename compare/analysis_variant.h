// Streaming accumulator for one tiny variant against the reference: paired classification
// counters, divergence, regression errors, slices and the worst-N candidates. Memory is
// O(classes^2 + slices + worst_n) plus the ids of flipped samples.
#ifndef TINYVERIFY_COMPARE_ANALYSIS_VARIANT_H_
#define TINYVERIFY_COMPARE_ANALYSIS_VARIANT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "compare/analysis.h"
#include "compare/analysis_metrics.h"
#include "compare/verify_result.h"

namespace tv {
namespace verify {

// What the Analyzer derived once per sample from the reference output.
struct RefSample {
  int32_t pred = -1;
  double conf = 0.0;
  double margin = 0.0;
  bool labeled = false;
  bool right = false;
  const std::vector<std::string>* tags = nullptr;  // user slices of this sample, may be null
};

// Reference-side totals the variant needs to turn its counters into rates.
struct RefTotals {
  int64_t n = 0;
  int64_t labeled = 0;
  int64_t correct1 = 0, correct5 = 0;
  std::vector<int64_t> confusion;  // label x ref prediction
  std::vector<int64_t> support;    // per label
};

class VariantAccumulator {
 public:
  VariantAccumulator(const AnalysisConfig& config, TaskKind task, int32_t num_classes);

  void AddClassification(const SampleOutputs& s, const RefSample& ref,
                         const std::vector<float>& tiny, SampleRow::Tiny* row);
  void AddRegression(const SampleOutputs& s, const std::vector<float>& tiny, SampleRow::Tiny* row);
  void Finish(const RefTotals& totals, VariantResult* out) const;

 private:
  struct SliceCounts {
    int64_t count = 0, labeled = 0, ref_right = 0, tiny_right = 0, agree = 0;
  };
  void AddDivergence(const SampleOutputs& s, const std::vector<float>& tiny, bool probabilities,
                     SampleRow::Tiny* row);
  void OfferWorst(const SampleOutputs& s, const WorstSample& w);
  void FinishClassification(const RefTotals& totals, VariantResult* out) const;
  void FinishRegression(VariantResult* out) const;

  AnalysisConfig config_;
  TaskKind task_;
  int32_t k_;
  // Classification.
  int64_t correct1_ = 0, correct5_ = 0, agree_ = 0;
  int64_t ref_right_tiny_wrong_ = 0, ref_wrong_tiny_right_ = 0;
  std::vector<std::string> rrtw_ids_, rwtr_ids_, high_conf_ids_;
  std::vector<int64_t> confusion_;     // label x tiny prediction
  std::vector<int64_t> disagreement_;  // ref prediction x tiny prediction
  std::vector<int64_t> agree_by_label_;
  std::vector<int64_t> margin_count_, margin_disagree_;
  std::map<std::string, SliceCounts> slices_;
  metrics::CalibrationAccumulator calibration_;
  // Divergence (all tasks).
  int64_t samples_ = 0;
  double max_abs_ = 0.0, sum_max_abs_ = 0.0, sum_cosine_ = 0.0, min_cosine_ = 1.0;
  double sum_kl_ = 0.0, max_kl_ = 0.0, signal_ = 0.0, noise_ = 0.0;
  double min_snr_db_;
  // Regression (element-wise over all outputs).
  int64_t values_ = 0;
  double sum_abs_ = 0.0, sum_sq_ = 0.0, dot_ = 0.0, ref_sq_ = 0.0, tiny_sq_ = 0.0;
  int64_t target_values_ = 0;
  double ref_target_abs_ = 0.0, tiny_target_abs_ = 0.0;
  double ref_target_sq_ = 0.0, tiny_target_sq_ = 0.0;
  // Worst-N: a min-heap on score so the weakest candidate is dropped first.
  std::vector<WorstSample> worst_;
};

// Bucket edges of the reference top-1 margin used by the disagreement-by-margin table.
const std::vector<double>& MarginEdges();

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_ANALYSIS_VARIANT_H_
