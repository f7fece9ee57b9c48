// samples.csv (one row per sample) and junit.xml (one testcase per gate).
#include <cstdio>

#include "reports/format.h"
#include "reports/report_writer.h"
#include "reports/tables.h"

namespace tv {
namespace reports {

using namespace verify;

namespace {

std::string Float(float v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", static_cast<double>(v));
  return buf;
}

}  // namespace

// Variant 0 uses the plain column names; variant v >= 1 repeats the tiny columns with the
// suffix "_v<v>" (names in report.json variants[v].name).
std::string RenderSamplesCsv(const VerifyResult& r) {
  const bool cls = r.task == TaskKind::kClassification;
  std::string s = "id,label,ref_pred,tiny_pred,ref_conf,tiny_conf,max_abs_diff,kl";
  for (size_t v = 1; v < r.variants.size(); ++v) {
    const std::string x = "_v" + std::to_string(v);
    s += ",tiny_pred" + x + ",tiny_conf" + x + ",max_abs_diff" + x + ",kl" + x;
  }
  s += "\n";
  for (const SampleRow& row : r.samples) {
    s += EscapeCsv(row.id) + "," + (row.label >= 0 ? std::to_string(row.label) : "") + ",";
    s += cls ? std::to_string(row.ref_pred) : "";
    for (size_t v = 0; v < row.tiny.size(); ++v) {
      const SampleRow::Tiny& t = row.tiny[v];
      const std::string pred = cls ? std::to_string(t.pred) : "";
      const std::string conf = cls ? Float(t.conf) : "";
      const std::string kl = cls ? Float(t.kl) : "";
      if (v == 0) {
        s += "," + pred + "," + (cls ? Float(row.ref_conf) : "") + "," + conf + "," +
             Float(t.max_abs_diff) + "," + kl;
      } else {
        s += "," + pred + "," + conf + "," + Float(t.max_abs_diff) + "," + kl;
      }
    }
    s += "\n";
  }
  return s;
}

std::string RenderJunit(const VerifyResult& r) {
  int failures = 0;
  for (const GateResult& g : r.gates) failures += g.passed ? 0 : 1;
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<testsuites name=\"tinyverify\" tests=\"" + std::to_string(r.gates.size()) +
       "\" failures=\"" + std::to_string(failures) + "\">\n";
  s += "  <testsuite name=\"tinyverify.gates\" tests=\"" + std::to_string(r.gates.size()) +
       "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\" skipped=\"0\">\n";
  for (const GateResult& g : r.gates) {
    s += "    <testcase classname=\"tinyverify.gates\" name=\"" + EscapeXml(g.spec) + "\">\n";
    std::string values;
    for (size_t v = 0; v < g.values.size(); ++v) {
      const std::string name = v < r.variants.size() ? r.variants[v].name : "?";
      values += (v ? ", " : "") + name + ": " + g.metric + " = " + GateValueText(g, v) +
                (g.variant_passed[v] ? "" : " (fails)");
    }
    if (!g.passed) {
      s += "      <failure message=\"" + EscapeXml(g.spec + " not met") + "\" type=\"gate\">" +
           EscapeXml(values) + "</failure>\n";
    }
    s += "      <system-out>" + EscapeXml(values) + "</system-out>\n";
    s += "    </testcase>\n";
  }
  s += "  </testsuite>\n</testsuites>\n";
  return s;
}

}  // namespace reports
}  // namespace tv
