// The outcome of `tinyverify verify`: every number the reports show, computed once by the
// Analyzer (compare/analysis.h) and read by reports/ and the CLI. Plain data, no behaviour.
//
// Conventions: fractions are in 0..1; drops are in percentage points (pp), positive = the
// tiny model is worse; "variant" = one tiny model (several may be compared to one reference).
#ifndef TINYVERIFY_COMPARE_VERIFY_RESULT_H_
#define TINYVERIFY_COMPARE_VERIFY_RESULT_H_

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "compare/analysis.h"
#include "compare/stats.h"

namespace tv {
namespace verify {

constexpr const char* kReportSchema = "tinyverify.report/1";

// Reliability diagram bin: samples whose top-1 confidence fell in [lo, hi).
struct CalibrationBin {
  double lo = 0.0, hi = 0.0;
  int64_t count = 0;
  double mean_confidence = 0.0;
  double accuracy = 0.0;
};

// Accuracy-side metrics of one model (reference or one tiny variant).
struct ModelMetrics {
  double top1 = 0.0;
  stats::Interval top1_ci95;
  double top5 = 0.0;
  double ece = 0.0;  // expected calibration error over `calibration`
  std::vector<CalibrationBin> calibration;
};

struct ClassStats {
  int32_t cls = 0;
  std::string name;
  int64_t support = 0;  // samples with this label
  bool rare = false;    // support < rare_class_fraction * n
  double ref_recall = 0.0, tiny_recall = 0.0;
  double ref_precision = 0.0, tiny_precision = 0.0;
  double recall_drop_pp = 0.0;  // (ref_recall - tiny_recall) * 100
  double agreement = 0.0;       // ref and tiny predict the same class
};

// An off-diagonal cell of the label x prediction confusion: how often `label` was predicted
// as `predicted`, by each model.
struct ConfusedPair {
  int32_t label = 0, predicted = 0;
  int64_t ref_count = 0, tiny_count = 0;
};

// Disagreement rate by the reference's top-1 margin (p1 - p2).
struct MarginBucket {
  double lo = 0.0, hi = 0.0;
  int64_t count = 0;
  int64_t disagree = 0;
};

// A subset of samples: a user tag from --slices, or "rare_classes".
struct SliceStats {
  std::string name;
  int64_t count = 0;
  double ref_top1 = 0.0, tiny_top1 = 0.0;
  double top1_drop_pp = 0.0;
  double agreement = 0.0;
};

// Per-sample output divergence between reference and tiny, aggregated over samples.
// SNR is +infinity when the outputs are identical (the JSON writes null).
struct DivergenceStats {
  double max_abs_diff = 0.0;       // largest |ref - tiny| over all samples and outputs
  double mean_max_abs_diff = 0.0;  // mean over samples of the per-sample max
  double mean_cosine = 1.0, min_cosine = 1.0;
  double mean_kl = 0.0, max_kl = 0.0;                       // KL(ref || tiny), classification only
  double snr_db = std::numeric_limits<double>::infinity();  // over all samples pooled
  double min_snr_db = std::numeric_limits<double>::infinity();
};

// Regression / anomaly outputs: tiny against the reference (fidelity) and, when targets are
// given, both against the target. AUC when labels are binary (score = last output).
struct RegressionStats {
  double mae = 0.0, rmse = 0.0, max_error = 0.0, cosine = 1.0;  // tiny vs ref
  bool has_target = false;
  double ref_mae_target = 0.0, tiny_mae_target = 0.0;
  double ref_rmse_target = 0.0, tiny_rmse_target = 0.0;
  bool has_auc = false;
  double ref_auc = 0.0, tiny_auc = 0.0;
  double auc_drop_pp = 0.0;  // (ref_auc - tiny_auc) * 100
};

// One of the worst-N samples of a variant (largest divergence, flips first).
struct WorstSample {
  int64_t index = 0;
  std::string id;
  int64_t label = -1;
  int32_t ref_pred = -1, tiny_pred = -1;
  double ref_conf = 0.0, tiny_conf = 0.0;
  double max_abs_diff = 0.0, kl = 0.0;
  double score = 0.0;  // ranking key
  Thumbnail thumbnail;
};

struct SaturationRow {
  std::string tensor, op;
  int64_t values = 0;
  double pinned_fraction = 0.0;  // (at_min + at_max) / values
  // Separately: at the int max is clipping; at the int min also counts exact zeros of a fused
  // ReLU whose zero point is the int min, so it overstates clipping for such layers.
  double at_max_fraction = 0.0, at_min_fraction = 0.0;
};

// Compression profile of one model (from ModelSetup.info).
struct CompressionProfile {
  std::string format;
  uint64_t file_bytes = 0, parameters = 0, weight_bytes = 0;
  uint64_t arena_bytes = 0;
  int64_t macs = 0;
  double sparsity = 0.0;       // zero weights / parameters over constant tensors
  uint64_t huffman_bytes = 0;  // entropy-coded bound of the weights, 0 = not computed
  struct Tensor {
    std::string name;
    uint64_t elements = 0, bytes = 0;
    double sparsity = 0.0;
    int64_t unique_values = 0;
    double huffman_bits_per_weight = 0.0;  // 0 = not computed
  };
  std::vector<Tensor> tensors;  // constant tensors only
};

// Everything about one tiny variant against the reference.
struct VariantResult {
  std::string name;
  ModelMetrics tiny;
  // Paired comparison with the reference (classification).
  double top1_drop_pp = 0.0;
  stats::Interval top1_drop_ci95_pp;
  double top5_drop_pp = 0.0;
  double agreement = 0.0;
  stats::Interval agreement_ci95;
  double mcnemar_p = 1.0;
  double kappa = 1.0;
  int64_t ref_right_tiny_wrong = 0, ref_wrong_tiny_right = 0;
  std::vector<std::string> ref_right_tiny_wrong_ids, ref_wrong_tiny_right_ids;
  int64_t high_conf_flips = 0;  // ref right, tiny wrong with confidence >= threshold
  std::vector<std::string> high_conf_flip_ids;
  double class_drop_max_pp = 0.0;
  std::vector<ClassStats> per_class;
  std::vector<int64_t> tiny_confusion;          // label x tiny prediction, k*k row-major
  std::vector<int64_t> disagreement_confusion;  // ref prediction x tiny prediction
  std::vector<ConfusedPair> confused_pairs;     // most confused (by tiny count), top 10
  std::vector<MarginBucket> margin_buckets;
  std::vector<SliceStats> slices;
  DivergenceStats divergence;
  RegressionStats regression;
  std::vector<WorstSample> worst;
  // Tiny-side saturation from ModelSetup.
  double input_clip_fraction = 0.0;
  std::vector<SaturationRow> saturation;
  CompressionProfile compression;
};

// One row of samples.csv. Predictions are -1 and confidences 0 for regression.
struct SampleRow {
  std::string id;
  int64_t label = -1;
  int32_t ref_pred = -1;
  float ref_conf = 0.0f;
  float ref_score = 0.0f;  // AUC score (binary tasks)
  struct Tiny {
    int32_t pred = -1;
    float conf = 0.0f, score = 0.0f, max_abs_diff = 0.0f, kl = 0.0f;
  };
  std::vector<Tiny> tiny;  // one per variant
};

// One gate evaluated on every variant; the gate passes when all variants pass.
struct GateResult {
  std::string spec;    // as written, e.g. "top1_drop<=1.0"
  std::string metric;  // "top1_drop"
  std::string op;      // "<=", ">=", "<", ">", "=="
  double threshold = 0.0;
  std::vector<double> values;  // per variant
  std::vector<bool> variant_passed;
  bool passed = true;
};

struct VerifyResult {
  std::string schema = kReportSchema;
  TaskKind task = TaskKind::kClassification;
  int64_t n = 0;
  int32_t num_classes = 0;
  bool has_labels = false;
  std::vector<std::string> class_names;  // size num_classes (index as text when unnamed)
  VerifySetup setup;
  AnalysisConfig config;
  ModelMetrics ref;
  std::vector<int64_t> ref_confusion;  // label x ref prediction
  CompressionProfile ref_compression;
  std::vector<VariantResult> variants;
  std::vector<SampleRow> samples;
  std::string gate_spec;
  std::vector<GateResult> gates;
  bool passed = true;
};

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_VERIFY_RESULT_H_
