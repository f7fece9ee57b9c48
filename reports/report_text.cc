// The CLI's plain-text summary and report.md (sized for a pull-request comment).
#include <algorithm>

#include "reports/format.h"
#include "reports/report_writer.h"
#include "reports/tables.h"

namespace tv {
namespace reports {

using namespace verify;

namespace {

std::string Headline(const VerifyResult& r) {
  std::string s = Count(r.n) + " samples, " + TaskName(r.task);
  if (r.task == TaskKind::kClassification) s += ", " + std::to_string(r.num_classes) + " classes";
  if (!r.has_labels) s += ", no labels";
  return s;
}

std::string Verdict(const VerifyResult& r) {
  if (r.gates.empty()) return "no gates";
  int failed = 0;
  for (const GateResult& g : r.gates) failed += g.passed ? 0 : 1;
  if (failed == 0) {
    return "PASS (" + std::to_string(r.gates.size()) + (r.gates.size() == 1 ? " gate)" : " gates)");
  }
  return "FAIL (" + std::to_string(failed) + " of " + std::to_string(r.gates.size()) +
         " gates failed)";
}

// Per-class rows with the largest recall drop of the first variant.
std::vector<ClassStats> WorstClasses(const VariantResult& v, size_t limit) {
  std::vector<ClassStats> cls;
  for (const ClassStats& c : v.per_class) {
    if (c.support > 0) cls.push_back(c);
  }
  std::stable_sort(cls.begin(), cls.end(), [](const ClassStats& a, const ClassStats& b) {
    return a.recall_drop_pp > b.recall_drop_pp;
  });
  if (cls.size() > limit) cls.resize(limit);
  return cls;
}

std::string MdRow(const std::vector<std::string>& cells) {
  std::string s = "|";
  for (const std::string& c : cells) {
    std::string e = c;
    for (size_t p = 0; (p = e.find('|', p)) != std::string::npos; p += 2) e.replace(p, 1, "\\|");
    s += " " + e + " |";
  }
  return s + "\n";
}

std::string MdTable(const std::vector<std::string>& header,
                    const std::vector<std::vector<std::string>>& rows) {
  std::string s = MdRow(header) + "|";
  for (size_t i = 0; i < header.size(); ++i) s += i == 0 ? " --- |" : " ---: |";
  s += "\n";
  for (const auto& row : rows) s += MdRow(row);
  return s + "\n";
}

std::vector<std::string> ModelHeader(const VerifyResult& r, const std::string& first) {
  std::vector<std::string> h = {first, "ref (" + r.setup.ref.name + ")"};
  if (r.setup.ref.name.empty()) h[1] = "ref";
  for (const VariantResult& v : r.variants) h.push_back(v.name);
  return h;
}

std::vector<std::vector<std::string>> Cells(const std::vector<MetricRow>& rows) {
  std::vector<std::vector<std::string>> out;
  for (const MetricRow& m : rows) {
    std::vector<std::string> row = {m.label, m.ref.empty() ? "" : m.ref};
    row.insert(row.end(), m.variants.begin(), m.variants.end());
    out.push_back(row);
  }
  return out;
}

}  // namespace

std::string RenderSummary(const VerifyResult& r) {
  std::string s = "tinyverify verify: " + Headline(r) + "\n\n";
  std::vector<std::vector<std::string>> rows = {ModelHeader(r, "metric")};
  for (auto& row : Cells(HeadlineRows(r))) {
    if (row[1].empty()) row[1] = "-";
    rows.push_back(row);
  }
  s += TextTable(rows);
  if (!r.gates.empty()) {
    s += "\ngates:\n";
    std::vector<std::vector<std::string>> g_rows;
    for (const GateResult& g : r.gates) {
      std::vector<std::string> row = {"  " + std::string(g.passed ? "PASS" : "FAIL"), g.spec};
      for (size_t v = 0; v < g.values.size(); ++v) {
        std::string cell = GateValueText(g, v);
        if (r.variants.size() > 1) cell = r.variants[v].name + "=" + cell;
        if (!g.variant_passed[v]) cell += " (fail)";
        row.push_back(cell);
      }
      g_rows.push_back(row);
    }
    s += TextTable(g_rows);
  }
  s += "\nresult: " + Verdict(r) + "\n";
  return s;
}

std::string RenderMarkdown(const VerifyResult& r) {
  std::string s = "## tinyverify: ";
  s += r.gates.empty() ? "report" : (r.passed ? "PASS :white_check_mark:" : "FAIL :x:");
  s += "\n\n" + Headline(r);
  if (!r.setup.data_path.empty()) s += " from `" + r.setup.data_path + "`";
  s += "\n\n";
  if (!r.gates.empty()) {
    std::vector<std::string> header = {"gate", "result"};
    for (const VariantResult& v : r.variants) header.push_back(v.name);
    std::vector<std::vector<std::string>> rows;
    for (const GateResult& g : r.gates) {
      std::vector<std::string> row = {"`" + g.spec + "`", g.passed ? "pass" : "**FAIL**"};
      for (size_t v = 0; v < g.values.size(); ++v) row.push_back(GateValueText(g, v));
      rows.push_back(row);
    }
    s += MdTable(header, rows);
  }
  s += MdTable(ModelHeader(r, "metric"), Cells(HeadlineRows(r)));
  if (HasAccuracy(r) && !r.variants.empty()) {
    const VariantResult& v = r.variants[0];
    std::vector<std::vector<std::string>> rows;
    for (const ClassStats& c : WorstClasses(v, 5)) {
      rows.push_back({c.name + (c.rare ? " (rare)" : ""), Count(c.support),
                      Percent(c.ref_recall, 1), Percent(c.tiny_recall, 1),
                      Pp(c.recall_drop_pp, 1)});
    }
    s += "<details><summary>Largest per-class recall drops (" + v.name + ")</summary>\n\n";
    s += MdTable({"class", "support", "ref recall", "tiny recall", "drop"}, rows);
    if (!v.slices.empty()) {
      std::vector<std::vector<std::string>> sl;
      for (const SliceStats& x : v.slices) {
        sl.push_back({x.name, Count(x.count), Percent(x.ref_top1, 1), Percent(x.tiny_top1, 1),
                      Pp(x.top1_drop_pp, 1), Percent(x.agreement, 1)});
      }
      s += MdTable({"slice", "n", "ref top-1", "tiny top-1", "drop", "agreement"}, sl);
    }
    if (!v.high_conf_flip_ids.empty()) {
      s += "High-confidence flips: ";
      for (size_t i = 0; i < v.high_conf_flip_ids.size() && i < 10; ++i) {
        s += (i ? ", `" : "`") + v.high_conf_flip_ids[i] + "`";
      }
      if (v.high_conf_flip_ids.size() > 10) s += ", ...";
      s += "\n\n";
    }
    s += "</details>\n\n";
  }
  std::vector<std::string> device_header;
  std::vector<std::vector<std::string>> device_rows;
  if (DeviceTable(r, &device_header, &device_rows))
    s += "Device (QEMU; latency = instructions / clock)\n\n" + MdTable(device_header, device_rows);
  s += "<details><summary>Compression profile</summary>\n\n";
  s += MdTable(ModelHeader(r, "profile"), Cells(CompressionRows(r)));
  s += "</details>\n\n";
  s += "Full report: `report.html` (plots), `report.json` (schema `" + r.schema +
       "`), `samples.csv`.\n";
  return s;
}

}  // namespace reports
}  // namespace tv
