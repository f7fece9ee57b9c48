#include "compare/analysis_variant.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "compare/analysis_metrics.h"
#include "compare/stats.h"
#include "compare/thumbnail.h"

namespace tv {
namespace verify {
namespace {

// Worst-N ranking: flips that the reference got right first, then any disagreement, then
// the divergence itself.
constexpr double kFlipScore = 20.0;
constexpr double kDisagreeScore = 10.0;

bool HeapOrder(const WorstSample& a, const WorstSample& b) { return a.score > b.score; }

double Rate(int64_t k, int64_t n) {
  return n > 0 ? static_cast<double>(k) / static_cast<double>(n) : 0.0;
}

}  // namespace

const std::vector<double>& MarginEdges() {
  static const std::vector<double> edges = {0.0, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0};
  return edges;
}

VariantAccumulator::VariantAccumulator(const AnalysisConfig& config, TaskKind task,
                                       int32_t num_classes)
    : config_(config),
      task_(task),
      k_(num_classes),
      confusion_(static_cast<size_t>(num_classes) * static_cast<size_t>(num_classes), 0),
      disagreement_(confusion_.size(), 0),
      agree_by_label_(static_cast<size_t>(num_classes), 0),
      margin_count_(MarginEdges().size() - 1, 0),
      margin_disagree_(MarginEdges().size() - 1, 0),
      min_snr_db_(std::numeric_limits<double>::infinity()) {
  config_.slices.clear();  // the Analyzer resolves tags; no need for a per-variant copy
}

void VariantAccumulator::AddDivergence(const SampleOutputs& s, const std::vector<float>& tiny,
                                       bool probabilities, SampleRow::Tiny* row) {
  const metrics::SampleDivergence d = metrics::Divergence(s.ref, tiny, probabilities);
  ++samples_;
  max_abs_ = std::max(max_abs_, d.max_abs_diff);
  sum_max_abs_ += d.max_abs_diff;
  sum_cosine_ += d.cosine;
  min_cosine_ = std::min(min_cosine_, d.cosine);
  sum_kl_ += d.kl;
  max_kl_ = std::max(max_kl_, d.kl);
  signal_ += d.signal;
  noise_ += d.noise;
  min_snr_db_ = std::min(min_snr_db_, metrics::SnrDb(d.signal, d.noise));
  row->max_abs_diff = static_cast<float>(d.max_abs_diff);
  row->kl = static_cast<float>(d.kl);
}

void VariantAccumulator::OfferWorst(const SampleOutputs& s, const WorstSample& w) {
  const size_t limit = static_cast<size_t>(std::max(0, config_.worst_n));
  if (limit == 0) return;
  if (worst_.size() == limit && w.score <= worst_.front().score) return;
  if (worst_.size() == limit) {
    std::pop_heap(worst_.begin(), worst_.end(), HeapOrder);
    worst_.pop_back();
  }
  worst_.push_back(w);
  // Made or copied only for samples that make the list.
  if (!s.thumbnail.pixels.empty()) {
    worst_.back().thumbnail = s.thumbnail;
  } else if (s.image != nullptr) {
    MakeThumbnail(*s.image, kThumbnailSide, &worst_.back().thumbnail);
  }
  std::push_heap(worst_.begin(), worst_.end(), HeapOrder);
}

void VariantAccumulator::AddClassification(const SampleOutputs& s, const RefSample& ref,
                                           const std::vector<float>& tiny, SampleRow::Tiny* row) {
  AddDivergence(s, tiny, /*probabilities=*/true, row);
  const int32_t pred = metrics::ArgMax(tiny);
  const double conf = tiny[static_cast<size_t>(pred)];
  row->pred = pred;
  row->conf = static_cast<float>(conf);
  row->score = tiny.size() == 2 ? tiny[1] : 0.0f;
  const bool agree = pred == ref.pred;
  if (agree) ++agree_;
  disagreement_[static_cast<size_t>(ref.pred) * k_ + pred]++;
  for (size_t b = 0; b + 1 < MarginEdges().size(); ++b) {
    if (ref.margin < MarginEdges()[b + 1] || b + 2 == MarginEdges().size()) {
      ++margin_count_[b];
      if (!agree) ++margin_disagree_[b];
      break;
    }
  }
  bool right = false;
  if (ref.labeled) {
    const size_t label = static_cast<size_t>(s.label);
    right = pred == s.label;
    if (right) ++correct1_;
    if (metrics::InTopK(tiny, s.label, 5)) ++correct5_;
    confusion_[label * k_ + pred]++;
    if (agree) ++agree_by_label_[label];
    calibration_.Add(conf, right);
    if (ref.right && !right) {
      ++ref_right_tiny_wrong_;
      rrtw_ids_.push_back(s.id);
      if (conf >= config_.high_conf_threshold) high_conf_ids_.push_back(s.id);
    } else if (!ref.right && right) {
      ++ref_wrong_tiny_right_;
      rwtr_ids_.push_back(s.id);
    }
  }
  if (ref.tags) {
    for (const std::string& tag : *ref.tags) {
      SliceCounts& c = slices_[tag];
      ++c.count;
      if (ref.labeled) ++c.labeled;
      if (ref.right) ++c.ref_right;
      if (right) ++c.tiny_right;
      if (agree) ++c.agree;
    }
  }
  WorstSample w;
  w.index = s.index;
  w.id = s.id;
  w.label = s.label;
  w.ref_pred = ref.pred;
  w.tiny_pred = pred;
  w.ref_conf = ref.conf;
  w.tiny_conf = conf;
  w.max_abs_diff = row->max_abs_diff;
  w.kl = row->kl;
  w.score = w.kl + (agree ? 0.0 : kDisagreeScore) + (ref.right && !right ? kFlipScore : 0.0);
  OfferWorst(s, w);
}

void VariantAccumulator::AddRegression(const SampleOutputs& s, const std::vector<float>& tiny,
                                       SampleRow::Tiny* row) {
  AddDivergence(s, tiny, /*probabilities=*/false, row);
  row->score = !s.recon_input.empty()
                   ? static_cast<float>(metrics::MeanSquaredError(tiny, s.recon_input))
               : tiny.empty() ? 0.0f
                              : tiny.back();
  for (size_t i = 0; i < tiny.size(); ++i) {
    const double r = s.ref[i], t = tiny[i], d = r - t;
    sum_abs_ += std::fabs(d);
    sum_sq_ += d * d;
    dot_ += r * t;
    ref_sq_ += r * r;
    tiny_sq_ += t * t;
  }
  values_ += static_cast<int64_t>(tiny.size());
  if (!s.target.empty()) {
    for (size_t i = 0; i < tiny.size(); ++i) {
      const double y = s.target[i], dr = s.ref[i] - y, dt = tiny[i] - y;
      ref_target_abs_ += std::fabs(dr);
      tiny_target_abs_ += std::fabs(dt);
      ref_target_sq_ += dr * dr;
      tiny_target_sq_ += dt * dt;
    }
    target_values_ += static_cast<int64_t>(tiny.size());
  }
  WorstSample w;
  w.index = s.index;
  w.id = s.id;
  w.label = s.label;
  w.max_abs_diff = row->max_abs_diff;
  w.score = w.max_abs_diff;
  OfferWorst(s, w);
}

void VariantAccumulator::Finish(const RefTotals& totals, VariantResult* out) const {
  DivergenceStats& d = out->divergence;
  const double n = static_cast<double>(std::max<int64_t>(1, samples_));
  d.max_abs_diff = max_abs_;
  d.mean_max_abs_diff = sum_max_abs_ / n;
  d.mean_cosine = samples_ > 0 ? sum_cosine_ / n : 1.0;
  d.min_cosine = min_cosine_;
  d.mean_kl = sum_kl_ / n;
  d.max_kl = max_kl_;
  d.snr_db = metrics::SnrDb(signal_, noise_);
  d.min_snr_db = min_snr_db_;
  out->worst = worst_;
  std::sort(out->worst.begin(), out->worst.end(), [](const WorstSample& a, const WorstSample& b) {
    return a.score != b.score ? a.score > b.score : a.index < b.index;
  });
  if (task_ == TaskKind::kClassification) {
    FinishClassification(totals, out);
  } else {
    FinishRegression(out);
  }
}

void VariantAccumulator::FinishRegression(VariantResult* out) const {
  RegressionStats& r = out->regression;
  const double v = static_cast<double>(std::max<int64_t>(1, values_));
  r.mae = sum_abs_ / v;
  r.rmse = std::sqrt(sum_sq_ / v);
  r.max_error = max_abs_;
  r.cosine = (ref_sq_ == 0.0 && tiny_sq_ == 0.0) ? 1.0
             : (ref_sq_ == 0.0 || tiny_sq_ == 0.0)
                 ? 0.0
                 : dot_ / (std::sqrt(ref_sq_) * std::sqrt(tiny_sq_));
  r.has_target = target_values_ > 0;
  if (r.has_target) {
    const double t = static_cast<double>(target_values_);
    r.ref_mae_target = ref_target_abs_ / t;
    r.tiny_mae_target = tiny_target_abs_ / t;
    r.ref_rmse_target = std::sqrt(ref_target_sq_ / t);
    r.tiny_rmse_target = std::sqrt(tiny_target_sq_ / t);
  }
}

void VariantAccumulator::FinishClassification(const RefTotals& totals, VariantResult* out) const {
  const int64_t labeled = totals.labeled;
  out->tiny.top1 = Rate(correct1_, labeled);
  out->tiny.top1_ci95 = stats::Wilson(correct1_, labeled);
  out->tiny.top5 = Rate(correct5_, labeled);
  calibration_.Finish(&out->tiny);
  stats::Interval drop_ci;
  const double drop =
      stats::PairedDifference(ref_right_tiny_wrong_, ref_wrong_tiny_right_, labeled, &drop_ci);
  out->top1_drop_pp = drop * 100.0;
  out->top1_drop_ci95_pp = {drop_ci.lo * 100.0, drop_ci.hi * 100.0};
  out->top5_drop_pp = (Rate(totals.correct5, labeled) - out->tiny.top5) * 100.0;
  out->agreement = Rate(agree_, totals.n);
  out->agreement_ci95 = stats::Wilson(agree_, totals.n);
  out->mcnemar_p = stats::McNemarExact(ref_right_tiny_wrong_, ref_wrong_tiny_right_);
  out->kappa = stats::CohenKappa(disagreement_, k_);
  out->ref_right_tiny_wrong = ref_right_tiny_wrong_;
  out->ref_wrong_tiny_right = ref_wrong_tiny_right_;
  out->ref_right_tiny_wrong_ids = rrtw_ids_;
  out->ref_wrong_tiny_right_ids = rwtr_ids_;
  out->high_conf_flips = static_cast<int64_t>(high_conf_ids_.size());
  out->high_conf_flip_ids = high_conf_ids_;
  out->tiny_confusion = confusion_;
  out->disagreement_confusion = disagreement_;

  // Per class, and the rare-class slice built from the same counters.
  const size_t k = static_cast<size_t>(k_);
  SliceCounts rare;
  out->class_drop_max_pp = 0.0;
  for (size_t c = 0; c < k; ++c) {
    ClassStats cs;
    cs.cls = static_cast<int32_t>(c);
    cs.support = totals.support[c];
    int64_t ref_predicted = 0, tiny_predicted = 0;
    for (size_t l = 0; l < k; ++l) {
      ref_predicted += totals.confusion[l * k + c];
      tiny_predicted += confusion_[l * k + c];
    }
    const int64_t ref_hit = totals.confusion[c * k + c], tiny_hit = confusion_[c * k + c];
    cs.ref_recall = Rate(ref_hit, cs.support);
    cs.tiny_recall = Rate(tiny_hit, cs.support);
    cs.ref_precision = Rate(ref_hit, ref_predicted);
    cs.tiny_precision = Rate(tiny_hit, tiny_predicted);
    cs.recall_drop_pp = (cs.ref_recall - cs.tiny_recall) * 100.0;
    cs.agreement = Rate(agree_by_label_[c], cs.support);
    cs.rare = cs.support > 0 && static_cast<double>(cs.support) <
                                    config_.rare_class_fraction * static_cast<double>(labeled);
    if (cs.support > 0)
      out->class_drop_max_pp = std::max(out->class_drop_max_pp, cs.recall_drop_pp);
    if (cs.rare) {
      rare.count += cs.support;
      rare.labeled += cs.support;
      rare.ref_right += ref_hit;
      rare.tiny_right += tiny_hit;
      rare.agree += agree_by_label_[c];
    }
    out->per_class.push_back(cs);
  }

  // Most confused pairs: off-diagonal cells ranked by the larger of the two counts.
  std::vector<ConfusedPair> pairs;
  for (size_t l = 0; l < k; ++l) {
    for (size_t p = 0; p < k; ++p) {
      if (l == p) continue;
      const int64_t rc = totals.confusion[l * k + p], tc = confusion_[l * k + p];
      if (rc == 0 && tc == 0) continue;
      pairs.push_back({static_cast<int32_t>(l), static_cast<int32_t>(p), rc, tc});
    }
  }
  std::sort(pairs.begin(), pairs.end(), [](const ConfusedPair& a, const ConfusedPair& b) {
    const int64_t ma = std::max(a.ref_count, a.tiny_count),
                  mb = std::max(b.ref_count, b.tiny_count);
    if (ma != mb) return ma > mb;
    return (a.tiny_count - a.ref_count) > (b.tiny_count - b.ref_count);
  });
  if (pairs.size() > 10) pairs.resize(10);
  out->confused_pairs = pairs;

  for (size_t b = 0; b < margin_count_.size(); ++b) {
    out->margin_buckets.push_back(
        {MarginEdges()[b], MarginEdges()[b + 1], margin_count_[b], margin_disagree_[b]});
  }

  auto to_slice = [](const std::string& name, const SliceCounts& c) {
    SliceStats s;
    s.name = name;
    s.count = c.count;
    s.ref_top1 = Rate(c.ref_right, c.labeled);  // accuracy over the labeled part only
    s.tiny_top1 = Rate(c.tiny_right, c.labeled);
    s.top1_drop_pp = (s.ref_top1 - s.tiny_top1) * 100.0;
    s.agreement = Rate(c.agree, c.count);
    return s;
  };
  if (rare.count > 0) out->slices.push_back(to_slice("rare_classes", rare));
  for (const auto& [name, counts] : slices_) out->slices.push_back(to_slice(name, counts));
}

}  // namespace verify
}  // namespace tv
