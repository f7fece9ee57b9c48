#include "compare/gates.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "compare/analysis.h"

namespace tv {
namespace verify {

const std::vector<GateMetric>& GateMetrics() {
  static const std::vector<GateMetric> metrics = {
      {"top1_drop", "pp", "reference top-1 minus tiny top-1 (needs labels)"},
      {"top1_drop_ci_hi", "pp", "upper end of the paired 95% CI of top1_drop (needs labels)"},
      {"top5_drop", "pp", "reference top-5 minus tiny top-5 (needs labels)"},
      {"tiny_top1", "fraction", "tiny top-1 accuracy (needs labels)"},
      {"agreement", "fraction", "share of samples where both predict the same class"},
      {"kappa", "value", "Cohen's kappa between reference and tiny predictions"},
      {"mcnemar_p", "value", "exact McNemar p-value of the paired flips (needs labels)"},
      {"flips", "count", "samples the reference got right and tiny got wrong (needs labels)"},
      {"high_conf_flips", "count", "flips where tiny was wrong with confidence >= 0.9"},
      {"class_drop_max", "pp", "largest per-class recall drop (needs labels)"},
      {"ece_increase", "fraction", "tiny ECE minus reference ECE (needs labels)"},
      {"max_abs_diff", "value", "largest |ref - tiny| over all outputs"},
      {"mean_kl", "value", "mean KL(ref || tiny) per sample (classification)"},
      {"min_cosine", "value", "smallest per-sample cosine similarity of the outputs"},
      {"snr_db", "dB", "pooled output signal-to-noise ratio of tiny against ref"},
      {"mae", "value", "mean |ref - tiny| over all outputs (regression)"},
      {"rmse", "value", "root mean squared ref - tiny difference (regression)"},
      {"max_error", "value", "largest |ref - tiny| (regression)"},
      {"cosine", "value", "cosine similarity of all outputs pooled (regression)"},
      {"target_mae_increase", "value", "tiny MAE minus reference MAE against the targets"},
      {"auc_drop", "pp", "reference ROC AUC minus tiny ROC AUC (binary labels)"},
      {"input_clip", "fraction", "share of tiny input values clipped by quantization"},
      {"saturation_max", "fraction", "largest per-layer share of activations at the int max"},
  };
  return metrics;
}

Status GateValue(const VerifyResult& r, size_t v, const std::string& m, double* value) {
  const VariantResult& x = r.variants[v];
  const bool cls = r.task == TaskKind::kClassification;
  const bool labeled = cls && r.has_labels;
  auto need = [&](bool ok, const char* why) -> Status {
    if (ok) return Status::Ok();
    return Status::Error("metric '%s' %s", m.c_str(), why);
  };
  if (m == "top1_drop" || m == "top1_drop_ci_hi" || m == "top5_drop" || m == "tiny_top1" ||
      m == "mcnemar_p" || m == "flips" || m == "high_conf_flips" || m == "class_drop_max" ||
      m == "ece_increase") {
    TV_RETURN_IF_ERROR(need(labeled, "needs a classification run with labels"));
    if (m == "top1_drop") *value = x.top1_drop_pp;
    if (m == "top1_drop_ci_hi") *value = x.top1_drop_ci95_pp.hi;
    if (m == "top5_drop") *value = x.top5_drop_pp;
    if (m == "tiny_top1") *value = x.tiny.top1;
    if (m == "mcnemar_p") *value = x.mcnemar_p;
    if (m == "flips") *value = static_cast<double>(x.ref_right_tiny_wrong);
    if (m == "high_conf_flips") *value = static_cast<double>(x.high_conf_flips);
    if (m == "class_drop_max") *value = x.class_drop_max_pp;
    if (m == "ece_increase") *value = x.tiny.ece - r.ref.ece;
    return Status::Ok();
  }
  if (m == "agreement" || m == "kappa" || m == "mean_kl") {
    TV_RETURN_IF_ERROR(need(cls, "needs a classification run"));
    *value = m == "agreement" ? x.agreement : m == "kappa" ? x.kappa : x.divergence.mean_kl;
    return Status::Ok();
  }
  if (m == "max_abs_diff") return (*value = x.divergence.max_abs_diff), Status::Ok();
  if (m == "min_cosine") return (*value = x.divergence.min_cosine), Status::Ok();
  if (m == "snr_db") return (*value = x.divergence.snr_db), Status::Ok();
  if (m == "mae" || m == "rmse" || m == "max_error" || m == "cosine") {
    TV_RETURN_IF_ERROR(need(!cls, "needs a regression run"));
    const RegressionStats& g = x.regression;
    *value = m == "mae" ? g.mae : m == "rmse" ? g.rmse : m == "max_error" ? g.max_error : g.cosine;
    return Status::Ok();
  }
  if (m == "target_mae_increase") {
    TV_RETURN_IF_ERROR(need(!cls && x.regression.has_target, "needs regression targets"));
    *value = x.regression.tiny_mae_target - x.regression.ref_mae_target;
    return Status::Ok();
  }
  if (m == "auc_drop") {
    TV_RETURN_IF_ERROR(need(x.regression.has_auc, "needs binary 0/1 labels on every sample"));
    *value = x.regression.auc_drop_pp;
    return Status::Ok();
  }
  if (m == "input_clip") return (*value = x.input_clip_fraction), Status::Ok();
  if (m == "saturation_max") {
    *value = x.saturation.empty() ? 0.0 : x.saturation.front().at_max_fraction;
    return Status::Ok();
  }
  return Status::Error("unknown metric '%s' (see docs/gates.md)", m.c_str());
}

namespace {

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

Status ParseGate(const std::string& text, GateResult* g) {
  static const char* kOps[] = {"<=", ">=", "==", "<", ">"};
  size_t pos = std::string::npos;
  std::string op;
  for (const char* candidate : kOps) {
    const size_t p = text.find(candidate);
    if (p != std::string::npos) {
      pos = p;
      op = candidate;
      break;
    }
  }
  TV_CHECK_OR_RETURN(pos != std::string::npos,
                     "gate '%s': expected <metric><op><number> with op "
                     "one of <= >= < > ==",
                     text.c_str());
  g->spec = text;
  g->metric = Trim(text.substr(0, pos));
  g->op = op;
  const std::string number = Trim(text.substr(pos + op.size()));
  TV_CHECK_OR_RETURN(!g->metric.empty(), "gate '%s': missing metric name", text.c_str());
  TV_CHECK_OR_RETURN(!number.empty(), "gate '%s': missing threshold", text.c_str());
  char* end = nullptr;
  g->threshold = std::strtod(number.c_str(), &end);
  TV_CHECK_OR_RETURN(end && *end == '\0' && std::isfinite(g->threshold),
                     "gate '%s': threshold '%s' is not a number", text.c_str(), number.c_str());
  const auto& known = GateMetrics();
  const bool exists = std::any_of(known.begin(), known.end(),
                                  [&](const GateMetric& m) { return g->metric == m.name; });
  TV_CHECK_OR_RETURN(exists, "gate '%s': unknown metric '%s' (see docs/gates.md)", text.c_str(),
                     g->metric.c_str());
  return Status::Ok();
}

bool Compare(double value, const std::string& op, double threshold) {
  if (op == "<=") return value <= threshold;
  if (op == ">=") return value >= threshold;
  if (op == "<") return value < threshold;
  if (op == ">") return value > threshold;
  return value == threshold;
}

}  // namespace

Status EvaluateGates(const std::string& spec, VerifyResult* out) {
  TV_CHECK_OR_RETURN(out != nullptr, "gates: no result");
  out->gate_spec = spec;
  out->gates.clear();
  out->passed = true;
  if (Trim(spec).empty()) return Status::Ok();
  std::vector<GateResult> gates;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    if (comma == std::string::npos) comma = spec.size();
    const std::string item = Trim(spec.substr(start, comma - start));
    TV_CHECK_OR_RETURN(!item.empty(), "gate %zu in '%s' is empty", gates.size() + 1, spec.c_str());
    GateResult g;
    TV_RETURN_IF_ERROR(ParseGate(item, &g));
    for (size_t v = 0; v < out->variants.size(); ++v) {
      double value = 0.0;
      TV_RETURN_IF_ERROR(
          GateValue(*out, v, g.metric, &value).Prefixed(("gate '" + item + "'").c_str()));
      const bool ok = Compare(value, g.op, g.threshold);
      g.values.push_back(value);
      g.variant_passed.push_back(ok);
      g.passed = g.passed && ok;
    }
    gates.push_back(g);
    start = comma + 1;
  }
  out->gates = std::move(gates);
  for (const GateResult& g : out->gates) out->passed = out->passed && g.passed;
  return Status::Ok();
}

}  // namespace verify
}  // namespace tv
