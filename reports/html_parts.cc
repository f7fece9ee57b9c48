// Table sections of report.html.
#include "reports/html_parts.h"

#include <algorithm>

#include "reports/format.h"

namespace tv {
namespace reports {

using namespace verify;

std::string HtmlTable(const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows,
                      const std::vector<bool>& bad_rows) {
  std::string s = "<div class=\"tw\"><table><thead><tr>";
  for (const std::string& h : header) s += "<th>" + EscapeXml(h) + "</th>";
  s += "</tr></thead><tbody>";
  for (size_t i = 0; i < rows.size(); ++i) {
    const bool bad = i < bad_rows.size() && bad_rows[i];
    s += bad ? "<tr class=\"bad\">" : "<tr>";
    for (const std::string& c : rows[i]) s += "<td>" + EscapeXml(c) + "</td>";
    s += "</tr>";
  }
  return s + "</tbody></table></div>";
}

namespace {

std::vector<std::string> ModelColumns(const VerifyResult& r, const std::string& first) {
  std::vector<std::string> h = {first,
                                r.setup.ref.name.empty() ? "ref" : "ref: " + r.setup.ref.name};
  for (const VariantResult& v : r.variants) h.push_back(v.name);
  return h;
}

std::vector<std::vector<std::string>> RowCells(const std::vector<MetricRow>& rows) {
  std::vector<std::vector<std::string>> out;
  for (const MetricRow& m : rows) {
    std::vector<std::string> row = {m.label, m.ref};
    row.insert(row.end(), m.variants.begin(), m.variants.end());
    out.push_back(row);
  }
  return out;
}

}  // namespace

std::string HtmlMetricsSection(const VerifyResult& r) {
  return "<h2>Metrics</h2>" + HtmlTable(ModelColumns(r, "metric"), RowCells(HeadlineRows(r)));
}

std::string HtmlGatesSection(const VerifyResult& r) {
  if (r.gates.empty()) return "";
  std::vector<std::string> header = {"gate", "result"};
  for (const VariantResult& v : r.variants) header.push_back(v.name);
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> bad;
  for (const GateResult& g : r.gates) {
    std::vector<std::string> row = {g.spec, g.passed ? "pass" : "FAIL"};
    for (size_t v = 0; v < g.values.size(); ++v) {
      row.push_back(GateValueText(g, v) + (g.variant_passed[v] ? "" : " \u2717"));
    }
    rows.push_back(row);
    bad.push_back(!g.passed);
  }
  return "<h2>Gates</h2>" + HtmlTable(header, rows, bad);
}

namespace {

// One row per class, recall and drop of every variant side by side (largest drop first).
std::string SideBySideClasses(const VerifyResult& r) {
  const size_t k = r.variants[0].per_class.size();
  std::vector<size_t> order(k);
  std::vector<double> worst(k, 0.0);
  for (size_t c = 0; c < k; ++c) {
    order[c] = c;
    for (const VariantResult& v : r.variants) {
      if (c < v.per_class.size()) worst[c] = std::max(worst[c], v.per_class[c].recall_drop_pp);
    }
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return worst[a] > worst[b]; });
  std::vector<std::string> header = {"class", "support", "ref recall"};
  for (const VariantResult& v : r.variants) {
    header.push_back(v.name + " recall");
    header.push_back(v.name + " drop");
  }
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < order.size() && i < 50; ++i) {
    const ClassStats& base = r.variants[0].per_class[order[i]];
    std::vector<std::string> row = {base.name + (base.rare ? " (rare)" : ""), Count(base.support),
                                    Percent(base.ref_recall, 1)};
    for (const VariantResult& v : r.variants) {
      const ClassStats& c = v.per_class[order[i]];
      row.push_back(Percent(c.tiny_recall, 1));
      row.push_back(Pp(c.recall_drop_pp, 1));
    }
    rows.push_back(row);
  }
  return "<div class=\"panel\">" + HtmlTable(header, rows) + "</div>";
}

}  // namespace

