// report.json, schema tinyverify.report/1 (docs/report-schema.md). Non-finite numbers are
// written as null; metrics that do not apply to the run (accuracy without labels, regression
// errors on a classification run) are null too, so the keys are always present.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "reports/format.h"
#include "reports/report_writer.h"

namespace tv {
namespace reports {
namespace {

using Json = nlohmann::ordered_json;
using namespace verify;

Json Num(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }
Json Ci(const stats::Interval& i) { return Json::array({Num(i.lo), Num(i.hi)}); }

Json CompressionJson(const CompressionProfile& p) {
  Json j;
  j["format"] = p.format;
  j["file_bytes"] = p.file_bytes;
  j["parameters"] = p.parameters;
  j["weight_bytes"] = p.weight_bytes;
  j["arena_bytes"] = p.arena_bytes;
  j["macs"] = p.macs;
  j["sparsity"] = Num(p.sparsity);
  j["huffman_bytes"] = p.huffman_bytes ? Json(p.huffman_bytes) : Json(nullptr);
  Json tensors = Json::array();
  for (const auto& t : p.tensors) {
    tensors.push_back(
        {{"name", t.name},
         {"elements", t.elements},
         {"bytes", t.bytes},
         {"sparsity", Num(t.sparsity)},
         {"unique_values", t.unique_values},
         {"huffman_bits_per_weight",
          t.huffman_bits_per_weight > 0 ? Num(t.huffman_bits_per_weight) : Json(nullptr)}});
  }
  j["tensors"] = tensors;
  return j;
}

// Device targets only (null on the host): what the QEMU run measured.
Json DeviceJson(const DeviceStats& d) {
  if (d.target.empty()) return nullptr;
  Json j = {{"target", d.target},
            {"qemu_machine", d.machine},
            {"flash_bytes", d.model_bytes + d.code_bytes},
            {"flash_weights_bytes", d.model_bytes},
            {"flash_code_bytes", d.code_bytes},
            {"flash_budget_bytes", d.flash_budget},
            {"arena_bytes", d.arena_bytes},
            {"op_data_bytes", d.persistent_bytes},
            {"static_ram_bytes", d.static_ram_bytes},
            {"stack_high_water_bytes", d.stack_peak_bytes},
            {"ram_budget_bytes", d.ram_budget},
            {"samples", d.samples},
            {"qemu_boots", d.boots},
            {"qemu_seconds", Num(d.qemu_seconds)},
            {"clock_mhz", Num(d.clock_mhz)},
            {"instructions_per_inference", nullptr},
            {"estimated_latency_ms", nullptr}};
  if (!d.instructions.empty()) {
    double sum = 0;
    uint64_t lo = d.instructions[0], hi = d.instructions[0];
    for (uint64_t n : d.instructions) {
      sum += static_cast<double>(n);
      lo = std::min(lo, n);
      hi = std::max(hi, n);
    }
    const double mean = sum / static_cast<double>(d.instructions.size());
    j["instructions_per_inference"] = {{"min", lo}, {"max", hi}, {"mean", Num(mean)}};
    j["estimated_latency_ms"] = Num(mean / (d.clock_mhz * 1e3));
  }
  return j;
}

Json ModelJson(const ModelSetup& m, const CompressionProfile& p) {
  return {{"path", m.path},
          {"name", m.name},
          {"target", m.target},
          {"kernels", m.kernels},
          {"device", DeviceJson(m.device)},
          {"compression", CompressionJson(p)}};
}

Json MetricsJson(const ModelMetrics& m, bool accuracy) {
  Json j;
  j["top1"] = accuracy ? Num(m.top1) : Json(nullptr);
  j["top1_ci95"] = accuracy ? Ci(m.top1_ci95) : Json(nullptr);
  j["top5"] = accuracy ? Num(m.top5) : Json(nullptr);
  j["ece"] = accuracy ? Num(m.ece) : Json(nullptr);
  Json bins = Json::array();
  if (accuracy) {
    for (const auto& b : m.calibration) {
      bins.push_back({{"lo", b.lo},
                      {"hi", b.hi},
                      {"count", b.count},
                      {"mean_confidence", Num(b.mean_confidence)},
                      {"accuracy", Num(b.accuracy)}});
    }
  }
  j["calibration"] = bins;
  return j;
}

Json PairedJson(const VerifyResult& r, const VariantResult& v) {
  const bool acc = HasAccuracy(r);
  const bool cls = r.task == TaskKind::kClassification;
  auto a = [&](double x) { return acc ? Num(x) : Json(nullptr); };
  Json j;
  j["top1_drop_pp"] = a(v.top1_drop_pp);
  j["top1_drop_ci95_pp"] = acc ? Ci(v.top1_drop_ci95_pp) : Json(nullptr);
  j["top5_drop_pp"] = a(v.top5_drop_pp);
  j["agreement"] = cls ? Num(v.agreement) : Json(nullptr);
  j["agreement_ci95"] = cls ? Ci(v.agreement_ci95) : Json(nullptr);
  j["mcnemar_p"] = a(v.mcnemar_p);
  j["kappa"] = cls ? Num(v.kappa) : Json(nullptr);
  j["flips"] = {{"ref_right_tiny_wrong", v.ref_right_tiny_wrong},
                {"ref_wrong_tiny_right", v.ref_wrong_tiny_right}};
  j["flip_ids"] = {{"ref_right_tiny_wrong", v.ref_right_tiny_wrong_ids},
                   {"ref_wrong_tiny_right", v.ref_wrong_tiny_right_ids}};
  j["high_conf_flips"] = v.high_conf_flips;
  j["high_conf_flip_ids"] = v.high_conf_flip_ids;
  j["class_drop_max_pp"] = a(v.class_drop_max_pp);
  return j;
}

Json PerClassJson(const VariantResult& v) {
  Json arr = Json::array();
  for (const auto& c : v.per_class) {
    arr.push_back({{"class", c.cls},
                   {"name", c.name},
                   {"support", c.support},
                   {"rare", c.rare},
                   {"ref_recall", Num(c.ref_recall)},
                   {"tiny_recall", Num(c.tiny_recall)},
                   {"recall_drop_pp", Num(c.recall_drop_pp)},
                   {"ref_precision", Num(c.ref_precision)},
                   {"tiny_precision", Num(c.tiny_precision)},
                   {"agreement", Num(c.agreement)}});
  }
  return arr;
}

Json DivergenceJson(const DivergenceStats& d) {
  return {{"max_abs_diff", Num(d.max_abs_diff)},
          {"mean_max_abs_diff", Num(d.mean_max_abs_diff)},
          {"mean_cosine", Num(d.mean_cosine)},
          {"min_cosine", Num(d.min_cosine)},
          {"mean_kl", Num(d.mean_kl)},
          {"max_kl", Num(d.max_kl)},
          {"snr_db", Num(d.snr_db)},
          {"min_snr_db", Num(d.min_snr_db)}};
}

Json RegressionJson(const VerifyResult& r, const RegressionStats& g) {
  const bool reg = r.task == TaskKind::kRegression;
  auto rv = [&](double x) { return reg ? Num(x) : Json(nullptr); };
  auto tv = [&](double x) { return reg && g.has_target ? Num(x) : Json(nullptr); };
  auto av = [&](double x) { return g.has_auc ? Num(x) : Json(nullptr); };
  return {{"mae", rv(g.mae)},
          {"rmse", rv(g.rmse)},
          {"max_error", rv(g.max_error)},
          {"cosine", rv(g.cosine)},
          {"ref_mae_target", tv(g.ref_mae_target)},
          {"tiny_mae_target", tv(g.tiny_mae_target)},
          {"ref_rmse_target", tv(g.ref_rmse_target)},
          {"tiny_rmse_target", tv(g.tiny_rmse_target)},
          {"ref_auc", av(g.ref_auc)},
          {"tiny_auc", av(g.tiny_auc)},
          {"auc_drop_pp", av(g.auc_drop_pp)}};
}

Json VariantJson(const VerifyResult& r, size_t index) {
  const VariantResult& v = r.variants[index];
  Json j;
  j["index"] = index;
  j["name"] = v.name;
  j["tiny"] = MetricsJson(v.tiny, HasAccuracy(r));
  j["paired"] = PairedJson(r, v);
  j["per_class"] = PerClassJson(v);
  j["divergence"] = DivergenceJson(v.divergence);
  j["regression"] = RegressionJson(r, v.regression);
  Json slices = Json::array();
  for (const auto& s : v.slices) {
    slices.push_back({{"name", s.name},
                      {"count", s.count},
                      {"ref_top1", Num(s.ref_top1)},
                      {"tiny_top1", Num(s.tiny_top1)},
                      {"top1_drop_pp", Num(s.top1_drop_pp)},
                      {"agreement", Num(s.agreement)}});
  }
  j["slices"] = slices;
  Json margins = Json::array();
  for (const auto& m : v.margin_buckets) {
    margins.push_back({{"lo", m.lo}, {"hi", m.hi}, {"count", m.count}, {"disagree", m.disagree}});
  }
  j["margin_buckets"] = margins;
  Json pairs = Json::array();
  for (const auto& p : v.confused_pairs) {
    pairs.push_back({{"label", p.label},
                     {"predicted", p.predicted},
                     {"ref_count", p.ref_count},
                     {"tiny_count", p.tiny_count}});
  }
  j["confused_pairs"] = pairs;
  j["confusion"] = {{"label_x_tiny", v.tiny_confusion}, {"ref_x_tiny", v.disagreement_confusion}};
  j["input_clip_fraction"] = Num(v.input_clip_fraction);
  Json sat = Json::array();
  for (const auto& s : v.saturation) {
    sat.push_back({{"tensor", s.tensor},
                   {"op", s.op},
                   {"values", s.values},
                   {"pinned_fraction", Num(s.pinned_fraction)},
                   {"at_max_fraction", Num(s.at_max_fraction)},
                   {"at_min_fraction", Num(s.at_min_fraction)}});
  }
  j["saturation"] = sat;
  Json worst = Json::array();
  for (const auto& w : v.worst) {
    worst.push_back({{"index", w.index},
                     {"id", w.id},
                     {"label", w.label},
                     {"ref_pred", w.ref_pred},
                     {"tiny_pred", w.tiny_pred},
                     {"ref_conf", Num(w.ref_conf)},
                     {"tiny_conf", Num(w.tiny_conf)},
                     {"max_abs_diff", Num(w.max_abs_diff)},
                     {"kl", Num(w.kl)}});
  }
  j["worst"] = worst;
  return j;
}

}  // namespace

std::string RenderJson(const VerifyResult& r) {
  Json j;
  j["schema"] = r.schema;
  j["tool"] = {{"name", "tinyverify"}};
  j["task"] = TaskName(r.task);
  j["n"] = r.n;
  j["num_classes"] = r.num_classes;
  j["has_labels"] = r.has_labels;
  j["class_names"] = r.class_names;
  j["data"] = {{"path", r.setup.data_path},
               {"format", r.setup.data_format},
               {"decisions", r.setup.decisions}};
  j["run"] = {{"threads", r.setup.threads},
              {"seconds_total", Num(r.setup.seconds_total)},
              {"seconds_models", Num(r.setup.seconds_models)}};
  j["config"] = {{"high_conf_threshold", r.config.high_conf_threshold},
                 {"rare_class_fraction", r.config.rare_class_fraction},
                 {"worst_n", r.config.worst_n}};
  Json tiny_models = Json::array();
  for (size_t v = 0; v < r.variants.size(); ++v) {
    const ModelSetup m = v < r.setup.tiny.size() ? r.setup.tiny[v] : ModelSetup();
    tiny_models.push_back(ModelJson(m, r.variants[v].compression));
  }
  j["models"] = {{"ref", ModelJson(r.setup.ref, r.ref_compression)}, {"tiny", tiny_models}};
  j["ref"] = MetricsJson(r.ref, HasAccuracy(r));
  j["ref_confusion"] = r.ref_confusion;
  // Top-level tiny/paired/per_class/divergence/regression describe the first variant, so
  // single-variant consumers need not look into variants[].
  Json variants = Json::array();
  for (size_t v = 0; v < r.variants.size(); ++v) variants.push_back(VariantJson(r, v));
  if (!variants.empty()) {
    const Json& first = variants.front();
    j["tiny"] = first["tiny"];
    j["tiny"]["name"] = first["name"];
    for (const char* key : {"paired", "per_class", "divergence", "regression"}) j[key] = first[key];
  }
  j["variants"] = variants;
  Json gates = Json::array();
  for (const auto& g : r.gates) {
    Json values = Json::array();
    for (size_t v = 0; v < g.values.size(); ++v) {
      values.push_back({{"variant", v < r.variants.size() ? r.variants[v].name : ""},
                        {"value", Num(g.values[v])},
                        {"passed", static_cast<bool>(g.variant_passed[v])}});
    }
    gates.push_back({{"gate", g.spec},
                     {"metric", g.metric},
                     {"op", g.op},
                     {"threshold", g.threshold},
                     {"passed", g.passed},
                     {"values", values}});
  }
  j["gates"] = gates;
  j["passed"] = r.passed;
  // Ids and names come from file names and user files: replace invalid UTF-8 instead of
  // letting the serializer throw.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace reports
}  // namespace tv
