#include "reports/tables.h"

#include <algorithm>
#include <cmath>

#include "compare/gates.h"
#include "reports/format.h"

namespace tv {
namespace reports {

using namespace verify;

std::vector<MetricRow> HeadlineRows(const VerifyResult& r) {
  std::vector<MetricRow> rows;
  auto add = [&](const std::string& label, const std::string& ref, auto cell) {
    MetricRow row{label, ref, {}};
    for (const VariantResult& v : r.variants) row.variants.push_back(cell(v));
    rows.push_back(row);
  };
  const bool acc = HasAccuracy(r);
  if (r.task == TaskKind::kClassification) {
    if (acc) {
      add("top-1", Percent(r.ref.top1),
          [](const VariantResult& v) { return Percent(v.tiny.top1); });
      add("top-5", Percent(r.ref.top5),
          [](const VariantResult& v) { return Percent(v.tiny.top5); });
      add("top-1 drop (95% CI)", "", [](const VariantResult& v) {
        return Pp(v.top1_drop_pp) + " [" + Fixed(v.top1_drop_ci95_pp.lo, 2) + ", " +
               Fixed(v.top1_drop_ci95_pp.hi, 2) + "]";
      });
    }
    add("agreement (95% CI)", "", [](const VariantResult& v) {
      return Percent(v.agreement) + " [" + Percent(v.agreement_ci95.lo, 1) + ", " +
             Percent(v.agreement_ci95.hi, 1) + "]";
    });
    add("Cohen's kappa", "", [](const VariantResult& v) { return Fixed(v.kappa, 4); });
    if (acc) {
      add("McNemar exact p", "", [](const VariantResult& v) { return PValue(v.mcnemar_p); });
      add("flips ref right -> tiny wrong", "",
          [](const VariantResult& v) { return Count(v.ref_right_tiny_wrong); });
      add("flips ref wrong -> tiny right", "",
          [](const VariantResult& v) { return Count(v.ref_wrong_tiny_right); });
      add("high-confidence flips (p >= " + Fixed(r.config.high_conf_threshold, 2) + ")", "",
          [](const VariantResult& v) { return Count(v.high_conf_flips); });
      add("worst class recall drop", "",
          [](const VariantResult& v) { return Pp(v.class_drop_max_pp); });
      add("ECE", Fixed(r.ref.ece, 4), [](const VariantResult& v) { return Fixed(v.tiny.ece, 4); });
    }
    add("mean KL(ref||tiny)", "",
        [](const VariantResult& v) { return Fixed(v.divergence.mean_kl, 5); });
  } else {
    add("MAE vs ref", "", [](const VariantResult& v) { return Fixed(v.regression.mae, 5); });
    add("RMSE vs ref", "", [](const VariantResult& v) { return Fixed(v.regression.rmse, 5); });
    add("cosine vs ref", "", [](const VariantResult& v) { return Fixed(v.regression.cosine, 5); });
    if (!r.variants.empty() && r.variants[0].regression.has_target) {
      add("MAE vs target", Fixed(r.variants[0].regression.ref_mae_target, 5),
          [](const VariantResult& v) { return Fixed(v.regression.tiny_mae_target, 5); });
    }
  }
  if (!r.variants.empty() && r.variants[0].regression.has_auc) {
    add("ROC AUC", Fixed(r.variants[0].regression.ref_auc, 4),
        [](const VariantResult& v) { return Fixed(v.regression.tiny_auc, 4); });
    add("AUC drop", "", [](const VariantResult& v) { return Pp(v.regression.auc_drop_pp); });
  }
  add("max |ref - tiny|", "",
      [](const VariantResult& v) { return Fixed(v.divergence.max_abs_diff, 5); });
  add("output SNR", "",
      [](const VariantResult& v) { return Fixed(v.divergence.snr_db, 1) + " dB"; });
  add("input clipped", "",
      [](const VariantResult& v) { return Percent(v.input_clip_fraction, 3); });
  return rows;
}

std::vector<MetricRow> CompressionRows(const VerifyResult& r) {
  std::vector<MetricRow> rows;
  auto add = [&](const std::string& label, auto cell) {
    MetricRow row{label, cell(r.ref_compression), {}};
    for (const VariantResult& v : r.variants) row.variants.push_back(cell(v.compression));
    rows.push_back(row);
  };
  add("format", [](const CompressionProfile& p) { return p.format.empty() ? "-" : p.format; });
  // Size cells of a tiny model also say how much smaller it is than the reference.
  auto with_ratio = [&](const std::string& label, uint64_t CompressionProfile::*field) {
    MetricRow row{label, Bytes(r.ref_compression.*field), {}};
    for (const VariantResult& v : r.variants) {
      std::string cell = Bytes(v.compression.*field);
      const uint64_t ref = r.ref_compression.*field, tiny = v.compression.*field;
      if (ref > 0 && tiny > 0) {
        cell += " (" + Fixed(static_cast<double>(ref) / static_cast<double>(tiny), 1) + "x)";
      }
      row.variants.push_back(cell);
    }
    rows.push_back(row);
  };
  with_ratio("file size", &CompressionProfile::file_bytes);
  add("parameters",
      [](const CompressionProfile& p) { return Count(static_cast<int64_t>(p.parameters)); });
  with_ratio("weight bytes", &CompressionProfile::weight_bytes);
  add("weight sparsity", [](const CompressionProfile& p) { return Percent(p.sparsity, 1); });
  add("Huffman-coded weights", [](const CompressionProfile& p) {
    return p.huffman_bytes ? Bytes(p.huffman_bytes) : std::string("-");
  });
  add("arena RAM", [](const CompressionProfile& p) {
    return p.arena_bytes ? Bytes(p.arena_bytes) : std::string("-");
  });
  add("MACs", [](const CompressionProfile& p) { return Count(p.macs); });
  return rows;
}

std::string GateValueText(const GateResult& g, size_t v) {
  if (v >= g.values.size()) return "-";
  const double x = g.values[v];
  std::string unit = "value";
  for (const GateMetric& m : GateMetrics()) {
    if (g.metric == m.name) unit = m.unit;
  }
  if (unit == "pp") return Fixed(x, 2) + " pp";
  if (unit == "dB") return Fixed(x, 1) + " dB";
  if (unit == "count") return Count(static_cast<int64_t>(x));
  if (unit == "fraction") return Fixed(x, 4);
  return Fixed(x, std::fabs(x) < 0.01 && x != 0.0 ? 6 : 4);
}

std::string TextTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    if (width.size() < row.size()) width.resize(row.size(), 0);
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      std::string cell = row[c];
      if (c + 1 < row.size()) cell.resize(width[c] + 2, ' ');
      line += cell;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

bool DeviceTable(const verify::VerifyResult& r, std::vector<std::string>* header,
                 std::vector<std::vector<std::string>>* rows) {
  *header = {"variant", "target",           "flash (weights + code)", "arena RAM",
             "op data", "stack high-water", "instructions/inference", "latency estimate"};
  rows->clear();
  for (const verify::ModelSetup& m : r.setup.tiny) {
    const DeviceStats& d = m.device;
    if (d.target.empty()) continue;
    std::string instr = "not counted", latency = "-";
    if (!d.instructions.empty()) {
      double sum = 0;
      for (uint64_t n : d.instructions) sum += static_cast<double>(n);
      const double mean = sum / static_cast<double>(d.instructions.size());
      instr = Count(static_cast<int64_t>(mean + 0.5));
      latency = Fixed(mean / (d.clock_mhz * 1e3), 2) + " ms @ " + Fixed(d.clock_mhz, 0) + " MHz";
    }
    rows->push_back({m.name, d.target + " (" + d.machine + ")",
                     Bytes(d.model_bytes + d.code_bytes) + " of " + Bytes(d.flash_budget),
                     Bytes(d.arena_bytes) + " of " + Bytes(d.ram_budget), Bytes(d.persistent_bytes),
                     Bytes(d.stack_peak_bytes), instr, latency});
  }
  return !rows->empty();
}

}  // namespace reports
}  // namespace tv
