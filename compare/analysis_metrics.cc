#include "compare/analysis_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace tv {
namespace verify {
namespace metrics {

int32_t ArgMax(const std::vector<float>& v) {
  if (v.empty()) return -1;
  return static_cast<int32_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

bool InTopK(const std::vector<float>& v, int64_t label, int k) {
  if (label < 0 || label >= static_cast<int64_t>(v.size())) return false;
  const float x = v[static_cast<size_t>(label)];
  // Rank of `label` = values strictly greater, plus equal values that come before it.
  int64_t ahead = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] > x || (v[i] == x && static_cast<int64_t>(i) < label)) ++ahead;
  }
  return ahead < k;
}

double TopMargin(const std::vector<float>& v) {
  if (v.empty()) return 0.0;
  double first = -std::numeric_limits<double>::infinity(), second = first;
  for (float f : v) {
    if (f > first) {
      second = first;
      first = f;
    } else if (f > second) {
      second = f;
    }
  }
  if (v.size() == 1) return first;
  return first - second;
}

SampleDivergence Divergence(const std::vector<float>& ref, const std::vector<float>& tiny,
                            bool probabilities) {
  SampleDivergence d;
  double dot = 0.0, ref_norm = 0.0, tiny_norm = 0.0;
  for (size_t i = 0; i < ref.size(); ++i) {
    const double r = ref[i], t = tiny[i], diff = r - t;
    d.max_abs_diff = std::max(d.max_abs_diff, std::fabs(diff));
    dot += r * t;
    ref_norm += r * r;
    tiny_norm += t * t;
    d.noise += diff * diff;
  }
  if (probabilities) {
    // Both rows renormalised first: dequantized int8 probabilities rarely sum to exactly 1,
    // and an unnormalised KL can go negative.
    double ref_sum = 0.0, tiny_sum = 0.0;
    for (size_t i = 0; i < ref.size(); ++i) {
      ref_sum += std::max(0.0, static_cast<double>(ref[i]));
      tiny_sum += std::max(static_cast<double>(tiny[i]), kKlEpsilon);
    }
    for (size_t i = 0; i < ref.size() && ref_sum > 0.0; ++i) {
      const double p = std::max(0.0, static_cast<double>(ref[i])) / ref_sum;
      const double q = std::max(static_cast<double>(tiny[i]), kKlEpsilon) / tiny_sum;
      if (p > 0.0) d.kl += p * std::log(p / q);
    }
  }
  d.signal = ref_norm;
  if (ref_norm == 0.0 && tiny_norm == 0.0) {
    d.cosine = 1.0;
  } else if (ref_norm == 0.0 || tiny_norm == 0.0) {
    d.cosine = 0.0;
  } else {
    d.cosine = dot / (std::sqrt(ref_norm) * std::sqrt(tiny_norm));
  }
  return d;
}

double MeanSquaredError(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0.0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const double d = static_cast<double>(a[i]) - b[i];
    sum += d * d;
  }
  return a.empty() ? 0.0 : sum / static_cast<double>(a.size());
}

double SnrDb(double signal, double noise) {
  if (noise == 0.0) return std::numeric_limits<double>::infinity();
  if (signal == 0.0) return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal / noise);
}

double RocAuc(const std::vector<float>& scores, const std::vector<int8_t>& labels) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  // Sum of positive ranks with average ranks over ties.
  double positive_rank_sum = 0.0;
  int64_t positives = 0, negatives = 0;
  size_t i = 0;
  while (i < order.size()) {
    size_t j = i;
    while (j + 1 < order.size() && scores[order[j + 1]] == scores[order[i]]) ++j;
    const double average_rank = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (size_t t = i; t <= j; ++t) {
      if (labels[order[t]]) {
        positive_rank_sum += average_rank;
        ++positives;
      } else {
        ++negatives;
      }
    }
    i = j + 1;
  }
  if (positives == 0 || negatives == 0) return 0.5;
  const double p = static_cast<double>(positives), q = static_cast<double>(negatives);
  return (positive_rank_sum - p * (p + 1.0) / 2.0) / (p * q);
}

void CalibrationAccumulator::Add(double confidence, bool correct) {
  int bin = static_cast<int>(confidence * kBins);
  bin = std::min(kBins - 1, std::max(0, bin));
  ++count_[bin];
  if (correct) ++correct_[bin];
  confidence_sum_[bin] += confidence;
}

void CalibrationAccumulator::Finish(ModelMetrics* out) const {
  int64_t total = 0;
  for (int b = 0; b < kBins; ++b) total += count_[b];
  out->calibration.clear();
  out->ece = 0.0;
  for (int b = 0; b < kBins; ++b) {
    CalibrationBin bin;
    bin.lo = static_cast<double>(b) / kBins;
    bin.hi = static_cast<double>(b + 1) / kBins;
    bin.count = count_[b];
    if (count_[b] > 0) {
      const double c = static_cast<double>(count_[b]);
      bin.mean_confidence = confidence_sum_[b] / c;
      bin.accuracy = static_cast<double>(correct_[b]) / c;
      out->ece += c / static_cast<double>(total) * std::fabs(bin.accuracy - bin.mean_confidence);
    }
    out->calibration.push_back(bin);
  }
}

}  // namespace metrics
}  // namespace verify
}  // namespace tv