std::string HtmlClassSection(const VerifyResult& r) {
  if (!HasAccuracy(r) || r.variants.empty()) return "";
  std::string s = "<h2>Per class</h2>";
  const bool several = r.variants.size() > 1;
  if (several) s += SideBySideClasses(r);
  for (const VariantResult& v : r.variants) {
    if (several) s += "<details><summary>Details: " + EscapeXml(v.name) + "</summary>";
    std::vector<std::vector<std::string>> rows;
    std::vector<bool> bad;
    std::vector<ClassStats> cls = v.per_class;
    std::stable_sort(cls.begin(), cls.end(), [](const ClassStats& a, const ClassStats& b) {
      return a.recall_drop_pp > b.recall_drop_pp;
    });
    constexpr size_t kMaxClassRows = 50;  // the full table is in report.json
    const size_t total = cls.size();
    if (cls.size() > kMaxClassRows) cls.resize(kMaxClassRows);
    for (const ClassStats& c : cls) {
      rows.push_back({c.name + (c.rare ? " (rare)" : ""), Count(c.support),
                      Percent(c.ref_recall, 1), Percent(c.tiny_recall, 1), Pp(c.recall_drop_pp, 1),
                      Percent(c.ref_precision, 1), Percent(c.tiny_precision, 1),
                      Percent(c.agreement, 1)});
      bad.push_back(c.recall_drop_pp > 0.0 && c.support > 0 &&
                    c.recall_drop_pp >= v.class_drop_max_pp && v.class_drop_max_pp > 0.0);
    }
    s += "<div class=\"panel\">" +
         HtmlTable({"class", "support", "ref recall", "tiny recall", "recall drop", "ref precision",
                    "tiny precision", "agreement"},
                   rows, bad) +
         (total > cls.size()
              ? "<p class=\"muted\">" + std::to_string(cls.size()) + " of " +
                    std::to_string(total) + " classes, largest drop first; all in report.json.</p>"
              : std::string()) +
         "</div>";
    if (!v.slices.empty()) {
      std::vector<std::vector<std::string>> sl;
      for (const SliceStats& x : v.slices) {
        sl.push_back({x.name, Count(x.count), Percent(x.ref_top1, 1), Percent(x.tiny_top1, 1),
                      Pp(x.top1_drop_pp, 1), Percent(x.agreement, 1)});
      }
      s += "<h3>Slices</h3>" +
           HtmlTable({"slice", "n", "ref top-1", "tiny top-1", "drop", "agreement"}, sl);
    }
    if (!v.confused_pairs.empty()) {
      std::vector<std::vector<std::string>> cp;
      for (const ConfusedPair& p : v.confused_pairs) {
        cp.push_back({r.class_names[static_cast<size_t>(p.label)] + " \u2192 " +
                          r.class_names[static_cast<size_t>(p.predicted)],
                      Count(p.ref_count), Count(p.tiny_count), Count(p.tiny_count - p.ref_count)});
      }
      s += "<h3>Most confused pairs (label \u2192 prediction)</h3>" +
           HtmlTable({"pair", "ref", "tiny", "change"}, cp);
    }
    if (!v.high_conf_flip_ids.empty()) {
      std::string ids;
      for (size_t i = 0; i < v.high_conf_flip_ids.size() && i < 50; ++i) {
        ids += (i ? ", " : "") + EscapeXml(v.high_conf_flip_ids[i]);
      }
      s += "<h3>High-confidence flips</h3><p><code>" + ids + "</code></p>";
    }
    if (several) s += "</details>";
  }
  return s;
}

std::string HtmlCompressionSection(const VerifyResult& r) {
  std::string s = "<h2>Compression profile</h2>" +
                  HtmlTable(ModelColumns(r, "profile"), RowCells(CompressionRows(r)));
  auto tensors = [](const std::string& name, const CompressionProfile& p) -> std::string {
    if (p.tensors.empty()) return "";
    std::vector<std::vector<std::string>> rows;
    for (size_t i = 0; i < p.tensors.size() && i < 300; ++i) {
      const CompressionProfile::Tensor& t = p.tensors[i];
      rows.push_back({t.name, Count(static_cast<int64_t>(t.elements)), Bytes(t.bytes),
                      Percent(t.sparsity, 1), Count(t.unique_values),
                      t.huffman_bits_per_weight > 0 ? Fixed(t.huffman_bits_per_weight, 2) : "-"});
    }
    return "<details><summary>Weight tensors of " + EscapeXml(name) + " (" +
           std::to_string(p.tensors.size()) + ")</summary>" +
           HtmlTable(
               {"tensor", "elements", "bytes", "sparsity", "unique values", "Huffman bits/weight"},
               rows) +
           "</details>";
  };
  s += tensors(r.setup.ref.name.empty() ? "ref" : r.setup.ref.name, r.ref_compression);
  for (const VariantResult& v : r.variants) s += tensors(v.name, v.compression);
  bool any_saturation = false;
  for (const VariantResult& v : r.variants) any_saturation |= !v.saturation.empty();
  if (any_saturation) {
    s += "<h3>Tiny-side saturation (share of int8/int16 activations pinned at the type's "
         "limits)</h3><p class=\"muted\">At the int max is clipping. At the int min is not "
         "counted where the zero point is the int min (ReLU or softmax outputs): there it "
         "is exactly 0.0.</p>";
    for (const VariantResult& v : r.variants) {
      std::vector<std::vector<std::string>> rows;
      for (size_t i = 0; i < v.saturation.size() && i < 15; ++i) {
        const SaturationRow& x = v.saturation[i];
        rows.push_back({x.tensor, x.op, Count(x.values), Percent(x.at_max_fraction, 3),
                        Percent(x.at_min_fraction, 3)});
      }
      s += (r.variants.size() > 1 ? "<p>" + EscapeXml(v.name) + "</p>" : "") +
           HtmlTable({"tensor", "op", "values", "at int max", "at int min"}, rows);
    }
  }
  return s;
}

std::string HtmlSetupSection(const VerifyResult& r) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"reference", r.setup.ref.path, r.setup.ref.target, r.setup.ref.kernels});
  for (const ModelSetup& m : r.setup.tiny) rows.push_back({"tiny", m.path, m.target, m.kernels});
  std::string s = "<h2>Run</h2>" + HtmlTable({"role", "model", "target", "kernels"}, rows);
  std::vector<std::string> device_header;
  std::vector<std::vector<std::string>> device_rows;
  if (DeviceTable(r, &device_header, &device_rows))
    s += "<h3>Device (QEMU; latency = instructions / clock)</h3>" +
         HtmlTable(device_header, device_rows);
  s += "<p class=\"muted\">data format " + EscapeXml(r.setup.data_format) + " &middot; " +
       std::to_string(r.setup.threads) + " threads &middot; " + Fixed(r.setup.seconds_total, 2) +
       " s total (" + Fixed(r.setup.seconds_models, 2) + " s in models)</p>";
  if (!r.setup.decisions.empty()) {
    s += "<h3>Input mapping decisions</h3><ul class=\"dec\">";
    for (const std::string& d : r.setup.decisions) s += "<li>" + EscapeXml(d) + "</li>";
    s += "</ul>";
  }
  return s;
}

}  // namespace reports
}  // namespace tv
