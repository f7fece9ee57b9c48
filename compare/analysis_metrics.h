// Per-sample metric helpers and small accumulators shared by the Analyzer's parts. Internal to
// tv_compare (the Analyzer and its tests); the public result is compare/verify_result.h.
#ifndef TINYVERIFY_COMPARE_ANALYSIS_METRICS_H_
#define TINYVERIFY_COMPARE_ANALYSIS_METRICS_H_

#include <cstdint>
#include <vector>

#include "compare/verify_result.h"

namespace tv {
namespace verify {
namespace metrics {

// Index of the largest value (first one on ties); -1 for an empty vector.
int32_t ArgMax(const std::vector<float>& v);

// True when class `label` is among the k largest values (ties resolved like a stable
// descending sort: an equal value earlier in the vector ranks higher).
bool InTopK(const std::vector<float>& v, int64_t label, int k);

// p1 - p2 of the two largest values (p1 when there is only one).
double TopMargin(const std::vector<float>& v);

// Divergence of one sample's tiny output from the reference output.
struct SampleDivergence {
  double max_abs_diff = 0.0;
  double cosine = 1.0;  // 1 when both are all-zero, 0 when exactly one is
  double kl = 0.0;      // KL(ref || tiny) over probabilities, tiny clipped at kKlEpsilon
  double signal = 0.0;  // sum ref^2
  double noise = 0.0;   // sum (ref - tiny)^2
};
constexpr double kKlEpsilon = 1e-7;
SampleDivergence Divergence(const std::vector<float>& ref, const std::vector<float>& tiny,
                            bool probabilities);

// Mean squared difference of two equally long vectors (0 when empty): an autoencoder's
// reconstruction error, its anomaly score.
double MeanSquaredError(const std::vector<float>& a, const std::vector<float>& b);

// SNR in dB from pooled signal and noise energy (+inf when noise is 0).
double SnrDb(double signal, double noise);

// ROC AUC of `scores` for binary `labels` (0/1), ties counted as one half (Mann-Whitney).
// Returns 0.5 when one class is absent.
double RocAuc(const std::vector<float>& scores, const std::vector<int8_t>& labels);

// Reliability diagram over equal-width confidence bins.
class CalibrationAccumulator {
 public:
  static constexpr int kBins = 10;
  void Add(double confidence, bool correct);
  // Fills ece and calibration (empty bins are kept with count 0).
  void Finish(ModelMetrics* out) const;

 private:
  int64_t count_[kBins] = {0};
  int64_t correct_[kBins] = {0};
  double confidence_sum_[kBins] = {0};
};

}  // namespace metrics
}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_ANALYSIS_METRICS_H_
