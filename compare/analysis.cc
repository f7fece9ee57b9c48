// Analyzer: validates each sample, derives the reference-side facts once, and fans the
// sample out to one VariantAccumulator per tiny model.
#include "compare/analysis.h"

#include <cmath>
#include <string>

#include "compare/analysis_metrics.h"
#include "compare/analysis_profile.h"
#include "compare/analysis_variant.h"
#include "compare/verify_result.h"

namespace tv {
namespace verify {

struct Analyzer::State {
  AnalysisConfig config;
  int32_t num_variants = 0;
  bool started = false;
  int64_t last_index = -1;
  TaskKind task = TaskKind::kClassification;
  int32_t k = 0;
  size_t output_size = 0;
  RefTotals totals;
  metrics::CalibrationAccumulator ref_calibration;
  std::vector<VariantAccumulator> variants;
  std::vector<SampleRow> samples;
  bool binary_labels = true;    // every labeled sample is 0 or 1
  bool reconstruction = false;  // samples carry recon_input: scores are reconstruction errors
};

Analyzer::Analyzer(AnalysisConfig config, int32_t num_variants) : state_(new State) {
  state_->config = std::move(config);
  state_->num_variants = num_variants;
  const int64_t expected = state_->config.expected_samples;
  if (expected > 0)
    state_->samples.reserve(static_cast<size_t>(std::min<int64_t>(expected, 1 << 22)));
}

Analyzer::~Analyzer() = default;

namespace {

// Confusion tables are k x k per model; this keeps them under ~35 MB each.
constexpr int32_t kMaxClasses = 2048;

Status CheckFinite(const std::vector<float>& v, const std::string& id, const char* side) {
  for (size_t i = 0; i < v.size(); ++i) {
    TV_CHECK_OR_RETURN(std::isfinite(v[i]), "sample %s: %s output %zu is not finite", id.c_str(),
                       side, i);
  }
  return Status::Ok();
}

}  // namespace

int32_t ClassCount(const AnalysisConfig& config, const SampleOutputs& first) {
  const bool classification =
      config.task == TaskKind::kClassification ||
      (config.task == TaskKind::kAuto && first.target.empty() && first.ref.size() >= 2);
  if (!classification) return 0;
  return config.num_classes > 0 ? config.num_classes : static_cast<int32_t>(first.ref.size());
}

Status CheckClassNames(const AnalysisConfig& config, int32_t k) {
  // A names list of another length belongs to another model (or a folder lacks classes, so
  // its positional labels would be off): refuse instead of mislabelling.
  TV_CHECK_OR_RETURN(
      config.class_names.empty() || config.class_names.size() == static_cast<size_t>(k),
      "%s: %zu class names, but the model has %d classes (outputs); class "
      "subfolders may be named by class number instead, or by --class-names",
      config.class_names_source.c_str(), config.class_names.size(), k);
  return Status::Ok();
}

Status Analyzer::Add(const SampleOutputs& s) {
  State& st = *state_;
  const char* id = s.id.c_str();
  TV_CHECK_OR_RETURN(st.num_variants >= 1, "verify needs at least one tiny model");
  TV_CHECK_OR_RETURN(s.index > st.last_index, "sample %s: index %lld arrived out of order", id,
                     static_cast<long long>(s.index));
  TV_CHECK_OR_RETURN(static_cast<int32_t>(s.tiny.size()) == st.num_variants,
                     "sample %s: %zu tiny outputs, expected %d", id, s.tiny.size(),
                     st.num_variants);
  TV_CHECK_OR_RETURN(!s.ref.empty(), "sample %s: the reference output is empty", id);
  if (!st.started) {
    st.output_size = s.ref.size();
    st.k = ClassCount(st.config, s);
    st.task = st.k > 0 ? TaskKind::kClassification : TaskKind::kRegression;
    if (st.task == TaskKind::kClassification) {
      TV_CHECK_OR_RETURN(static_cast<size_t>(st.k) == s.ref.size(),
                         "sample %s: output has %zu values but %d classes were given", id,
                         s.ref.size(), st.k);
      TV_RETURN_IF_ERROR(CheckClassNames(st.config, st.k));
      TV_CHECK_OR_RETURN(st.k <= kMaxClasses,
                         "sample %s: %d classes is more than the %d the confusion tables support",
                         id, st.k, kMaxClasses);
    }
    const size_t kk = static_cast<size_t>(st.k);
    st.totals.confusion.assign(kk * kk, 0);
    st.totals.support.assign(kk, 0);
    for (int32_t v = 0; v < st.num_variants; ++v)
      st.variants.emplace_back(st.config, st.task, st.k);
    st.reconstruction = !s.recon_input.empty();
    st.started = true;
  }
  TV_CHECK_OR_RETURN(s.ref.size() == st.output_size,
                     "sample %s: reference output has %zu values, earlier samples had %zu", id,
                     s.ref.size(), st.output_size);
  for (const auto& t : s.tiny) {
    TV_CHECK_OR_RETURN(t.size() == st.output_size,
                       "sample %s: tiny output has %zu values, the reference has %zu", id, t.size(),
                       st.output_size);
    TV_RETURN_IF_ERROR(CheckFinite(t, s.id, "tiny"));
  }
  TV_RETURN_IF_ERROR(CheckFinite(s.ref, s.id, "reference"));
  TV_CHECK_OR_RETURN(s.recon_input.empty() == !st.reconstruction &&
                         (s.recon_input.empty() || s.recon_input.size() == st.output_size),
                     "sample %s: reconstruction input has %zu values, the output has %zu", id,
                     s.recon_input.size(), st.output_size);
  TV_CHECK_OR_RETURN(s.target.empty() || s.target.size() == st.output_size,
                     "sample %s: target has %zu values, the output has %zu", id, s.target.size(),
                     st.output_size);
  if (st.task == TaskKind::kClassification) {
    TV_CHECK_OR_RETURN(s.label < st.k, "sample %s: label %lld is outside the %d classes", id,
                       static_cast<long long>(s.label), st.k);
  }
  st.last_index = s.index;
  if (s.label > 1) st.binary_labels = false;

  SampleRow row;
  row.id = s.id;
  row.label = s.label;
  row.tiny.resize(s.tiny.size());
  ++st.totals.n;
  if (st.task == TaskKind::kClassification) {
    RefSample ref;
    ref.pred = metrics::ArgMax(s.ref);
    ref.conf = s.ref[static_cast<size_t>(ref.pred)];
    ref.margin = metrics::TopMargin(s.ref);
    ref.labeled = s.label >= 0;
    ref.right = ref.labeled && ref.pred == s.label;
    auto tags = st.config.slices.find(s.id);
    if (tags != st.config.slices.end()) ref.tags = &tags->second;
    if (ref.labeled) {
      ++st.totals.labeled;
      if (ref.right) ++st.totals.correct1;
      if (metrics::InTopK(s.ref, s.label, 5)) ++st.totals.correct5;
      st.totals.support[static_cast<size_t>(s.label)]++;
      st.totals.confusion[static_cast<size_t>(s.label) * st.k + ref.pred]++;
      st.ref_calibration.Add(ref.conf, ref.right);
    }
    row.ref_pred = ref.pred;
    row.ref_conf = static_cast<float>(ref.conf);
    row.ref_score = s.ref.size() == 2 ? s.ref[1] : 0.0f;
    for (size_t v = 0; v < s.tiny.size(); ++v) {
      st.variants[v].AddClassification(s, ref, s.tiny[v], &row.tiny[v]);
    }
  } else {
    if (s.label >= 0) ++st.totals.labeled;
    row.ref_score = st.reconstruction
                        ? static_cast<float>(metrics::MeanSquaredError(s.ref, s.recon_input))
                        : s.ref.back();
    for (size_t v = 0; v < s.tiny.size(); ++v) {
      st.variants[v].AddRegression(s, s.tiny[v], &row.tiny[v]);
    }
  }
  st.samples.push_back(std::move(row));
  return Status::Ok();
}

namespace {

// ROC AUC of both sides when every sample carries a 0/1 label and the output is one score, two
// probabilities, or a reconstruction (score = reconstruction error).
void FillAuc(const std::vector<SampleRow>& samples, size_t output_size, bool reconstruction,
             VerifyResult* out) {
  if (output_size > 2 && !reconstruction) return;
  std::vector<int8_t> labels;
  std::vector<float> ref_scores;
  for (const SampleRow& r : samples) {
    if (r.label < 0 || r.label > 1) return;
    labels.push_back(static_cast<int8_t>(r.label));
    ref_scores.push_back(r.ref_score);
  }
  const double ref_auc = metrics::RocAuc(ref_scores, labels);
  for (size_t v = 0; v < out->variants.size(); ++v) {
    std::vector<float> tiny_scores;
    tiny_scores.reserve(samples.size());
    for (const SampleRow& r : samples) tiny_scores.push_back(r.tiny[v].score);
    RegressionStats& reg = out->variants[v].regression;
    reg.has_auc = true;
    reg.ref_auc = ref_auc;
    reg.tiny_auc = metrics::RocAuc(tiny_scores, labels);
    reg.auc_drop_pp = (reg.ref_auc - reg.tiny_auc) * 100.0;
  }
}

}  // namespace

Status Analyzer::Finish(const VerifySetup& setup, VerifyResult* out) {
  State& st = *state_;
  TV_CHECK_OR_RETURN(out != nullptr, "verify: no result to fill");
  TV_CHECK_OR_RETURN(st.started && st.totals.n > 0, "verify: the dataset produced no samples");
  *out = VerifyResult();
  out->task = st.task;
  out->n = st.totals.n;
  out->num_classes = st.k;
  out->has_labels = st.totals.labeled > 0;
  out->setup = setup;
  out->config = st.config;
  out->config.slices.clear();  // per-sample tags are summarized in the slices instead
  for (int32_t c = 0; c < st.k; ++c) {
    const size_t i = static_cast<size_t>(c);
    out->class_names.push_back(i < st.config.class_names.size() && !st.config.class_names[i].empty()
                                   ? st.config.class_names[i]
                                   : std::to_string(c));
  }
  if (st.task == TaskKind::kClassification) {
    const int64_t labeled = st.totals.labeled;
    out->ref.top1 = labeled ? static_cast<double>(st.totals.correct1) / labeled : 0.0;
    out->ref.top1_ci95 = stats::Wilson(st.totals.correct1, labeled);
    out->ref.top5 = labeled ? static_cast<double>(st.totals.correct5) / labeled : 0.0;
    st.ref_calibration.Finish(&out->ref);
    out->ref_confusion = st.totals.confusion;
  }
  out->ref_compression = BuildCompressionProfile(setup.ref.info);
  for (size_t v = 0; v < st.variants.size(); ++v) {
    VariantResult vr;
    if (v < setup.tiny.size() && !setup.tiny[v].name.empty()) {
      vr.name = setup.tiny[v].name;
    } else {
      vr.name = st.variants.size() == 1 ? "tiny" : "tiny" + std::to_string(v + 1);
    }
    st.variants[v].Finish(st.totals, &vr);
    for (ClassStats& cs : vr.per_class) cs.name = out->class_names[static_cast<size_t>(cs.cls)];
    if (v < setup.tiny.size()) FillSaturation(setup.tiny[v], &vr);
    if (v < setup.tiny.size()) vr.compression = BuildCompressionProfile(setup.tiny[v].info);
    out->variants.push_back(std::move(vr));
  }
  if (st.binary_labels && st.totals.labeled == st.totals.n) {
    FillAuc(st.samples, st.output_size, st.reconstruction, out);
  }
  out->samples = std::move(st.samples);
  st.samples.clear();
  return Status::Ok();
}

}  // namespace verify
}  // namespace tv
